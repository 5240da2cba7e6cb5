// Package i18n is the one way qoldau speaks Kazakh, Russian and English. Every
// text a user reads lives in a catalogue: one messages.json beside the package that
// says it, embedded in the binary, each key with its three texts:
//
//	{"empty": {"kk": "Файл бос.", "ru": "Файл пуст.", "en": "The file is empty."},
//	 "fields": {"bin_iin": {"kk": "ЖСН / БСН", "ru": "ИИН / БИН", "en": "IIN / BIN"}},
//	 "months": [{"kk": "қаңтар", …}, …]}
//
// An object whose keys are languages is a text; any other object is a group whose
// keys join the group's with a dot ("fields.bin_iin"), and an array is a group
// numbered from 0 ("months.0"). Placeholders are written {name}, and a text has the
// same placeholders in every language. A catalogue that a document speaks in fewer
// languages says which at its top ("_languages": ["kk", "ru"]: the notification
// letter, bilingual by the order).
//
// A package loads its catalogue once, at start, with MustLoad: a catalogue that
// cannot be read, or a text without one of its languages, panics there, the same
// way in every package. The file is embedded, so such a binary never ships: the
// package's own tests start it, and TestCatalogues checks every catalogue of the
// repository.
package i18n

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Text is a message in the three languages of the product.
type Text struct {
	KK string `json:"kk"`
	RU string `json:"ru"`
	EN string `json:"en"`
}

// In returns the text in lang ("kk", "ru" or "en"; anything else gives English).
func (t Text) In(lang string) string {
	switch lang {
	case "kk":
		return t.KK
	case "ru":
		return t.RU
	}
	return t.EN
}

// Fill replaces the placeholders {name} in every language: args are name, value
// pairs ("{cell}", "B7").
func (t Text) Fill(args ...string) Text {
	if len(args) < 2 {
		return t
	}
	r := strings.NewReplacer(args...)
	return Text{KK: r.Replace(t.KK), RU: r.Replace(t.RU), EN: r.Replace(t.EN)}
}

// Langs are the languages of the product, in the order they are offered.
var Langs = []string{"kk", "ru", "en"}

// Catalogue is one package's texts by key.
type Catalogue struct {
	name  string
	langs []string
	texts map[string]Text
}

// MustLoad reads the catalogue file name from fsys (the package's embedded
// messages.json) and panics when it cannot be read or a text lacks a language.
func MustLoad(fsys fs.FS, name string) *Catalogue {
	data, err := fs.ReadFile(fsys, name)
	if err == nil {
		var c *Catalogue
		if c, err = Parse(name, data); err == nil {
			return c
		}
	}
	panic(fmt.Sprintf("i18n: %v", err)) // an embedded file: the tests load it
}

// Parse reads a catalogue and checks it: every text has a non-empty text in each
// of the catalogue's languages (Langs unless "_languages" says fewer), with the same
// {placeholders}, and nothing else.
func Parse(name string, data []byte) (*Catalogue, error) {
	var root map[string]json.RawMessage
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	c := &Catalogue{name: name, langs: Langs, texts: map[string]Text{}}
	if raw, ok := root["_languages"]; ok {
		if err := json.Unmarshal(raw, &c.langs); err != nil || len(c.langs) == 0 {
			return nil, fmt.Errorf("%s: _languages: want a list of kk, ru, en", name)
		}
		for _, l := range c.langs {
			if !slices.Contains(Langs, l) {
				return nil, fmt.Errorf("%s: _languages: %q is not kk, ru or en", name, l)
			}
		}
		delete(root, "_languages")
	}
	var errs []string
	for k, raw := range root {
		c.walk(k, raw, &errs)
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("%s: %s", name, strings.Join(errs, "; "))
	}
	return c, nil
}

func (c *Catalogue) walk(key string, raw json.RawMessage, errs *[]string) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) > 0 && raw[0] == '[':
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			*errs = append(*errs, key+": "+err.Error())
			return
		}
		for i, x := range list {
			c.walk(key+"."+strconv.Itoa(i), x, errs)
		}
		return
	case len(raw) == 0 || raw[0] != '{':
		*errs = append(*errs, key+": not a text or a group")
		return
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		*errs = append(*errs, key+": "+err.Error())
		return
	}
	if !isText(obj) {
		for k, x := range obj {
			c.walk(key+"."+k, x, errs)
		}
		return
	}
	var t map[string]string
	if err := json.Unmarshal(raw, &t); err != nil {
		*errs = append(*errs, key+": "+err.Error())
		return
	}
	var ph []string
	for i, l := range c.langs {
		s := t[l]
		if strings.TrimSpace(s) == "" {
			*errs = append(*errs, fmt.Sprintf("%s has no %s text", key, l))
			continue
		}
		if p := placeholders(s); i == 0 || ph == nil {
			ph = p
		} else if !slices.Equal(p, ph) {
			*errs = append(*errs, fmt.Sprintf("%s: the %s text has placeholders %v, the %s one %v", key, l, p, c.langs[0], ph))
		}
	}
	for l := range t {
		if !slices.Contains(c.langs, l) {
			*errs = append(*errs, fmt.Sprintf("%s: %q is not a language of the catalogue", key, l))
		}
	}
	c.texts[key] = Text{KK: t["kk"], RU: t["ru"], EN: t["en"]}
}

// isText reports whether an object's keys are all languages.
func isText(obj map[string]json.RawMessage) bool {
	if len(obj) == 0 {
		return false
	}
	for k := range obj {
		if !slices.Contains(Langs, k) {
			return false
		}
	}
	return true
}

var placeholder = regexp.MustCompile(`\{[a-z_0-9]+\}`)

// placeholders lists the distinct {names} of s, sorted.
func placeholders(s string) []string {
	ps := placeholder.FindAllString(s, -1)
	sort.Strings(ps)
	return slices.Compact(ps)
}

// Name is the catalogue's file name.
func (c *Catalogue) Name() string { return c.name }

// Languages are the catalogue's languages.
func (c *Catalogue) Languages() []string { return slices.Clone(c.langs) }

// Keys lists the keys, sorted.
func (c *Catalogue) Keys() []string {
	out := make([]string, 0, len(c.texts))
	for k := range c.texts {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the text of key.
func (c *Catalogue) Lookup(key string) (Text, bool) {
	t, ok := c.texts[key]
	return t, ok
}

// Entry is one text of a list, with the code it is filed under ("" for a plain
// list of texts).
type Entry struct {
	Code string
	Text
}

// List returns a list of the catalogue in its order: a JSON array of texts
// ("months": [{…}, …]) or of one-key objects that name each text by a code
// ("errors": [{"file-unreadable": {…}}, …]).
func (c *Catalogue) List(group string) []Entry {
	var out []Entry
	for k, t := range c.texts {
		rest, ok := strings.CutPrefix(k, group+".")
		if !ok {
			continue
		}
		idx, code, _ := strings.Cut(rest, ".")
		i, err := strconv.Atoi(idx)
		if err != nil || i < 0 {
			continue
		}
		for len(out) <= i {
			out = append(out, Entry{})
		}
		out[i] = Entry{Code: code, Text: t}
	}
	return out
}

// Text returns the text of key with its placeholders filled from args (name,
// value pairs). A key the catalogue lacks is a programming error: it shows as
// "§key" in every language, which the package's tests look for.
func (c *Catalogue) Text(key string, args ...string) Text {
	t, ok := c.texts[key]
	if !ok {
		return Text{KK: "§" + key, RU: "§" + key, EN: "§" + key}
	}
	return t.Fill(args...)
}
