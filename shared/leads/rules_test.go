package leads

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workflow"
)

// collect makes a collector over rows of one month (register index 0).
func collect(t *testing.T, rows []qoldau.Row) *Collector {
	t.Helper()
	p := civil.MonthOf(2026, time.September)
	c, err := NewCollector(context.Background(), workflow.New(nil, nil), Options{From: p, To: p, Settings: Defaults()})
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		rows[i].Num = i + 3
		if err := c.Row(0, i, &rows[i], workflow.OutcomePending); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func day(d int) civil.Date { return civil.D(2026, time.September, d) }

// TestManagerLoadRule: more than 20 a day always; otherwise at least 10 and more
// than 4 × the manager's median day.
func TestManagerLoadRule(t *testing.T) {
	var rows []qoldau.Row
	add := func(manager string, d, n int, online bool) {
		for range n {
			rows = append(rows, qoldau.Row{Region: "750000000", Place: "service_center", Centre: "№1", Manager: manager,
				StartDate: day(d), EndDate: day(d), Online: online})
		}
	}
	// A: usually 3 a day; 13 on the 10th (> 12 and >= 10: a lead), 12 on the 11th (not > 12).
	for _, d := range []int{1, 2, 3, 4, 7} {
		add("Ахметов Ержан", d, 3, false)
	}
	add("Ахметов Ержан", 10, 13, false)
	add("АХМЕТОВ  ЕРЖАН", 11, 12, false) // the same manager, written otherwise
	// B: usually 2; 9 on the 10th (> 8 but under 10: no lead).
	for _, d := range []int{1, 2, 3} {
		add("Омарова Айжан", d, 2, false)
	}
	add("Омарова Айжан", 10, 9, false)
	// C: always busy, 21 on the 15th (over 20: a lead whatever the median); 30
	// online on the 16th (online services do not count).
	for _, d := range []int{1, 2, 3, 4} {
		add("Ким Ольга", d, 18, false)
	}
	add("Ким Ольга", 15, 21, false)
	add("Ким Ольга", 16, 30, true)
	c := collect(t, rows)
	got := map[string]float64{}
	for _, f := range c.managerLoad(c.groups()) {
		got[f.subject.Manager+" "+f.subject.Date.String()] = round2(f.strength)
		if len(f.rows) != int(f.figures["services"]) {
			t.Errorf("%s: %d rows, %v services", f.subject.Manager, len(f.rows), f.figures["services"])
		}
	}
	want := map[string]float64{"Ахметов Ержан 2026-09-10": 1.08, "Ким Ольга 2026-09-15": 1.05}
	if len(got) != len(want) || got["Ахметов Ержан 2026-09-10"] != want["Ахметов Ержан 2026-09-10"] || got["Ким Ольга 2026-09-15"] != want["Ким Ольга 2026-09-15"] {
		t.Errorf("manager-load leads %v, want %v", got, want)
	}
}

// TestSpikeRule: the robust z-score against the earlier months, with its floors.
func TestSpikeRule(t *testing.T) {
	s := Defaults()
	for _, tt := range []struct {
		name    string
		history []int32 // earlier months, most recent last
		x       int32
		spike   bool
	}{
		{"three times the usual", []int32{100, 110, 95, 105}, 300, true},
		{"an ordinary month", []int32{100, 110, 95, 105}, 130, false},
		{"flat history: the floor of a tenth", []int32{100, 100, 100}, 149, false},
		{"flat history, half again", []int32{100, 100, 100}, 151, true},
		{"small: the Poisson floor", []int32{8, 8, 8}, 30, true},
		{"under the minimum count", []int32{5, 5, 5}, 25, false},
		{"only two earlier months", []int32{100, 100}, 300, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := civil.MonthOf(2026, time.September)
			c, _ := NewCollector(context.Background(), workflow.New(nil, nil), Options{From: p, To: p, Settings: s})
			c.hist, c.histMonths = map[spikeKey]int32{}, map[civil.Month]bool{}
			rid := c.regions.id("750000000")
			for i, v := range tt.history {
				m := p.Add(i - len(tt.history))
				c.hist[spikeKey{true, rid, m}] = v
				c.histMonths[m] = true
			}
			for i := range tt.x {
				c.recs = append(c.recs, rec{seq: i, num: i + 3, region: uint16(rid), online: true})
			}
			data := &workflow.ReportData{From: p, To: p, Registers: []workflow.ReportRegister{{State: &workflow.PeriodState{Period: p}}}}
			got := c.spikes(data, c.groups())
			if (len(got) == 1) != tt.spike {
				t.Fatalf("spikes = %d, want spike %v", len(got), tt.spike)
			}
			if tt.spike && (got[0].figures["services"] != float64(tt.x) || len(got[0].rows) != int(tt.x) || got[0].strength < 1) {
				t.Errorf("spike %+v", got[0])
			}
		})
	}
}

// TestSettings: every threshold can be read and set by name, and Check names the
// one out of range.
func TestSettings(t *testing.T) {
	def := Defaults()
	if err := def.Check(); err != nil {
		t.Fatal(err)
	}
	for _, d := range SettingDocs {
		s := Defaults()
		v := s.Get(d.Name)
		if v == "" {
			t.Errorf("%s has no value", d.Name)
		}
		if err := s.Set(d.Name, "7"); err != nil || s.Get(d.Name) != "7" {
			t.Errorf("set %s = 7: %v, got %q", d.Name, err, s.Get(d.Name))
		}
		if err := s.Set(d.Name, "x"); err == nil {
			t.Errorf("%s takes x", d.Name)
		}
	}
	s := Defaults()
	s.Set("phone_clients", "1")
	if err := s.Check(); err == nil || !strings.Contains(err.Error(), "phone_clients") {
		t.Errorf("phone_clients 1: %v", err)
	}
	if err := s.Set("nonsense", "1"); err == nil {
		t.Error("an unknown setting is accepted")
	}
}
