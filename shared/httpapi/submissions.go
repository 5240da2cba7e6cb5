package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/report"
)

// submission records that the signed report went to the authorized body (clause
// 13), pinned to the build that was signed: the report job named by "report" (its
// period is the submission's), else the period's latest build at the submission's
// time. "submitted" is when it went (RFC 3339; empty: now).
func (a *api) submission(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	var req struct {
		Period    string    `json:"period"`
		Report    string    `json:"report"`
		Submitted time.Time `json:"submitted"`
		LetterNo  string    `json:"letter_no"`
		RegNo     string    `json:"reg_no"`
		Media     string    `json:"media"`
	}
	if err := readJSON(r, &req); err != nil {
		a.fail(w, r, err)
		return
	}
	sub := report.SubmitRequest{Period: req.Period, At: req.Submitted, LetterNo: req.LetterNo, RegNo: req.RegNo,
		Media: req.Media, Actor: u.Name}
	if id := strings.TrimSpace(req.Report); id != "" {
		period, built, err := a.Reports.BuildOf(r.Context(), id, a.Svc.Builds)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		sub.Period, sub.Build = period, built
	}
	res, err := report.Submit(r.Context(), a.Svc, sub)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, res)
}
