package ingest

import "testing"

func TestSafeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"register-2026-09.xlsx", "register-2026-09.xlsx"},
		{"Реестр сентябрь.xlsx", "_______________.xlsx"},
		{`C:\Users\op\Desktop\r.csv`, "r.csv"},
		{"../../etc/passwd", "passwd"},
		{".hidden", "hidden"},
		{"", "upload"},
		{"a/b/", "b"},
	}
	for _, tt := range tests {
		if got := SafeName(tt.in); got != tt.want {
			t.Errorf("SafeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := SafeName(string(make([]byte, 200)) + ".xlsx"); len(got) != 80 || got[75:] != ".xlsx" {
		t.Errorf("a long name = %q (%d bytes), want 80 bytes ending .xlsx", got, len(got))
	}
}

func TestTicketOf(t *testing.T) {
	tests := []struct {
		key    string
		id     string
		wantOK bool
	}{
		{"inbox/5f0c2a9d41e87b3c6a1d9e20/r.xlsx", "5f0c2a9d41e87b3c6a1d9e20", true},
		{"inbox/5f0c2a9d41e87b3c6a1d9e20/a/r.xlsx", "", false},
		{"inbox/SHORT/r.xlsx", "", false},
		{"uploads/5f0c2a9d41e87b3c6a1d9e20/r.xlsx", "", false},
		{"inbox/5f0c2a9d41e87b3c6a1d9e20/", "", false},
	}
	for _, tt := range tests {
		id, ok := TicketOf(tt.key)
		if ok != tt.wantOK || ok && id != tt.id {
			t.Errorf("TicketOf(%q) = %q, %v; want %q, %v", tt.key, id, ok, tt.id, tt.wantOK)
		}
	}
}
