// Package fakeapi is a local fake of the Telegram Bot API for tests: an httptest
// server that answers getMe, getUpdates, sendMessage, editMessageText,
// editMessageReplyMarkup, answerCallbackQuery, setWebhook and deleteWebhook, keeps
// each chat's messages (with their inline keyboards) as a client would show them,
// builds the updates a user would cause (text, a shared contact, a pressed button),
// and writes a transcript of the whole conversation. Nothing here talks to
// Telegram.
package fakeapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Token is the bot token the fake accepts.
const Token = "123456:TEST-token"

// Username is the fake bot's username.
const Username = "qoldau_test_bot"

// Button is an inline button as the fake keeps it.
type Button struct {
	Text string `json:"text"`
	Data string `json:"callback_data"`
}

// Message is a bot message in a chat.
type Message struct {
	ID       int
	Text     string
	Keyboard [][]Button
}

// Call is one Bot API request the fake received.
type Call struct {
	Method string
	Params map[string]string
}

// Fault makes a call fail: the fake answers with error_code Code, description and
// retry_after.
type Fault struct {
	Code        int
	Description string
	RetryAfter  int
}

// Server is the fake Bot API.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	cond     *sync.Cond
	queue    []json.RawMessage
	handed   []json.RawMessage // returned by getUpdates, not yet confirmed by a later offset
	offset   int               // the highest offset getUpdates asked for
	asks     int               // getUpdates calls begun
	servedAt int               // the getUpdates call that last returned updates
	nextUpd  int
	chats    map[int64][]*Message
	nextMsg  map[int64]int
	calls    []Call
	log      strings.Builder
	closed   bool
	// Fail, when set, may fail a call (429, 403, 5xx …) before it is performed.
	Fail func(method string, params map[string]string) *Fault
	// Webhook is the last setWebhook's parameters.
	Webhook map[string]string
	// Quiet leaves the calls out of the transcript (load tests).
	Quiet bool
	// MaxWait caps a getUpdates long poll (0: 200 ms), so tests stay quick.
	MaxWait time.Duration
}

