package testenv

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// CheckServer starts a generated server binary with every port moved to a
// free one through PORT_<port>, checks that GET / answers 200 text/plain
// "Hello from <name>" on each, then stops it with SIGTERM and expects a
// clean exit. Without a port the binary is a command-line program
// (CheckProgram).
func CheckServer(t *testing.T, bin, name string, ports []int) {
	t.Helper()
	if len(ports) == 0 {
		CheckProgram(t, bin, name)
		return
	}
	cmd := exec.Command(bin)
	cmd.Env = os.Environ()
	var urls []string
	for _, p := range ports {
		free := FreePort(t)
		cmd.Env = append(cmd.Env, "PORT_"+strconv.Itoa(p)+"="+strconv.Itoa(free))
		urls = append(urls, "http://127.0.0.1:"+strconv.Itoa(free)+"/")
	}
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	stopped := false
	defer func() {
		if !stopped {
			_ = cmd.Process.Kill()
			<-done //nolint:errcheck // killed on purpose: its exit error says only that
		}
	}()

	for _, u := range urls {
		body := getWhenUp(t, u, done, &logs)
		if want := "Hello from " + name + "\nGo 1."; !strings.HasPrefix(body, want) {
			t.Errorf("GET %s = %q, want it to start with %q", u, body, want)
		}
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		stopped = true
		if err != nil {
			t.Errorf("server exited with %v after SIGTERM, want a clean exit\n%s", err, &logs)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("server did not stop on SIGTERM\n%s", &logs)
	}
}

func getWhenUp(t *testing.T, url string, done <-chan error, logs *bytes.Buffer) string {
	t.Helper()
	body, header := Get(t, url, func() error {
		select {
		case err := <-done:
			return fmt.Errorf("server exited early: %v\n%s", err, logs)
		default:
			return nil
		}
	})
	if ct := header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", url, ct)
	}
	return body
}

// Get fetches url until it answers 200 (the server is starting) and returns
// the body and the header; it fails t after 20 s, or at once when stopped,
// if given, says the server is gone.
func Get(t testing.TB, url string, stopped func() error) (string, http.Header) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close() //nolint:errcheck // read to the end, or failed above
			if rerr == nil && resp.StatusCode == http.StatusOK {
				return string(body), resp.Header
			}
			err = cmp.Or(rerr, fmt.Errorf("status %d", resp.StatusCode))
		}
		if stopped != nil {
			if serr := stopped(); serr != nil {
				t.Fatal(serr)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// FreePort returns a TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}

// CheckProgram runs a generated command-line program: it greets the world
// and whom -name names, -version prints its name first, and an argument it
// does not take exits 2 with the usage.
func CheckProgram(t *testing.T, bin, name string) {
	t.Helper()
	for args, want := range map[string]string{"": "Hello, world, from " + name + "\nGo 1.", "-name Ada": "Hello, Ada, from " + name + "\n", "-version": name + " "} {
		out, err := exec.Command(bin, strings.Fields(args)...).CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), want) {
			t.Errorf("%s %s: %v, printed %q; want it to start with %q", name, args, err, out, want)
		}
	}
	out, err := exec.Command(bin, "extra").CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "-name string") {
		t.Errorf("%s extra: %v, printed %q; want exit 2 with the usage", name, err, out)
	}
}
