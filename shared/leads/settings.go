package leads

import (
	"fmt"
	"math"
	"strconv"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// Settings are the thresholds of the leads. The defaults are chosen from sample
// registers (shared/sample): a clean year of realistic registers gives no lead of
// manager-load, non-working-day, shared-phone, iin-many-names, repeat-service or
// spike, and every planted pattern is found (README, "Audit leads").
type Settings struct {
	// manager-load: more than ManagerDayMax offline services on a day, or at least
	// ManagerMedianMin and more than ManagerMedianFactor × the manager's median day.
	ManagerDayMax       int     `json:"manager_day_max"`
	ManagerMedianFactor float64 `json:"manager_median_factor"`
	ManagerMedianMin    int     `json:"manager_median_min"`
	// non-working-day: at least NonWorkingMin offline services of a centre on a day off.
	NonWorkingMin int `json:"non_working_min"`
	// shared-phone: at least PhoneClients different clients on one mobile phone.
	PhoneClients int `json:"phone_clients"`
	// iin-many-names: at least IINNames clearly different names under one IIN.
	IINNames int `json:"iin_names"`
	// repeat-service: at least RepeatRows rows of one client, service and start date.
	RepeatRows int `json:"repeat_rows"`
	// denied: at least DeniedMin denied services of a manager at a centre.
	DeniedMin int `json:"denied_min"`
	// spike: a robust z-score of at least SpikeZ, at least SpikeMin services in the
	// month, and at least SpikeMonths earlier months with services among the
	// SpikeHistory months before.
	SpikeZ       float64 `json:"spike_z"`
	SpikeMin     int     `json:"spike_min"`
	SpikeMonths  int     `json:"spike_months"`
	SpikeHistory int     `json:"spike_history"`
	// MaxRows is the most evidence rows listed for one lead (all are counted).
	MaxRows int `json:"max_rows"`
}

// Defaults returns the default thresholds.
func Defaults() Settings {
	return Settings{
		ManagerDayMax: 20, ManagerMedianFactor: 4, ManagerMedianMin: 10,
		NonWorkingMin: 1, PhoneClients: 3, IINNames: 2, RepeatRows: 2, DeniedMin: 1,
		SpikeZ: 5, SpikeMin: 30, SpikeMonths: 3, SpikeHistory: 12,
		MaxRows: 200,
	}
}

// Check says which setting, if any, is out of range.
func (s Settings) Check() error {
	least := map[string]float64{"phone_clients": 2, "iin_names": 2, "repeat_rows": 2, "spike_z": 0.5,
		"spike_history": float64(s.SpikeMonths)}
	for _, d := range SettingDocs {
		r, _ := s.ref(d.Name)
		v := 0.0
		if r.i != nil {
			v = float64(*r.i)
		} else {
			v = *r.x
		}
		lo, ok := least[d.Name]
		if !ok {
			lo = 1
		}
		if v < lo {
			l := strconv.FormatFloat(lo, 'f', -1, 64)
			return qoldau.E(qoldau.Invalid, catalogue.Text("err.setting-least", "{name}", d.Name, "{least}", l), nil)
		}
	}
	return nil
}

// SettingDoc is one threshold: its name (the JSON name; QOLDAU_LEADS_ and its
// upper case name the environment variable) and what it means.
type SettingDoc struct{ Name, Doc string }

// SettingDocs lists the thresholds in the order of Settings.
var SettingDocs = []SettingDoc{
	{"manager_day_max", "manager-load: a manager with more offline services starting on one day is a lead"},
	{"manager_median_factor", "manager-load: … or with more than this many times the manager's median day"},
	{"manager_median_min", "manager-load: … and at least this many services that day"},
	{"non_working_min", "non-working-day: offline services of a centre on a day off that make a lead"},
	{"phone_clients", "shared-phone: different clients on one mobile phone that make a lead"},
	{"iin_names", "iin-many-names: clearly different names under one IIN that make a lead"},
	{"repeat_rows", "repeat-service: rows of one client, service and start date that make a lead"},
	{"denied_min", "denied: services a manager's clients say they did not receive that make a lead"},
	{"spike_z", "spike: the robust z-score of a month against the months before that makes a lead"},
	{"spike_min", "spike: the least services in the month"},
	{"spike_months", "spike: the least earlier months with services to compare with"},
	{"spike_history", "spike: how many months back to look"},
	{"max_rows", "evidence rows listed per lead (all are counted)"},
}

// ref points at a setting's field: one of i, x.
type ref struct {
	i *int
	x *float64
}

func (s *Settings) ref(name string) (ref, bool) {
	switch name {
	case "manager_day_max":
		return ref{i: &s.ManagerDayMax}, true
	case "manager_median_factor":
		return ref{x: &s.ManagerMedianFactor}, true
	case "manager_median_min":
		return ref{i: &s.ManagerMedianMin}, true
	case "non_working_min":
		return ref{i: &s.NonWorkingMin}, true
	case "phone_clients":
		return ref{i: &s.PhoneClients}, true
	case "iin_names":
		return ref{i: &s.IINNames}, true
	case "repeat_rows":
		return ref{i: &s.RepeatRows}, true
	case "denied_min":
		return ref{i: &s.DeniedMin}, true
	case "spike_z":
		return ref{x: &s.SpikeZ}, true
	case "spike_min":
		return ref{i: &s.SpikeMin}, true
	case "spike_months":
		return ref{i: &s.SpikeMonths}, true
	case "spike_history":
		return ref{i: &s.SpikeHistory}, true
	case "max_rows":
		return ref{i: &s.MaxRows}, true
	}
	return ref{}, false
}

// Get returns the setting name as text ("" for an unknown name).
func (s Settings) Get(name string) string {
	r, ok := s.ref(name)
	switch {
	case !ok:
		return ""
	case r.i != nil:
		return strconv.Itoa(*r.i)
	}
	return strconv.FormatFloat(*r.x, 'f', -1, 64)
}

// Set sets the setting name from text; Check then tells whether it is in range.
func (s *Settings) Set(name, v string) error {
	r, ok := s.ref(name)
	if !ok {
		return fmt.Errorf("leads: no setting %q", name)
	}
	if r.i != nil {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("leads setting %s: %q is not a whole number", name, v)
		}
		*r.i = n
		return nil
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return fmt.Errorf("leads setting %s: %q is not a number", name, v)
	}
	*r.x = x
	return nil
}
