// Package langtest finds English in texts meant for Kazakh and Russian readers:
// words of the product's own English vocabulary (register, letter, due, clients …)
// and codes (bin-iin-checksum, no_answer, accounting …), which a Kazakh or Russian
// report, workbook or command output must never show. It also pulls the text out
// of the files the product writes (.xlsx cells and sheet names, the text a PDF
// shows). It is for tests only.
package langtest

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// vocabulary is the product's English: the words its English texts use for its
// own things. A Kazakh or Russian text holding one of them was left untranslated.
var vocabulary = strings.Fields(`
	accepted acts agency analysis annex answer answers audit built call calls centre channel chart client clients
	completed conclusion confirmed correction counted data deadline denied diff draft due effective enterprise
	enterprises error errors export exported file files folder found imported import interval introduction
	invitation invitations invited late letter letters manager mean methodology missing month none note online
	operator overdue period questionnaire questionnaires rate read received reconciliation region regions register
	registers rejected report reports response row rows section sent service services share status stored
	submitted subtype summary survey surveys table total unconfirmed unit version versions warning warnings
	without yes`)

// allowed are Latin words a Kazakh or Russian text may hold: names of things
// (Telegram, Excel, DynamoDB …), the order's own "Call-орталығы", file formats and
// technical names.
var allowed = strings.Fields(`
	telegram excel dynamodb sqlite s3 qoldau usb cd dvd xlsx pdf json csv docx hmac-sha256 e-mail iin bin api
	sms rfc3339 ctrl-c long polling webhook`)

var (
	word = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*`)
	// code is an identifier: lowercase words joined by - or _ (bin-iin-checksum,
	// no_answer).
	code = regexp.MustCompile(`^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+$`)
	// skip are spans that are code by design: a command between backquotes, a
	// path or a stored file's key, a file name, a flag, a URL, a letter's
	// identifier (2026-07-v1), a key or token (24 characters or more).
	skip = regexp.MustCompile("`[^`]*`|\\S*/\\S*|[\\w.-]+\\.(?:xlsx|csv|pdf|json|docx)\\b|(?:^|\\s)--?[a-z][a-z0-9-]*|" +
		"https?://\\S+|\\b\\d{4}-\\d{2}-v\\d+\\b|\\b[\\w-]{24,}")
)

// English returns the English vocabulary words, codes and the given extra codes
// (service, region or option codes the caller knows) found in text, each once, in
// order of appearance.
func English(text string, codes ...string) []string {
	text = skip.ReplaceAllString(text, " ")
	var out []string
	for _, m := range word.FindAllStringIndex(text, -1) {
		w := text[m[0]:m[1]]
		// "Call-орталығы", "Call-центр": the order's own word.
		if m[1] < len(text) && text[m[1]] == '-' && !isASCIILetter(text[m[1]+1:]) {
			continue
		}
		lw := strings.ToLower(w)
		bad := slices.Contains(vocabulary, lw) || code.MatchString(lw) && !slices.Contains(allowed, lw) ||
			slices.Contains(codes, w)
		if bad && !slices.Contains(allowed, lw) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func isASCIILetter(s string) bool {
	return s != "" && s[0] < 0x80 && unicode.IsLetter(rune(s[0]))
}

// XLSXText returns the sheet names and the text of every cell of a workbook, a
// line per row, cells separated by tabs.
func XLSXText(data []byte) (string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	for _, name := range f.GetSheetList() {
		b.WriteString(name + "\n")
		rows, err := f.GetRows(name)
		if err != nil {
			return "", err
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String(), nil
}

// PDFText returns the text a PDF shows: the strings of the Tj operators of its
// Flate streams, UTF-16BE as a Unicode (Identity-H) font writes them, a line each.
func PDFText(pdf []byte) string {
	var b strings.Builder
	stream := regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	tj := regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj`)
	for _, m := range stream.FindAllSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue
		}
		s, err := io.ReadAll(zr)
		if err != nil {
			continue
		}
		for _, t := range tj.FindAllSubmatch(s, -1) {
			var raw []byte
			if len(t[1]) > 0 {
				if raw, err = hex.DecodeString(string(t[1])); err != nil {
					continue
				}
			} else {
				raw = unescape(t[2])
			}
			b.WriteString(utf16BE(raw))
			b.WriteString("\n")
		}
	}
	return b.String()
}

// unescape undoes a PDF literal string's escapes.
func unescape(s []byte) []byte {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			default:
				out = append(out, s[i])
			}
			continue
		}
		out = append(out, s[i])
	}
	return out
}

func utf16BE(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
		b = b[2:]
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}