// New starts a fake Bot API server; Close stops it.
func New() *Server {
	s := &Server{chats: map[int64][]*Message{}, nextMsg: map[int64]int{}, nextUpd: 1000}
	s.cond = sync.NewCond(&s.mu)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Endpoint is the format string the bot is configured with (QOLDAU_TELEGRAM_API).
func (s *Server) Endpoint() string { return s.URL + "/bot%s/%s" }

// Close stops the server and any pending long poll.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.cond.Broadcast()
	s.mu.Unlock()
	s.Server.Close()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/bot")
	tok, method, ok := strings.Cut(path, "/")
	if !ok || tok != Token {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error_code": 400, "description": "Bad Request"})
		return
	}
	params := map[string]string{}
	for k, v := range r.PostForm {
		params[k] = v[0]
	}
	if method == "getUpdates" {
		s.getUpdates(w, r, params)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, Call{method, params})
	if s.Fail != nil {
		if f := s.Fail(method, params); f != nil {
			body := map[string]any{"ok": false, "error_code": f.Code, "description": f.Description}
			if f.RetryAfter > 0 {
				body["parameters"] = map[string]any{"retry_after": f.RetryAfter}
			}
			s.logf("✗ %s → %d %s", method, f.Code, f.Description)
			writeJSON(w, f.Code, body)
			return
		}
	}
	result, fault := s.perform(method, params)
	if fault != nil {
		s.logf("✗ %s → %d %s", method, fault.Code, fault.Description)
		writeJSON(w, fault.Code, map[string]any{"ok": false, "error_code": fault.Code, "description": fault.Description})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// perform carries out a call (s.mu held).
func (s *Server) perform(method string, p map[string]string) (any, *Fault) {
	chat, _ := strconv.ParseInt(p["chat_id"], 10, 64)
	msgID, _ := strconv.Atoi(p["message_id"])
	switch method {
	case "getMe":
		return map[string]any{"id": 123456, "is_bot": true, "first_name": "Qoldau", "username": Username}, nil
	case "setWebhook":
		s.Webhook = p
		s.logf("← setWebhook %s", p["url"])
		return true, nil
	case "deleteWebhook":
		return true, nil
	case "sendMessage":
		s.nextMsg[chat]++
		m := &Message{ID: s.nextMsg[chat], Text: p["text"], Keyboard: inlineOf(p["reply_markup"])}
		s.chats[chat] = append(s.chats[chat], m)
		s.logf("← sendMessage %d #%d%s\n%s", chat, m.ID, markupNote(p["reply_markup"]), indent(m.Text))
		s.logKeyboard(m.Keyboard)
		return map[string]any{"message_id": m.ID, "date": 0, "chat": map[string]any{"id": chat, "type": "private"}, "text": m.Text}, nil
	case "editMessageText", "editMessageReplyMarkup":
		m := s.message(chat, msgID)
		if m == nil {
			return nil, &Fault{Code: 400, Description: "Bad Request: message to edit not found"}
		}
		kb := inlineOf(p["reply_markup"])
		text := m.Text
		if method == "editMessageText" {
			text = p["text"]
		}
		if text == m.Text && sameKeyboard(kb, m.Keyboard) {
			return nil, &Fault{Code: 400, Description: "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"}
		}
		m.Text, m.Keyboard = text, kb
		if method == "editMessageText" {
			s.logf("← editMessageText %d #%d\n%s", chat, m.ID, indent(m.Text))
		} else {
			s.logf("← editMessageReplyMarkup %d #%d", chat, m.ID)
		}
		s.logKeyboard(m.Keyboard)
		return map[string]any{"message_id": m.ID, "date": 0, "chat": map[string]any{"id": chat, "type": "private"}, "text": m.Text}, nil
	case "answerCallbackQuery":
		s.logf("← answerCallbackQuery")
		return true, nil
	}
	return nil, &Fault{Code: 404, Description: "Not Found: method not found"}
}

func (s *Server) message(chat int64, id int) *Message {
	for _, m := range s.chats[chat] {
		if m.ID == id {
			return m
		}
	}
	return nil
}

func inlineOf(markup string) [][]Button {
	if markup == "" {
		return nil
	}
	var mk struct {
		Inline [][]Button `json:"inline_keyboard"`
	}
	if json.Unmarshal([]byte(markup), &mk) != nil {
		return nil
	}
	return mk.Inline
}

// markupNote names a reply keyboard in the transcript.
func markupNote(markup string) string {
	var mk struct {
		Keyboard [][]struct {
			Text    string `json:"text"`
			Contact bool   `json:"request_contact"`
		} `json:"keyboard"`
		Remove bool `json:"remove_keyboard"`
	}
	if json.Unmarshal([]byte(markup), &mk) != nil {
		return ""
	}
	switch {
	case mk.Remove:
		return " (reply keyboard removed)"
	case len(mk.Keyboard) > 0 && len(mk.Keyboard[0]) > 0:
		b := mk.Keyboard[0][0]
		if b.Contact {
			return fmt.Sprintf(" (reply keyboard: [%s] shares the contact)", b.Text)
		}
		return fmt.Sprintf(" (reply keyboard: [%s])", b.Text)
	}
	return ""
}

func sameKeyboard(a, b [][]Button) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return string(x) == string(y)
}

func (s *Server) logKeyboard(kb [][]Button) {
	for _, row := range kb {
		var cells []string
		for _, b := range row {
			cells = append(cells, "["+b.Text+"]")
		}
		s.logf("    %s", strings.Join(cells, " "))
	}
}

func indent(text string) string {
	return "    " + strings.ReplaceAll(text, "\n", "\n    ")
}

func (s *Server) logf(format string, args ...any) {
	if s.Quiet {
		return
	}
	fmt.Fprintf(&s.log, format+"\n", args...)
}

// Note writes a line into the transcript (what the test does, e.g. a restart).
func (s *Server) Note(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logf("# "+format, args...)
}

// Transcript returns the conversation so far.
func (s *Server) Transcript() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// Calls returns the calls received so far (getUpdates aside).
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Messages returns the bot's messages in a chat as they stand.
func (s *Server) Messages(chat int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.chats[chat] {
		out = append(out, *m)
	}
	return out
}

// Chats lists the chats the bot wrote to.
func (s *Server) Chats() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int64
	for c := range s.chats {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, p map[string]string) {
	off, _ := strconv.Atoi(p["offset"])
	maxWait := s.MaxWait
	if maxWait <= 0 {
		maxWait = 200 * time.Millisecond
	}
	deadline := time.Now().Add(maxWait)
	s.mu.Lock()
	s.asks++
	s.cond.Broadcast()
	if off > s.offset {
		s.offset = off
		s.cond.Broadcast()
	}
	// As Telegram does, an update handed out stays until a getUpdates asks for
	// an offset above it: one returned on a connection its bot had dropped (a
	// poll cut by a restart) comes again to the next poll.
	s.handed = slices.DeleteFunc(s.handed, func(u json.RawMessage) bool { return updateID(u) < off })
	for len(s.queue) == 0 && len(s.handed) == 0 && !s.closed && time.Now().Before(deadline) && r.Context().Err() == nil {
		// sync.Cond has no timed wait: wake up regularly.
		go func() { time.Sleep(20 * time.Millisecond); s.cond.Broadcast() }()
		s.cond.Wait()
	}
	if r.Context().Err() != nil {
		// The bot gave up on this poll (it stopped): keep the updates for the next.
		s.mu.Unlock()
		return
	}
	ups := append(slices.Clone(s.handed), s.queue...)
	s.handed = append(s.handed, s.queue...)
	s.queue = nil
	if len(ups) > 0 {
		s.servedAt = s.asks
	}
	s.mu.Unlock()
	if ups == nil {
		ups = []json.RawMessage{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": ups})
}

// updateID reads an update's update_id (-1 when it has none).
func updateID(raw json.RawMessage) int {
	var u struct {
		ID *int `json:"update_id"`
	}
	if json.Unmarshal(raw, &u) != nil || u.ID == nil {
		return -1
	}
	return *u.ID
}
