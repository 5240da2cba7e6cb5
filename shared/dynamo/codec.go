package dynamo

import (
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// Key attribute names and the TTL attribute.
const (
	pkAttr  = "PK"
	skAttr  = "SK"
	ttlAttr = "ttl"
)

// Fixed partition keys.
const (
	periodsPK = "PERIODS"
	lettersPK = "LETTERS"
	actsPK    = "ACTS"
	auditPK   = "AUDIT"
	claimSK   = "CLAIM"
)

func versionPK(p civil.Month) string { return "REG#" + p.String() }
func versionSK(n int) string         { return fmt.Sprintf("V#%06d", n) }
func rowsPK(p civil.Month, n int, attempt string) string {
	return fmt.Sprintf("ROWS#%s#%d#%s", p, n, attempt)
}
func rowSK(i int) string        { return fmt.Sprintf("%08d", i) }
func claimPK(key string) string { return "CLAIM#" + key }

type item = map[string]types.AttributeValue

// pkOf is an item's partition key ("" when it has none).
func pkOf(it item) string {
	if v, ok := it[pkAttr].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func key(pk, sk string) item {
	return item{pkAttr: &types.AttributeValueMemberS{Value: pk}, skAttr: &types.AttributeValueMemberS{Value: sk}}
}

// timeLayout is RFC 3339 in UTC with a fixed width, so string order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// encoder builds an item, leaving zero values out.
type encoder struct{ m item }

func newItem(pk, sk string) encoder { return encoder{key(pk, sk)} }

func (e encoder) str(name, v string) {
	if v != "" {
		e.m[name] = &types.AttributeValueMemberS{Value: v}
	}
}

func (e encoder) num(name string, v int64) {
	if v != 0 {
		e.m[name] = &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
	}
}

func (e encoder) boolean(name string, v bool) {
	if v {
		e.m[name] = &types.AttributeValueMemberBOOL{Value: true}
	}
}

func (e encoder) date(name string, d civil.Date) {
	if d != 0 {
		e.str(name, d.String())
	}
}

func (e encoder) time(name string, t time.Time) {
	if !t.IsZero() {
		e.str(name, formatTime(t))
	}
}

func (e encoder) strings(name string, v []string) {
	if len(v) > 0 {
		l := make([]types.AttributeValue, len(v))
		for i, s := range v {
			l[i] = &types.AttributeValueMemberS{Value: s}
		}
		e.m[name] = &types.AttributeValueMemberL{Value: l}
	}
}

// A nil map is left out; an empty one is kept as an empty map.
func (e encoder) counts(name string, v map[string]int) {
	if v != nil {
		m := make(item, len(v))
		for k, n := range v {
			m[k] = &types.AttributeValueMemberN{Value: strconv.Itoa(n)}
		}
		e.m[name] = &types.AttributeValueMemberM{Value: m}
	}
}

func (e encoder) texts(name string, v map[string]string) {
	if v != nil {
		m := make(item, len(v))
		for k, s := range v {
			m[k] = &types.AttributeValueMemberS{Value: s}
		}
		e.m[name] = &types.AttributeValueMemberM{Value: m}
	}
}

// decoder reads an item, keeping the first error; absent attributes give zero
// values. Errors name the attribute, never its value.
type decoder struct {
	m   item
	err error
}

func (d *decoder) fail(name string) {
	if d.err == nil {
		d.err = fmt.Errorf("attribute %q has an unexpected type or form", name)
	}
}

func (d *decoder) str(name string) string {
	switch v := d.m[name].(type) {
	case nil:
	case *types.AttributeValueMemberS:
		return v.Value
	default:
		d.fail(name)
	}
	return ""
}

func (d *decoder) int64(name string) int64 {
	switch v := d.m[name].(type) {
	case nil:
	case *types.AttributeValueMemberN:
		n, err := strconv.ParseInt(v.Value, 10, 64)
		if err != nil {
			d.fail(name)
		}
		return n
	default:
		d.fail(name)
	}
	return 0
}

func (d *decoder) int(name string) int { return int(d.int64(name)) }

func (d *decoder) boolean(name string) bool {
	switch v := d.m[name].(type) {
	case nil:
	case *types.AttributeValueMemberBOOL:
		return v.Value
	default:
		d.fail(name)
	}
	return false
}

func (d *decoder) date(name string) civil.Date {
	s := d.str(name)
	if s == "" {
		return 0
	}
	v, err := civil.Parse(s)
	if err != nil {
		d.fail(name)
	}
	return v
}

func (d *decoder) month(name string) civil.Month {
	s := d.str(name)
	var y, m int
	if _, err := fmt.Sscanf(s, "%d-%d", &y, &m); err != nil || m < 1 || m > 12 {
		d.fail(name)
		return 0
	}
	return civil.MonthOf(y, time.Month(m))
}

func (d *decoder) time(name string) time.Time {
	s := d.str(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		d.fail(name)
	}
	return t
}

func (d *decoder) strings(name string) []string {
	switch v := d.m[name].(type) {
	case nil:
	case *types.AttributeValueMemberL:
		out := make([]string, len(v.Value))
		for i, e := range v.Value {
			s, ok := e.(*types.AttributeValueMemberS)
			if !ok {
				d.fail(name)
				return nil
			}
			out[i] = s.Value
		}
		return out
	default:
		d.fail(name)
	}
	return nil
}

func (d *decoder) counts(name string) map[string]int {
	switch v := d.m[name].(type) {
	case nil:
	case *types.AttributeValueMemberM:
		out := make(map[string]int, len(v.Value))
		for k, e := range v.Value {
			n, ok := e.(*types.AttributeValueMemberN)
			if !ok {
				d.fail(name)
				return nil
			}
			i, err := strconv.Atoi(n.Value)
			if err != nil {
				d.fail(name)
			}
			out[k] = i
		}
		return out
	default:
		d.fail(name)
	}
	return nil
}

func (d *decoder) texts(name string) map[string]string {
	switch v := d.m[name].(type) {
	case nil:
	case *types.AttributeValueMemberM:
		out := make(map[string]string, len(v.Value))
		for k, e := range v.Value {
			s, ok := e.(*types.AttributeValueMemberS)
			if !ok {
				d.fail(name)
				return nil
			}
			out[k] = s.Value
		}
		return out
	default:
		d.fail(name)
	}
	return nil
}

// versionItem is the version's item; it names the attempt whose rows it commits.
func versionItem(v *qoldau.Version, ref *rowsRef) item {
	e := newItem(versionPK(v.Period), versionSK(v.Number))
	e.str("type", "version")
	e.str("period", v.Period.String())
	e.num("version", int64(v.Number))
	e.str("sha256", v.SHA256)
	e.str("file_name", v.FileName)
	e.num("size", v.Size)
	e.str("kind", v.Kind)
	e.time("received", v.Received)
	e.time("recorded", v.Recorded)
	e.boolean("backfill", v.Backfill)
	e.boolean("file_error", v.FileError)
	e.num("rows_read", int64(v.Rows.Read))
	e.num("rows_accepted", int64(v.Rows.Accepted))
	e.num("rows_rejected", int64(v.Rows.Rejected))
	e.num("rows_warned", int64(v.Rows.Warned))
	e.counts("counts", v.Counts)
	e.num("row_count", int64(v.RowCount))
	e.str("actor", v.Actor)
	e.str("attempt", ref.attempt)
	e.num("rows_stored", int64(ref.rows))
	e.str("layout", ref.layout)
	e.num("chunks", int64(ref.chunks))
	e.num("shards", int64(ref.shards))
	return e.m
}

func decodeVersion(m item) (qoldau.Version, string, error) {
	d := decoder{m: m}
	v := qoldau.Version{
		Period:    d.month("period"),
		Number:    d.int("version"),
		SHA256:    d.str("sha256"),
		FileName:  d.str("file_name"),
		Size:      d.int64("size"),
		Kind:      d.str("kind"),
		Received:  d.time("received"),
		Recorded:  d.time("recorded"),
		Backfill:  d.boolean("backfill"),
		FileError: d.boolean("file_error"),
		Rows: qoldau.RowCounts{
			Read:     d.int("rows_read"),
			Accepted: d.int("rows_accepted"),
			Rejected: d.int("rows_rejected"),
			Warned:   d.int("rows_warned"),
		},
		Counts:   d.counts("counts"),
		RowCount: d.int("row_count"),
		Actor:    d.str("actor"),
	}
	return v, d.str("attempt"), d.err
}

// decodeRow reads a row item of the layout of earlier releases: one attribute per
// Row field, named as in the JSON.
func decodeRow(m item) (*qoldau.Row, error) {
	d := decoder{m: m}
	r := &qoldau.Row{
		Num:           d.int("row"),
		Region:        d.str("region"),
		Settlement:    d.str("settlement"),
		Place:         d.str("service_place"),
		Centre:        d.str("centre"),
		Enterprise:    d.str("enterprise_name"),
		ClientName:    d.str("client_name"),
		BinIIN:        d.str("bin_iin"),
		Gender:        d.str("gender"),
		BirthDate:     d.date("birth_date"),
		Age:           d.int("age"),
		Disability:    d.boolean("disability"),
		LegalForm:     d.str("legal_form"),
		Category:      d.str("category"),
		OKEDSection:   d.str("oked_section"),
		OKEDCode:      d.str("oked_code"),
		Service:       d.str("service"),
		Subtype:       d.str("service_subtype"),
		Manager:       d.str("manager_name"),
		StartDate:     d.date("start_date"),
		EndDate:       d.date("end_date"),
		WorkPhone:     d.str("work_phone"),
		Mobile:        d.str("mobile_phone"),
		Email:         d.str("email"),
		Online:        d.boolean("online"),
		ClientKey:     d.str("client_key"),
		EnterpriseKey: d.str("enterprise_key"),
		Errors:        d.int("errors"),
		Warnings:      d.int("warnings"),
		Codes:         d.strings("codes"),
	}
	return r, d.err
}

func letterItem(l *qoldau.Letter) item {
	e := newItem(lettersPK, l.ID)
	e.str("id", l.ID)
	e.str("period", l.Period.String())
	e.num("version", int64(l.Version))
	e.time("drafted", l.Drafted)
	e.date("send_due", l.SendDue)
	e.time("sent", l.Sent)
	e.str("sent_by", l.SentBy)
	e.date("correction_due", l.CorrectionDue)
	e.str("number", l.Number)
	e.time("received", l.Received)
	e.counts("errors", l.Errors)
	e.texts("files", l.Files)
	return e.m
}

func decodeLetter(m item) (*qoldau.Letter, error) {
	d := decoder{m: m}
	l := &qoldau.Letter{
		ID:            d.str("id"),
		Period:        d.month("period"),
		Version:       d.int("version"),
		Drafted:       d.time("drafted"),
		SendDue:       d.date("send_due"),
		Sent:          d.time("sent"),
		SentBy:        d.str("sent_by"),
		CorrectionDue: d.date("correction_due"),
		Number:        d.str("number"),
		Received:      d.time("received"),
		Errors:        d.counts("errors"),
		Files:         d.texts("files"),
	}
	return l, d.err
}

func actItem(a *qoldau.Act) item {
	e := newItem(actsPK, a.Key())
	e.str("act_number", a.Number)
	e.date("act_date", a.Date)
	e.str("bin_iin", a.BinIIN)
	e.str("service", a.Service)
	e.str("service_subtype", a.Subtype)
	e.date("service_date", a.ServiceDate)
	e.str("confirmation", a.Confirmation)
	e.str("source", a.Source)
	e.num("line", int64(a.Line))
	return e.m
}

func decodeAct(m item) (*qoldau.Act, error) {
	d := decoder{m: m}
	a := &qoldau.Act{
		Number:       d.str("act_number"),
		Date:         d.date("act_date"),
		BinIIN:       d.str("bin_iin"),
		Service:      d.str("service"),
		Subtype:      d.str("service_subtype"),
		ServiceDate:  d.date("service_date"),
		Confirmation: d.str("confirmation"),
		Source:       d.str("source"),
		Line:         d.int("line"),
	}
	return a, d.err
}

func auditItem(e *qoldau.AuditEntry, suffix string) item {
	en := newItem(auditPK, formatTime(e.Time)+"#"+suffix)
	en.str("time", formatTime(e.Time))
	en.str("actor", e.Actor)
	en.str("action", e.Action)
	en.str("subject", e.Subject)
	en.texts("detail", e.Detail)
	return en.m
}

func decodeAudit(m item) (qoldau.AuditEntry, error) {
	d := decoder{m: m}
	e := qoldau.AuditEntry{
		Time:    d.time("time"),
		Actor:   d.str("actor"),
		Action:  d.str("action"),
		Subject: d.str("subject"),
		Detail:  d.texts("detail"),
	}
	return e, d.err
}
