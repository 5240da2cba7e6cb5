package remind

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/reportjob"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// Draft outcomes: what Drafts did for each report in its window.
const (
	DraftRequested        = "requested"         // asked for now
	DraftAlreadyRequested = "already-requested" // asked for by an earlier run: nothing new
)

// Drafts requests a draft build of each scheduled report from 5 working days before
// its due date (when the agency gets its "due in 5 working days" reminder) to the
// due date, so the agency finds a draft ready. The job ID is "auto-<report>", and
// submitting an ID that exists changes nothing, so each report is requested once
// however often this runs. The runner dispatches the build (on AWS: the request's S3
// event invokes the report function). It returns, for each report in its window,
// whether this call requested it or an earlier one had: the first run to claim
// "draft/<job ID>" answers requested, every later one (a redelivered schedule
// event, the next day's run) already-requested.
func Drafts(ctx context.Context, svc *workflow.Service, runner *reportjob.Runner, now time.Time) (map[string]string, error) {
	today := civil.Of(now.In(workday.Almaty()))
	out := map[string]string{}
	for _, r := range Reports(svc.Cal, today.Year()) {
		if !in(today, svc.Cal.AddWorking(r.Due, -5), r.Due) {
			continue
		}
		id := "auto-" + strings.ToLower(r.Name)
		// Submit first: a run that stops between the two leaves the job requested,
		// and the next run answers for it.
		_, err := runner.Submit(ctx, reportjob.Request{ID: id, Period: r.Name, Lang: "ru",
			Formats: slices.Clone(report.Formats), Actor: "system", Requested: now.UTC(), Auto: true})
		if err != nil {
			return nil, err
		}
		first, err := svc.Claim(ctx, "draft/"+id, now)
		if err != nil {
			return nil, err
		}
		out[id] = DraftAlreadyRequested
		if first {
			out[id] = DraftRequested
		}
	}
	return out, nil
}
