package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestMessages checks the commands' catalogue: every text in kk, ru and en with
// the same formatting verbs, and every key the code names present.
func TestMessages(t *testing.T) {
	verb := regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)
	verbs := func(s string) []string {
		v := verb.FindAllString(s, -1)
		slices.Sort(v)
		return v
	}
	for _, key := range texts.Keys() {
		x, _ := texts.Lookup(key)
		if strings.TrimSpace(x.KK) == "" || strings.TrimSpace(x.RU) == "" || strings.TrimSpace(x.EN) == "" {
			t.Errorf("%s lacks a language: %+v", key, x)
			continue
		}
		want := verbs(x.EN)
		for lang, s := range map[string]string{"kk": x.KK, "ru": x.RU} {
			if got := verbs(s); !slices.Equal(got, want) {
				t.Errorf("%s in %s has the verbs %q, English has %q", key, lang, got, want)
			}
		}
	}
	// Any literal handed to the catalogue (a key, never a text: a text in English
	// would be shown as "§text" in every language).
	used := regexp.MustCompile(`(?:\.t|\.say|\bfail)\((?:e, |d\.e, )?"([^"]*)"|command\{"([^"]*)"`)
	files, _ := filepath.Glob("*.go")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(src), -1) {
			key := m[1] + m[2]
			n++
			if _, ok := texts.Lookup(key); !ok {
				t.Errorf("%s names the text %q, which messages.json lacks", f, key)
			}
		}
	}
	if n < 100 {
		t.Errorf("found %d uses of the catalogue in the code, want over 100", n)
	}
}

// TestHelp: qoldau help lists every command with its summary in the user's
// language (no "§key" of a text the catalogue lacks), the summaries in one column.
func TestHelp(t *testing.T) {
	for _, lang := range []string{"kk", "ru", "en"} {
		code, out, _ := run(t, "help", "--lang", lang)
		if code != 0 || strings.Contains(out, "§") {
			t.Errorf("help in %s: exit %d\n%s", lang, code, out)
		}
		col, n := -1, 0
		for _, l := range strings.Split(out, "\n") {
			f := strings.Fields(l)
			if !strings.HasPrefix(l, "  ") || len(f) < 2 || commands[f[0]].run == nil {
				continue
			}
			n++
			at := strings.Index(l[2+len(f[0]):], f[1]) + 2 + len(f[0])
			if col == -1 {
				col = at
			} else if at != col {
				t.Errorf("help in %s: %s's summary starts at column %d, the others' at %d", lang, f[0], at, col)
			}
		}
		if n != len(commands) {
			t.Errorf("help in %s lists %d commands, want %d", lang, n, len(commands))
		}
	}
}
