package leads_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// harness is a workflow on an embedded store in a temporary folder.
type harness struct {
	t     *testing.T
	dir   string
	svc   *workflow.Service
	store *sqlite.Store
	now   time.Time
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	dir := t.TempDir()
	store, err := sqlite.Open(context.Background(), filepath.Join(dir, "qoldau.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	blobs, err := dirblob.New(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, dir: dir, store: store}
	h.svc = workflow.New(store, blobs)
	h.svc.Clock = func() time.Time { return h.now }
	return h
}

// upload writes a sample register for p and uploads it on its due day.
func (h *harness) upload(opt sample.Options) (sample.Stats, *workflow.UploadResult) {
	h.t.Helper()
	path := filepath.Join(h.dir, opt.Period.String()+".xlsx")
	f, err := os.Create(path)
	if err != nil {
		h.t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	st, err := sample.Write(w, opt)
	if err == nil {
		err = w.Flush()
	}
	f.Close()
	if err != nil {
		h.t.Fatal(err)
	}
	y, m, d := h.svc.Due(opt.Period).Date()
	h.now = time.Date(y, m, d, 10, 0, 0, 0, workday.Almaty())
	res, err := h.svc.Upload(context.Background(), workflow.UploadRequest{Period: opt.Period, Path: path, Actor: "test"})
	if err != nil {
		h.t.Fatal(err)
	}
	if res.Late || res.Rows.Read != st.Rows {
		h.t.Fatalf("%s: late %v, rows %+v", opt.Period, res.Late, res.Rows)
	}
	return st, res
}

// acts imports an acts file that confirms most error-free rows of the months and
// leaves some unconfirmed for each reason.
func (h *harness) acts(months ...civil.Month) {
	h.t.Helper()
	ctx := context.Background()
	var rows []qoldau.Row
	for _, p := range months {
		if _, err := h.svc.CountedRows(ctx, p, func(r *qoldau.Row) error {
			if r.Errors == 0 {
				rows = append(rows, *r)
			}
			return nil
		}); err != nil {
			h.t.Fatal(err)
		}
	}
	path := filepath.Join(h.dir, "acts.csv")
	f, err := os.Create(path)
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := sample.WriteActs(f, rows, sample.ActsOptions{Seed: 2, Unsigned: 0.03, DateMismatch: 0.03, ServiceMismatch: 0.03, NoAct: 0.03}); err != nil {
		h.t.Fatal(err)
	}
	f.Close()
	if _, err := h.svc.ImportActs(ctx, path, "", time.Time{}, "test"); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) find(from, to civil.Month) *leads.Result {
	h.t.Helper()
	res, err := leads.Find(context.Background(), h.svc, leads.Options{From: from, To: to, Settings: leads.Defaults()})
	if err != nil {
		h.t.Fatal(err)
	}
	return res
}

type rowRef struct {
	period civil.Month
	row    int
}

func refs(l *leads.Lead) map[rowRef]bool {
	out := map[rowRef]bool{}
	for _, r := range l.Rows {
		out[rowRef{r.Period, r.Row}] = true
	}
	return out
}

// TestPlanted: four ordinary months, then a month with every pattern planted in its
// register and some of one manager's services denied by their clients: each
// pattern is found, with its rows, cells and figures.
func TestPlanted(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	months := []civil.Month{civil.MonthOf(2026, time.April), civil.MonthOf(2026, time.May), civil.MonthOf(2026, time.June),
		civil.MonthOf(2026, time.July), civil.MonthOf(2026, time.August)}
	var st sample.Stats
	var aug *workflow.UploadResult
	for i, p := range months {
		opt := sample.Options{Period: p, Rows: 4000, Seed: uint64(100 + i), ErrorRate: 0.03}
		if i == len(months)-1 {
			opt.Plant, _ = sample.ParsePlant("all,manager-load=2")
			st, aug = h.upload(opt)
		} else {
			h.upload(opt)
		}
	}
	h.acts(months...)
	aug8 := months[4]

	// Denied: four of one manager's six surveyed services, against one of forty
	// elsewhere in the region.
	var mine, others []qoldau.Row
	var manager, region string
	if _, err := h.svc.CountedRows(ctx, aug8, func(r *qoldau.Row) error {
		if r.Errors > 0 || r.Online {
			return nil
		}
		if manager == "" {
			manager, region = r.Manager, r.Region
		}
		switch {
		case r.Manager == manager && len(mine) < 6:
			mine = append(mine, *r)
		case r.Manager != manager && r.Region == region && len(others) < 40:
			others = append(others, *r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	answer := func(r qoldau.Row, received string) {
		ref := qoldau.ServiceRef{Period: aug8, Version: aug.Version, Row: r.Num, Region: r.Region, Service: r.Service,
			Place: r.Place, Centre: r.Centre, Manager: r.Manager, End: r.EndDate}
		a := &qoldau.Answer{ID: qoldau.AnswerID(qoldau.ChannelPhone, &ref), Channel: qoldau.ChannelPhone,
			Client: "c" + fmt.Sprint(r.Num), Service: ref, Started: h.now, Completed: h.now, Received: received, Outcome: "answered"}
		if err := h.store.PutAnswer(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	h.now = time.Date(2026, 9, 20, 12, 0, 0, 0, workday.Almaty())
	for i, r := range mine {
		answer(r, map[bool]string{true: "no", false: "yes"}[i < 4])
	}
	for i, r := range others {
		answer(r, map[bool]string{true: "no", false: "yes"}[i == 0])
	}
	h.now = time.Date(2026, 9, 25, 12, 0, 0, 0, workday.Almaty())

	res := h.find(aug8, aug8)
	byKind := map[string][]*leads.Lead{}
	for i := range res.Leads {
		l := &res.Leads[i]
		byKind[l.Kind] = append(byKind[l.Kind], l)
		if l.Strength < 1 && l.Kind != leads.KindDenied {
			t.Errorf("%s lead with strength %v: %s", l.Kind, l.Strength, l.Message.EN)
		}
		for _, lang := range []string{l.Message.KK, l.Message.RU, l.Message.EN} {
			if lang == "" || strings.Contains(lang, "{") {
				t.Errorf("%s lead message %q", l.Kind, lang)
			}
		}
		if len(l.Rows) == 0 || l.RowsTotal < len(l.Rows) {
			t.Errorf("%s lead: %d rows of %d", l.Kind, len(l.Rows), l.RowsTotal)
		}
	}
	for _, pl := range st.Planted {
		var hit *leads.Lead
		for _, l := range byKind[pl.Kind] {
			got := refs(l)
			all := true
			for _, n := range pl.Rows {
				if !got[rowRef{aug8, n}] {
					all = false
				}
			}
			if pl.Kind == sample.PlantSpike {
				all = l.Subject.Region == pl.Region && l.Subject.Place == "service_center" && strings.Contains(pl.Subject, l.Subject.Centre)
			}
			if all {
				hit = l
			}
		}
		if hit == nil {
			t.Errorf("planted %s (%s, rows %v) not found; leads of the kind: %d", pl.Kind, pl.Subject, pl.Rows, len(byKind[pl.Kind]))
			continue
		}
		switch pl.Kind {
		case sample.PlantManagerLoad:
			if hit.Subject.Manager != pl.Subject || hit.Subject.Date != pl.Date || hit.Figures["services"] < 24 {
				t.Errorf("manager-load lead: %+v %v", hit.Subject, hit.Figures)
			}
		case sample.PlantNonWorkingDay:
			if hit.Subject.Date != pl.Date || hit.Figures["services"] < 3 {
				t.Errorf("non-working-day lead: %+v %v", hit.Subject, hit.Figures)
			}
		case sample.PlantSharedPhone:
			if hit.Subject.Phone != pl.Subject || hit.Figures["clients"] != 4 || hit.Strength != 1.33 {
				t.Errorf("shared-phone lead: %+v %v strength %v", hit.Subject, hit.Figures, hit.Strength)
			}
			// The phone is the evidence: in full, in its cell; names only as initials.
			c := hit.Rows[0].Cells
			if c[0].Field != "mobile_phone" || c[0].Value != pl.Subject || c[0].Cell != fmt.Sprintf("U%d", hit.Rows[0].Row) ||
				c[1].Field != "client_name" || !strings.HasSuffix(c[1].Value, ".") {
				t.Errorf("shared-phone cells: %+v", c)
			}
		case sample.PlantIINManyNames:
			if hit.Subject.IIN != "********"+pl.Subject[8:] || len(hit.Subject.Names) != 2 || strings.Contains(hit.Message.EN, pl.Subject) {
				t.Errorf("iin-many-names lead: %+v %s", hit.Subject, hit.Message.EN)
			}
			if c := hit.Rows[0].Cells; c[0].Cell != fmt.Sprintf("F%d", hit.Rows[0].Row) || c[0].Value != hit.Subject.IIN {
				t.Errorf("iin-many-names cells: %+v", c)
			}
		case sample.PlantRepeatService:
			if hit.Figures["rows"] != 2 || hit.Subject.Date != pl.Date {
				t.Errorf("repeat-service lead: %+v %v", hit.Subject, hit.Figures)
			}
		case sample.PlantSpike:
			if hit.Subject.Month != aug8 || hit.Figures["z"] < 5 || len(hit.History) != 4 {
				t.Errorf("spike lead: %+v %v %v", hit.Subject, hit.Figures, hit.History)
			}
		}
	}
	// Denied: the manager's 4 of 6 against the region's 5 of 46.
	var denied *leads.Lead
	for _, l := range byKind[leads.KindDenied] {
		if l.Subject.Manager == manager && l.Figures["denied"] == 4 {
			denied = l
		}
	}
	if denied == nil {
		t.Fatalf("denied lead for %s not found: %+v", manager, byKind[leads.KindDenied])
	}
	if denied.Figures["answered"] != 6 || denied.Figures["region_denied"] != 5 || denied.Figures["region_answered"] != 46 ||
		denied.Strength != 6.13 || len(denied.Rows) != 4 {
		t.Errorf("denied: %v strength %v rows %d", denied.Figures, denied.Strength, len(denied.Rows))
	}
	// Rows that acts do not confirm are evidence too, marked with the reason.
	excluded := 0
	for _, l := range res.Leads {
		for _, r := range l.Rows {
			if r.Excluded != "" {
				excluded++
				if !slices.Contains([]string{"unsigned", "date-mismatch", "service-mismatch", "no-act"}, r.Excluded) {
					t.Errorf("excluded %q", r.Excluded)
				}
			}
		}
	}
	if excluded == 0 {
		t.Error("no evidence row is marked as excluded by acts")
	}
	// Counts name every kind; the JSON has the shape.
	for _, k := range leads.Kinds {
		if res.Counts[k] != len(byKind[k]) {
			t.Errorf("counts[%s] = %d, want %d", k, res.Counts[k], len(byKind[k]))
		}
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var shape struct {
		Period string `json:"period"`
		Leads  []struct {
			Kind     string            `json:"kind"`
			Strength float64           `json:"strength"`
			Message  map[string]string `json:"message"`
			Rows     []map[string]any  `json:"rows"`
		} `json:"leads"`
		Counts map[string]int `json:"counts"`
	}
	if err := json.Unmarshal(b, &shape); err != nil {
		t.Fatal(err)
	}
	if shape.Period != "2026-08" || len(shape.Leads) != len(res.Leads) || len(shape.Leads[0].Message) != 3 ||
		shape.Leads[0].Rows[0]["period"] != "2026-08" || shape.Leads[0].Rows[0]["version"] != float64(1) {
		t.Errorf("JSON shape: %s", b[:min(len(b), 600)])
	}
	// The workbook, in each language: every evidence row, the explanation, the
	// cells; the planted IIN only masked.
	var iin string
	for _, pl := range st.Planted {
		if pl.Kind == sample.PlantIINManyNames {
			iin = pl.Subject
		}
	}
	lines := 0
	for _, l := range res.Leads {
		lines += len(l.Rows)
		if l.RowsTotal > len(l.Rows) {
			lines++ // "… and N more rows"
		}
	}
	for _, lang := range []string{"kk", "ru", "en"} {
		var b bytes.Buffer
		if err := leads.WriteXLSX(&b, res, lang); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(leads.SheetName(lang))
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var text strings.Builder
		for _, r := range rows {
			text.WriteString(strings.Join(r, "\t") + "\n")
		}
		all := text.String()
		if len(rows) != 5+lines || !strings.Contains(all, res.Leads[0].Message.In(lang)) || strings.Contains(all, "{") ||
			strings.Contains(all, iin) || !strings.Contains(all, leads.Text("kind.spike").In(lang)) {
			t.Errorf("%s workbook: %d rows, want %d:\n%.2000s", lang, len(rows), 5+lines, all)
		}
	}
	// Over the whole range, the ordinary months add no lead of the register kinds.
	all := h.find(months[0], aug8)
	for _, k := range []string{leads.KindManagerLoad, leads.KindNonWorkingDay, leads.KindSharedPhone, leads.KindIINManyNames, leads.KindRepeatService} {
		if all.Counts[k] != res.Counts[k] {
			t.Errorf("April-August: %d %s leads, August alone %d", all.Counts[k], k, res.Counts[k])
		}
	}
}

// TestClean100k: a clean register of 100,000 rows, realistically staffed (on
// average at most 8 services per manager per working day), gives no lead of
// manager-load, non-working-day, shared-phone, iin-many-names or repeat-service.
func TestClean100k(t *testing.T) {
	if testing.Short() {
		t.Skip("a 100,000-row register takes a while")
	}
	h := newHarness(t)
	p := civil.MonthOf(2026, time.September)
	h.upload(sample.Options{Period: p, Rows: 100_000, Seed: 2026})
	work := 0
	for d := p.First(); d <= p.Last(); d = d.AddDays(1) {
		if h.svc.Cal.IsWorking(d) {
			work++
		}
	}
	managerDays := map[string]bool{}
	managers := map[string]bool{}
	rows := 0
	if _, err := h.svc.CountedRows(context.Background(), p, func(r *qoldau.Row) error {
		rows++
		managers[r.Region+"|"+r.Manager] = true
		if !r.Online {
			managerDays[r.Region+"|"+r.Manager+"|"+r.StartDate.String()] = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if avg := float64(rows) / float64(len(managers)) / float64(work); avg > 8 {
		t.Errorf("%.1f services per manager per working day, want at most 8", avg)
	}
	res := h.find(p, p)
	for _, k := range []string{leads.KindManagerLoad, leads.KindNonWorkingDay, leads.KindSharedPhone, leads.KindIINManyNames, leads.KindRepeatService} {
		if res.Counts[k] != 0 {
			for _, l := range res.Leads {
				if l.Kind == k {
					t.Errorf("%s", l.Message.EN)
				}
			}
			t.Errorf("a clean register gives %d %s leads", res.Counts[k], k)
		}
	}
	t.Logf("%d rows, %d managers, %d manager-days: leads %v", rows, len(managers), len(managerDays), res.Counts)
}
