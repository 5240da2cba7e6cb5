package report

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/scratch"
	"github.com/qoldau/qoldau/shared/workflow"
)

// Formats are the report's file formats.
var Formats = []string{"xlsx", "pdf", "json"}

var (
	msgBadFormat = catalogue.Text("err.bad-format")
	msgBadLang   = catalogue.Text("err.bad-lang")
)

// CheckOutput checks what a build is asked to write: a language of Langs and at
// least one format, each of Formats. Invalid otherwise.
func CheckOutput(lang string, formats []string) error {
	if !ValidLang(lang) {
		return qoldau.E(qoldau.Invalid, msgBadLang, nil)
	}
	if len(formats) == 0 {
		return qoldau.E(qoldau.Invalid, msgBadFormat, nil)
	}
	for _, f := range formats {
		if !containsStr(Formats, f) {
			return qoldau.E(qoldau.Invalid, msgBadFormat, nil)
		}
	}
	return nil
}

// ParseFormats reads a comma-separated list of formats ("xlsx,pdf,json"), each
// once, in any case.
func ParseFormats(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f != "" && !containsStr(out, f) {
			out = append(out, f)
		}
	}
	if err := CheckOutput("en", out); err != nil {
		return nil, err
	}
	return out, nil
}

// ReadConclusion reads the agency's conclusion from a UTF-8 text file: paragraphs
// are separated by blank lines, and the lines of a paragraph are joined.
func ReadConclusion(path string) ([]string, error) {
	return readParagraphs(path, catalogue.Text("err.cannot-read-conclusion-file"),
		catalogue.Text("err.conclusion-file-empty"))
}

// ReadIntroduction reads the agency's introductory paragraph of Section 1, like
// ReadConclusion.
func ReadIntroduction(path string) ([]string, error) {
	return readParagraphs(path, catalogue.Text("err.cannot-read-introduction-file"),
		catalogue.Text("err.introduction-file-empty"))
}

func readParagraphs(path string, unreadable, empty qoldau.Text) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, qoldau.E(qoldau.Invalid, unreadable, err)
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	var paras []string
	var cur []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			if len(cur) > 0 {
				paras = append(paras, strings.Join(cur, " "))
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		paras = append(paras, strings.Join(cur, " "))
	}
	if len(paras) == 0 {
		return nil, qoldau.E(qoldau.Invalid, empty, nil)
	}
	return paras, nil
}

// FileName is the name of a report file: report-<period>-<lang>.<format>.
func FileName(p Period, lang, format string) string {
	return "report-" + p.ID + "-" + lang + "." + format
}

// Published tells where a built report went.
type Published struct {
	Files map[string]string // format → path
	Blobs map[string]string // format → blob key
}

// Publish writes the report in lang to dir in each format, keeps a copy of each
// file (and always of the JSON, which later reports compare with) in the
// workflow's blobs, records the build in the ReportStore when there is one, and
// appends a "build" entry to the audit log.
func Publish(ctx context.Context, svc *workflow.Service, r *Report, lang string, formats []string, dir, actor string) (*Published, error) {
	if err := CheckOutput(lang, formats); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, qoldau.E(qoldau.Internal, catalogue.Text("err.cannot-create-report-folder"), err)
	}
	out := &Published{Files: map[string]string{}, Blobs: map[string]string{}}
	all := formats
	if !containsStr(all, "json") {
		all = append(append([]string(nil), formats...), "json")
	}
	stamp := r.Built.UTC().Format(BuildStamp)
	for _, f := range all {
		path := filepath.Join(dir, FileName(r.Period, lang, f))
		keep := containsStr(formats, f)
		if !keep {
			tmp, err := scratch.MkdirTemp("report-*")
			if err != nil {
				return nil, err
			}
			defer os.RemoveAll(tmp)
			path = filepath.Join(tmp, FileName(r.Period, lang, f))
		}
		if err := writeFile(path, r, lang, f, svc.Ref); err != nil {
			return nil, err
		}
		if keep {
			out.Files[f] = path
		}
		key := "reports/" + r.Period.ID + "/" + stamp + "-" + lang + "." + f
		fh, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		err = svc.SaveFile(ctx, key, fh)
		fh.Close()
		if err != nil {
			return nil, err
		}
		out.Blobs[f] = key
	}
	if actor == "" {
		actor = "system"
	}
	rc := r.Reconciliation
	counts := map[string]int{"received": rc.Received, "late": rc.Late, "rejected": rc.Rejected,
		"unconfirmed": rc.Unconfirmed, "counted": rc.Counted}
	detail := map[string]string{"lang": lang, "formats": strings.Join(formats, ","), "built": r.Built.UTC().Format(time.RFC3339),
		"counted": strconv.Itoa(rc.Counted), "received": strconv.Itoa(rc.Received)}
	if r.ConclusionReplaced {
		detail["conclusion"] = "replaced by the agency"
	}
	err := svc.RecordBuild(ctx, &qoldau.ReportBuild{Period: r.Period.ID, Built: r.Built.UTC(), Lang: lang,
		Files: out.Blobs, Counts: counts, Actor: actor}, detail)
	return out, err
}

// writeFile renders one format to path.
func writeFile(path string, r *Report, lang, format string, ref *refdata.Set) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return qoldau.E(qoldau.Internal, catalogue.Text("err.cannot-write-report-file"), err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	switch format {
	case "xlsx":
		err = WriteXLSX(w, r, lang, ref)
	case "pdf":
		err = WritePDF(w, r, lang, ref)
	default:
		err = WriteJSON(w, r, lang, ref)
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
