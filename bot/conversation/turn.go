package conversation

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/questionnaire"
	"github.com/qoldau/qoldau/shared/workday"
)

// turn is the processing of one update.
type turn struct {
	e    *Engine
	c    *qoldau.Chat
	st   *state
	u    Update
	now  time.Time
	acts []Action
}

func (t *turn) lang() string {
	if validLang(t.c.Lang) {
		return t.c.Lang
	}
	return langOf(t.u.LangCode)
}

func (t *turn) tr(key string, args ...string) string { return text(t.lang(), key, args...) }

func (t *turn) phone() string {
	if t.e.CallCentre != "" {
		return t.e.CallCentre
	}
	return t.tr("call_centre")
}

func (t *turn) send(s string, kb *Keyboard) {
	t.acts = append(t.acts, Action{Kind: Send, Chat: t.c.ID, Text: s, Keyboard: kb})
}

func (t *turn) run(ctx context.Context) error {
	switch u := t.u; {
	case u.Callback != nil:
		// Telegram shows a spinner until the query is answered: answer first.
		t.acts = append(t.acts, Action{Kind: AnswerCallback, Chat: t.c.ID, Callback: u.Callback.ID})
		return t.callback(ctx)
	case u.Contact != nil:
		return t.contact(ctx)
	case strings.HasPrefix(u.Text, "/"):
		return t.command(ctx)
	case t.st.Step == stepContact:
		t.askContact("contact.ask")
	case t.st.Step == stepQuestion || t.st.Step == stepSummary:
		t.send(t.tr("use_buttons"), nil)
		t.resend()
	default:
		t.send(t.tr("help", "{phone}", t.phone()), nil)
	}
	return nil
}

// command handles /start, /language, /help, /stop, /forget.
func (t *turn) command(ctx context.Context) error {
	cmd, arg, _ := strings.Cut(strings.TrimSpace(t.u.Text), " ")
	if i := strings.IndexByte(cmd, '@'); i > 0 {
		cmd = cmd[:i] // /start@qoldau_bot
	}
	arg = strings.TrimSpace(arg)
	switch cmd {
	case "/start":
		return t.start(ctx, arg)
	case "/language":
		t.askLang("resume")
	case "/stop":
		t.c.Stopped = true
		t.send(t.tr("stopped"), nil)
	case "/forget":
		return t.forget(ctx)
	default:
		t.send(t.tr("help", "{phone}", t.phone()), nil)
	}
	return nil
}

func (t *turn) start(ctx context.Context, arg string) error {
	t.c.Stopped = false
	switch {
	case strings.HasPrefix(arg, "staff_"):
		return t.staff(ctx, strings.TrimPrefix(arg, "staff_"))
	case arg != "":
		return t.token(ctx, arg)
	case t.c.Client != "":
		if t.st.Step == stepQuestion || t.st.Step == stepSummary {
			t.resend()
			return nil
		}
		return t.offer(ctx, false)
	case t.c.Role != "":
		t.send(t.tr("staff.linked."+t.c.Role), nil)
		return nil
	}
	if !validLang(t.c.Lang) {
		t.askLang("contact")
		return nil
	}
	t.askContact("contact.ask")
	return nil
}

// neutral is the one answer to an unknown, expired or foreign token and to a phone
// that matches no single client: it reveals nothing.
func (t *turn) neutral(remove bool) {
	var kb *Keyboard
	if remove {
		kb = &Keyboard{Remove: true}
	}
	t.send(t.tr("neutral", "{phone}", t.phone()), kb)
	if t.c.Client == "" {
		t.st.Step = stepIdle
	}
}

func (t *turn) token(ctx context.Context, tok string) error {
	if len(tok) > 64 {
		t.neutral(false)
		return nil
	}
	h := t.e.Keys.TokenHash(tok)
	inv, err := t.e.Store.Invitation(ctx, h)
	switch qoldau.CodeOf(err) {
	case "":
	case qoldau.NotFound:
		t.neutral(false)
		return nil
	default:
		return err
	}
	if inv.Expired(t.now) || (t.c.Client != "" && t.c.Client != inv.Client) {
		t.neutral(false)
		return nil
	}
	inv, err = t.e.Store.UseInvitation(ctx, h, t.c.ID, t.now)
	switch qoldau.CodeOf(err) {
	case "":
	case qoldau.Conflict, qoldau.NotFound:
		t.neutral(false)
		return nil
	default:
		return err
	}
	if t.c.Client == inv.Client && t.c.Invitation == h && (t.st.Step == stepQuestion || t.st.Step == stepSummary) {
		t.resend() // the link opened again mid-survey
		return nil
	}
	if err := t.link(ctx, inv.Client, h, inv.Services); err != nil {
		return err
	}
	t.send(t.tr("welcome.invite"), nil)
	if !validLang(t.c.Lang) {
		t.askLang("begin")
		return nil
	}
	return t.begin()
}

