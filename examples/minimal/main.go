// Command tiny is a small HTTP server, built reproducibly by flake.nix.
//
// It answers GET / with its name and the Go version, OS and architecture it
// was built with. It listens on each port in defaultPorts; the environment
// moves them at run time: PORT_<port> moves that port (PORT_8080=9000),
// and PORT moves the first one, as container platforms expect. It shuts down
// cleanly on SIGINT and SIGTERM.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// name is the app's name: the binary, the Nix package and the image share it.
const name = "tiny"

// defaultPorts are the TCP ports the server listens on unless the environment moves them.
var defaultPorts = []int{8080}

func main() {
	log.SetFlags(0)
	log.SetPrefix(name + ": ")
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
	return serve(ctx, listeners, newHandler())
}

// newHandler returns the server's routes.
func newHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", hello)
	return mux
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
func serve(ctx context.Context, listeners []net.Listener, h http.Handler) error {
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
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Print("stopped")
	return nil
}
