package leads

import (
	"regexp"
	"slices"
	"testing"
)

// TestTexts: every text has Kazakh, Russian and English, with the same
// placeholders; every kind has a label and a message.
func TestTexts(t *testing.T) {
	ph := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, key := range catalogue.Keys() {
		x, _ := catalogue.Lookup(key)
		if x.KK == "" || x.RU == "" || x.EN == "" {
			t.Errorf("%s lacks a language: %+v", key, x)
		}
		want := ph.FindAllString(x.EN, -1)
		slices.Sort(want)
		for _, s := range []string{x.KK, x.RU} {
			got := ph.FindAllString(s, -1)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s: placeholders %v, English has %v", key, got, want)
			}
		}
	}
	for _, k := range Kinds {
		if _, ok := catalogue.Lookup("kind." + k); !ok {
			t.Errorf("kind %s has no label", k)
		}
	}
	for _, key := range []string{"msg.manager-load.day", "msg.manager-load.median", "msg.non-working-day", "msg.shared-phone",
		"msg.iin-many-names", "msg.repeat-service", "msg.denied", "msg.spike"} {
		if _, ok := catalogue.Lookup(key); !ok {
			t.Errorf("no %s", key)
		}
	}
}