// link links the chat to client with the open ones of services as a new offer.
func (t *turn) link(ctx context.Context, client, invitation string, services []qoldau.ServiceRef) error {
	open, err := t.open(ctx, services)
	if err != nil {
		return err
	}
	if t.c.Client != client {
		*t.st = state{Seq: t.st.Seq}
	}
	t.c.Client, t.c.Role = client, ""
	t.c.UserHash = t.e.Keys.UserHash(t.u.User)
	t.c.Linked = t.now
	if invitation != "" {
		t.c.Invitation = invitation
		t.c.Offer = "inv-" + invitation
	} else {
		t.c.Offer = "ph-" + strconv.FormatInt(t.now.Unix(), 10)
	}
	t.c.Offered, t.c.Started, t.c.Finished = t.now, time.Time{}, time.Time{}
	t.st.Queue, t.st.Total, t.st.Done, t.st.Draft, t.st.Q = open, len(open), 0, nil, ""
	return nil
}

// open keeps the services without a completed answer in any channel, in order.
func (t *turn) open(ctx context.Context, services []qoldau.ServiceRef) ([]qoldau.ServiceRef, error) {
	return openServices(ctx, t.e.Store, services)
}

func openServices(ctx context.Context, s Store, services []qoldau.ServiceRef) ([]qoldau.ServiceRef, error) {
	if len(services) == 0 {
		return nil, nil
	}
	answers, err := s.AnswersFor(ctx, services)
	if err != nil {
		return nil, err
	}
	done := map[string]bool{}
	for _, a := range answers {
		if a.IsCompleted() {
			done[a.Service.Key()] = true
		}
	}
	var out []qoldau.ServiceRef
	for _, s := range services {
		if !done[s.Key()] {
			out = append(out, s)
		}
	}
	return out, nil
}

// begin starts the offer's first service, or says there is none.
func (t *turn) begin() error {
	if len(t.st.Queue) == 0 {
		t.st.Step = stepIdle
		t.send(t.tr("offer.none"), nil)
		return nil
	}
	t.send(t.tr("offer.count", "{n}", strconv.Itoa(len(t.st.Queue))), nil)
	t.startService()
	return nil
}

// offer re-reads the client's open services (from /start with no token).
func (t *turn) offer(ctx context.Context, quiet bool) error {
	svcs, err := t.e.Store.ClientServices(ctx, t.c.Client)
	if err != nil {
		return err
	}
	svcs = recent(svcs, t.now, t.e.lookback())
	open, err := t.open(ctx, svcs)
	if err != nil {
		return err
	}
	t.st.Queue, t.st.Total, t.st.Done = open, len(open), 0
	if len(open) > 0 {
		t.c.Offer = "of-" + strconv.FormatInt(t.now.Unix(), 10)
		t.c.Offered, t.c.Started, t.c.Finished = t.now, time.Time{}, time.Time{}
	}
	return t.begin()
}

// recent keeps the services of the last months months (Almaty) at now.
func recent(s []qoldau.ServiceRef, now time.Time, months int) []qoldau.ServiceRef {
	since := workday.Today(now).Month().Add(-(months - 1))
	var out []qoldau.ServiceRef
	for _, x := range s {
		if x.Period >= since {
			out = append(out, x)
		}
	}
	return out
}

func (t *turn) startService() {
	svc := t.st.Queue[0]
	t.st.Draft = &qoldau.Answer{ID: qoldau.AnswerID(qoldau.ChannelTelegram, &svc), Channel: qoldau.ChannelTelegram,
		Client: t.c.Client, Service: svc}
	t.st.Q = questionnaire.First
	t.ask()
}

// serviceLabel is the service's catalogue name in the chat's language.
func (t *turn) serviceLabel(s *qoldau.ServiceRef) string {
	if svc, ok := t.e.Ref.Service(s.Service); ok {
		return svc.Label.In(t.lang())
	}
	return s.Service
}

