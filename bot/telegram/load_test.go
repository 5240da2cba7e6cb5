package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/qoldau/qoldau/bot/conversation"
	"github.com/qoldau/qoldau/bot/telegram"
	"github.com/qoldau/qoldau/bot/telegram/fakeapi"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/surveys"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// TestLoad: 200 simulated clients at once complete their surveys through the
// webhook handler (real HTTP on loopback) on the embedded store; every answer is
// stored once; the handling times' percentiles are logged (go test -v -run
// TestLoad). Telegram's sending limits are off here: the fake Bot API has none, and
// the number measured is the bot's own handling time.
func TestLoad(t *testing.T) {
	const n = 200
	if testing.Short() {
		t.Skip("load test")
	}
	api := fakeapi.New()
	api.Quiet = true
	defer api.Close()
	ctx := context.Background()
	keys, _ := secret.New([]byte("0123456789abcdef0123456789abcdef-load-key"))
	dir := t.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "qoldau.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	blobs, _ := dirblob.New(filepath.Join(dir, "files"))
	now := start
	clock := func() time.Time { return now }
	wf := workflow.New(store, blobs)
	wf.Clock = clock

	// n clients, one service each; every second one online (Annex 2 follows).
	rows := make([]qoldau.Row, n)
	for i := range rows {
		r := row(i+2, "accounting", "service_center", "г. Караганда", "Караганда", civil.D(2026, 9, 1+i%28), i%2 == 0)
		if r.Online {
			r.Place, r.Centre = "online", ""
		}
		r.ClientName, r.BinIIN = fmt.Sprintf("Клиент Номер%d Тестович", i), fmt.Sprintf("9001014%05d", i)
		r.BirthDate, r.Mobile = civil.D(1990, 1, 1), fmt.Sprintf("+7701%07d", i)
		r.ClientKey = r.ClientName + "|1990-01-01"
		rows[i] = r
	}
	v := &qoldau.Version{Period: period, Number: 1, SHA256: "load", Kind: "xlsx",
		Received: time.Date(2026, 10, 1, 9, 0, 0, 0, workday.Almaty()), Recorded: time.Now(), RowCount: n}
	if err := store.PutVersion(ctx, v, qoldau.RowsOf(rows)); err != nil {
		t.Fatal(err)
	}
	admin := &surveys.Admin{WF: wf, Store: store, Keys: keys, Clock: clock}
	if res, err := admin.CreateInvitations(ctx, period, 0, 0); err != nil || res.Created != n {
		t.Fatalf("invitations: %+v %v", res, err)
	}
	var tokens []string
	store.Invitations(ctx, period, period, func(inv *qoldau.Invitation) error {
		tok, err := keys.Open(inv.Sealed)
		tokens = append(tokens, tok)
		return err
	})

	eng := &conversation.Engine{Store: store, Keys: keys, Ref: refdata.Default(), Clock: clock,
		Log: slog.New(slog.DiscardHandler)}
	bot, err := telegram.New(ctx, telegram.Config{Token: fakeapi.Token, Endpoint: api.Endpoint(), Secret: "s",
		Limits: telegram.Limits{PerChat: time.Nanosecond, Burst: 1 << 20, Global: 1 << 30},
		Log:    slog.New(slog.DiscardHandler)}, eng)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(bot)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}

	var (
		mu    sync.Mutex
		times []time.Duration
		fails []error
		wg    sync.WaitGroup
	)
	postTimed := func(raw json.RawMessage) error {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(raw))
		req.Header.Set(telegram.SecretHeader, "s")
		t0 := time.Now()
		resp, err := client.Do(req)
		d := time.Since(t0)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		mu.Lock()
		times = append(times, d)
		mu.Unlock()
		return nil
	}
	began := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := fakeapi.User{ID: int64(50000 + i), Lang: conversation.Languages[i%3]}
			rnd := rand.New(rand.NewPCG(uint64(i), 1))
			_, raw := api.Text(u, "/start "+tokens[i])
			steps := []string{"l|" + u.Lang, "a|yes", "a|" + fmt.Sprint(1+rnd.IntN(5)), "a|partly", "a|yes"}
			err := postTimed(raw)
			for _, s := range steps {
				if err != nil {
					break
				}
				_, raw, ok := api.Tap(u, s)
				if !ok {
					err = fmt.Errorf("client %d: no button %s", i, s)
					break
				}
				err = postTimed(raw)
			}
			// Annex 2 for online services, then Submit.
			for err == nil {
				var next string
				switch {
				case has(api, u, "s"):
					next = "s"
				case has(api, u, "d"):
					next = "d"
				case has(api, u, "a|4"):
					next = "a|4"
				}
				_, raw, _ := api.Tap(u, next)
				err = postTimed(raw)
				if next == "s" {
					break
				}
			}
			if err != nil {
				mu.Lock()
				fails = append(fails, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	wall := time.Since(began)
	if len(fails) > 0 {
		t.Fatalf("%d clients failed, the first: %v", len(fails), fails[0])
	}
	got := map[string]int{}
	completed := 0
	store.Answers(ctx, period, period, func(a *qoldau.Answer) error {
		got[a.Service.Key()]++
		if a.IsCompleted() {
			completed++
		}
		return nil
	})
	if len(got) != n || completed != n {
		t.Errorf("%d services answered, %d completed; want %d each", len(got), completed, n)
	}
	for k, c := range got {
		if c != 1 {
			t.Errorf("service %s has %d answers", k, c)
		}
	}
	slices.Sort(times)
	pct := func(p float64) time.Duration { return times[int(float64(len(times)-1)*p)] }
	t.Logf("load: %d clients, %d webhook requests in %v (%.0f req/s) on %d CPUs; handling time p50 %v, p95 %v, p99 %v, max %v",
		n, len(times), wall.Round(time.Millisecond), float64(len(times))/wall.Seconds(), runtime.NumCPU(),
		pct(0.50).Round(time.Microsecond*100), pct(0.95).Round(time.Microsecond*100), pct(0.99).Round(time.Microsecond*100),
		times[len(times)-1].Round(time.Microsecond*100))
}

// has reports whether the newest message with a button matching m exists and is
// the newest message with buttons in the chat.
func has(api *fakeapi.Server, u fakeapi.User, m string) bool {
	id, _, ok := api.Button(u, m)
	if !ok {
		return false
	}
	msgs := api.Messages(u.ID)
	for i := len(msgs) - 1; i >= 0; i-- {
		if len(msgs[i].Keyboard) > 0 {
			return msgs[i].ID == id
		}
	}
	return false
}
