// Package logging builds the structured logger (log/slog, JSON) of every process,
// with masking: attributes whose key names personal data or a secret are replaced,
// and IIN/BIN-like digit runs, phone numbers and e-mail addresses inside any string
// value are masked, so that a careless log line still carries no personal data.
package logging

import (
	"io"
	"log/slog"
	"regexp"
	"strings"
)

// New returns a JSON logger writing to w at level ("debug", "info", "warn",
// "error"; anything else is info), masking as the package doc says.
func New(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l, ReplaceAttr: replace}))
}

// Discard returns a logger that writes nothing (tests).
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// secretKeys name attributes whose whole value is withheld.
var secretKeys = []string{
	"iin", "bin", "phone", "mobile", "email", "e-mail", "mail", "name", "birth", "address",
	"token", "secret", "password", "key", "authorization", "cookie", "chat",
}

// Mask is what a withheld value is replaced by.
const Mask = "***"

func replace(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == slog.LevelKey || a.Key == slog.MessageKey) {
		if a.Key == slog.MessageKey {
			a.Value = slog.StringValue(MaskText(a.Value.String()))
		}
		return a
	}
	k := strings.ToLower(a.Key)
	for _, s := range secretKeys {
		if strings.Contains(k, s) {
			return slog.String(a.Key, Mask)
		}
	}
	switch a.Value.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(MaskText(a.Value.String()))
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			a.Value = slog.StringValue(MaskText(err.Error()))
		}
	}
	return a
}

var (
	digits = regexp.MustCompile(`\+?\d[\d\s()-]{8,}\d`)
	email  = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
)

// MaskText masks IIN/BIN-like runs of 10 or more digits (also phones with spaces,
// dashes or brackets) and e-mail addresses in s.
func MaskText(s string) string {
	s = email.ReplaceAllString(s, Mask)
	return digits.ReplaceAllStringFunc(s, func(m string) string {
		n := 0
		for _, r := range m {
			if r >= '0' && r <= '9' {
				n++
			}
		}
		if n < 10 {
			return m
		}
		return Mask
	})
}
