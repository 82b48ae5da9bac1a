package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gonix-init/gonix-init/internal/exit"

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
	return startTerminalIn(t, nil, args...)
}

// startTerminalIn is startTerminal in a directory that prepare fills first.
func startTerminalIn(t *testing.T, prepare func(dir string), args ...string) *terminal {
	t.Helper()
	return startTerminalSized(t, "120", "40", prepare, args...)
}

// startTerminalSized is startTerminalIn in a terminal of cols x rows.
func startTerminalSized(t *testing.T, cols, rows string, prepare func(dir string), args ...string) *terminal {
	t.Helper()
	tmux := testenv.Require(t, "tmux", "apt-get install -y tmux")
	bin := binary(t)
	base := t.TempDir()
	term := &terminal{t: t, tmux: tmux, sock: filepath.Join(base, "tmux.sock"), dir: filepath.Join(base, "proj"), exitFile: filepath.Join(base, "exit")}
	if err := os.Mkdir(term.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if prepare != nil {
		prepare(term.dir)
	}
	// The shell outlives a Ctrl-C that the terminal sends to the whole
	// foreground group (accessible mode reads lines, so Ctrl-C is SIGINT).
	script := "trap true INT; cd " + term.dir + " && " + bin + " " + strings.Join(args, " ") + "; echo $? > " + term.exitFile + "; sleep 60"
	term.run("-f", "/dev/null", "new-session", "-d", "-x", cols, "-y", rows, "sh", "-c", script)
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
	term.waitForCount(text, 1)
}

// waitForCount waits until the pane (with its history) shows text n times.
func (term *terminal) waitForCount(text string, n int) {
	term.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for strings.Count(term.screen(), text) < n {
		if time.Now().After(deadline) {
			term.t.Fatalf("the terminal never showed %q:\n%s", text, term.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// visible is what the pane shows now, without its history.
func (term *terminal) visible() string { return term.run("capture-pane", "-p") }

// waitForVisible waits until the pane shows text now (not in its history).
func (term *terminal) waitForVisible(text string) {
	term.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(term.visible(), text) {
		if time.Now().After(deadline) {
			term.t.Fatalf("the terminal never showed %q:\n%s", text, term.visible())
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
	testenv.Slow(t, "drives a real terminal")
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
	term.enterAfter("tools")
	term.waitFor("Write the project?")
	if s := term.screen(); !strings.Contains(s, "example.com/tmuxapp") || !strings.Contains(s, "flake.nix (new)") {
		t.Errorf("the summary does not show the answers and the files marked new:\n%s", s)
	}
	term.keys("Enter")
	if code := term.exitCode(); code != "0" {
		t.Fatalf("exit code %s:\n%s", code, term.screen())
	}
	// The command that does the same: defaults (and the derived name) left out.
	term.waitFor("gonix-init --module example.com/tmuxapp --systems x86_64-linux,aarch64-linux --ports 9090 --yes")

	a := answers.Default()
	a.Module, a.Name, a.Systems, a.Ports = "example.com/tmuxapp", "tmuxapp", []string{"x86_64-linux", "aarch64-linux"}, []int{9090}
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
	testenv.Slow(t, "drives a real terminal")
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
	testenv.Slow(t, "drives a real terminal")
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

// TestTerminalForceShowsDiffsFirst re-runs gonix-init with --force in a
// project whose README the user edited: the form starts from the recorded
// answers, and the diff that would undo the edit is on the screen before
// the confirm; Cancel leaves the edit.
func TestTerminalForceShowsDiffsFirst(t *testing.T) {
	testenv.Slow(t, "drives a real terminal")
	var readme string
	term := startTerminalIn(t, func(dir string) {
		if code := run([]string{"--module", "example.com/edited", "--ports", "7000", "--yes", dir}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			t.Fatalf("first run: exit %d", code)
		}
		readme = filepath.Join(dir, "README.md")
		must(t, os.WriteFile(readme, []byte("# my own words\n"), 0o644))
	}, "--force")
	term.waitFor("Go module path")
	if s := term.screen(); !strings.Contains(s, "example.com/edited") {
		t.Errorf("the form does not start from the recorded answers:\n%s", s)
	}
	term.keys("Enter", "Enter") // module, name as recorded
	term.waitFor("Target systems")
	term.keys("Enter")
	term.waitFor("Ports")
	if s := term.screen(); !strings.Contains(s, "7000") {
		t.Errorf("the ports are not the recorded ones:\n%s", s)
	}
	term.keys("Enter") // ports
	term.enterAfter("ports")
	term.waitFor("Write the project?")
	s := term.run("capture-pane", "-p", "-S", "-1000") // the whole README's diff, and the tree above it
	if !strings.Contains(s, "-# my own words") || !strings.Contains(s, "README.md (replaced)") {
		t.Errorf("the diff and the plan are not shown before the confirm:\n%s", s)
	}
	// In a terminal the diff is coloured: the removed line comes after an escape.
	if coloured := term.run("capture-pane", "-p", "-e", "-S", "-1000"); !regexp.MustCompile("\x1b\\[[0-9;]*m-# my own words").MatchString(coloured) {
		t.Errorf("the diff is not coloured in a terminal")
	}
	term.keys("Down", "Down", "Enter") // Cancel
	if code := term.exitCode(); code != "130" {
		t.Fatalf("exit %s after Cancel, want 130:\n%s", code, term.screen())
	}
	if got, _ := os.ReadFile(readme); string(got) != "# my own words\n" {
		t.Errorf("Cancel changed the README: %q", got)
	}
}

// TestTerminalNotEmptyRefusedFirst runs gonix-init in a non-empty directory
// without --force: it refuses before the first question.
func TestTerminalNotEmptyRefusedFirst(t *testing.T) {
	testenv.Slow(t, "drives a real terminal")
	term := startTerminalIn(t, func(dir string) {
		must(t, os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("mine\n"), 0o644))
	})
	if code := term.exitCode(); code != "2" {
		t.Fatalf("exit %s, want 2:\n%s", code, term.screen())
	}
	term.waitFor("is not empty")
	// -J: the line as printed, however the pane wraps it (the path is as long as $TMPDIR).
	if s := term.run("capture-pane", "-p", "-J", "-S", "-100"); !strings.Contains(s, "is not empty (has mine.txt)") {
		t.Errorf("the refusal does not name mine.txt:\n%s", s)
	}
	if s := term.screen(); strings.Contains(s, "Go module path") {
		t.Errorf("it asked before refusing:\n%s", s)
	}
}

// TestTerminalBackFromConfirm goes back from the confirm with Shift-Tab:
// the summary leaves the screen with the confirm, so that the questions are
// not under a summary of answers they may no longer hold; it changes an
// answer in the form (filled in with the answers so far), and writes the
// changed project, whose new summary came with the confirm.
func TestTerminalBackFromConfirm(t *testing.T) {
	testenv.Slow(t, "drives a real terminal")
	// Every answer given: the form opens for the first time after Back, so
	// each text waited for is new on the screen.
	term := startTerminal(t, givenFlags(func(a *answers.Answers) {
		a.Module, a.Name, a.Systems, a.Tools = "example.com/back", "back", []string{"x86_64-linux"}, []string{}
	})...)
	term.waitFor("Write the project?")
	term.keys("BTab")
	// Every question again, filled in, from the last one asked.
	term.backTo("ports")
	if s := term.visible(); strings.Contains(s, "Summary") || strings.Contains(s, "Will write") {
		t.Errorf("after Go back, the summary of the answers before is still on the screen:\n%s", s)
	}
	term.keys("BSpace", "BSpace", "BSpace", "BSpace", "7070", "Enter")
	term.enterAfter("ports") // pages are drawn in place
	term.waitForVisible("Write the project?")
	if s := term.visible(); !regexp.MustCompile(`Ports +7070`).MatchString(s) || regexp.MustCompile(`Ports +8080`).MatchString(s) {
		t.Errorf("the summary with the confirm is not of the changed answers:\n%s", s)
	}
	term.keys("Enter")
	if code := term.exitCode(); code != "0" {
		t.Fatalf("exit %s:\n%s", code, term.screen())
	}
	if flake, _ := os.ReadFile(filepath.Join(term.dir, "flake.nix")); !strings.Contains(string(flake), "\n        7070\n") {
		t.Errorf("the changed port is not in flake.nix")
	}
	term.waitFor("gonix-init --module example.com/back --systems x86_64-linux --ports 7070 --tools none --yes")
}

// TestTerminalSmallKeepsTheAnswersInView: at 80x24 the confirm screen folds
// the file list to its count, and the answers and the confirm are on screen
// together.
func TestTerminalSmallKeepsTheAnswersInView(t *testing.T) {
	testenv.Slow(t, "drives a real terminal")
	term := startTerminalSized(t, "80", "24", nil, givenFlags(func(a *answers.Answers) {
		a.Module, a.Name, a.Systems, a.Tools = "example.com/small", "small", []string{"x86_64-linux"}, []string{"gopls", "go-task"}
	})...)
	term.waitFor("Write the project?")
	visible := term.run("capture-pane", "-p")
	for _, want := range []string{"Summary", "Go module path           example.com/small", "Continuous integration   none", "Cancel: write nothing"} {
		if !strings.Contains(visible, want) {
			t.Errorf("the 80x24 screen lacks %q:\n%s", want, visible)
		}
	}
	if !regexp.MustCompile(`Will write small \(\d+ new\): each file is listed once written`).MatchString(visible) {
		t.Errorf("the 80x24 screen does not fold the file list to its count:\n%s", visible)
	}
	if strings.Contains(visible, "main_test.go") {
		t.Errorf("the file list is not folded:\n%s", visible)
	}
	term.keys("Enter")
	if code := term.exitCode(); code != "0" {
		t.Fatalf("exit %s:\n%s", code, term.screen())
	}
	term.waitFor("main_test.go") // the report lists every file
}

// TestTerminalRuleBetweenAnswers turns go-task off in the tools and then
// chooses github-actions, which needs it: the form says so at the CI field
// and stays, with the answers kept and the help bar shown; Shift-Tab, the
// way out it names, lands on the tools as left; with go-task on again,
// github-actions is written.
func TestTerminalRuleBetweenAnswers(t *testing.T) {
	testenv.Slow(t, "drives a real terminal")
	term := startTerminal(t, givenFlags(func(a *answers.Answers) {
		a.Module, a.Systems = "example.com/rule", []string{"x86_64-linux"}
	}, "name", "tools", "ci")...)
	term.waitFor("App name")
	term.keys("Enter") // the name follows the module path
	term.waitFor("dev-shell tools besides go")
	term.keys("Down", "Down", "Down", "Space", "Enter")
	term.waitFor("CI workflow (github-actions needs")
	term.keys("Up", "Enter")
	term.waitFor("add go-task to the tools")
	if _, err := os.Stat(term.exitFile); err == nil {
		t.Fatalf("gonix-init ended on a rule between two answers:\n%s", term.screen())
	}
	term.waitFor("esc quit") // the help bar stays while the error shows
	// The way out the error names: Shift-Tab back to the tools, which hold
	// what was chosen; go-task on again; github-actions then stands.
	term.keys("BTab")
	term.waitFor("[ ] go-task") // the tools, as left
	term.keys("Down", "Down", "Down", "Space", "Enter")
	term.waitFor("CI workflow (github-actions needs")
	term.keys("Enter") // github-actions, as chosen before
	term.waitFor("Write the project?")
	term.waitFor("Tools in the dev shell   gopls,golangci-lint,delve,go-task")
	term.waitFor("Continuous integration   github-actions")
	term.keys("Enter")
	if code := term.exitCode(); code != "0" {
		t.Fatalf("exit %s:\n%s", code, term.screen())
	}
}

// TestTerminalDryRunAsksNothing runs an interactive --dry-run with every
// answer given: it shows the plan and exits without a confirm.
func TestTerminalDryRunAsksNothing(t *testing.T) {
	testenv.Slow(t, "drives a real terminal")
	term := startTerminal(t, append(givenFlags(func(a *answers.Answers) {
		a.Module, a.Name, a.Systems, a.Tools = "example.com/dry", "dry", []string{"x86_64-linux"}, []string{}
	}), "--dry-run")...)
	if code := term.exitCode(); code != "0" {
		t.Fatalf("exit %s:\n%s", code, term.screen())
	}
	term.waitFor("dry run, nothing written")
	if s := term.screen(); strings.Contains(s, "Write the project?") {
		t.Errorf("a dry run asked to confirm:\n%s", s)
	}
	if entries, _ := os.ReadDir(term.dir); len(entries) != 0 {
		t.Errorf("a dry run wrote %d entries", len(entries))
	}
}

// TestTerminalAccessibleCtrlC presses Ctrl-C at an accessible prompt, which
// reads whole lines: the run ends with 130 and the message on its own line.
func TestTerminalAccessibleCtrlC(t *testing.T) {
	testenv.Slow(t, "drives a real terminal")
	term := startTerminal(t, "--accessible")
	term.waitFor("Go module path, as `go mod init` takes it")
	term.keys("exam", "C-c")
	if code := term.exitCode(); code != "130" {
		t.Fatalf("exit %s after Ctrl-C, want 130:\n%s", code, term.screen())
	}
	found := false
	for _, l := range strings.Split(term.screen(), "\n") {
		found = found || strings.TrimSpace(l) == "gonix-init: aborted, nothing written"
	}
	if !found {
		t.Errorf("no line of its own says it aborted:\n%s", term.screen())
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestTerminalUpdate runs `gonix-init update` in a terminal: the form opens
// filled in with the recorded answers, a changed port shows as the files it
// changes, and the confirm writes them.
func TestTerminalUpdate(t *testing.T) {
	testenv.Slow(t, "drives a real terminal")
	term := startTerminalIn(t, func(dir string) {
		if code := run([]string{"--module", "example.com/recorded", "--ports", "7000", "--yes", dir}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
			t.Fatalf("init: exit %d", code)
		}
	}, "update")
	term.waitFor("as `go mod init` takes it")
	if s := term.screen(); !strings.Contains(s, "example.com/recorded") {
		t.Errorf("the form does not start from the recorded answers:\n%s", s)
	}
	term.keys("Enter", "Enter")
	term.waitFor("Nix systems to build for")
	term.keys("Enter")
	term.waitFor("TCP ports the server listens on")
	term.keys("BSpace", "BSpace", "BSpace", "BSpace", "9090", "Enter")
	term.enterAfter("ports")
	term.waitFor("Apply the update?")
	if s := term.screen(); !regexp.MustCompile(`flake\.nix +updated`).MatchString(s) {
		t.Errorf("the outcomes are not shown before the confirm:\n%s", s)
	}
	term.keys("Enter")
	if code := term.exitCode(); code != "0" {
		t.Fatalf("exit %s:\n%s", code, term.screen())
	}
	if flake, _ := os.ReadFile(filepath.Join(term.dir, "flake.nix")); !strings.Contains(string(flake), "\n        9090\n") || strings.Contains(string(flake), "\n        7000\n") {
		t.Errorf("flake.nix does not have the new port:\n%s", flake)
	}
}

// recordedProject writes a project with init into dir, in a git
// repository with one commit, and returns the git program.
func recordedProject(t *testing.T, dir string) string {
	t.Helper()
	git := testenv.Require(t, "git", "apt-get install -y git")
	if code := run([]string{"--module", "example.com/recorded", "--systems", "x86_64-linux", "--tools", "none", "--git", "--yes", dir}, strings.NewReader(""), io.Discard, io.Discard); code != 0 {
		t.Fatalf("init: exit %d", code)
	}
	testenv.Run(t, dir, os.Environ(), git, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "init")
	return git
}

// answerFlags are the flags of every answer recordedProject recorded but
// the ports, so that update in a terminal asks nothing before the confirm.
var answerFlags = givenFlags(func(a *answers.Answers) {
	a.Module, a.Name, a.Systems, a.Tools = "example.com/recorded", "recorded", []string{"x86_64-linux"}, []string{}
}, "ports")

// givenFlags are the flags of every answer, the defaults as set changes
// them, but for the keys except: a question added to the table is given
// too, and a test that gives every answer asks nothing.
func givenFlags(set func(a *answers.Answers), except ...string) []string {
	a := answers.Default()
	set(&a)
	return answers.Args(a, func(q *answers.Question) bool { return !slices.Contains(except, q.Key) })
}

// questionText is what a question shows of itself in the form: the start
// of its help, which fits the first line.
func questionText(q *answers.Question) string { return q.Help[:min(25, len(q.Help))] }

// askedOfGenerated are the questions of a generated project, in order:
// the terminal tests run init and update of one.
func askedOfGenerated() []*answers.Question {
	return slices.DeleteFunc(slices.Clone(answers.Questions), func(q *answers.Question) bool { return !answers.New.Asks(q) })
}

// enterAfter presses Enter at every question after key's, each as it
// shows, taking what it holds: a question added after key's is answered.
func (term *terminal) enterAfter(key string) {
	qs := askedOfGenerated()
	for i := slices.IndexFunc(qs, func(q *answers.Question) bool { return q.Key == key }) + 1; i < len(qs); i++ {
		term.waitFor(questionText(qs[i]))
		term.keys("Enter")
	}
}

// backTo goes from the last question back to key's with Shift-Tab.
func (term *terminal) backTo(key string) {
	qs := askedOfGenerated()
	for i := len(qs) - 1; qs[i].Key != key; i-- {
		term.waitFor(questionText(qs[i]))
		term.keys("BTab")
	}
	term.waitFor(questionText(answers.Lookup(key)))
}

// TestTerminalUpdateCurrent: with nothing to change, update in a terminal
// says so and asks nothing.
func TestTerminalUpdateCurrent(t *testing.T) {
	testenv.Slow(t, "drives a real terminal")
	term := startTerminalIn(t, func(dir string) { recordedProject(t, dir) }, append(append([]string{"update"}, answerFlags...), "--ports", "8080")...)
	if code := term.exitCode(); code != "0" {
		t.Fatalf("exit %s:\n%s", code, term.screen())
	}
	if s := term.screen(); !strings.Contains(s, "The project is current.") || strings.Contains(s, "Write the project?") || strings.Contains(s, "written last") {
		t.Errorf("a no-op update asked, or said it writes .gonix.json:\n%s", s)
	}
}

// TestTerminalUpdateConflict updates, in a terminal and a real git
// repository, a project whose port line the user changed too: exit 1, the
// conflicted file unstaged with its markers, the rest staged; update then
// refuses until the markers are resolved.
func TestTerminalUpdateConflict(t *testing.T) {
	testenv.Slow(t, "drives a real terminal")
	var git string
	term := startTerminalIn(t, func(dir string) {
		git = recordedProject(t, dir)
		main := filepath.Join(dir, "main.go")
		src, _ := os.ReadFile(main)
		edited := strings.Replace(string(src), "defaultPorts = []int{8080}", "defaultPorts = []int{8081}", 1)
		if edited == string(src) {
			t.Fatal("main.go has no defaultPorts line to edit")
		}
		if err := os.WriteFile(main, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		testenv.Run(t, dir, os.Environ(), git, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-a", "-m", "mine")
	}, append(append([]string{"update"}, answerFlags...), "--ports", "9090")...)
	term.waitFor("Apply the update?")
	term.keys("Enter")
	if code := term.exitCode(); code != strconv.Itoa(exit.Conflicts) {
		t.Fatalf("exit %s, want %d:\n%s", code, exit.Conflicts, term.screen())
	}
	term.waitFor("update leaves them out of the index")
	status := testenv.Run(t, term.dir, os.Environ(), git, "status", "--porcelain")
	if !strings.Contains(status, " M main.go") || !strings.Contains(status, "M  flake.nix") {
		t.Errorf("git status after a conflict, want main.go unstaged and flake.nix staged:\n%s", status)
	}
	code := run([]string{"update", "--check", term.dir}, strings.NewReader(""), io.Discard, io.Discard)
	if code != exit.Conflicts {
		t.Errorf("update --check with markers left: exit %d, want %d", code, exit.Conflicts)
	}
}

// TestTerminalNoteKeepsThePage types a module path on a forge: the note
// that names the image's source label comes under the question on a line
// kept for it, so the page keeps its height: the question's title and the
// name's input, which follows the path, stay on the screen with it.
func TestTerminalNoteKeepsThePage(t *testing.T) {
	testenv.Slow(t, "drives a real terminal")
	term := startTerminalSized(t, "80", "24", nil)
	term.waitFor("Go module path")
	term.keys("github.com/you/myapp")
	term.waitForVisible("The image's source label: https://github.com/you/myapp")
	for _, want := range []string{"Go module path", "> github.com/you/myapp", "App name", "> myapp"} {
		if s := term.visible(); !strings.Contains(s, want) {
			t.Errorf("with the note shown, the screen lacks %q:\n%s", want, s)
		}
	}
	term.keys("C-c")
}
