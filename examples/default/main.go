// Command myapp is a small HTTP server, built reproducibly by flake.nix.
//
// It answers GET / with its name and the Go version, OS and architecture it
// was built with. It listens on each port in defaultPorts; the environment
// moves them at run time: PORT_<port> moves that port (PORT_8080=9000),
// and PORT moves the first one, as container platforms expect. It shuts down
// cleanly on SIGINT and SIGTERM.
//
// GET /healthz answers 200 while it runs. GET /readyz answers 200 while it
// serves, and 503 from the moment shutdown starts, so that a load balancer
// sends new requests elsewhere while those in flight finish.
//
// With -healthcheck it is its own health check, for an image with no shell
// and no curl: it asks the running server's /healthz on the first port (as
// PORT and PORT_<port> move it) and exits 0 if that answers 200, or 1, within
// a second. With -version it prints its version, commit and date.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// name is the app's name: the binary, the Nix package and the image share it.
const name = "myapp"

// defaultPorts are the TCP ports the server listens on unless the environment moves them.
var defaultPorts = []int{8080}

// version, commit and date say what the binary was built from: flake.nix
// sets them with -X (nix/version, the commit and its date); go build and
// go run leave these.
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix(name + ": ")
	healthcheck := flag.Bool("healthcheck", false, "ask the running server's /healthz on its first port: exit 0 if healthy, 1 if not")
	showVersion := flag.Bool("version", false, "print the version, commit and date, and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(versionLine())
		return
	}
	if *healthcheck {
		if err := checkHealth(os.Getenv, time.Second); err != nil {
			log.Print(err)
			os.Exit(1)
		}
		return
	}
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ports, err := portsFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	listeners, err := listen(ports)
	if err != nil {
		return err
	}
	var s server
	return s.serve(ctx, listeners, s.routes())
}

// server is the app's HTTP server: its routes, and whether it is stopping.
type server struct {
	// stopping is set when shutdown starts: /readyz answers 503 from then on.
	stopping atomic.Bool
}

// routes returns the server's routes.
func (s *server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", hello)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		status(w, http.StatusOK)
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if s.stopping.Load() {
			status(w, http.StatusServiceUnavailable)
			return
		}
		status(w, http.StatusOK)
	})
	return mux
}

// status answers with code, and its text as the body.
func status(w http.ResponseWriter, code int) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	// An error here means the client is gone: there is no one left to tell.
	_, _ = fmt.Fprintln(w, http.StatusText(code))
}

func hello(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	// An error here means the client is gone: there is no one left to tell.
	_, _ = fmt.Fprintf(w, "Hello from %s\nGo %s %s/%s\nTime zone: %s\n", name, goVersion(), runtime.GOOS, runtime.GOARCH, zone())
}

// zone names the server's time zone now, as TZ sets it: CET, JST, or UTC
// when TZ is unset or names no zone Go knows.
func zone() string {
	z, _ := time.Now().Zone()
	return z
}

// goVersion is the Go version the server was built with, like 1.26.8.
func goVersion() string {
	return strings.TrimPrefix(runtime.Version(), "go")
}

// versionLine is what -version prints: the name, version, commit and date.
func versionLine() string {
	return fmt.Sprintf("%s %s (commit %s, %s)", name, version, commit, date)
}

// portsFromEnv returns defaultPorts, each moved by PORT_<port> when set, and
// the first moved by PORT when PORT_<port> does not move it. Port 0 picks a
// free port. A port moved onto another of the app's ports is refused, with
// the variable that moved it.
func portsFromEnv(getenv func(string) string) ([]int, error) {
	ports := make([]int, len(defaultPorts))
	keys := make([]string, len(defaultPorts))
	for i, def := range defaultPorts {
		key := "PORT_" + strconv.Itoa(def)
		v := getenv(key)
		if v == "" && i == 0 {
			key, v = "PORT", getenv("PORT")
		}
		if v == "" {
			ports[i] = def
			continue
		}
		p, err := strconv.Atoi(v)
		if err != nil || p < 0 || p > 65535 {
			return nil, fmt.Errorf("%s=%q is not a TCP port (0-65535)", key, v)
		}
		ports[i], keys[i] = p, key
	}
	for i, p := range ports {
		for j := range i {
			if p != 0 && ports[j] == p {
				moved := keys[i]
				if moved == "" {
					moved = keys[j]
				}
				return nil, fmt.Errorf("%s=%d collides with the app's own port %d: choose another port", moved, p, p)
			}
		}
	}
	return ports, nil
}

// listen opens every port before serving any, so that a busy port stops the
// server at once instead of leaving it half up.
func listen(ports []int) ([]net.Listener, error) {
	var listeners []net.Listener
	for _, port := range ports {
		ln, err := net.Listen("tcp", ":"+strconv.Itoa(port))
		if err != nil {
			for _, l := range listeners {
				err = errors.Join(err, l.Close())
			}
			return nil, err
		}
		listeners = append(listeners, ln)
	}
	return listeners, nil
}

// serve serves h on every listener until ctx is done, then shuts down,
// letting requests in flight finish.
func (s *server) serve(ctx context.Context, listeners []net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, len(listeners))
	for _, ln := range listeners {
		log.Printf("listening on %s", ln.Addr())
		go func() { errc <- srv.Serve(ln) }()
	}
	select {
	case err := <-errc:
		return errors.Join(err, srv.Close())
	case <-ctx.Done():
	}
	s.stopping.Store(true)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Print("stopped")
	return nil
}

// checkHealth asks the server's /healthz on its first port, as getenv moves
// it, and returns nil if it answers 200 within timeout.
func checkHealth(getenv func(string) string, timeout time.Duration) error {
	ports, err := portsFromEnv(getenv)
	if err != nil {
		return err
	}
	if ports[0] == 0 {
		return errors.New("healthcheck: the first port is 0, a free port chosen at start: there is no port to ask")
	}
	url := "http://127.0.0.1:" + strconv.Itoa(ports[0]) + "/healthz"
	client := http.Client{Timeout: timeout}
	resp, err := client.Get(url)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	if err := resp.Body.Close(); err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s: %s", url, resp.Status)
	}
	return nil
}
