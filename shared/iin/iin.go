// Package iin reads Kazakh 12-digit identifiers: the IIN of a person (ЖСН / ИИН) and
// the BIN of a legal entity (БСН / БИН), as docs/rules.md, "IIN and BIN",
// states them.
//
// Parse runs for every row of a register (up to a million rows), so it works on the
// string in place and never allocates.
package iin

import (
	"time"

	"github.com/qoldau/qoldau/shared/civil"
)

// Kind tells an IIN from a BIN.
type Kind uint8

// Kinds. The fifth digit tells them apart: 0-3 (a day-of-month tens digit) in an IIN,
// 4-6 in a BIN.
const (
	Unknown Kind = iota // not determined: the number is malformed or its fifth digit is 7-9
	IIN                 // individual identification number (a person, an individual entrepreneur)
	BIN                 // business identification number (a legal entity, branch, joint IP)
)

// String returns "IIN", "BIN" or "unknown".
func (k Kind) String() string {
	switch k {
	case IIN:
		return "IIN"
	case BIN:
		return "BIN"
	}
	return "unknown"
}

// Problem is what is wrong with a number, checked in the order Format, Impossible,
// BadChecksum: the first that applies is reported.
type Problem uint8

// Problems.
const (
	// OK: a well-formed number with a correct control digit.
	OK Problem = iota
	// Format: not exactly 12 ASCII digits.
	Format
	// Impossible: an IIN whose birth date does not exist or whose century/gender
	// digit (d7) is 0, 7, 8 or 9; a BIN whose month is not 01-12, whose d5 is not
	// 4/5/6 or whose d6 is not 0-3; any number whose d5 is 7, 8 or 9.
	Impossible
	// BadChecksum: the control digit (d12) is wrong, or cannot be computed because
	// both passes of the algorithm give 10. (Named so because Checksum is the
	// function that computes the digit.)
	BadChecksum
)

// String returns "ok", "format", "impossible" or "checksum".
func (p Problem) String() string {
	switch p {
	case OK:
		return "ok"
	case Format:
		return "format"
	case Impossible:
		return "impossible"
	case BadChecksum:
		return "checksum"
	}
	return "unknown"
}

// Info is what a number tells about its holder.
type Info struct {
	Kind Kind

	// Birth is the date of birth (IIN only): d1-d6 as YYMMDD, the century from d7.
	Birth civil.Date
	// Male is the gender from d7 (IIN only): odd is male, even is female.
	Male bool

	// RegYear and RegMonth are the registration year and month (BIN only), d1-d4 as
	// YYMM. A two-digit year YY below RegPivot is 20YY, otherwise 19YY: legal
	// entities of Kazakhstan date from 1990 on, so 90-99 are the 1990s and 00-89
	// the 2000s (until 2090).
	RegYear  int
	RegMonth int
	// Residency is d5 of a BIN: '4' resident, '5' non-resident, '6' joint individual
	// entrepreneurship.
	Residency byte
	// EntityType is d6 of a BIN: '0' head office, '1' branch, '2' representative
	// office, '3' joint peasant farm.
	EntityType byte
}

// RegPivot is the two-digit registration year from which a BIN's year is read as
// 19YY; below it, 20YY.
const RegPivot = 90

// Parse checks s, which must already be exactly 12 ASCII digits (spaces removed by
// the caller), and returns what it tells. Checks run in order Format, Impossible,
// BadChecksum. Info is filled as far as the checks got: with Format it is empty; with
// Impossible it has Kind (when d5 is 0-6) and whatever fields could be read; with
// BadChecksum and OK it is complete. Parse never allocates.
func Parse(s string) (Info, Problem) {
	var info Info
	if len(s) != 12 {
		return info, Format
	}
	for i := 0; i < 12; i++ {
		if s[i] < '0' || s[i] > '9' {
			return info, Format
		}
	}
	two := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	switch d5 := s[4]; {
	case d5 <= '3':
		info.Kind = IIN
		yy, mm, dd := two(0), two(2), two(4)
		var century int
		switch s[6] {
		case '1', '2':
			century = 1800
		case '3', '4':
			century = 1900
		case '5', '6':
			century = 2000
		default:
			return info, Impossible
		}
		if !civil.Valid(century+yy, time.Month(mm), dd) {
			return info, Impossible
		}
		info.Birth = civil.D(century+yy, time.Month(mm), dd)
		info.Male = (s[6]-'0')%2 == 1
	case d5 <= '6':
		info.Kind = BIN
		yy, mm := two(0), two(2)
		info.RegYear = 2000 + yy
		if yy >= RegPivot {
			info.RegYear = 1900 + yy
		}
		info.Residency = d5
		if mm < 1 || mm > 12 {
			return info, Impossible
		}
		info.RegMonth = mm
		if s[5] > '3' {
			return info, Impossible
		}
		info.EntityType = s[5]
	default:
		return info, Impossible
	}
	if d, ok := Checksum(s[:11]); !ok || d != s[11] {
		return info, BadChecksum
	}
	return info, OK
}

// Checksum computes the control digit (d12) of the first 11 digits of an IIN or
// BIN and returns it as an ASCII digit '0'..'9'. The first pass weighs digit i by
// i (1..11); if that sum mod 11 is 10, the second pass weighs them 3, 4, 5, 6, 7,
// 8, 9, 10, 11, 1, 2; if that also gives 10 the number cannot be valid and ok is
// false. ok is also false when first11 is not exactly 11 ASCII digits.
func Checksum(first11 string) (digit byte, ok bool) {
	if len(first11) != 11 {
		return 0, false
	}
	// weights2 are the weights of the second pass.
	weights2 := [11]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}
	sum1, sum2 := 0, 0
	for i := 0; i < 11; i++ {
		c := first11[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int(c - '0')
		sum1 += d * (i + 1)
		sum2 += d * weights2[i]
	}
	r := sum1 % 11
	if r == 10 {
		r = sum2 % 11
		if r == 10 {
			return 0, false
		}
	}
	return byte('0' + r), true
}
