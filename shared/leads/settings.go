package leads

import (
	"fmt"

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
	for _, c := range []struct {
		name     string
		v, least float64
	}{
		{"manager_day_max", float64(s.ManagerDayMax), 1}, {"manager_median_factor", s.ManagerMedianFactor, 1},
		{"manager_median_min", float64(s.ManagerMedianMin), 1}, {"non_working_min", float64(s.NonWorkingMin), 1},
		{"phone_clients", float64(s.PhoneClients), 2}, {"iin_names", float64(s.IINNames), 2},
		{"repeat_rows", float64(s.RepeatRows), 2}, {"denied_min", float64(s.DeniedMin), 1},
		{"spike_z", s.SpikeZ, 0.5}, {"spike_min", float64(s.SpikeMin), 1}, {"spike_months", float64(s.SpikeMonths), 1},
		{"spike_history", float64(s.SpikeHistory), float64(s.SpikeMonths)}, {"max_rows", float64(s.MaxRows), 1},
	} {
		if c.v < c.least {
			least := fmt.Sprint(c.least)
			return qoldau.E(qoldau.Invalid, qoldau.Text{
				KK: fmt.Sprintf("Белгілер баптауы %s кемінде %s болуы керек.", c.name, least),
				RU: fmt.Sprintf("Настройка сигналов %s должна быть не меньше %s.", c.name, least),
				EN: fmt.Sprintf("The leads setting %s must be at least %s.", c.name, least),
			}, nil)
		}
	}
	return nil
}
