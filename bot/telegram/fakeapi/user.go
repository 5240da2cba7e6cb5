package fakeapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// User is a Telegram user writing to the bot in a private chat (chat id = user id).
type User struct {
	ID   int64
	Lang string // language_code
}

// Update is a JSON update as Telegram sends it.
type Update = json.RawMessage

func (s *Server) newUpdate(body map[string]any) (int, json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpd++
	body["update_id"] = s.nextUpd
	b, _ := json.Marshal(body)
	return s.nextUpd, b
}

func (u User) from() map[string]any {
	return map[string]any{"id": u.ID, "is_bot": false, "first_name": "Test", "language_code": u.Lang}
}

func (u User) chat() map[string]any { return map[string]any{"id": u.ID, "type": "private"} }

// Text builds the update of a text message from u.
func (s *Server) Text(u User, text string) (int, json.RawMessage) {
	s.Note("→ %d: %s", u.ID, text)
	return s.newUpdate(map[string]any{"message": map[string]any{
		"message_id": 1, "date": time.Now().Unix(), "from": u.from(), "chat": u.chat(), "text": text}})
}

// Contact builds the update of a contact shared by u: the phone and the Telegram
// user it belongs to (u.ID for the user's own number).
func (s *Server) Contact(u User, phone string, owner int64) (int, json.RawMessage) {
	s.Note("→ %d: shares a contact (its user %s)", u.ID, whose(u.ID, owner))
	return s.newUpdate(map[string]any{"message": map[string]any{
		"message_id": 1, "date": time.Now().Unix(), "from": u.from(), "chat": u.chat(),
		"contact": map[string]any{"phone_number": phone, "first_name": "Test", "user_id": owner}}})
}

func whose(user, owner int64) string {
	if user == owner {
		return "is the sender"
	}
	return "is someone else"
}

// Tap builds the update of u pressing a button of the newest message that has one
// matching: its data ends with "|"+match (e.g. "a|yes", "l|en", "t|grant|1", "s"),
// or its text equals match. ok is false when no message has such a button.
func (s *Server) Tap(u User, match string) (int, json.RawMessage, bool) {
	s.mu.Lock()
	var (
		msg *Message
		btn Button
	)
	msgs := s.chats[u.ID]
	for i := len(msgs) - 1; i >= 0 && msg == nil; i-- {
		for _, row := range msgs[i].Keyboard {
			for _, b := range row {
				if msg == nil && (strings.HasSuffix(b.Data, "|"+match) || b.Text == match) {
					msg, btn = msgs[i], b
				}
			}
		}
	}
	s.mu.Unlock()
	if msg == nil {
		return 0, nil, false
	}
	return s.Press(u, msg.ID, btn)
}

// Press builds the update of u pressing button b of message id (also a button the
// message no longer shows: a second tap).
func (s *Server) Press(u User, id int, b Button) (int, json.RawMessage, bool) {
	s.Note("→ %d: taps [%s] on #%d", u.ID, b.Text, id)
	n, raw := s.newUpdate(map[string]any{"callback_query": map[string]any{
		"id": fmt.Sprintf("cb%d-%d", u.ID, time.Now().UnixNano()), "from": u.from(), "chat_instance": "ci",
		"data": b.Data, "message": map[string]any{"message_id": id, "date": 0, "chat": u.chat()}}})
	return n, raw, true
}

// Button returns the button of the newest message matching as Tap does.
func (s *Server) Button(u User, match string) (int, Button, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs := s.chats[u.ID]
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, row := range msgs[i].Keyboard {
			for _, b := range row {
				if strings.HasSuffix(b.Data, "|"+match) || b.Text == match {
					return msgs[i].ID, b, true
				}
			}
		}
	}
	return 0, Button{}, false
}

// Queue makes update raw the next one getUpdates returns (a redelivery too: a
// queued update is returned whatever its id).
func (s *Server) Queue(raw json.RawMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, raw)
	s.cond.Broadcast()
}

// Drain waits until every queued update was handed to the bot and confirmed by
// its next poll (so it processed them), or the timeout passes.
func (s *Server) Drain(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.queue) > 0 || len(s.handed) > 0 || s.asks <= s.servedAt {
		if time.Now().After(deadline) || s.closed {
			return false
		}
		go func() { time.Sleep(5 * time.Millisecond); s.cond.Broadcast() }()
		s.cond.Wait()
	}
	return true
}
