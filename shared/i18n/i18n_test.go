package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

// root is the repository, two levels up.
const root = "../.."

// TestCatalogues: every catalogue of the repository (each messages.json) reads, and
// every text in it has Kazakh, Russian and English (or the languages a catalogue
// declares), with the same placeholders: a kk or ru user never sees an empty
// message.
func TestCatalogues(t *testing.T) {
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "build") {
			return filepath.SkipDir
		}
		if d.IsDir() || d.Name() != "messages.json" {
			return nil
		}
		n++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		c, err := Parse(path, data)
		if err != nil {
			t.Error(err)
			return nil
		}
		if len(c.Keys()) == 0 {
			t.Errorf("%s holds no text", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("found %d catalogues; the repository has more (is the walk broken?)", n)
	}
}

// TestNoInlineTexts: outside this package, no Go file (tests aside) writes a text
// for users as a Text literal: texts live in the catalogues, where the test above
// checks their three languages.
func TestNoInlineTexts(t *testing.T) {
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "build" || path == ".") {
			if path == "." {
				return nil
			}
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		files++
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || !isTextType(lit.Type) {
				return true
			}
			for _, e := range lit.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok && writtenText(kv.Value) {
					t.Errorf("%s: a text written in the code; put it in the package's messages.json", fset.Position(lit.Pos()))
					return false
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Errorf("read %d Go files; the repository has more (is the walk broken?)", files)
	}
}

// writtenText reports whether e is a text written in the code: a string literal,
// a concatenation with one, or fmt.Sprintf of one.
func writtenText(e ast.Expr) bool {
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
		return writtenText(b.X) || writtenText(b.Y)
	}
	if c, ok := e.(*ast.CallExpr); ok {
		if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(c.Args) > 0 {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "fmt" {
				e = c.Args[0]
			}
		}
	}
	s, ok := e.(*ast.BasicLit)
	if !ok || s.Kind != token.STRING {
		return false
	}
	v, _ := strconv.Unquote(s.Value)
	return strings.IndexFunc(v, unicode.IsLetter) >= 0 // words, not a separator or a sign
}

func isTextType(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name == "Text"
	case *ast.SelectorExpr:
		return x.Sel.Name == "Text"
	}
	return false
}

func TestParse(t *testing.T) {
	good := `{"_languages": ["kk", "ru"], "a": {"kk": "x {n}", "ru": "y {n}"}, "g": {"b": {"kk": "1", "ru": "2"}},
		"months": [{"kk": "қаңтар", "ru": "январь"}]}`
	c, err := Parse("good", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "g.b", "months.0"}, c.Keys()); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if got := c.Text("a", "{n}", "5"); got != (Text{KK: "x 5", RU: "y 5"}) {
		t.Errorf("Text(a) = %+v", got)
	}
	if diff := cmp.Diff([]Entry{{Text: Text{KK: "қаңтар", RU: "январь"}}}, c.List("months")); diff != "" {
		t.Errorf("List(months) (-want +got):\n%s", diff)
	}
	codes, err := Parse("codes", []byte(`{"errors": [{"b-code": {"kk": "b", "ru": "b", "en": "b"}}, {"a-code": {"kk": "a", "ru": "a", "en": "a"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := codes.List("errors"); len(got) != 2 || got[0].Code != "b-code" || got[1].Code != "a-code" || got[1].EN != "a" {
		t.Errorf("List(errors) = %+v", got)
	}
	if got := c.Text("nope").EN; got != "§nope" {
		t.Errorf("a missing key gives %q", got)
	}
	for name, bad := range map[string]string{
		"no kk":        `{"a": {"ru": "y", "en": "z"}}`,
		"empty ru":     `{"a": {"kk": "x", "ru": " ", "en": "z"}}`,
		"placeholders": `{"a": {"kk": "{n}", "ru": "{m}", "en": "{n}"}}`,
		"extra lang":   `{"_languages": ["kk"], "a": {"kk": "x", "ru": "y"}}`,
		"not a text":   `{"a": "x"}`,
		"not JSON":     `{"a": `,
	} {
		if _, err := Parse(name, []byte(bad)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	fsys := fstest.MapFS{"messages.json": {Data: []byte(`{"a": {"kk": "x", "ru": "y", "en": "z"}}`)}}
	if got := MustLoad(fsys, "messages.json").Text("a").In("ru"); got != "y" {
		t.Errorf("MustLoad: %q", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustLoad of a broken catalogue did not panic")
		}
	}()
	MustLoad(fstest.MapFS{"messages.json": {Data: []byte(`{"a": {"kk": "x"}}`)}}, "messages.json")
}
