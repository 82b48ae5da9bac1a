package form_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/form"
)

func files(answers.Answers) []string { return []string{"flake.nix", "go.mod"} }

// driver types into a form under teatest and waits for the screen to show
// what each step expects.
type driver struct {
	t  *testing.T
	tm *teatest.TestModel
	f  *form.Form
	hf *huh.Form
}

// start drives the questions of a new form.
func start(t *testing.T, given map[string]bool, a answers.Answers) *driver {
	t.Helper()
	f := form.New(a, form.Config{Given: given, Dir: "proj", Files: files})
	return drive(t, f, f.Questions)
}

// drive runs one of the form's huh forms under teatest.
func drive(t *testing.T, f *form.Form, hf *huh.Form) *driver {
	t.Helper()
	hf.SubmitCmd = tea.Quit
	hf.CancelCmd = tea.Quit
	tm := teatest.NewTestModel(t, hf, teatest.WithInitialTermSize(120, 40))
	return &driver{t, tm, f, hf}
}

// confirm drives the confirm after the questions, answering with key.
func (d *driver) confirm(keys string) {
	d.t.Helper()
	c := drive(d.t, d.f, d.f.Confirm)
	c.waitFor("Write the project?", "Write", "Cancel")
	if keys == "" {
		c.enter()
	} else {
		c.typeText(keys)
	}
	c.finish()
}

