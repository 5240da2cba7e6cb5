package dynamo

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"
)

// TestHungDynamoDB: with DynamoDB accepting connections but never answering, a
// request (GET /api/periods) waited 60 s and more: the SDK's calls had no
// deadline. Each attempt now has one, so the store answers an error within a few.
func TestHungDynamoDB(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	defer func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // read nothing, answer nothing
			mu.Unlock()
		}
	}()
	s, err := Open(context.Background(), Config{Table: "t", Endpoint: "http://" + ln.Addr().String(), CallTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		_, err := s.Periods(context.Background())
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a hung DynamoDB answered")
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("the error took %v", d)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("still waiting for a hung DynamoDB after 30 s")
	}
	if DefaultCallTimeout > 10*time.Second {
		t.Errorf("DefaultCallTimeout %v: a hung DynamoDB keeps a request waiting", DefaultCallTimeout)
	}
}