// place is {place} of q1: the centre's name, or the place type's label and the
// settlement where no centre is named; online tells that the service was rendered
// online (q1 then has a wording of its own, without a place).
func (t *turn) place(s *qoldau.ServiceRef) (place string, online bool) {
	var label string
	for _, p := range t.e.Ref.Places() {
		if p.Code == s.Place {
			if p.Online {
				return "", true
			}
			label = short(p.Label.In(t.lang()))
		}
	}
	if s.Place == "online" {
		return "", true
	}
	switch {
	case s.Centre != "" && label != "":
		return label + " " + s.Centre, false
	case s.Centre != "":
		return s.Centre, false
	case s.Town != "" && label != "":
		return label + ", " + s.Town, false
	}
	return label + s.Town, false
}

// short gives the abbreviation in brackets at the end of a label ("Центр
// поддержки предпринимательства (ЦПП)" → "ЦПП"), which reads well in any case,
// else the label.
func short(label string) string {
	if strings.HasSuffix(label, ")") {
		if i := strings.LastIndexByte(label, '('); i > 0 && len(label)-i > 2 {
			return label[i+1 : len(label)-1]
		}
	}
	return label
}

// questionText is the text of the current question (with the service header on
// the first one).
func (t *turn) questionText() string {
	d := t.st.Draft
	s := &d.Service
	q := questionnaire.Get(t.st.Q)
	place, online := t.place(s)
	body := q.Wording(t.lang(), s.End.DMY(), place, online)
	switch q.Kind {
	case questionnaire.Scale:
		if !strings.HasPrefix(q.Key, "q2") {
			body += "\n" + t.tr("hint.scale")
		}
	case questionnaire.Multi:
		if q.Numbered() {
			for i, o := range q.Options {
				body += "\n" + strconv.Itoa(i+1) + ". " + o.Label.In(t.lang())
			}
		}
		body += "\n" + t.tr("hint.multi")
	}
	switch {
	case q.Key == questionnaire.First:
		i := t.st.Done + 1
		n := max(t.st.Total, i)
		return t.tr("service.header", "{i}", strconv.Itoa(i), "{n}", strconv.Itoa(n),
			"{service}", t.serviceLabel(s), "{date}", s.End.DMY()) + "\n\n" + body
	case q.Annex == 2 && q.Key == questionnaire.Annex(2)[0].Key:
		return t.annex2Header(s) + "\n\n" + body
	}
	return body
}

// annex2Header opens the questionnaire of Annex 2 with what its form holds: the
// form's title, the service and its subtype, the date, the manager who rendered
// it, and the form's call to rate the service.
func (t *turn) annex2Header(s *qoldau.ServiceRef) string {
	service := t.serviceLabel(s)
	if s.Subtype != "" {
		sub := s.Subtype
		if st, ok := t.e.Ref.Subtype(s.Service, s.Subtype); ok {
			sub = st.Label.In(t.lang())
		}
		service += ", " + sub
	}
	lines := []string{t.tr("annex2.title"), t.tr("annex2.service", "{service}", service),
		t.tr("annex2.date", "{date}", s.End.DMY())}
	if s.Manager != "" {
		lines = append(lines, t.tr("annex2.manager", "{manager}", s.Manager))
	}
	return strings.Join(append(lines, "", t.tr("annex2.rate")), "\n")
}

func (t *turn) data(parts ...string) string {
	return strconv.Itoa(t.st.Seq) + "|" + strings.Join(parts, "|")
}

// keyboard is the current question's inline keyboard.
func (t *turn) keyboard() *Keyboard {
	q := questionnaire.Get(t.st.Q)
	kb := &Keyboard{}
	switch q.Kind {
	case questionnaire.Scale:
		var row []Button
		for i := 1; i <= 5; i++ {
			v := strconv.Itoa(i)
			row = append(row, Button{Text: v, Data: t.data("a", v)})
		}
		kb.Inline = [][]Button{row}
	case questionnaire.Choice:
		for _, r := range q.Rows {
			var row []Button
			for _, o := range r {
				row = append(row, Button{Text: t.option(q, o), Data: t.data("a", o)})
			}
			kb.Inline = append(kb.Inline, row)
		}
	case questionnaire.Multi:
		sel := *questionnaire.Chosen(t.st.Draft, q.Key)
		for i, o := range q.Codes() {
			label, want := t.option(q, o), "1"
			if q.Numbered() {
				label = t.button(q, i, o)
			}
			if slices.Contains(sel, o) {
				label, want = "✅ "+label, "0"
			}
			kb.Inline = append(kb.Inline, []Button{{Text: label, Data: t.data("t", o, want)}})
		}
		kb.Inline = append(kb.Inline, []Button{{Text: t.tr("btn.done"), Data: t.data("d")}})
	}
	return kb
}

