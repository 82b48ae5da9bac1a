package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestHello(t *testing.T) {
	rec := httptest.NewRecorder()
	newHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))

	if rec.Code != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", rec.Code)
	}
	if got, want := rec.Header().Get("Content-Type"), "text/plain; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	z, _ := time.Now().Zone()
	want := "Hello from " + name + "\nGo " + strings.TrimPrefix(runtime.Version(), "go") + " " + runtime.GOOS + "/" + runtime.GOARCH + "\nTime zone: " + z + "\n"
	if got := rec.Body.String(); got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
}

func TestUnknownPath(t *testing.T) {
	rec := httptest.NewRecorder()
	newHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nope", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET /nope = %d, want 404", rec.Code)
	}
}

func TestPortsFromEnv(t *testing.T) {
	first := defaultPorts[0]
	tests := []struct {
		name string
		env  map[string]string
		want int // the first port
	}{
		{"defaults", nil, first},
		{"PORT moves the first port", map[string]string{"PORT": "9999"}, 9999},
		{"PORT_<port> wins over PORT", map[string]string{"PORT": "9999", "PORT_" + strconv.Itoa(first): "7777"}, 7777},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ports, err := portsFromEnv(func(k string) string { return tt.env[k] })
			if err != nil {
				t.Fatal(err)
			}
			if ports[0] != tt.want || !slices.Equal(ports[1:], defaultPorts[1:]) {
				t.Errorf("ports = %v, want %d then %v", ports, tt.want, defaultPorts[1:])
			}
		})
	}
	if _, err := portsFromEnv(func(string) string { return "http" }); err == nil {
		t.Error("PORT=http was accepted")
	}
	// PORT moved onto one of the app's own ports is refused, with a hint.
	if len(defaultPorts) > 1 {
		taken := strconv.Itoa(defaultPorts[1])
		_, err := portsFromEnv(func(k string) string { return map[string]string{"PORT": taken}[k] })
		if err == nil || !strings.Contains(err.Error(), "PORT="+taken+" collides with the app's own port "+taken) {
			t.Errorf("PORT=%s: err = %v, want a collision named", taken, err)
		}
	}
}

func TestServeStopsWhenCancelled(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, []net.Listener{ln}, newHandler()) }()

	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := resp.Body.Close(); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d %q", resp.StatusCode, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after cancel, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after cancel")
	}
}
