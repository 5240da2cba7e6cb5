// Package qoldau holds the domain of service-support monitoring: findings about a
// register, the coded error type every package returns, and (as the workflow lands)
// registers, versions, acts, reports and the interfaces of the stores behind them.
// It imports no adapter: AWS, Telegram and SQL live in their own packages.
package qoldau

import (
	"errors"
	"fmt"

	"github.com/qoldau/qoldau/shared/i18n"
)

// Text is a message in the three languages of the product (shared/i18n, where
// every text a user reads comes from a catalogue).
type Text = i18n.Text

// Severity tells whether a finding rejects its row (error) or only informs (warning).
type Severity string

// Severities.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
)

// Finding is one thing validation found in an uploaded file. File-level findings have
// Row 0 and no Column or Cell. Value is the raw cell text: it may hold personal data,
// so findings go to the operator and the agency, never to logs.
type Finding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Row      int      `json:"row"`
	Column   string   `json:"column"`
	Cell     string   `json:"cell"`
	Field    string   `json:"field"`
	Value    string   `json:"value"`
	Message  Text     `json:"message"`
}

// ErrorCode classifies an Error for callers: what went wrong, not where.
type ErrorCode string

// Error codes. Adapters translate their own failures into these (a failed
// conditional write is a Conflict).
const (
	Invalid      ErrorCode = "invalid"
	NotFound     ErrorCode = "not_found"
	Conflict     ErrorCode = "conflict"
	Unauthorized ErrorCode = "unauthorized"
	Forbidden    ErrorCode = "forbidden"
	Internal     ErrorCode = "internal"
)

// Error is the one error type of the product. Message is safe to show a user (no
// personal data); Err is the cause, for logs.
type Error struct {
	Code    ErrorCode
	Message Text
	Err     error
}

// Error returns the English message and, when present, the cause.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message.EN, e.Err)
	}
	return e.Message.EN
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with code and the same English text in all three languages;
// prefer E with a translated Text for anything a user reads.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	s := fmt.Sprintf(format, args...)
	return &Error{Code: code, Message: Text{KK: s, RU: s, EN: s}}
}

// E returns an Error with code, a translated message and an optional cause.
func E(code ErrorCode, msg Text, cause error) *Error {
	return &Error{Code: code, Message: msg, Err: cause}
}

// CodeOf returns the code of the first Error in err's chain, Internal for any other
// non-nil error, and "" for nil.
func CodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the user-facing message of err: the Error's Text, or a generic
// internal-error text that reveals nothing of the cause.
func MessageOf(err error) Text {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return texts.Text("internal-error-try-again-or")
}