// ask sends the current question.
func (t *turn) ask() {
	t.st.Step = stepQuestion
	t.st.Seq++
	t.send(t.questionText(), t.keyboard())
}

// resend asks the current question (or shows the summary) again, in a new
// message whose buttons replace those of the older one.
func (t *turn) resend() {
	switch {
	case t.st.Step == stepSummary && t.st.Draft != nil:
		t.summary()
	case t.st.Step == stepQuestion && t.st.Draft != nil:
		t.ask()
	}
}

// option is the label of option code of q.
func (t *turn) option(q *questionnaire.Question, code string) string {
	o, _ := q.Option(code)
	return o.Label.In(t.lang())
}

// button is the text of the button of option code, the i-th of q, when the
// message lists q's options numbered: its number and its short name.
func (t *turn) button(q *questionnaire.Question, i int, code string) string {
	o, _ := q.Option(code)
	name := o.Button.In(t.lang())
	if name == "" {
		name = o.Label.In(t.lang())
	}
	return strconv.Itoa(i+1) + ". " + name
}

// answerText is the label of answer v to question key.
func (t *turn) answerText(key, v string) string {
	q := questionnaire.Get(key)
	switch q.Kind {
	case questionnaire.Scale:
		return v
	case questionnaire.Multi:
		sel := *questionnaire.Chosen(t.st.Draft, key)
		if len(sel) == 0 {
			return t.tr("none_chosen")
		}
		var labels []string
		for _, o := range q.Codes() { // in the question's order
			if slices.Contains(sel, o) {
				labels = append(labels, t.option(q, o))
			}
		}
		return strings.Join(labels, "; ")
	}
	return t.option(q, v)
}

// summary shows the service's answers with Submit and Change.
func (t *turn) summary() {
	d := t.st.Draft
	t.st.Step, t.st.Q = stepSummary, ""
	t.st.Seq++
	var b strings.Builder
	b.WriteString(t.tr("summary.title", "{service}", t.serviceLabel(&d.Service), "{date}", d.Service.End.DMY()))
	for _, q := range questionnaire.All() {
		v := questionnaire.Value(d, q.Key)
		if q.Kind == questionnaire.Multi {
			if !d.Service.Online || d.Received != "yes" {
				continue
			}
		} else if v == "" {
			continue
		}
		b.WriteString("\n• " + q.Summary.In(t.lang()) + ": " + t.answerText(q.Key, v))
	}
	b.WriteString("\n\n" + t.tr("summary.ask"))
	t.send(b.String(), &Keyboard{Inline: [][]Button{{
		{Text: t.tr("btn.submit"), Data: t.data("s")},
		{Text: t.tr("btn.change"), Data: t.data("c")},
	}}})
}

