// Package docs holds the repository's own documents; its test keeps the package docs
// of the code pointing at them: every citation of docs/rules.md names one of its
// headings, and no Go file or document cites the specification files that live
// outside the repository (a clone does not have them).
package docs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	heading = regexp.MustCompile(`(?m)^#{1,4} (.+)$`)
	// A citation: docs/rules.md, "Heading" (the heading may start a new comment line).
	citation = regexp.MustCompile(`docs/rules\.md,?\s+"([^"]+)"`)
	// The specification's files beside the repository, by name.
	outside = regexp.MustCompile(`\.\./shared/spec|\bspec/[a-z]+\.md|\b(?:register|workflow|surveys|report|refdata|architecture)\.md\b`)
	comment = regexp.MustCompile(`(?m)^\s*// ?`)
)

// TestRulesCited walks the repository: each Go file's citations of docs/rules.md
// must name a heading of it (or a heading's start before its bracketed clauses), and
// no Go or Markdown file may point at the specification outside the repository.
func TestRulesCited(t *testing.T) {
	rules, err := os.ReadFile("rules.md")
	if err != nil {
		t.Fatal(err)
	}
	var headings []string
	for _, m := range heading.FindAllStringSubmatch(string(rules), -1) {
		headings = append(headings, m[1])
	}
	known := func(cite string) bool {
		for _, h := range headings {
			if h == cite || strings.HasPrefix(h, cite+" (") {
				return true
			}
		}
		return false
	}
	cited := 0
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != ".." && (strings.HasPrefix(name, ".") || name == "build" || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, ".md") || path == filepath.Join("..", "docs", "rules_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(b)
		if m := outside.FindString(text); m != "" {
			t.Errorf("%s cites %q, outside the repository: state the rule, or cite docs/rules.md", path, m)
		}
		if strings.HasSuffix(name, ".go") {
			for _, m := range citation.FindAllStringSubmatch(comment.ReplaceAllString(text, " "), -1) {
				cited++
				if cite := strings.Join(strings.Fields(m[1]), " "); !known(cite) {
					t.Errorf("%s cites docs/rules.md, %q: no such heading", path, cite)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cited < 20 {
		t.Errorf("found %d citations of docs/rules.md in the code, want the package docs' (20 or more)", cited)
	}
}
