package session_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/session"
)

// fakePrompter answers as a user would, without a terminal: each Ask sets
// the next ports, each Confirm gives the next choice, and both record what
// the session asked them.
type fakePrompter struct {
	ports     []string // the answer of each Ask
	choices   []string // of each Confirm: "back", "write" or "cancel"
	asked     []askCall
	confirms  int
	summaries []string // what each Confirm was shown
	questions []string // and asked
}

type askCall struct {
	given map[string]bool
	atEnd bool
	ports string // the answer Ask was given
}

func (p *fakePrompter) Ask(_ context.Context, a answers.Answers, given map[string]bool, atEnd bool) (answers.Answers, error) {
	q := answers.Lookup("ports")
	p.asked = append(p.asked, askCall{maps.Clone(given), atEnd, q.Format(a)})
	if len(p.asked) > len(p.ports) {
		return a, errors.New("asked once more than the test expects")
	}
	err := q.Parse(&a, p.ports[len(p.asked)-1])
	return a, err
}

func (p *fakePrompter) Confirm(_ context.Context, summary, question string) (bool, error) {
	p.confirms++
	p.summaries = append(p.summaries, summary)
	p.questions = append(p.questions, question)
	switch p.choices[p.confirms-1] {
	case "back":
		return true, nil
	case "cancel":
		return false, session.ErrAborted
	}
	return false, nil
}

func memEnv(fsys afero.Fs, out io.Writer) session.Env {
	return session.Env{
		FS: fsys, In: strings.NewReader(""), Out: out, Err: io.Discard, Terminal: true,
		Git: gitstage.Off{Note: "not on disk"}, LookPath: exec.LookPath,
	}
}

// TestBackLoop drives the loop of both commands with a fake prompter:
// answers, the plan shown, Back, every question again from the last one
// with the answers as left, a changed answer, and the write of that one.
func TestBackLoop(t *testing.T) {
	ctx := context.Background()
	fsys := afero.NewMemMapFs()
	var out bytes.Buffer
	e := memEnv(fsys, &out)
	opts := &session.InitOptions{Run: session.Run{Dir: "proj", Flags: map[string]string{"module": "example.com/loop"}}}
	p := &fakePrompter{ports: []string{"8081", "8082"}, choices: []string{"back", "write"}}
	runWith(t)(session.Init(context.Background(), asking(e, p), opts))
	checkLoop(t, "init", p, "8080", fsys, "8082")
	if n := strings.Count(strings.Join(p.summaries, ""), "Summary"); n != 2 || p.questions[0] != "Write the project?" {
		t.Errorf("init showed the summary %d times (want once with each confirm), and asked %q", n, p.questions)
	}

	out.Reset()
	p = &fakePrompter{ports: []string{"9091", "9092"}, choices: []string{"back", "write"}}
	runWith(t)(session.UpdateProject(context.Background(), asking(e, p), &session.UpdateOptions{Run: session.Run{Dir: "proj"}}))
	checkLoop(t, "update", p, "8082", fsys, "9092")
	if n := strings.Count(strings.Join(p.summaries, ""), "Update of loop"); n != 2 || p.questions[0] != "Apply the update?" {
		t.Errorf("update showed its plan %d times (want once with each confirm), and asked %q", n, p.questions)
	}
	if !strings.Contains(out.String(), "Updated loop (") {
		t.Errorf("update's report lacks what it updated:\n%s", out.String())
	}

	// A flag given to update changes that answer and asks nothing else:
	// every answer is given to the first ask; the plan, the confirm, and
	// the flag's answer written.
	out.Reset()
	p = &fakePrompter{ports: []string{"9093"}, choices: []string{"write"}}
	runWith(t)(session.UpdateProject(context.Background(), asking(e, p), &session.UpdateOptions{Run: session.Run{Dir: "proj", Flags: map[string]string{"ports": "8080,9091"}}}))
	if len(p.asked) != 1 || p.confirms != 1 || p.asked[0].ports != "8080,9091" {
		t.Fatalf("update --ports: asked %+v, confirmed %d; want one ask holding the flag's ports, one confirm", p.asked, p.confirms)
	}
	for _, q := range answers.Questions {
		if !p.asked[0].given[q.Key] {
			t.Errorf("update --ports would ask %s again", q.Key)
		}
	}
	if n := strings.Count(strings.Join(p.summaries, ""), "Update of loop"); n != 1 {
		t.Errorf("update --ports showed its plan %d times, want once", n)
	}

	// Cancel at the confirm writes nothing.
	before, _ := afero.ReadFile(fsys, "proj/.gonix.json")
	s, _ := session.UpdateProject(context.Background(), asking(e, &fakePrompter{ports: []string{"7000"}, choices: []string{"cancel"}}), &session.UpdateOptions{Run: session.Run{Dir: "proj"}})
	if _, err := s.Run(ctx); !errors.Is(err, session.ErrAborted) {
		t.Errorf("cancel: %v, want ErrAborted", err)
	}
	if after, _ := afero.ReadFile(fsys, "proj/.gonix.json"); !bytes.Equal(before, after) {
		t.Error("a cancelled update wrote .gonix.json")
	}
}

