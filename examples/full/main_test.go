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
	(&server{}).routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))

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
	(&server{}).routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nope", nil))
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

// get fetches url and returns its status code and body, failing t on error.
func get(t testing.TB, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
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
	return resp.StatusCode, string(body)
}

// startServer serves s on a free port of 127.0.0.1, with its routes and
// GET /slow, if given, and returns the port, the function that starts the
// shutdown, and serve's result.
func startServer(t testing.TB, s *server, slow http.HandlerFunc) (int, context.CancelFunc, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := s.routes()
	if slow != nil {
		mux.HandleFunc("GET /slow", slow)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	done := make(chan error, 1)
	go func() { done <- s.serve(ctx, []net.Listener{ln}, mux) }()
	return ln.Addr().(*net.TCPAddr).Port, cancel, done
}

func TestServeStopsWhenCancelled(t *testing.T) {
	var s server
	port, cancel, done := startServer(t, &s, nil)
	if code, body := get(t, "http://127.0.0.1:"+strconv.Itoa(port)+"/"); code != http.StatusOK {
		t.Fatalf("GET / = %d %q", code, body)
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

// TestHealthAndReadiness checks /healthz and /readyz while the server
// serves, and through its shutdown: /readyz says 503 from the moment it
// starts, while a request in flight still finishes.
func TestHealthAndReadiness(t *testing.T) {
	var s server
	arrived, release := make(chan struct{}), make(chan struct{})
	port, cancel, done := startServer(t, &s, func(w http.ResponseWriter, _ *http.Request) {
		close(arrived)
		<-release
		status(w, http.StatusOK)
	})
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, body := get(t, base+path); code != http.StatusOK || body != "OK\n" {
			t.Errorf("GET %s = %d %q, want 200 \"OK\\n\"", path, code, body)
		}
	}

	slow := make(chan int, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			slow <- 0
			return
		}
		_ = resp.Body.Close()
		slow <- resp.StatusCode
	}()
	readyz := func() int {
		rec := httptest.NewRecorder()
		s.routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		return rec.Code
	}
	<-arrived
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for readyz() != http.StatusServiceUnavailable {
		if time.Now().After(deadline) {
			t.Fatal("GET /readyz still answers 200 after shutdown started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("serve returned (%v) with a request in flight", err)
	default:
	}
	close(release)
	if code := <-slow; code != http.StatusOK {
		t.Errorf("the request in flight at shutdown got %d, want 200", code)
	}
	if err := <-done; err != nil {
		t.Errorf("serve returned %v, want nil", err)
	}
}

// TestHealthcheck runs -healthcheck's check against a server on the port
// PORT names: healthy, then not once the server is gone.
func TestHealthcheck(t *testing.T) {
	var s server
	port, cancel, done := startServer(t, &s, nil)
	env := func(k string) string { return map[string]string{"PORT": strconv.Itoa(port)}[k] }
	if err := checkHealth(env, time.Second); err != nil {
		t.Fatalf("healthcheck of a running server: %v", err)
	}
	// PORT_<port> wins over PORT, as for the server.
	first := "PORT_" + strconv.Itoa(defaultPorts[0])
	moved := func(k string) string { return map[string]string{"PORT": "1", first: strconv.Itoa(port)}[k] }
	if err := checkHealth(moved, time.Second); err != nil {
		t.Errorf("healthcheck with %s: %v", first, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := checkHealth(env, time.Second); err == nil || !strings.HasPrefix(err.Error(), "healthcheck: ") {
		t.Errorf("healthcheck of a stopped server: %v, want an error", err)
	}
	if err := checkHealth(func(string) string { return "0" }, time.Second); err == nil {
		t.Error("healthcheck with PORT=0 found a port to ask")
	}
}

// BenchmarkHealthcheck measures one -healthcheck check against a running
// server: docker runs it every few seconds.
func BenchmarkHealthcheck(b *testing.B) {
	var s server
	port, _, _ := startServer(b, &s, nil)
	env := func(k string) string { return map[string]string{"PORT": strconv.Itoa(port)}[k] }
	for b.Loop() {
		if err := checkHealth(env, time.Second); err != nil {
			b.Fatal(err)
		}
	}
}

// TestVersionLine: -version prints the name, and the version, commit and
// date flake.nix sets with -X.
func TestVersionLine(t *testing.T) {
	saved := [3]string{version, commit, date}
	t.Cleanup(func() { version, commit, date = saved[0], saved[1], saved[2] })
	version, commit, date = "1.2.3", "0123abc", "2001-02-03T04:05:06Z"
	if got, want := versionLine(), name+" 1.2.3 (commit 0123abc, 2001-02-03T04:05:06Z)"; got != want {
		t.Errorf("versionLine() = %q, want %q", got, want)
	}
}