// callback handles a pressed button: "<seq>|<verb>|<args>".
func (t *turn) callback(ctx context.Context) error {
	cb := t.u.Callback
	parts := strings.Split(cb.Data, "|")
	seq, err := strconv.Atoi(parts[0])
	if err != nil || len(parts) < 2 || seq != t.st.Seq {
		return nil // an older message's button, or a second press: nothing changes
	}
	verb, args := parts[1], parts[2:]
	edit := func(s string) {
		t.acts = append(t.acts, Action{Kind: Edit, Chat: t.c.ID, Message: cb.Message, Text: s})
	}
	switch {
	case verb == "l" && len(args) == 1 && validLang(args[0]) && t.st.Step == stepLang:
		t.c.Lang = args[0]
		edit(t.tr("lang.prompt") + "\n\n✔ " + t.tr("lang."+t.c.Lang))
		return t.afterLang(ctx)
	case t.st.Draft == nil:
		return nil
	case verb == "a" && len(args) == 1 && t.st.Step == stepQuestion:
		q := questionnaire.Get(t.st.Q)
		if q == nil || q.Kind == questionnaire.Multi || !q.Valid(args[0]) {
			return nil
		}
		question := t.questionText()
		questionnaire.Set(t.st.Draft, q.Key, args[0])
		edit(question + "\n\n✔ " + t.answerText(q.Key, args[0]))
		if err := t.started(ctx); err != nil {
			return err
		}
		t.advance()
	case verb == "t" && len(args) == 2 && t.st.Step == stepQuestion:
		q := questionnaire.Get(t.st.Q)
		if q == nil || q.Kind != questionnaire.Multi || !q.Valid(args[0]) {
			return nil
		}
		sel := questionnaire.Chosen(t.st.Draft, q.Key)
		has := slices.Contains(*sel, args[0])
		switch {
		case args[1] == "1" && !has:
			*sel = append(*sel, args[0])
		case args[1] == "0" && has:
			*sel = slices.DeleteFunc(*sel, func(s string) bool { return s == args[0] })
		default:
			return nil // already so: a double tap
		}
		// Keep the choice in the question's order, so the stored list is stable.
		codes := q.Codes()
		slices.SortFunc(*sel, func(a, b string) int { return slices.Index(codes, a) - slices.Index(codes, b) })
		t.acts = append(t.acts, Action{Kind: EditKeyboard, Chat: t.c.ID, Message: cb.Message, Keyboard: t.keyboard()})
	case verb == "d" && t.st.Step == stepQuestion:
		q := questionnaire.Get(t.st.Q)
		if q == nil || q.Kind != questionnaire.Multi {
			return nil
		}
		edit(t.questionText() + "\n\n✔ " + t.answerText(q.Key, ""))
		if err := t.started(ctx); err != nil {
			return err
		}
		t.advance()
	case verb == "s" && t.st.Step == stepSummary:
		edit(t.summaryText() + "\n\n✔ " + t.tr("submitted"))
		return t.submit(ctx)
	case verb == "c" && t.st.Step == stepSummary:
		edit(t.summaryText())
		questionnaire.Clear(t.st.Draft)
		t.send(t.tr("changing"), nil)
		t.st.Q = questionnaire.First
		t.ask()
	}
	return nil
}

// summaryText is the summary message without its question line.
func (t *turn) summaryText() string {
	saved := *t.st
	acts := t.acts
	t.summary()
	s := t.acts[len(t.acts)-1].Text
	t.acts, *t.st = acts, saved
	return strings.TrimSuffix(s, "\n\n"+t.tr("summary.ask"))
}

// started stores the draft when the service's first answer is given, so the
// report counts surveys begun and not finished.
func (t *turn) started(ctx context.Context) error {
	d := t.st.Draft
	if !d.Started.IsZero() {
		return nil
	}
	d.Started = t.now
	if t.c.Started.IsZero() {
		t.c.Started = t.now
	}
	err := t.e.Store.PutAnswer(ctx, d)
	if qoldau.CodeOf(err) == qoldau.Conflict {
		return nil // submitted meanwhile (another channel's answer has another ID)
	}
	return err
}

// advance moves to the next question or the summary.
func (t *turn) advance() {
	if n := questionnaire.Next(t.st.Q, t.st.Draft); n != "" {
		t.st.Q = n
		t.ask()
		return
	}
	t.summary()
}

// submit stores the answer as final and moves to the next service.
func (t *turn) submit(ctx context.Context) error {
	d := t.st.Draft
	d.Completed = t.now
	d.Signature = t.c.UserHash
	if d.Started.IsZero() {
		d.Started = t.now
	}
	if err := t.e.Store.PutAnswer(ctx, d); err != nil && qoldau.CodeOf(err) != qoldau.Conflict {
		return err
	}
	t.st.Draft, t.st.Q = nil, ""
	if len(t.st.Queue) > 0 {
		t.st.Queue = t.st.Queue[1:]
	}
	t.st.Done++
	if len(t.st.Queue) > 0 {
		t.startService()
		return nil
	}
	t.st.Step = stepIdle
	t.c.Finished = t.now
	t.send(t.tr("all_done"), nil)
	return nil
}

func (t *turn) askLang(then string) {
	t.st.Step, t.st.Then = stepLang, then
	t.st.Seq++
	var row []Button
	for _, l := range Languages {
		row = append(row, Button{Text: text(l, "lang."+l), Data: t.data("l", l)})
	}
	t.send(t.tr("lang.prompt"), &Keyboard{Inline: [][]Button{row}})
}

// afterLang continues after the language choice.
func (t *turn) afterLang(ctx context.Context) error {
	then := t.st.Then
	t.st.Then = ""
	switch {
	case then == "begin":
		return t.begin()
	case then == "contact" || (t.c.Client == "" && t.c.Role == ""):
		t.askContact("contact.ask")
		return nil
	}
	// resume
	switch {
	case t.st.Draft != nil && t.st.Q != "":
		t.ask()
	case t.st.Draft != nil:
		t.summary()
	default:
		t.st.Step = stepIdle
		if t.c.Role == "" {
			return t.begin()
		}
	}
	return nil
}

