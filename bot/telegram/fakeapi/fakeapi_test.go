package fakeapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// poll calls getUpdates with offset and returns the update ids it answered.
func poll(t *testing.T, s *Server, offset int) []int {
	t.Helper()
	resp, err := http.PostForm(fmt.Sprintf(s.Endpoint(), Token, "getUpdates"), url.Values{"offset": {strconv.Itoa(offset)}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var r struct {
		Result []json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var ids []int
	for _, u := range r.Result {
		ids = append(ids, updateID(u))
	}
	return ids
}

// An update answered to a poll whose bot never read the answer (a restart cut
// it) comes again until a poll confirms it, as Telegram's getUpdates does: the
// restart test once lost a tap this way.
func TestUnconfirmedUpdatesComeAgain(t *testing.T) {
	s := New()
	defer s.Close()
	s.MaxWait = 1
	_, raw := s.Text(User{ID: 7, Lang: "en"}, "hello")
	want := updateID(raw)
	s.Queue(raw)
	if got := poll(t, s, 0); len(got) != 1 || got[0] != want {
		t.Fatalf("first poll answered %v, want [%d]", got, want)
	}
	// The answer above is "lost": a new process polls from offset 0.
	if got := poll(t, s, 0); len(got) != 1 || got[0] != want {
		t.Fatalf("an unconfirmed update is not handed again: %v", got)
	}
	if s.Drain(0) {
		t.Error("Drain reports an unconfirmed update processed")
	}
	if got := poll(t, s, want+1); len(got) != 0 {
		t.Fatalf("a confirmed update came again: %v", got)
	}
	if !s.Drain(0) {
		t.Error("Drain waits although every update was confirmed")
	}
}
