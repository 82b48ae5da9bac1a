package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/testenv"
	"github.com/gonix-init/gonix-init/templates"
)

// terminal is the real gonix-init running in a tmux pane of its own server.
type terminal struct {
	t             *testing.T
	tmux, sock    string
	dir, exitFile string
}

func startTerminal(t *testing.T, args ...string) *terminal {
	t.Helper()
	tmux := testenv.Require(t, "tmux", "apt-get install -y tmux")
	bin := filepath.Join(t.TempDir(), "gonix-init")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	base := t.TempDir()
	term := &terminal{t: t, tmux: tmux, sock: filepath.Join(base, "tmux.sock"), dir: filepath.Join(base, "proj"), exitFile: filepath.Join(base, "exit")}
	if err := os.Mkdir(term.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	script := "cd " + term.dir + " && " + bin + " " + strings.Join(args, " ") + "; echo $? > " + term.exitFile + "; sleep 60"
	term.run("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40", "sh", "-c", script)
	t.Cleanup(func() { exec.Command(tmux, "-S", term.sock, "kill-server").Run() })
	return term
}

func (term *terminal) run(args ...string) string {
	term.t.Helper()
	cmd := exec.Command(term.tmux, append([]string{"-S", term.sock}, args...)...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	out, err := cmd.CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (term *terminal) screen() string { return term.run("capture-pane", "-p", "-S", "-100") }

// waitFor waits until the pane shows text.
func (term *terminal) waitFor(text string) {
	term.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(term.screen(), text) {
		if time.Now().After(deadline) {
			term.t.Fatalf("the terminal never showed %q:\n%s", text, term.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (term *terminal) keys(keys ...string) {
	term.run(append([]string{"send-keys", "-t", "0"}, keys...)...)
}

// exitCode waits for the program to end and returns its exit code.
func (term *terminal) exitCode() string {
	term.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if b, err := os.ReadFile(term.exitFile); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b))
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("gonix-init did not end:\n%s", term.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTerminalForm answers every question in a real terminal, from an empty
// directory, and finds the project the answers describe.
func TestTerminalForm(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a real terminal; skipped with -short")
	}
	term := startTerminal(t)
	term.waitFor("Go module path")
	term.keys("example.com/tmuxapp")
	term.waitFor("tmuxapp")
	term.keys("Enter")
	term.keys("Enter") // the name, derived from the module path
	term.waitFor("Target systems")
	term.keys("Down", "Down", "Space", "Enter") // aarch64-darwin off
	term.waitFor("Ports")
	term.keys("BSpace", "BSpace", "BSpace", "BSpace", "9090", "Enter")
	term.waitFor("Tools in the dev shell")
	term.keys("Enter")
	term.waitFor("Write the project?")
	if s := term.screen(); !strings.Contains(s, "example.com/tmuxapp") || !strings.Contains(s, "flake.nix") {
		t.Errorf("the summary does not show the answers and files:\n%s", s)
	}
	term.keys("Enter")
	if code := term.exitCode(); code != "0" {
		t.Fatalf("exit code %s:\n%s", code, term.screen())
	}
	term.waitFor("gonix-init --module example.com/tmuxapp --name tmuxapp --systems x86_64-linux,aarch64-linux --ports 9090")

	a := answers.Answers{Module: "example.com/tmuxapp", Name: "tmuxapp", Systems: []string{"x86_64-linux", "aarch64-linux"},
		Ports: []int{9090}, Tools: answers.Default().Tools}
	files, err := render.Render(a, templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(term.dir)
	if want := topLevel(files); len(entries) != want {
		t.Errorf("wrote %d entries, want %d", len(entries), want)
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(term.dir, f.Path))
		if err != nil || !bytes.Equal(got, f.Data) {
			t.Errorf("%s differs from the answers typed (%v)", f.Path, err)
		}
	}
}

// TestTerminalCtrlC presses Ctrl-C half-way and finds the directory empty.
func TestTerminalCtrlC(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a real terminal; skipped with -short")
	}
	term := startTerminal(t)
	term.waitFor("Go module path")
	term.keys("example.com/half", "Enter", "Enter")
	term.waitFor("Target systems")
	term.keys("C-c")
	if code := term.exitCode(); code != "130" {
		t.Fatalf("exit code %s after Ctrl-C, want 130:\n%s", code, term.screen())
	}
	term.waitFor("aborted, nothing written")
	if entries, _ := os.ReadDir(term.dir); len(entries) != 0 {
		t.Errorf("Ctrl-C left %d entries in the directory", len(entries))
	}
}

// TestTerminalStdinDevNull runs gonix-init with a terminal for output but
// /dev/null for input: it must not ask (nor open /dev/tty), but exit 2 and
// name the missing flag.
func TestTerminalStdinDevNull(t *testing.T) {
	if testing.Short() {
		t.Skip("drives a real terminal; skipped with -short")
	}
	term := startTerminal(t, "< /dev/null")
	if code := term.exitCode(); code != "2" {
		t.Fatalf("exit code %s, want 2:\n%s", code, term.screen())
	}
	s := term.screen()
	if !strings.Contains(s, "--module is required when gonix-init cannot ask") || strings.Contains(s, "TTY") {
		t.Errorf("screen:\n%s", s)
	}
	if entries, _ := os.ReadDir(term.dir); len(entries) != 0 {
		t.Errorf("wrote %d entries", len(entries))
	}
}

// topLevel counts the distinct files and folders files put in a project's root.
func topLevel(files []render.File) int {
	names := map[string]bool{}
	for _, f := range files {
		names[strings.SplitN(f.Path, "/", 2)[0]] = true
	}
	return len(names)
}
