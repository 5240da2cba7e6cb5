package report

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCatalogue checks that every text of the catalogue has all three languages.
func TestCatalogue(t *testing.T) {
	data, err := messagesFS.ReadFile("messages.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("messages.json: %v", err)
	}
	// (The questionnaire's headings moved to shared/questionnaire: 191 remain.)
	if len(catalogue.Keys()) != len(m) || len(m) < 190 {
		t.Fatalf("catalogue: %d entries loaded of %d", len(catalogue.Keys()), len(m))
	}
	for key, x := range m {
		for _, lang := range Langs {
			if strings.TrimSpace(x[lang]) == "" {
				t.Errorf("%s has no %s text", key, lang)
			}
		}
		if len(x) != 3 {
			t.Errorf("%s has %d languages, want kk, ru, en", key, len(x))
		}
	}
}
