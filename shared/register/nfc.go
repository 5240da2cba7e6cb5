package register

import "golang.org/x/text/unicode/norm"

// nfc returns s in Unicode normal form C (cheaply when it already is).
func nfc(s string) string {
	if isASCII(s) || norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}
