package httpapi

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestMessagesComplete: every key the templates and handlers name is in the
// console's catalogue (shared/i18n checks that each of its texts has Kazakh,
// Russian and English).
func TestMessagesComplete(t *testing.T) {
	used := map[string]bool{}
	files, _ := filepath.Glob("web/templates/*.html")
	gos, _ := filepath.Glob("*.go")
	for _, f := range append(files, gos...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{regexp.MustCompile(`\.T "([a-z0-9.\-]+)"`), regexp.MustCompile(`\.T\("([a-z0-9.\-]+)"`),
			regexp.MustCompile(`Key: "([a-z0-9.]+)"`), regexp.MustCompile(`newPage\(r, "([a-z0-9.]+)"`)} {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				if m[1] != "" && m[1][len(m[1])-1] != '.' {
					used[m[1]] = true
				}
			}
		}
	}
	// Keys made at run time.
	for k := range statusClass {
		used["status."+k] = true
	}
	for _, r := range allRoles {
		used["role."+string(r)] = true
	}
	for _, l := range Langs {
		used["lang."+l] = true
	}
	for m := 1; m <= 12; m++ {
		used["month."+strconv.Itoa(m)] = true
	}
	for _, k := range []string{"register", "acts", "calls", "questionnaires"} {
		used["kind."+k] = true
		used["upload.rules."+k] = true
	}
	for _, k := range []string{"xlsx", "pdf", "json"} {
		used["format."+k] = true
	}
	for _, k := range []string{"telegram", "phone", "import"} {
		used["channel."+k] = true
	}
	for _, k := range []string{"fixed", "open", "new"} {
		used["diff."+k] = true
	}
	for _, k := range []string{"400", "403", "404", "409", "413", "500", "role", "other"} {
		used["error.next."+k] = true
	}
	for _, k := range []string{"refused", "failed"} {
		used["uploaded.next."+k] = true
	}
	for _, k := range []string{"sent", "submitted", "set-role", "set-password"} {
		used["done."+k] = true
	}
	delete(used, "")
	for k := range used {
		if _, ok := console.Lookup(k); !ok {
			t.Errorf("the console uses %q, which web/messages.json lacks", k)
		}
	}
}