func (t *turn) askContact(key string) {
	t.st.Step = stepContact
	t.send(t.tr(key), &Keyboard{Contact: t.tr("contact.button")})
}

// contact matches a shared contact: it must be the sender's own number; its
// normalised form must be the mobile phone of exactly one client's services of the
// last months.
func (t *turn) contact(ctx context.Context) error {
	ct := t.u.Contact
	if t.c.Client != "" {
		t.send(t.tr("contact.thanks"), &Keyboard{Remove: true})
		return t.start(ctx, "")
	}
	if ct.UserID == 0 || ct.UserID != t.u.User {
		t.askContact("contact.not_own")
		return nil
	}
	phone, ok := NormalisePhone(ct.Phone)
	if !ok {
		t.neutral(true)
		return nil
	}
	since := workday.Today(t.now).Month().Add(-(t.e.lookback() - 1))
	clients, err := t.e.Store.ClientsByPhone(ctx, t.e.Keys.PhoneHash(phone), since)
	if err != nil {
		return err
	}
	if len(clients) != 1 {
		t.neutral(true)
		return nil
	}
	svcs, err := t.e.Store.ClientServices(ctx, clients[0])
	if err != nil {
		return err
	}
	if err := t.link(ctx, clients[0], "", recent(svcs, t.now, t.e.lookback())); err != nil {
		return err
	}
	t.send(t.tr("contact.thanks"), &Keyboard{Remove: true})
	return t.begin()
}

// NormalisePhone reads a phone number as a register's phones are normalised
// (docs/rules.md, "Value formats"): digits kept (+, spaces, dashes and brackets
// dropped), then 8XXXXXXXXXX, 7XXXXXXXXXX and XXXXXXXXXX become +7XXXXXXXXXX. Telegram
// gives contacts as "77011234567" or "+77011234567".
func NormalisePhone(s string) (string, bool) {
	var d []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == '+' || c == ' ' || c == '-' || c == '(' || c == ')' || c == '.':
		default:
			return "", false
		}
	}
	switch {
	case len(d) == 11 && (d[0] == '7' || d[0] == '8'):
		d = d[1:]
	case len(d) == 10:
	default:
		return "", false
	}
	return "+7" + string(d), true
}

func (t *turn) staff(ctx context.Context, code string) error {
	if code == "" || len(code) > 64 {
		t.send(t.tr("staff.invalid"), nil)
		return nil
	}
	sc, err := t.e.Store.UseStaffCode(ctx, t.e.Keys.TokenHash("staff_"+code), t.c.ID, t.now)
	switch qoldau.CodeOf(err) {
	case "":
	case qoldau.NotFound, qoldau.Conflict:
		t.send(t.tr("staff.invalid"), nil)
		return nil
	default:
		return err
	}
	if t.c.Client != "" && t.c.Invitation != "" {
		if err := t.e.Store.ReleaseInvitation(ctx, t.c.Invitation, t.c.ID); err != nil && qoldau.CodeOf(err) != qoldau.NotFound {
			return err
		}
	}
	lang := t.c.Lang
	*t.c = qoldau.Chat{ID: t.c.ID, Rev: t.c.Rev, Updates: t.c.Updates, Lang: lang, Role: sc.Role, Linked: t.now}
	*t.st = state{Seq: t.st.Seq, Step: stepIdle}
	t.send(t.tr("staff.linked."+sc.Role), nil)
	return nil
}

// forget unlinks the chat: the invitation loses the chat id, the chat keeps only
// what de-duplicates updates. Answers stay: they hold no chat id.
func (t *turn) forget(ctx context.Context) error {
	if t.c.Invitation != "" {
		if err := t.e.Store.ReleaseInvitation(ctx, t.c.Invitation, t.c.ID); err != nil && qoldau.CodeOf(err) != qoldau.NotFound {
			return err
		}
	}
	t.send(t.tr("forgotten"), &Keyboard{Remove: true})
	*t.c = qoldau.Chat{ID: t.c.ID, Rev: t.c.Rev, Updates: t.c.Updates}
	*t.st = state{Seq: t.st.Seq + 1}
	return nil
}

// periodsSince is used by tests and reminders: the first month of the lookback.
func periodsSince(now time.Time, months int) civil.Month {
	return workday.Today(now).Month().Add(-(months - 1))
}
