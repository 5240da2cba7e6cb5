package httpapi

import (
	_ "embed"
	"net/http"
)

//go:embed console.html
var consoleHTML []byte

// console serves the minimal staff console: one page that calls the API with the
// key the user types (kept in the tab's sessionStorage only).
func (a *api) console(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src *; frame-ancestors 'none'")
	w.WriteHeader(http.StatusOK)
	w.Write(consoleHTML)
}
