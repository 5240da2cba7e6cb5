// Command loadtest is the load test of the acceptance of issue 13 (`make
// loadtest`, not part of make test): a server process with the staff API and the
// bot's webhook on loopback, on the embedded store, against a fake Bot API, and
// -clients concurrent clients for -duration, each alternating API requests (the
// periods, a period's status, letters, a page of findings, an upload ticket) and a
// Telegram user's survey through the webhook. It prints the requests, their
// latencies, the errors (any answer but the expected one) and the server's memory:
// its heap after a GC at the end of the warm-up and at the end, and its peak RSS.
// It exits 1 on any error or a heap that grew by more than 20% and 8 MiB.
//
//	go run ./infra/loadtest -clients 50 -duration 60s
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/qoldau/qoldau/bot/conversation"
	"github.com/qoldau/qoldau/bot/telegram"
	"github.com/qoldau/qoldau/bot/telegram/fakeapi"
	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/httpapi"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/surveys"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

const (
	now       = "2026-10-06T10:00:00+05:00"
	secretKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	hookKey   = "load-test-webhook-secret"
)

var period = civil.MonthOf(2026, time.September)

func main() {
	serve := flag.Bool("serve", false, "run as the server process (the test starts it)")
	clients := flag.Int("clients", 50, "concurrent clients")
	duration := flag.Duration("duration", 60*time.Second, "how long the clients run")
	services := flag.Int("services", 6000, "survey services (one Telegram conversation each)")
	flag.Parse()
	env := func(data, api string) map[string]string {
		return map[string]string{"QOLDAU_DATA": data, "QOLDAU_NOW": now, "QOLDAU_SECRET": secretKey,
			"QOLDAU_TELEGRAM_TOKEN": fakeapi.Token, "QOLDAU_TELEGRAM_API": api, "QOLDAU_WEBHOOK_SECRET": hookKey,
			"QOLDAU_LOG_LEVEL": "error"}
	}
	if *serve {
		if err := runServer(env(os.Getenv("LOADTEST_DATA"), os.Getenv("LOADTEST_API"))); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest server:", err)
			os.Exit(2)
		}
		return
	}
	os.Exit(drive(*clients, *duration, *services, env))
}

// config is the App configuration of the map m.
func config(m map[string]string) (app.Config, error) {
	return app.LoadFrom(func(k string) string { return m[k] })
}

// runServer serves the API and the webhook on loopback until stdin closes, then
// prints its memory as one JSON line.
func runServer(env map[string]string) error {
	cfg, err := config(env)
	if err != nil {
		return err
	}
	ctx := context.Background()
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	engine, err := a.Engine()
	if err != nil {
		return err
	}
	// Telegram's sending limits off: the fake has none, and what is measured is
	// the server's own handling.
	bot, err := telegram.New(ctx, telegram.Config{Token: cfg.TelegramToken, Endpoint: telegram.EndpointFormat(cfg.TelegramAPI),
		Secret: cfg.WebhookSecret, Log: slog.New(slog.DiscardHandler),
		Limits: telegram.Limits{PerChat: time.Nanosecond, Burst: 1 << 20, Global: 1 << 30}}, engine)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	links := &httpapi.LocalLinks{Base: "http://" + ln.Addr().String(), Secret: []byte("load"), Blobs: a.Blobs, Now: a.Clock}
	hc := a.HTTPConfig()
	hc.Links, hc.Files = links, links
	mux := http.NewServeMux()
	mux.Handle("/", httpapi.New(hc))
	mux.Handle("POST /telegram", bot)
	srv := httpapi.NewServer(mux, httpapi.Timeouts{})
	go srv.Serve(ln)
	fmt.Println(ln.Addr().String())
	var warm runtime.MemStats
	mark := make(chan struct{})
	go func() {
		// "warm" on stdin: the warm-up is over; EOF: the end.
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			if sc.Text() == "warm" {
				runtime.GC()
				runtime.ReadMemStats(&warm)
			}
		}
		close(mark)
	}()
	<-mark
	srv.Close()
	runtime.GC()
	var end runtime.MemStats
	runtime.ReadMemStats(&end)
	return json.NewEncoder(os.Stdout).Encode(map[string]uint64{"warm_heap": warm.HeapAlloc, "end_heap": end.HeapAlloc,
		"goroutines": uint64(runtime.NumGoroutine())})
}