// asking is e with p as what asks in the terminal, as cmd/gonix-init
// gives internal/form's.
func asking(e session.Env, p session.Prompter) session.Env {
	e.Prompter = func(session.Env, bool) session.Prompter { return p }
	return e
}

// runWith runs a session, made as the call it is given makes it; it fails
// t on an error.
func runWith(t *testing.T) func(session.Session, error) {
	return func(s session.Session, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

// checkLoop checks one command's two asks: the first with the module
// given and from the first question, the second after Back with nothing
// given, from the last question, starting from the first answer; and that
// the second answer is what was written.
func checkLoop(t *testing.T, cmd string, p *fakePrompter, start string, fsys afero.Fs, written string) {
	t.Helper()
	if len(p.asked) != 2 || p.confirms != 2 {
		t.Fatalf("%s: asked %d times and confirmed %d, want 2 and 2", cmd, len(p.asked), p.confirms)
	}
	first, again := p.asked[0], p.asked[1]
	if first.atEnd || first.ports != start {
		t.Errorf("%s: first ask at end %v with ports %s, want from the first question with %s", cmd, first.atEnd, first.ports, start)
	}
	if cmd == "init" && !first.given["module"] {
		t.Errorf("init: the first ask did not take --module as given: %v", first.given)
	}
	if !again.atEnd || len(again.given) != 0 || again.ports != p.ports[0] {
		t.Errorf("%s: after Back: at end %v, given %v, ports %s; want every question, from the last, with %s", cmd, again.atEnd, again.given, again.ports, p.ports[0])
	}
	rec, _ := afero.ReadFile(fsys, "proj/.gonix.json")
	var a answers.Answers
	if _, _, err := answers.Read(bytes.NewReader(rec), &a); err != nil || answers.Lookup("ports").Format(a) != written {
		t.Errorf("%s wrote ports %v (%v), want %s", cmd, a.Ports, err, written)
	}
}

// TestInitLine checks the command printed after an interactive run: it
// reproduces the run (--force kept) and leaves out what is the default.
func TestInitLine(t *testing.T) {
	start := answers.Default()
	a := start
	a.Module, a.Name = "example.com/x", "x"
	if got, want := session.InitLine(a, start, &session.InitOptions{Run: session.Run{Dir: "."}, Force: true}), "gonix-init --module example.com/x --force --yes"; got != want {
		t.Errorf("InitLine = %q, want %q", got, want)
	}
	a.Name, a.Ports, a.Tools, a.CI = "other", []int{9090}, []string{"go-task"}, answers.GitHubActions
	want := "gonix-init --module example.com/x --name other --ports 9090 --tools go-task --ci github-actions --yes 'my app'"
	if got := session.InitLine(a, start, &session.InitOptions{Run: session.Run{Dir: "my app"}}); got != want {
		t.Errorf("InitLine = %q, want %q", got, want)
	}
	// adopt's leaves out the module path (go.mod's) and what adopt finds.
	found := answers.Adopting("example.com/tool", []string{".", "cmd/tool"}, nil)
	b := found
	if err := answers.Derive(&b); err != nil {
		t.Fatal(err)
	}
	if got, want := session.AdoptLine(b, found, &session.AdoptOptions{Run: session.Run{Dir: "."}}), "gonix-init adopt --yes"; got != want {
		t.Errorf("AdoptLine = %q, want %q", got, want)
	}
	b.Packages, b.Main, b.Name, b.Args, b.Tests = []string{"."}, ".", "tool", []string{"serve"}, answers.NoSandboxTests
	want = "gonix-init adopt --packages . --args serve --tests off --yes" // main . follows from the packages
	if got := session.AdoptLine(b, found, &session.AdoptOptions{Run: session.Run{Dir: "."}}); got != want {
		t.Errorf("AdoptLine = %q, want %q", got, want)
	}
}

// TestPlannersPrintNothing: each command's planner returns its plan and
// prints nothing (only Show does); it keeps no state, so that planning
// twice gives the same plan; and update --check's finding is the plan's
// Stop, not an error.
func TestPlannersPrintNothing(t *testing.T) {
	ctx := context.Background()
	fsys := afero.NewMemMapFs()
	var out bytes.Buffer
	e := memEnv(fsys, &out)
	create, err := session.Init(context.Background(), e, &session.InitOptions{Run: session.Run{Dir: "proj", Yes: true, Flags: map[string]string{"module": "example.com/plan"}}})
	if err != nil {
		t.Fatal(err)
	}
	planTwice(t, "init", create)
	if _, err := create.Run(ctx); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	check, err := session.UpdateProject(context.Background(), e, &session.UpdateOptions{Run: session.Run{Dir: "proj", Flags: map[string]string{"ports": "9090"}}, Check: true})
	if err != nil {
		t.Fatal(err)
	}
	if pl := planTwice(t, "update --check", check); pl.Stop != plan.WouldChange {
		t.Errorf("update --check --ports 9090: Stop %v, want WouldChange", pl.Stop)
	}
	stop, err := check.Run(ctx)
	if stop != plan.WouldChange || err != nil || !strings.Contains(out.String(), "run gonix-init update --ports 9090 proj") {
		t.Errorf("update --check: Run = %v, %v, printed %q; want WouldChange, no error, and the command to run", stop, err, out.String())
	}
	out.Reset()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(afero.WriteFile(fsys, "tool/go.mod", []byte("module example.com/tool\n\ngo 1.22\n"), 0o644))
	must(afero.WriteFile(fsys, "tool/main.go", []byte("package main\n\nfunc main() {}\n"), 0o644))
	must(afero.WriteFile(fsys, "tool/flake.nix", []byte("{ }\n"), 0o644))
	adopt, err := session.Adopt(context.Background(), e, &session.AdoptOptions{Run: session.Run{Dir: "tool", Yes: true, Flags: map[string]string{}}})
	must(err)
	if pl := planTwice(t, "adopt", adopt); pl.Stop != plan.Refused || pl.Fault == nil {
		t.Errorf("adopt over a flake.nix: Stop %v (%v), want Refused with its reason", pl.Stop, pl.Fault)
	}
}

// planTwice plans s's answers twice and checks that the planner printed
// nothing and planned the same both times.
func planTwice(t *testing.T, name string, s session.Session) plan.Plan {
	t.Helper()
	out := s.Env.Out.(*bytes.Buffer)
	before := out.Len()
	first, err := s.Planner.Plan(context.Background(), s.Answers)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	again, err := s.Planner.Plan(context.Background(), s.Answers)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if out.Len() != before {
		t.Errorf("%s: the planner printed %q", name, out.String()[before:])
	}
	if !reflect.DeepEqual(first, again) {
		t.Errorf("%s: two plans of the same answers differ", name)
	}
	return first
}
