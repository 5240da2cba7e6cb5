package iin

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
)

// withCheck appends the control digit to first11; it fails the test when the digit
// cannot be computed.
func withCheck(t *testing.T, first11 string) string {
	t.Helper()
	d, ok := Checksum(first11)
	if !ok {
		t.Fatalf("Checksum(%q) not computable", first11)
	}
	return first11 + string(d)
}

// wrongCheck replaces the control digit of a valid number with another digit.
func wrongCheck(t *testing.T, valid string) string {
	t.Helper()
	c := valid[11] + 1
	if c > '9' {
		c = '0'
	}
	return valid[:11] + string(c)
}

func TestParse(t *testing.T) {
	type tc struct {
		name string
		in   string
		want Info
		prob Problem
	}
	tests := []tc{
		// Public test vectors (the IIN and BIN check digit).
		{"IIN vector, second pass", "061211600012", Info{Kind: IIN, Birth: civil.D(2006, time.December, 11)}, OK},
		{"IIN vector male 1900s", "880515300120", Info{Kind: IIN, Birth: civil.D(1988, time.May, 15), Male: true}, OK},
		{"IIN vector female 1900s", "950101400012", Info{Kind: IIN, Birth: civil.D(1995, time.January, 1)}, OK},
		{"BIN vector", "940140000385", Info{Kind: BIN, RegYear: 1994, RegMonth: 1, Residency: '4', EntityType: '0'}, OK},
		{"BIN vector branch, second pass", "961141000023", Info{Kind: BIN, RegYear: 1996, RegMonth: 11, Residency: '4', EntityType: '1'}, OK},
		{"BIN vector", "990140004654", Info{Kind: BIN, RegYear: 1999, RegMonth: 1, Residency: '4', EntityType: '0'}, OK},

		// Format.
		{"empty", "", Info{}, Format},
		{"11 digits", "88051530012", Info{}, Format},
		{"13 digits", "8805153001200", Info{}, Format},
		{"space inside", "880515 00120", Info{}, Format},
		{"letter", "88051530012O", Info{}, Format},
		{"full-width digits", "８８０５１５３００１２０", Info{}, Format},
		{"sign", "+80515300120", Info{}, Format},

		// Impossible IINs.
		{"30 February", withCheck(t, "99023030012"), Info{Kind: IIN}, Impossible},
		{"29 February in a common year", withCheck(t, "01022950012"), Info{Kind: IIN}, Impossible},
		{"month 00", withCheck(t, "88001530012"), Info{Kind: IIN}, Impossible},
		{"month 13", withCheck(t, "88131530012"), Info{Kind: IIN}, Impossible},
		{"day 00", withCheck(t, "88050030012"), Info{Kind: IIN}, Impossible},
		{"31 April", withCheck(t, "88043130012"), Info{Kind: IIN}, Impossible},
		{"day 32", withCheck(t, "880132300120"[:11]), Info{Kind: IIN}, Impossible},
		{"century digit 0", withCheck(t, "88051500012"), Info{Kind: IIN}, Impossible},
		{"century digit 7", withCheck(t, "88051570012"), Info{Kind: IIN}, Impossible},
		{"century digit 8", withCheck(t, "88051580012"), Info{Kind: IIN}, Impossible},
		{"century digit 9", withCheck(t, "88051590012"), Info{Kind: IIN}, Impossible},

		// Possible IINs in other centuries and leap years.
		{"29 February 2000", withCheck(t, "00022960012"), Info{Kind: IIN, Birth: civil.D(2000, time.February, 29)}, OK},
		{"29 February 1900 does not exist", withCheck(t, "00022930012"), Info{Kind: IIN}, Impossible},
		{"1800s male", withCheck(t, "99123110012"), Info{Kind: IIN, Birth: civil.D(1899, time.December, 31), Male: true}, OK},
		{"2000s male", withCheck(t, "150310500123"[:11]), Info{Kind: IIN, Birth: civil.D(2015, time.March, 10), Male: true}, OK},

		// Impossible BINs.
		{"BIN month 13", withCheck(t, "94134000038"), Info{Kind: BIN, RegYear: 1994, Residency: '4'}, Impossible},
		{"BIN month 00", withCheck(t, "94004000038"), Info{Kind: BIN, RegYear: 1994, Residency: '4'}, Impossible},
		{"BIN type 4", withCheck(t, "94014400038"), Info{Kind: BIN, RegYear: 1994, RegMonth: 1, Residency: '4'}, Impossible},
		{"BIN type 9", withCheck(t, "94014900038"), Info{Kind: BIN, RegYear: 1994, RegMonth: 1, Residency: '4'}, Impossible},
		{"d5 7", withCheck(t, "94017000038"), Info{}, Impossible},
		{"d5 8", withCheck(t, "94018000038"), Info{}, Impossible},
		{"d5 9", withCheck(t, "94019000038"), Info{}, Impossible},

		// BIN kinds and registration years.
		{"non-resident representative office", withCheck(t, "05085200001"), Info{Kind: BIN, RegYear: 2005, RegMonth: 8, Residency: '5', EntityType: '2'}, OK},
		{"joint IP", withCheck(t, "120360000123"[:11]), Info{Kind: BIN, RegYear: 2012, RegMonth: 3, Residency: '6', EntityType: '0'}, OK},
		{"joint peasant farm", withCheck(t, "191263000045"[:11]), Info{Kind: BIN, RegYear: 2019, RegMonth: 12, Residency: '6', EntityType: '3'}, OK},
		{"year 89 is 2089", withCheck(t, "89014000038"), Info{Kind: BIN, RegYear: 2089, RegMonth: 1, Residency: '4', EntityType: '0'}, OK},
		{"year 90 is 1990", withCheck(t, "90014000038"), Info{Kind: BIN, RegYear: 1990, RegMonth: 1, Residency: '4', EntityType: '0'}, OK},

		// BadChecksum.
		{"IIN wrong control digit", "880515300121", Info{Kind: IIN, Birth: civil.D(1988, time.May, 15), Male: true}, BadChecksum},
		{"BIN wrong control digit", "940140000386", Info{Kind: BIN, RegYear: 1994, RegMonth: 1, Residency: '4', EntityType: '0'}, BadChecksum},
		{"second-pass IIN wrong digit", wrongCheck(t, "061211600012"), Info{Kind: IIN, Birth: civil.D(2006, time.December, 11)}, BadChecksum},
		{"uncomputable control digit", "900101300800", Info{Kind: IIN, Birth: civil.D(1990, time.January, 1), Male: true}, BadChecksum},
		{"uncomputable with any d12", "900101300809", Info{Kind: IIN, Birth: civil.D(1990, time.January, 1), Male: true}, BadChecksum},
		// Checks run in order: an impossible date wins over a wrong control digit.
		{"impossible before checksum", wrongCheck(t, withCheck(t, "99023030012")), Info{Kind: IIN}, Impossible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, prob := Parse(tt.in)
			if prob != tt.prob {
				t.Errorf("Parse(%q) problem = %v, want %v", tt.in, prob, tt.prob)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) info mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestChecksum(t *testing.T) {
	tests := []struct {
		in     string
		digit  byte
		ok     bool
		second bool // the first pass gives 10
	}{
		{"06121160001", '2', true, true},
		{"88051530012", '0', true, false},
		{"95010140001", '2', true, false},
		{"94014000038", '5', true, false},
		{"96114100002", '3', true, true},
		{"99014000465", '4', true, false},
		{"90010130080", 0, false, true},
		{"90010130161", 0, false, true},
		{"", 0, false, false},
		{"9001013008", 0, false, false},
		{"900101300800", 0, false, false},
		{"9001013008a", 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, ok := Checksum(tt.in)
			if d != tt.digit || ok != tt.ok {
				t.Errorf("Checksum(%q) = %q, %v; want %q, %v", tt.in, d, ok, tt.digit, tt.ok)
			}
			if tt.ok || tt.second {
				sum := 0
				for i := 0; i < 11; i++ {
					sum += int(tt.in[i]-'0') * (i + 1)
				}
				if got := sum%11 == 10; got != tt.second {
					t.Errorf("first pass of %q gives 10 = %v, want %v (test vector mislabelled)", tt.in, got, tt.second)
				}
			}
		})
	}
}

func TestStrings(t *testing.T) {
	got := []string{OK.String(), Format.String(), Impossible.String(), BadChecksum.String(), Problem(99).String(),
		Unknown.String(), IIN.String(), BIN.String()}
	want := []string{"ok", "format", "impossible", "checksum", "unknown", "unknown", "IIN", "BIN"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("String mismatch (-want +got):\n%s", diff)
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	inputs := []string{"061211600012", "940140000385", "990230300125", "abc", "880515300121"}
	allocs := testing.AllocsPerRun(100, func() {
		for _, s := range inputs {
			Parse(s)
		}
	})
	if allocs != 0 {
		t.Errorf("Parse allocates %v times per run, want 0", allocs)
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		Parse("061211600012")
		Parse("961141000023")
	}
}
