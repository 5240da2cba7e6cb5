package awsconf

import "testing"

func TestIsLocal(t *testing.T) {
	for _, tt := range []struct {
		endpoint string
		want     bool
	}{
		{"", false},
		{"http://127.0.0.1:5055", true},
		{"http://localhost:8000", true},
		{"http://[::1]:5055", true},
		{"https://dynamodb.eu-central-1.amazonaws.com", false},
		{"http://10.0.0.5:8000", false},
	} {
		if got := IsLocal(tt.endpoint); got != tt.want {
			t.Errorf("IsLocal(%q) = %v, want %v", tt.endpoint, got, tt.want)
		}
	}
}
