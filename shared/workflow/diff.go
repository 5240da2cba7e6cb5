package workflow

import (
	"context"
	"fmt"
	"reflect"
	"sort"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// Diff is a correction version compared with an earlier one (clause 9): rows added,
// removed and changed (by field), and findings fixed, still open and new.
type Diff struct {
	Period  civil.Month  `json:"period"`
	From    int          `json:"from"`
	To      int          `json:"to"`
	Added   []int        `json:"added"`   // rows of To with no counterpart in From
	Removed []int        `json:"removed"` // rows of From with no counterpart in To
	Changed []RowChange  `json:"changed"`
	Same    int          `json:"unchanged"`
	Errors  ErrorChanges `json:"errors"`
}

// RowChange is a row present in both versions with different fields.
type RowChange struct {
	From   int      `json:"from_row"`
	To     int      `json:"to_row"`
	Fields []string `json:"fields"`
}

// ErrorChanges sort the error findings of both versions.
type ErrorChanges struct {
	Fixed []FindingRef `json:"fixed"`
	Open  []FindingRef `json:"still_open"`
	New   []FindingRef `json:"new"`
}

// FindingRef names a finding without its value (diffs may be shown widely).
type FindingRef struct {
	Row   int    `json:"row"`
	Cell  string `json:"cell"`
	Field string `json:"field"`
	Code  string `json:"code"`
}

// Diff compares version to with version from of a period. Rows are paired first by
// identical content (wherever they moved), then by row number; what is left is
// added or removed. A finding of From is still open when the paired row of To has
// the same code on the same field, fixed otherwise; a finding of To with no such
// match is new.
func (s *Service) Diff(ctx context.Context, p civil.Month, from, to int) (*Diff, error) {
	a, err := s.rowsOf(ctx, p, from)
	if err != nil {
		return nil, err
	}
	b, err := s.rowsOf(ctx, p, to)
	if err != nil {
		return nil, err
	}
	d := &Diff{Period: p, From: from, To: to, Added: []int{}, Removed: []int{}, Changed: []RowChange{},
		Errors: ErrorChanges{Fixed: []FindingRef{}, Open: []FindingRef{}, New: []FindingRef{}}}
	pair := map[int]int{} // From row → To row
	byContent := map[string][]int{}
	for _, r := range b {
		k := content(r)
		byContent[k] = append(byContent[k], r.Num)
	}
	pairedTo := map[int]bool{}
	var rest []qoldau.Row
	for _, r := range a {
		k := content(r)
		if nums := byContent[k]; len(nums) > 0 {
			pair[r.Num] = nums[0]
			pairedTo[nums[0]] = true
			byContent[k] = nums[1:]
			d.Same++
			continue
		}
		rest = append(rest, r)
	}
	bByNum := map[int]qoldau.Row{}
	for _, r := range b {
		bByNum[r.Num] = r
	}
	for _, r := range rest {
		if o, ok := bByNum[r.Num]; ok && !pairedTo[r.Num] {
			pair[r.Num] = r.Num
			pairedTo[r.Num] = true
			d.Changed = append(d.Changed, RowChange{From: r.Num, To: r.Num, Fields: changedFields(r, o)})
			continue
		}
		d.Removed = append(d.Removed, r.Num)
	}
	for _, r := range b {
		if !pairedTo[r.Num] {
			d.Added = append(d.Added, r.Num)
		}
	}
	fa, err := s.Result(ctx, p, from)
	if err != nil {
		return nil, err
	}
	defer fa.Close()
	fb, err := s.Result(ctx, p, to)
	if err != nil {
		return nil, err
	}
	defer fb.Close()
	open := map[string]bool{}
	err = fb.Findings.Each(func(f *qoldau.Finding) error {
		if f.Severity == qoldau.SevError && f.Row > 0 {
			open[fmt.Sprint(f.Row, f.Field, f.Code)] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	matched := map[string]bool{}
	err = fa.Findings.Each(func(f *qoldau.Finding) error {
		if f.Severity != qoldau.SevError || f.Row == 0 {
			return nil
		}
		ref := FindingRef{Row: f.Row, Cell: f.Cell, Field: f.Field, Code: f.Code}
		if t, ok := pair[f.Row]; ok && open[fmt.Sprint(t, f.Field, f.Code)] {
			matched[fmt.Sprint(t, f.Field, f.Code)] = true
			d.Errors.Open = append(d.Errors.Open, ref)
		} else {
			d.Errors.Fixed = append(d.Errors.Fixed, ref)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = fb.Findings.Each(func(f *qoldau.Finding) error {
		if f.Severity == qoldau.SevError && f.Row > 0 && !matched[fmt.Sprint(f.Row, f.Field, f.Code)] {
			d.Errors.New = append(d.Errors.New, FindingRef{Row: f.Row, Cell: f.Cell, Field: f.Field, Code: f.Code})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Ints(d.Added)
	sort.Ints(d.Removed)
	return d, nil
}

func (s *Service) rowsOf(ctx context.Context, p civil.Month, v int) ([]qoldau.Row, error) {
	var rows []qoldau.Row
	err := s.Store.Rows(ctx, p, v, func(r *qoldau.Row) error { rows = append(rows, *r); return nil })
	return rows, err
}

// content is a row's fields without its number and findings.
func content(r qoldau.Row) string {
	r.Num, r.Errors, r.Warnings, r.Codes = 0, 0, 0, nil
	return fmt.Sprintf("%+v", r)
}

// changedFields lists the JSON names of the fields that differ.
func changedFields(a, b qoldau.Row) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	t := va.Type()
	var out []string
	for i := 0; i < t.NumField(); i++ {
		name := t.Field(i).Tag.Get("json")
		if j := len(name); j > 0 {
			for k := 0; k < len(name); k++ {
				if name[k] == ',' {
					name = name[:k]
					break
				}
			}
		}
		switch name {
		case "row", "errors", "warnings", "codes", "client_key", "enterprise_key":
			continue
		}
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			out = append(out, name)
		}
	}
	return out
}
