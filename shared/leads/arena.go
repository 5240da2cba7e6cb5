package leads

import (
	"bytes"
	"encoding/binary"
	"unicode/utf8"
)

// arena keeps one string per row (clients' names: in real registers nearly all
// differ, so a dictionary would cost more than it shares) in chunks of a MiB,
// which are never copied as the arena grows, each string as its length and its
// packed bytes (see pack).
type arena struct {
	chunks [][]byte
	at     []uint32 // chunk<<chunkBits | offset, by id
	buf    []byte
}

// chunkBits: chunks of 1 MiB, at most 4,096 of them (4 GiB of names).
const chunkBits = 20

func (a *arena) add(s string) uint32 {
	a.buf = pack(a.buf[:0], s)
	need := binary.MaxVarintLen64 + len(a.buf)
	n := len(a.chunks)
	if n == 0 || len(a.chunks[n-1])+need > 1<<chunkBits { // (a longer string gets a chunk of its own)
		if n == 1<<(32-chunkBits) {
			panic("leads: more than 4 GiB of names")
		}
		a.chunks = append(a.chunks, make([]byte, 0, max(1<<chunkBits, need)))
		n++
	}
	c := a.chunks[n-1]
	a.at = append(a.at, uint32(n-1)<<chunkBits|uint32(len(c)))
	c = binary.AppendUvarint(c, uint64(len(a.buf)))
	a.chunks[n-1] = append(c, a.buf...)
	return uint32(len(a.at) - 1)
}

// packed returns the packed bytes of string id.
func (a *arena) packed(id uint32) []byte {
	at := a.at[id]
	c := a.chunks[at>>chunkBits][at&(1<<chunkBits-1):]
	l, k := binary.Uvarint(c)
	return c[k : k+int(l)]
}

func (a *arena) get(id uint32) string { return string(unpack(nil, a.packed(id))) }

// eq reports whether strings i and j are equal.
func (a *arena) eq(i, j uint32) bool { return bytes.Equal(a.packed(i), a.packed(j)) }

// Packing: a name takes a byte per letter of the Russian and Kazakh alphabets
// instead of UTF-8's two. A byte under 0x80 is itself; 0x80-0xDF are U+0400-U+045F,
// 0xE0-0xEF the Kazakh letters outside that block (kazakh); 0xFF is followed by
// any other character in UTF-8, and 0xFE by a byte that is not UTF-8. Each string
// has one packing, so packed strings are equal when the strings are.
const (
	packCyrillic = 0x80
	packKazakh   = 0xE0
	packRaw      = 0xFE
	packRune     = 0xFF
)

var kazakh = [16]rune{'Ғ', 'ғ', 'Қ', 'қ', 'Ң', 'ң', 'Ү', 'ү', 'Ұ', 'ұ', 'Һ', 'һ', 'Ә', 'ә', 'Ө', 'ө'}

// kazakhCode maps U+0490-U+04EF to the Kazakh letters' codes (0: none).
var kazakhCode = func() (m [0x60]byte) {
	for j, r := range kazakh {
		m[r-0x490] = byte(packKazakh + j)
	}
	return m
}()

func pack(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		var r rune
		var w int
		if c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 { // two bytes: every Cyrillic letter
			r, w = rune(c&0x1F)<<6|rune(s[i+1]&0x3F), 2
		} else {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		switch {
		case r == utf8.RuneError && w == 1:
			b = append(b, packRaw, c)
		case r >= 0x400 && r < 0x460:
			b = append(b, byte(packCyrillic+r-0x400))
		case r >= 0x490 && r < 0x4F0 && kazakhCode[r-0x490] != 0:
			b = append(b, kazakhCode[r-0x490])
		default:
			b = append(b, packRune)
			b = append(b, s[i:i+w]...)
		}
		i += w
	}
	return b
}

func unpack(b []byte, p []byte) []byte {
	for i := 0; i < len(p); {
		c := p[i]
		i++
		switch {
		case c < utf8.RuneSelf:
			b = append(b, c)
		case c < packKazakh:
			b = utf8.AppendRune(b, rune(c-packCyrillic)+0x400)
		case c < packKazakh+byte(len(kazakh)):
			b = utf8.AppendRune(b, kazakh[c-packKazakh])
		case c == packRaw:
			b = append(b, p[i])
			i++
		default: // packRune
			_, w := utf8.DecodeRune(p[i:])
			b = append(b, p[i:i+w]...)
			i += w
		}
	}
	return b
}
