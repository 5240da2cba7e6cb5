package telegram

import "strings"

// EndpointFormat reads QOLDAU_TELEGRAM_API: a format string of the token and the
// method ("https://api.telegram.org/bot%s/%s") is kept; a
// base URL ("https://api.telegram.org", a self-hosted server, a fake) gets
// "/bot%s/%s" appended; "" is Telegram's own.
func EndpointFormat(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return DefaultEndpoint
	case strings.Contains(s, "%s"):
		return s
	}
	return strings.TrimRight(s, "/") + "/bot%s/%s"
}
