package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/gonix-init/gonix-init/internal/testenv"
)

// silentTerminal runs gonix-init on a pseudo-terminal that never answers
// the queries a program may send it (OSC 11 for the background colour,
// DSR for the cursor), as some consoles and CI ptys do, and returns how
// long the program took to print want, or fails.
func silentTerminal(t *testing.T, bin, dir, want string, args ...string) time.Duration {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	start := time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
		tty.Close()
	}()
	var mu sync.Mutex
	var out bytes.Buffer
	seen := make(chan time.Duration, 1)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			found := strings.Contains(out.String(), want)
			mu.Unlock()
			if found {
				seen <- time.Since(start)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case d := <-seen:
		return d
	case <-time.After(10 * time.Second):
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("%q never appeared on a terminal that does not answer queries; output:\n%q", want, out.String())
	}
	return 0
}

// TestSilentTerminal checks that nothing waits on the terminal: on a pty
// that never answers, the first prompt, --version and a headless run come
// at once. (bubbletea v1 asked for the background colour in its package
// init and waited 5 s for the answer, before every run.) The bound is far
// below that stall and above a loaded CI machine's start-up; the time
// measured is logged.
func TestSilentTerminal(t *testing.T) {
	testenv.Slow(t, "drives a pseudo-terminal")
	bin := binary(t)
	const bound = time.Second
	for _, tc := range []struct {
		name, want string
		args       []string
	}{
		{"first prompt", "Go module path", nil},
		{"--version", "gonix-init ", []string{"--version"}},
		{"headless", "Created silent", []string{"--module", "example.com/silent", "--yes", "out"}},
	} {
		d := silentTerminal(t, bin, t.TempDir(), tc.want, tc.args...)
		t.Logf("%s: %v", tc.name, d)
		if d > bound {
			t.Errorf("%s took %v on a silent terminal, want under %v", tc.name, d, bound)
		}
	}
}