// prepare fills the data folder: a register with errors for August (its findings,
// letter and status for the API), and for September services of clients with
// survey invitations, whose tokens it returns, and the staff keys.
func prepare(ctx context.Context, cfg app.Config, services int) (tokens []string, keys map[qoldau.Role]string, err error) {
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	defer a.Close()
	path := filepath.Join(cfg.Data, "august.xlsx")
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	w := bufio.NewWriter(f)
	_, err = sample.Write(w, sample.Options{Period: period.Add(-1), Rows: 3000, Seed: 1, ErrorRate: 0.2})
	if err == nil {
		err = w.Flush()
	}
	f.Close()
	if err != nil {
		return nil, nil, err
	}
	if _, err := a.Svc.Upload(ctx, workflow.UploadRequest{Period: period.Add(-1), Path: path, Actor: "operator",
		Received: a.Clock().AddDate(0, 0, -30)}); err != nil {
		return nil, nil, err
	}
	rows := make([]qoldau.Row, services)
	for i := range rows {
		end := civil.D(2026, 9, 1+i%28)
		rows[i] = qoldau.Row{Num: i + 2, Region: "350000000", Settlement: "Караганда", Place: "service_center",
			Centre: "г. Караганда", Enterprise: "ТОО «Тест»", Gender: "female", Age: 36, LegalForm: "llp", Category: "small",
			OKEDSection: "G", OKEDCode: "47.11", Service: "accounting", Manager: "Менеджеров Тест", StartDate: end, EndDate: end,
			Online: i%2 == 0, ClientName: fmt.Sprintf("Клиент Номер%d Тестович", i), BinIIN: fmt.Sprintf("9001014%05d", i),
			BirthDate: civil.D(1990, 1, 1), Mobile: fmt.Sprintf("+7701%07d", i)}
		if rows[i].Online {
			rows[i].Place, rows[i].Centre = "online", ""
		}
		rows[i].ClientKey = rows[i].ClientName + "|1990-01-01"
		rows[i].EnterpriseKey = rows[i].BinIIN
	}
	v := &qoldau.Version{Period: period, Number: 1, SHA256: "load", Kind: "xlsx", RowCount: services,
		Received: time.Date(2026, 10, 1, 9, 0, 0, 0, workday.Almaty()), Recorded: a.Clock()}
	if err := a.Store.PutVersion(ctx, v, qoldau.RowsOf(rows)); err != nil {
		return nil, nil, err
	}
	k, err := a.Keys()
	if err != nil {
		return nil, nil, err
	}
	st := a.Store
	admin := &surveys.Admin{WF: a.Svc, Store: st, Keys: k, Clock: a.Clock}
	if _, err := admin.CreateInvitations(ctx, period, 0, 0); err != nil {
		return nil, nil, err
	}
	err = st.Invitations(ctx, period, period, func(inv *qoldau.Invitation) error {
		tok, err := k.Open(inv.Sealed)
		tokens = append(tokens, tok)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	keys = map[qoldau.Role]string{}
	for _, r := range []qoldau.Role{qoldau.RoleOperator, qoldau.RoleAgency} {
		if _, keys[r], err = a.Svc.AddUser(ctx, "load-"+string(r), r, "", "loadtest"); err != nil {
			return nil, nil, err
		}
	}
	return tokens, keys, nil
}

// stats are the latencies of one kind of request.
type stats struct {
	mu    sync.Mutex
	times map[string][]time.Duration
}

func (s *stats) add(kind string, d time.Duration) {
	s.mu.Lock()
	s.times[kind] = append(s.times[kind], d)
	s.mu.Unlock()
}

func drive(clients int, duration time.Duration, services int, env func(data, api string) map[string]string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	api := fakeapi.New()
	api.Quiet = true
	defer api.Close()
	data, err := os.MkdirTemp("", "qoldau-loadtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(data)
	cfg, err := config(env(data, api.URL))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	t0 := time.Now()
	tokens, keys, err := prepare(ctx, cfg, services)
	if err != nil {
		fmt.Fprintln(os.Stderr, "prepare:", err)
		return 2
	}
	fmt.Printf("prepared in %v: a 3,000-row register with errors, %d survey invitations\n", time.Since(t0).Round(time.Second), len(tokens))

	self, _ := os.Executable()
	cmd := exec.Command(self, "-serve")
	cmd.Env = append(os.Environ(), "LOADTEST_DATA="+data, "LOADTEST_API="+api.URL)
	cmd.Stderr = os.Stderr
	in, _ := cmd.StdinPipe()
	outp, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	out := bufio.NewReader(outp)
	addr, err := out.ReadString('\n')
	if err != nil {
		fmt.Fprintln(os.Stderr, "the server did not start")
		return 2
	}
	base := "http://" + strings.TrimSpace(addr)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 2 * clients}}

	st := &stats{times: map[string][]time.Duration{}}
	var errs atomic.Int64
	var firstErr atomic.Value
	fail := func(err error) {
		if errs.Add(1) == 1 {
			firstErr.Store(err.Error())
		}
	}
	do := func(kind, method, path string, body []byte, hdr map[string]string, want int) (*http.Response, []byte) {
		req, _ := http.NewRequestWithContext(ctx, method, base+path, bytes.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		began := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			if ctx.Err() == nil {
				fail(fmt.Errorf("%s: %w", kind, err))
			}
			return nil, nil
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		st.add(kind, time.Since(began))
		if resp.StatusCode != want {
			fail(fmt.Errorf("%s %s: %d %.200s", method, path, resp.StatusCode, b))
		}
		return resp, b
	}
	var next atomic.Int64 // the next token
	apiCall := func(rnd *rand.Rand) {
		op := map[string]string{"Authorization": "Bearer " + keys[qoldau.RoleOperator]}
		ag := map[string]string{"Authorization": "Bearer " + keys[qoldau.RoleAgency]}
		switch rnd.IntN(6) {
		case 0:
			do("api periods", "GET", "/api/periods", nil, op, 200)
		case 1:
			do("api status", "GET", "/api/periods/2026-08", nil, ag, 200)
		case 2:
			do("api letters", "GET", "/api/letters?period=2026-08", nil, ag, 200)
		case 3:
			do("api findings", "GET", fmt.Sprintf("/api/periods/2026-08/versions/1/findings?offset=%d&limit=50", rnd.IntN(600)), nil, op, 200)
		case 4:
			do("api upload ticket", "POST", "/api/uploads", []byte(`{"kind":"register","period":"2026-09","name":"r.xlsx"}`), op, 201)
		case 5:
			do("api me", "GET", "/api/me", nil, ag, 200)
		}
	}
	hook := map[string]string{telegram.SecretHeader: hookKey, "Content-Type": "application/json"}
	post := func(raw json.RawMessage) bool {
		resp, _ := do("webhook", "POST", "/telegram", raw, hook, 200)
		return resp != nil && resp.StatusCode == 200
	}
	// conversation runs one Telegram user's survey to its end.
	talk := func(u fakeapi.User, token string, rnd *rand.Rand) {
		_, raw := api.Text(u, "/start "+token)
		if !post(raw) {
			return
		}
		for _, s := range []string{"l|" + u.Lang, "a|yes", "a|" + fmt.Sprint(1+rnd.IntN(5)), "a|partly", "a|yes"} {
			_, raw, ok := api.Tap(u, s)
			if !ok {
				fail(fmt.Errorf("user %d: no button %s", u.ID, s))
				return
			}
			if !post(raw) {
				return
			}
		}
		for range 20 { // Annex 2 for online services, then Submit
			next := ""
			for _, m := range []string{"s", "d", "a|4"} {
				if id, _, ok := api.Button(u, m); ok && newest(api, u.ID) == id {
					next = m
					break
				}
			}
			if next == "" {
				fail(fmt.Errorf("user %d: no next button", u.ID))
				return
			}
			_, raw, _ := api.Tap(u, next)
			if !post(raw) || next == "s" {
				return
			}
		}
	}

	run, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	warmup := min(10*time.Second, duration/6)
	go func() {
		select {
		case <-time.After(warmup):
			io.WriteString(in, "warm\n")
		case <-run.Done():
		}
	}()
	var rss atomic.Int64
	go func() { // the server's resident memory, every second
		for run.Err() == nil {
			if kb := rssKB(cmd.Process.Pid); kb > rss.Load() {
				rss.Store(kb)
			}
			time.Sleep(time.Second)
		}
	}()
	began := time.Now()
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(i), 13))
			for k := 0; run.Err() == nil; k++ {
				for range 5 {
					apiCall(rnd)
				}
				n := next.Add(1) - 1
				if int(n) < len(tokens) {
					talk(fakeapi.User{ID: int64(1_000_000 + n), Lang: conversation.Languages[int(n)%3]}, tokens[n], rnd)
				}
			}
		}()
	}
	wg.Wait()
	wall := time.Since(began)
	in.Close()
	var mem map[string]uint64
	line, _ := out.ReadString('\n')
	json.Unmarshal([]byte(line), &mem)
	cmd.Wait()

	total := 0
	fmt.Printf("%d clients for %v on loopback, %d CPUs (%s/%s), server GOMAXPROCS default\n", clients, wall.Round(time.Second),
		runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	fmt.Printf("%-18s %8s %8s %8s %8s %8s\n", "requests", "count", "p50", "p95", "p99", "max")
	kinds := make([]string, 0, len(st.times))
	for k := range st.times {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	r := func(d time.Duration) string { return d.Round(100 * time.Microsecond).String() }
	for _, k := range kinds {
		ts := st.times[k]
		slices.Sort(ts)
		total += len(ts)
		p := func(q float64) time.Duration { return ts[int(float64(len(ts)-1)*q)] }
		fmt.Printf("%-18s %8d %8s %8s %8s %8s\n", k, len(ts), r(p(.5)), r(p(.95)), r(p(.99)), r(ts[len(ts)-1]))
	}
	conversations := min(int(next.Load()), len(tokens))
	fmt.Printf("%d requests (%.0f/s), %d survey conversations, %d errors\n", total, float64(total)/wall.Seconds(), conversations, errs.Load())
	warm, end := mem["warm_heap"], mem["end_heap"]
	fmt.Printf("server heap after GC: %.1f MiB after the warm-up, %.1f MiB at the end; peak RSS %.1f MiB\n",
		float64(warm)/(1<<20), float64(end)/(1<<20), float64(rss.Load())/1024)
	code := 0
	if n := errs.Load(); n > 0 {
		fmt.Printf("FAIL: %d errors, the first: %v\n", n, firstErr.Load())
		code = 1
	}
	if warm == 0 || end > warm+warm/5 && end > warm+8<<20 {
		fmt.Println("FAIL: the server's heap grew")
		code = 1
	}
	return code
}

// newest returns the id of the newest message with buttons in the chat.
func newest(api *fakeapi.Server, chat int64) int {
	ms := api.Messages(chat)
	for i := len(ms) - 1; i >= 0; i-- {
		if len(ms[i].Keyboard) > 0 {
			return ms[i].ID
		}
	}
	return 0
}

// rssKB is a process's resident set size in KiB (Linux; 0 elsewhere).
func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb
		}
	}
	return 0
}
