// Command lambdabench measures a Lambda function binary's init time as Lambda sees
// it: from process start to the first handled event. It serves the Lambda Runtime
// API on loopback, starts the binary with AWS_LAMBDA_RUNTIME_API pointing at it,
// hands it one event and times the response; it repeats that -n times and prints
// the median and the extremes.
//
//	lambdabench -n 10 -event testdata/events/schedule-remind.json build/amd64/remind/bootstrap
//
// The binary's environment is this process's (set QOLDAU_TABLE, … before).
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 10, "runs")
	eventPath := flag.String("event", "", "event JSON file")
	flag.Parse()
	if flag.NArg() != 1 || *eventPath == "" {
		fmt.Fprintln(os.Stderr, "usage: lambdabench [-n N] -event FILE BINARY")
		os.Exit(2)
	}
	event, err := os.ReadFile(*eventPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var times []time.Duration
	for i := 0; i < *n; i++ {
		d, status, err := once(flag.Arg(0), event)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if i == 0 {
			fmt.Printf("first answer: %s\n", status)
		}
		times = append(times, d)
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	fmt.Printf("start to first handled event: median %v, min %v, max %v (%d runs)\n",
		times[len(times)/2].Round(time.Millisecond/10), times[0].Round(time.Millisecond/10), times[len(times)-1].Round(time.Millisecond/10), len(times))
}

// once runs the binary for one event and returns the time from its start to its
// answer, and the answer.
func once(bin string, event []byte) (time.Duration, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, "", err
	}
	defer ln.Close()
	done := make(chan string, 1)
	served := false
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		if served {
			<-r.Context().Done() // one event only: hold the next poll
			return
		}
		served = true
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "bench-1")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(time.Minute).UnixMilli()))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-central-1:123456789012:function:bench")
		w.Write(event)
	})
	answer := func(kind string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.WriteHeader(http.StatusAccepted)
			s := string(b)
			if len(s) > 160 {
				s = s[:160] + "…"
			}
			done <- kind + " " + s
		}
	}
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", answer("response"))
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", answer("error"))
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", answer("init error"))
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "AWS_LAMBDA_RUNTIME_API="+ln.Addr().String(),
		"AWS_LAMBDA_FUNCTION_NAME=bench", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, "", err
	}
	var status string
	select {
	case status = <-done:
	case <-time.After(30 * time.Second):
		status = "timeout"
	}
	d := time.Since(start)
	cmd.Process.Kill()
	cmd.Wait()
	if strings.HasPrefix(status, "init error") || status == "timeout" {
		return 0, "", fmt.Errorf("%s: %s\n%s", bin, status, stderr.String())
	}
	return d, status, nil
}