// waitFor waits until the screen shows every text.
func (d *driver) waitFor(texts ...string) {
	d.t.Helper()
	teatest.WaitFor(d.t, d.tm.Output(), func(b []byte) bool {
		for _, s := range texts {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

func (d *driver) typeText(s string) { d.tm.Type(s) }
func (d *driver) key(k tea.KeyType, n int) {
	for range n {
		d.tm.Send(tea.KeyMsg{Type: k})
	}
}
func (d *driver) enter() { d.key(tea.KeyEnter, 1) }

func (d *driver) finish() {
	d.t.Helper()
	d.tm.WaitFinished(d.t, teatest.WithFinalTimeout(5*time.Second))
}

func TestHappyPath(t *testing.T) {
	d := start(t, map[string]bool{}, answers.Default())
	d.waitFor("Go module path", "App name")
	d.typeText("example.com/hello")
	d.enter()
	// The name followed the module path; keep it.
	d.waitFor("hello")
	d.enter()
	d.waitFor("Target systems", "aarch64-darwin")
	// Deselect aarch64-darwin (the third), keep the others.
	d.key(tea.KeyDown, 2)
	d.typeText(" ")
	d.enter()
	d.waitFor("Ports")
	d.key(tea.KeyBackspace, 10)
	d.typeText("8080 9090")
	d.enter()
	d.waitFor("Tools in the dev shell")
	// Deselect delve (the third).
	d.key(tea.KeyDown, 2)
	d.typeText(" ")
	d.enter()
	d.finish()
	summary := d.f.Summary()
	for _, want := range []string{"example.com/hello", "x86_64-linux, aarch64-linux", "8080 9090", "go, gopls, golangci-lint, go-task", "proj", "flake.nix go.mod"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	d.confirm("")

	if !d.f.Confirmed() {
		t.Fatal("not confirmed")
	}
	a, err := d.f.Answers()
	if err != nil {
		t.Fatal(err)
	}
	want := answers.Answers{
		Module: "example.com/hello", Name: "hello",
		Systems: []string{"x86_64-linux", "aarch64-linux"}, Ports: []int{8080, 9090},
		Tools: []string{"gopls", "golangci-lint", "go-task"},
	}
	if a.Module != want.Module || a.Name != want.Name || !slices.Equal(a.Systems, want.Systems) ||
		!slices.Equal(a.Ports, want.Ports) || !slices.Equal(a.Tools, want.Tools) {
		t.Errorf("answers %+v, want %+v", a, want)
	}
}

func TestInvalidModuleIsRefusedThenCorrected(t *testing.T) {
	d := start(t, map[string]bool{"systems": true, "ports": true, "tools": true}, answers.Default())
	d.waitFor("Go module path")
	d.typeText("Foo Bar")
	d.enter()
	d.waitFor("invalid char ' '", "give a path like github.com/you/myapp")
	d.key(tea.KeyBackspace, len("Foo Bar"))
	d.typeText("example.com/fixed")
	d.enter()
	d.waitFor("fixed")
	d.enter() // name: fixed, derived from the corrected path
	d.finish()
	if a, err := d.f.Answers(); err != nil || a.Module != "example.com/fixed" || a.Name != "fixed" {
		t.Errorf("answers %+v, %v", a, err)
	}
}

func TestDuplicatePortsAreRefused(t *testing.T) {
	a := answers.Default()
	a.Module, a.Name = "example.com/x", "x"
	d := start(t, map[string]bool{"module": true, "name": true, "systems": true, "tools": true}, a)
	d.waitFor("Ports")
	d.key(tea.KeyBackspace, 10)
	d.typeText("8080,8080")
	d.enter()
	d.waitFor("port 8080 is listed twice")
	d.key(tea.KeyBackspace, 5)
	d.typeText(",9000")
	d.enter()
	d.finish()
	if got, err := d.f.Answers(); err != nil || !slices.Equal(got.Ports, []int{8080, 9000}) {
		t.Errorf("answers %+v, %v", got, err)
	}
}

func TestNoSystemIsRefused(t *testing.T) {
	a := answers.Default()
	a.Module, a.Name = "example.com/x", "x"
	d := start(t, map[string]bool{"module": true, "name": true, "ports": true, "tools": true}, a)
	d.waitFor("Target systems")
	for i := range 3 {
		if i > 0 {
			d.key(tea.KeyDown, 1)
		}
		d.typeText(" ")
	}
	d.enter()
	d.waitFor("choose at least one of")
	d.typeText(" ") // aarch64-darwin back on
	d.enter()
	d.finish()
	if got, err := d.f.Answers(); err != nil || !slices.Equal(got.Systems, []string{"aarch64-darwin"}) {
		t.Errorf("answers %+v, %v", got, err)
	}
}

func TestEscAborts(t *testing.T) {
	d := start(t, map[string]bool{}, answers.Default())
	d.waitFor("Go module path")
	d.typeText("example.com/half")
	d.key(tea.KeyEscape, 1)
	d.finish()
	if d.hf.State != huh.StateAborted {
		t.Errorf("state %v after Esc, want aborted", d.hf.State)
	}
}

func TestDeclineIsNotConfirmed(t *testing.T) {
	a := answers.Default()
	a.Module, a.Name = "example.com/x", "x"
	f := form.New(a, form.Config{Given: map[string]bool{"module": true, "name": true, "systems": true, "ports": true, "tools": true}})
	d := &driver{t: t, f: f}
	d.confirm("n")
	if d.f.Confirmed() {
		t.Error("n still confirmed")
	}
}

// oneByteReader hands out one byte per Read, as a terminal does per key.
type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

func TestAccessibleAnswersEveryQuestion(t *testing.T) {
	// module (a wrong one first, re-asked), name (Enter keeps the derived
	// one), systems (toggle 3 off, then 0 to finish), ports (a duplicate
	// first, re-asked), tools (toggle 3 = delve off), confirm.
	in := strings.Join([]string{
		"Foo Bar", "example.com/acc", "",
		"3", "0",
		"1,1", "8080,9090",
		"3", "0",
		"y",
	}, "\n") + "\n"
	var out bytes.Buffer
	done := make(chan struct{})
	var a answers.Answers
	var err error
	go func() {
		defer close(done)
		a, err = form.Ask(context.Background(), answers.Default(), form.Config{
			In: oneByteReader{strings.NewReader(in)}, Out: &out, Accessible: true,
			Given: map[string]bool{}, Dir: "proj", Files: files,
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("accessible form hung; output so far:\n%s", &out)
	}
	if err != nil {
		t.Fatalf("Ask: %v\n%s", err, &out)
	}
	for _, msg := range []string{"invalid char ' '", "port 1 is listed twice", "Summary", "example.com/acc", "Write the project?"} {
		if !strings.Contains(out.String(), msg) {
			t.Errorf("output lacks the refusal %q:\n%s", msg, &out)
		}
	}
	want := answers.Answers{Module: "example.com/acc", Name: "acc", Systems: []string{"x86_64-linux", "aarch64-linux"},
		Ports: []int{8080, 9090}, Tools: []string{"gopls", "golangci-lint", "go-task"}}
	if a.Module != want.Module || a.Name != want.Name || !slices.Equal(a.Systems, want.Systems) ||
		!slices.Equal(a.Ports, want.Ports) || !slices.Equal(a.Tools, want.Tools) {
		t.Errorf("answers %+v, want %+v\n%s", a, want, &out)
	}
}

func TestAccessibleEndOfInputFailsCleanly(t *testing.T) {
	// Input ends in the middle: at the systems question, where huh v1.0.0
	// would loop forever, and right at the start.
	for _, in := range []string{"example.com/eof\n\n", ""} {
		var out bytes.Buffer
		done := make(chan error, 1)
		go func() {
			_, err := form.Ask(context.Background(), answers.Default(), form.Config{
				In: strings.NewReader(in), Out: &out, Accessible: true, Given: map[string]bool{}, Dir: "proj", Files: files,
			})
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, form.ErrAborted) {
				t.Errorf("input %q: err = %v, want ErrAborted", in, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("input %q: the form hung at end of input:\n%.2000s", in, out.String())
		}
	}
}
