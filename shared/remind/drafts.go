package remind

import (
	"context"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/reportjob"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// Drafts requests a draft build of each scheduled report from 5 working days before
// its due date (when the agency gets its "due in 5 working days" reminder) to the
// due date, so the agency finds a draft ready. The job ID is "auto-<report>", and
// submitting an ID that exists changes nothing, so each report is requested once
// however often this runs. The runner dispatches the build (on AWS: the request's S3
// event invokes the report function). It returns the IDs requested by this call.
func Drafts(ctx context.Context, svc *workflow.Service, runner *reportjob.Runner, now time.Time) ([]string, error) {
	today := civil.Of(now.In(workday.Almaty()))
	out := []string{}
	for _, r := range Reports(svc.Cal, today.Year()) {
		if !in(today, svc.Cal.AddWorking(r.Due, -5), r.Due) {
			continue
		}
		id := "auto-" + strings.ToLower(r.Name)
		j, err := runner.Submit(ctx, reportjob.Request{ID: id, Period: r.Name, Lang: "ru",
			Formats: []string{"xlsx", "pdf", "json"}, Actor: "system", Requested: now.UTC(), Auto: true})
		if err != nil {
			return nil, err
		}
		if j.Requested.Equal(now.UTC()) {
			out = append(out, id)
		}
	}
	return out, nil
}
