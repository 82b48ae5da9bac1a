package form_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/form"
)

// driver types into a bubbletea model synchronously: each key goes to
// Update, and every command it returns runs to its message before the next
// key, so the view is settled when a test looks at it. (teatest v2 reads
// the renderer's output, which bubbletea v2 writes as cell diffs: a word on
// the screen need not appear whole in it.) Commands that do not return at
// once, like the cursor's blink, are dropped.
type driver struct {
	t    *testing.T
	m    tea.Model
	f    *form.Form
	hf   *huh.Form
	done bool
}

// start drives the questions of a new form.
func start(t *testing.T, given map[string]bool, a answers.Answers) *driver {
	t.Helper()
	return startWith(t, form.Config{Given: given}, a)
}

// askOnly drives a form that asks only the questions keys, the others
// given as the defaults for example.com/x.
func askOnly(t *testing.T, keys ...string) *driver {
	t.Helper()
	a := answers.Default()
	a.Module, a.Name = "example.com/x", "x"
	return askOnlyFrom(t, a, keys...)
}

// askOnlyFrom drives a form that asks only the questions keys, from a.
func askOnlyFrom(t *testing.T, a answers.Answers, keys ...string) *driver {
	t.Helper()
	given := map[string]bool{}
	for _, k := range answers.Keys() {
		given[k] = !slices.Contains(keys, k)
	}
	return start(t, given, a)
}

// startWith drives the questions of a new form made with cfg.
func startWith(t *testing.T, cfg form.Config, a answers.Answers) *driver {
	t.Helper()
	f := form.New(a, cfg)
	return drive(t, f, f.Model(), f.Questions)
}

// width is the terminal's width in columns.
var width = 120

// drive starts a model (a huh form, or the confirm around one).
func drive(t *testing.T, f *form.Form, m tea.Model, hf *huh.Form) *driver {
	t.Helper()
	hf.SubmitCmd = tea.Quit
	hf.CancelCmd = tea.Quit
	d := &driver{t: t, m: m, f: f, hf: hf}
	d.send(tea.WindowSizeMsg{Width: width, Height: 40})
	d.run(m.Init())
	return d
}

// send gives msg to the model, then runs what it returns.
func (d *driver) send(msg tea.Msg) {
	if d.done {
		return
	}
	switch msg := msg.(type) {
	case tea.QuitMsg:
		d.done = true
		return
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
		return
	}
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		for i := range v.Len() { // tea.Sequence's message
			d.run(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	var cmd tea.Cmd
	d.m, cmd = d.m.Update(msg)
	d.run(cmd)
}

// run runs cmd and sends its message, unless it does not return at once.
func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	got := make(chan tea.Msg, 1)
	go func() { got <- cmd() }()
	select {
	case msg := <-got:
		if msg != nil {
			d.send(msg)
		}
	case <-time.After(20 * time.Millisecond):
	}
}

// view is the screen the model shows now, without styles.
func (d *driver) view() string { return ansi.Strip(d.m.View().Content) }

// waitFor checks that the screen shows every text, which may wrap from
// one line to the next at a space.
func (d *driver) waitFor(texts ...string) {
	d.t.Helper()
	flat := strings.Join(strings.Fields(d.view()), " ")
	for _, s := range texts {
		if !strings.Contains(d.view(), s) && !strings.Contains(flat, s) {
			d.t.Fatalf("the screen lacks %q:\n%s", s, d.view())
		}
	}
}

func (d *driver) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (d *driver) key(k rune, n int) {
	for range n {
		d.send(tea.KeyPressMsg{Code: k})
	}
}

// enterModule starts a form that asks the module path and the name, from
// the defaults, and enters path as the module path.
func enterModule(t *testing.T, path string) *driver {
	t.Helper()
	d := askOnlyFrom(t, answers.Default(), "module", "name")
	d.waitFor("Go module path")
	d.typeText(path)
	d.enter()
	return d
}

// toggleOnly moves down n options of a multiple choice, toggles that one
// with Space, and goes on.
func (d *driver) toggleOnly(n int) {
	d.key(tea.KeyDown, n)
	d.typeText(" ")
	d.enter()
}

// shiftTab presses Shift-Tab.
func (d *driver) shiftTab() { d.send(tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}) }

func (d *driver) enter() { d.key(tea.KeyEnter, 1) }

// screen is what the model shows now.
func (d *driver) screen() string { return d.view() }

// finish ends the form and fails the test when it does not end. The
// questions after those a test answers take what they hold (Enter), so
// that a test stays true when a question is added after them.
func (d *driver) finish() {
	d.t.Helper()
	for range answers.Questions {
		if d.done {
			break
		}
		d.enter()
	}
	if !d.done {
		d.t.Fatalf("the form did not finish:\n%s", d.view())
	}
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
	d.toggleOnly(2)
	d.waitFor("Ports")
	d.key(tea.KeyBackspace, 10)
	d.typeText("8080 9090")
	d.enter()
	d.waitFor("Tools in the dev shell", "space toggle")
	// Deselect delve (the third).
	d.toggleOnly(2)
	d.waitFor("Continuous integration")
	d.key(tea.KeyUp, 1) // github-actions
	d.enter()
	d.finish()

	a, err := d.f.Answers()
	if err != nil {
		t.Fatal(err)
	}
	want := answers.Answers{
		Module: "example.com/hello", Name: "hello",
		Systems: []string{"x86_64-linux", "aarch64-linux"}, Ports: []int{8080, 9090},
		Tools: []string{"gopls", "golangci-lint", "go-task"}, CI: answers.GitHubActions,
	}
	if a.Module != want.Module || a.Name != want.Name || !slices.Equal(a.Systems, want.Systems) ||
		!slices.Equal(a.Ports, want.Ports) || !slices.Equal(a.Tools, want.Tools) || a.CI != want.CI {
		t.Errorf("answers %+v, want %+v", a, want)
	}
}

// TestMultiSelectHelpAgrees checks that the help bar says what the
// description says (space toggles) and offers no filter for short lists.
func TestMultiSelectHelpAgrees(t *testing.T) {
	d := askOnly(t, "systems", "ports", "tools", "ci")
	d.waitFor("Target systems", "Space toggles", "space toggle")
	if out := d.screen(); strings.Contains(out, "filter") || strings.Contains(out, "x toggle") {
		t.Errorf("the help bar offers a filter or says x toggle:\n%s", out)
	}
	d.key(tea.KeyEscape, 1)
	d.finish()
}

// TestStaleName follows the name through a module path changed back and
// forth: an emptied name is the one derived from the module path as it is
// now, never an earlier one.
func TestStaleName(t *testing.T) {
	d := enterModule(t, "a.com/foo")
	d.waitFor("foo")
	d.key(tea.KeyBackspace, 3)
	d.typeText("bar")
	d.shiftTab() // back to the module path
	d.key(tea.KeyBackspace, 3)
	d.typeText("qux")
	d.waitFor("a.com/qux")
	d.enter()
	d.key(tea.KeyBackspace, 10) // clear the name
	d.enter()
	d.finish()
	if a, err := d.f.Answers(); err != nil || a.Module != "a.com/qux" || a.Name != "qux" {
		t.Errorf("answers %+v, %v; want the name qux", a, err)
	}
}

func TestInvalidModuleIsRefusedThenCorrected(t *testing.T) {
	d := enterModule(t, "Foo Bar")
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
	d := askOnly(t, "ports")
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
	d := askOnly(t, "systems")
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

// TestNameFollowsModule types a module path, then a character into the
// name the form derived from it: the cursor is at the end of the derived
// name, not where it was in an earlier one.
func TestNameFollowsModule(t *testing.T) {
	d := enterModule(t, "x.com/abc")
	d.waitFor("> abc")
	d.shiftTab()
	d.key(tea.KeyBackspace, 3)
	d.typeText("longer-name-service")
	d.waitFor("x.com/longer-name-service")
	d.enter()
	d.waitFor("> longer-name-service")
	d.typeText("2")
	d.waitFor("longer-name-service2")
	d.enter()
	d.finish()
	if a, err := d.f.Answers(); err != nil || a.Name != "longer-name-service2" {
		t.Errorf("answers %+v, %v; want the name longer-name-service2", a, err)
	}
}

// TestConfirm drives the confirm: Enter writes; the other lines go back or
// cancel; Shift-Tab goes back; and the chosen line is marked without
// colour too (NO_COLOR).
func TestConfirm(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	for _, tc := range []struct {
		name string
		keys func(d *driver)
		want form.Choice
	}{
		{"enter", func(d *driver) { d.enter() }, form.Write},
		{"down", func(d *driver) { d.key(tea.KeyDown, 1); d.waitFor("> " + string(form.Back)); d.enter() }, form.Back},
		{"shift-tab", func(d *driver) { d.shiftTab() }, form.Back},
		{"cancel", func(d *driver) { d.key(tea.KeyDown, 2); d.waitFor("> " + string(form.Cancel)); d.enter() }, form.Cancel},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := form.NewConfirm(form.Config{}, "Write the project?")
			d := drive(t, nil, c, c.Form)
			d.waitFor("Write the project?", "> "+string(form.Write))
			tc.keys(d)
			d.finish()
			if got := c.Choice(); got != tc.want {
				t.Errorf("choice %q, want %q", got, tc.want)
			}
		})
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

// TestAccessibleAnswersEveryQuestion answers every question of a new
// project in accessible mode, as a script pipes them in: each question is
// numbered, with its help, its choices and what Enter keeps, and the
// answer is on a line of its own; a wrong answer is said and asked again;
// a list is typed as its flag takes it, and Enter alone keeps what the
// question holds.
func TestAccessibleAnswersEveryQuestion(t *testing.T) {
	// module (a wrong one first, re-asked), name (Enter keeps the derived
	// one), systems (two of three), ports (a duplicate first, re-asked),
	// tools, CI.
	in := strings.Join([]string{
		"Foo Bar", "example.com/acc", "",
		"x86_64-linux,aarch64-linux",
		"1,1", "8080,9090",
		"gopls,golangci-lint,go-task",
		"none",
	}, "\n") + "\n"
	in = andDefaults(in)
	a, out, err := askAccessible(t, answers.Default(), in)
	if err != nil {
		t.Fatalf("Ask: %v\n%s", err, out)
	}
	asked := askedOf(answers.New)
	for _, msg := range []string{
		"Question 1 of " + strconv.Itoa(len(asked)) + ": Go module path\n",
		"> Foo Bar\nNot taken: \"Foo Bar\": invalid char ' '",
		"Not taken: port 1 is listed twice",
		"Question 4 of " + strconv.Itoa(len(asked)) + ": Ports\n" + answers.Lookup("ports").Help + ".\nEnter alone keeps: 8080\n> 1,1\n",
		"Answer one or more, separated by commas, of:\n  x86_64-linux: Linux on Intel/AMD\n",
		"Enter alone keeps: acc\n",
	} {
		if !strings.Contains(out, msg) {
			t.Errorf("output lacks %q:\n%s", msg, out)
		}
	}
	want := answers.Answers{Module: "example.com/acc", Name: "acc", Systems: []string{"x86_64-linux", "aarch64-linux"},
		Ports: []int{8080, 9090}, Tools: []string{"gopls", "golangci-lint", "go-task"}}
	if a.Module != want.Module || a.Name != want.Name || !slices.Equal(a.Systems, want.Systems) ||
		!slices.Equal(a.Ports, want.Ports) || !slices.Equal(a.Tools, want.Tools) || a.CI != answers.NoCI {
		t.Errorf("answers %+v, want %+v\n%s", a, want, out)
	}
}

// askedOf are the questions the profile p asks, in order.
func askedOf(p *answers.Profile) []*answers.Question {
	return slices.DeleteFunc(slices.Clone(answers.Questions), func(q *answers.Question) bool { return !p.Asks(q) })
}

// TestAccessibleEndOfInputFailsCleanly ends the input in the middle of the
// questions, and before the first: Ask returns at once, aborted.
func TestAccessibleEndOfInputFailsCleanly(t *testing.T) {
	for _, in := range []string{"example.com/eof\n\n", ""} {
		var out bytes.Buffer
		done := make(chan error, 1)
		go func() {
			_, err := form.Ask(context.Background(), answers.Default(), form.Config{
				In: strings.NewReader(in), Out: &out, Accessible: true, Given: map[string]bool{},
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

// TestAccessibleConfirm answers the confirm in accessible mode: the
// summary comes first, then the question and what each answer does; Enter
// writes, b goes back, c cancels, anything else is asked again.
func TestAccessibleConfirm(t *testing.T) {
	for in, want := range map[string]form.Choice{"\n": form.Write, "b\n": form.Back, "what\nB\n": form.Back, "c\n": form.Cancel} {
		var out bytes.Buffer
		got, err := form.Confirm(context.Background(), form.Config{In: strings.NewReader(in), Out: &out, Accessible: true}, "Summary\n", "Apply the update?")
		if got != want || (want == form.Cancel) != errors.Is(err, form.ErrAborted) {
			t.Errorf("%q: %q, %v; want %q", in, got, err, want)
		}
		if !strings.HasPrefix(out.String(), "Summary\nApply the update? Enter or y writes, b goes back to the questions, c cancels.\n> "+strings.SplitN(in, "\n", 2)[0]+"\n") {
			t.Errorf("%q: printed %q", in, out.String())
		}
	}
}

// TestAccessibleCtrlC cancels the run while an accessible prompt waits for
// a line, as SIGINT does: huh's accessible mode ignores the context, and
// Ask still returns ErrAborted at once.
func TestAccessibleCtrlC(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := form.Ask(ctx, answers.Default(), form.Config{In: r, Out: io.Discard, Accessible: true, Given: map[string]bool{}})
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, form.ErrAborted) {
			t.Errorf("err = %v, want ErrAborted", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Ask did not return after the context was cancelled")
	}
}

// TestFitsEightyColumns walks every question at 80 columns: every option
// stands whole on one line with its description, and the help bar is not
// cut (its last item shows).
func TestFitsEightyColumns(t *testing.T) {
	width = 80
	defer func() { width = 120 }()
	d := start(t, map[string]bool{}, answers.Default())
	d.typeText("example.com/eighty")
	for range len(answers.Questions) + 1 {
		lines := strings.Split(d.view(), "\n")
		for _, q := range answers.Questions {
			for _, c := range q.Choices {
				for _, l := range lines {
					if strings.Contains(l, fmt.Sprintf("%-15s ", c.Value)) && !aboutOf(l, c.Value) {
						t.Errorf("option %s is cut or wrapped: %q", c.Value, l)
					}
				}
			}
		}
		if v := d.view(); v != "" && (strings.Contains(v, "space toggle") && !strings.Contains(v, "ctrl+a") || !strings.Contains(v, "esc quit")) {
			t.Errorf("the help bar is cut:\n%s", v)
		}
		d.enter()
	}
	d.finish()
}

// TestCrossFieldRuleStaysInTheForm turns go-task off in the tools, then
// chooses github-actions: the refusal shows at the CI field, which stays,
// and the answers are kept; choosing none then finishes the form. With the
// tools given as a flag, the same rule shows at CI and names the flag.
func TestCrossFieldRuleStaysInTheForm(t *testing.T) {
	d := askOnly(t, "tools", "ci")
	d.waitFor("Tools in the dev shell")
	d.key(tea.KeyDown, 3) // go-task
	d.typeText(" ")
	d.enter()
	d.waitFor("Continuous integration")
	d.key(tea.KeyUp, 1) // github-actions
	d.enter()
	d.waitFor("github-actions runs `task verify`: add go-task to the tools", "shift+tab back to tools in the dev shell", "esc quit")
	if d.done {
		t.Fatal("the form ended on a rule between two answers")
	}
	// The way out the error names: Shift-Tab, from the field in error, back
	// to the tools, which hold what was chosen; go-task on again, then
	// github-actions stands.
	d.shiftTab()
	d.waitFor("Tools in the dev shell")
	if strings.Contains(d.view(), "add go-task to the tools") {
		t.Fatalf("Shift-Tab left the error showing:\n%s", d.view())
	}
	if a, _ := d.f.Answers(); slices.Contains(a.Tools, "go-task") || !slices.Contains(a.Tools, "gopls") || a.CI != answers.GitHubActions {
		t.Errorf("back at the tools, the answers are %+v", a) // the rule's error is expected
	}
	d.key(tea.KeyDown, 3)
	d.typeText(" ") // go-task on
	d.enter()
	d.waitFor("Continuous integration")
	d.enter() // github-actions, as chosen before
	d.finish()
	got, err := d.f.Answers()
	if err != nil || got.CI != answers.GitHubActions || !slices.Contains(got.Tools, "go-task") || !slices.Contains(got.Tools, "gopls") {
		t.Errorf("answers %+v, %v", got, err)
	}

	// Without going back, choosing none settles the rule too.
	d = askOnly(t, "tools", "ci")
	d.key(tea.KeyDown, 3)
	d.typeText(" ")
	d.enter()
	d.key(tea.KeyUp, 1)
	d.enter()
	d.waitFor("add go-task to the tools")
	d.key(tea.KeyDown, 1) // none
	d.enter()
	d.finish()
	got, err = d.f.Answers()
	if err != nil || got.CI != answers.NoCI || slices.Contains(got.Tools, "go-task") || !slices.Contains(got.Tools, "gopls") {
		t.Errorf("answers %+v, %v", got, err)
	}

	a := answers.Default()
	a.Module, a.Name, a.Tools = "example.com/x", "x", []string{"gopls"}
	d = askOnlyFrom(t, a, "ci")
	d.key(tea.KeyUp, 1)
	d.enter()
	d.waitFor("add go-task to the tools", "run again with another --tools")
	if d.done {
		t.Fatal("the form ended on a rule with a given answer")
	}
}

// TestCrossFieldRuleShownWhereItCanBeSettled: with github-actions given,
// turning go-task off in the tools is refused at the tools; with CI still
// to be asked, the tools accept it and CI is where the rule shows.
func TestCrossFieldRuleShownWhereItCanBeSettled(t *testing.T) {
	a := answers.Default()
	a.Module, a.Name, a.CI = "example.com/x", "x", answers.GitHubActions
	d := askOnlyFrom(t, a, "tools")
	d.toggleOnly(3)
	d.waitFor("github-actions runs `task verify`", "run again with another --ci")
	d.typeText(" ") // go-task back on
	d.enter()
	d.finish()
	if got, err := d.f.Answers(); err != nil || !slices.Contains(got.Tools, "go-task") {
		t.Errorf("answers %+v, %v", got, err)
	}
}

// TestNoAcceptedFieldsFailTogether walks every combination of tools and CI
// through the form's own checks: whatever each field accepted, the answers
// as a whole are valid, so no rule between two answers can end a form.
func TestNoAcceptedFieldsFailTogether(t *testing.T) {
	accepted := 0
	for mask := range 1 << len(answers.AllTools) {
		for ci := range answers.AllCI {
			d := askOnly(t, "tools", "ci")
			for i := range answers.AllTools {
				if mask&(1<<i) == 0 {
					d.typeText(" ") // every tool starts selected: toggle it off
				}
				d.key(tea.KeyDown, 1)
			}
			d.enter()
			d.key(tea.KeyUp, len(answers.AllCI))
			d.key(tea.KeyDown, ci)
			d.enter()
			if !d.done {
				continue // refused at a field: the form goes on
			}
			accepted++
			if _, err := d.f.Answers(); err != nil {
				t.Errorf("tools mask %b, CI %d: every field accepted, but the answers fail: %v", mask, ci, err)
			}
		}
	}
	// Most combinations are accepted (github-actions needs go-task): a
	// form that refused them all would check nothing here.
	if want := 1 << len(answers.AllTools); accepted < want {
		t.Errorf("%d combinations of tools and CI were accepted, want at least %d", accepted, want)
	}
}

// TestErrorsWrapAtSpaces keeps a long refusal whole at 80 columns: no
// module path is cut in two.
func TestErrorsWrapAtSpaces(t *testing.T) {
	width = 80
	defer func() { width = 120 }()
	d := askOnlyFrom(t, answers.Default(), "module", "name")
	path := "example.com/a-very-long-organisation/with-a-long-repository-name/v1"
	d.typeText(path)
	d.enter()
	d.waitFor("must look like /v2")
	if !strings.Contains(d.view(), `"`+path+`"`) {
		t.Errorf("the module path is cut in the refusal:\n%s", d.view())
	}
}

// TestHelpBarNamesTheWayOut shows Esc in the help bar of every page and of
// the confirm.
func TestHelpBarNamesTheWayOut(t *testing.T) {
	d := start(t, map[string]bool{}, answers.Default())
	d.waitFor("esc quit")
	c := form.NewConfirm(form.Config{}, "Write the project?")
	d = drive(t, nil, c, c.Form)
	d.waitFor("Write the project?", "esc quit")
	// Shift-Tab goes back to the questions from the confirm, which says so.
	d.waitFor("shift+tab back")
	if n := strings.Count(d.view(), "shift+tab back"); n != 1 {
		t.Errorf("the help bar names the way back %d times:\n%s", n, d.view())
	}
}

// TestNameFollowsWhileTyping: the name's preview follows the module path
// key by key, before Enter.
func TestNameFollowsWhileTyping(t *testing.T) {
	d := askOnlyFrom(t, answers.Default(), "module", "name")
	d.typeText("example.com/live")
	d.waitFor("> live")
	d.key(tea.KeyBackspace, 4)
	d.typeText("wire")
	d.waitFor("> wire")
	if strings.Contains(d.view(), "> live") {
		t.Errorf("the name is stale:\n%s", d.view())
	}
}

// aboutOf reports whether line holds the whole description of a choice
// whose value is value, of any question.
func aboutOf(line, value string) bool {
	for _, q := range answers.Questions {
		for _, c := range q.Choices {
			if c.Value == value && strings.Contains(line, c.About) {
				return true
			}
		}
	}
	return false
}

// TestAtEndStartsOnTheLastQuestion: asked again after Go back, the form
// starts where the user left it, at the last question, with every answer
// kept; Shift-Tab goes on back from there.
func TestAtEndStartsOnTheLastQuestion(t *testing.T) {
	a := answers.Default()
	a.Module, a.Name, a.Ports = "example.com/kept", "kept", []int{9000}
	d := startWith(t, form.Config{Given: map[string]bool{}, AtEnd: true}, a)
	qs := askedOf(answers.New)
	d.waitFor(qs[len(qs)-1].Title)
	for i := len(qs) - 2; qs[i+1].Key != "ports"; i-- {
		d.shiftTab()
		d.waitFor(qs[i].Title)
	}
	d.waitFor("9000")
	d.finish()
	if got, err := d.f.Answers(); err != nil || got.Module != "example.com/kept" || !slices.Equal(got.Ports, []int{9000}) {
		t.Errorf("answers %+v, %v", got, err)
	}
}

// askAccessible runs the accessible form on in and returns the answers
// and what it printed.
func askAccessible(t *testing.T, a answers.Answers, in string) (answers.Answers, string, error) {
	t.Helper()
	var out bytes.Buffer
	done := make(chan struct{})
	var got answers.Answers
	var err error
	go func() {
		defer close(done)
		got, err = form.Ask(context.Background(), a, form.Config{
			In: oneByteReader{strings.NewReader(in)}, Out: &out, Accessible: true, Given: map[string]bool{},
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("accessible form hung; output so far:\n%s", &out)
	}
	return got, out.String(), err
}

// andDefaults is accessible input in, then Enter for each question after
// those in answers, which takes its stated default: a test stays true when
// a question is added after them.
func andDefaults(in string) string { return in + strings.Repeat("\n", len(answers.Questions)) }

// TestAccessibleEnterTakesTheStatedDefault: Enter alone answers what each
// question states it keeps, the name's being the one derived from the
// module path; asked again (after Go back), every question states the
// answer given before, and Enter keeps it.
func TestAccessibleEnterTakesTheStatedDefault(t *testing.T) {
	got, out, err := askAccessible(t, answers.Default(), andDefaults("example.com/acc2\n"))
	if err != nil {
		t.Fatalf("Ask: %v\n%s", err, out)
	}
	for _, s := range []string{"Question 2 of", "App name\napp name: it names the binary, the Nix package and the image.\n", "Enter alone keeps: acc2\n", "Enter alone keeps: 8080\n", "Required: give one like github.com/you/myapp\n"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "Not taken") || got.Name != "acc2" || !slices.Equal(got.Ports, []int{8080}) || len(got.Systems) != 3 {
		t.Errorf("Enter did not take the defaults: %+v\n%s", got, out)
	}
	again, out, err := askAccessible(t, got, andDefaults(""))
	if err != nil || again.Module != "example.com/acc2" || again.Name != "acc2" {
		t.Errorf("asked again, Enter lost the answers: %+v, %v\n%s", again, err, out)
	}
	if !strings.Contains(out, "Enter alone keeps: example.com/acc2\n") || strings.Contains(out, "Required") {
		t.Errorf("asked again, the module question does not state the answer given:\n%s", out)
	}
}

// TestAccessibleSaysWhatAnEmptyListNeeds starts from answers without a
// system (a list that needs one, without an example): the question says
// what to give, and Enter alone is refused until one is given.
func TestAccessibleSaysWhatAnEmptyListNeeds(t *testing.T) {
	start := answers.Default()
	start.Systems = nil
	got, out, err := askAccessible(t, start, andDefaults("example.com/acc3\n\n\n\nx86_64-linux\n"))
	if err != nil {
		t.Fatalf("Ask: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Required: give at least one system\n> \nNot taken: choose at least one of") || strings.Contains(out, "give one like \n") {
		t.Errorf("the systems question does not say what it needs:\n%s", out)
	}
	if !slices.Equal(got.Systems, []string{"x86_64-linux"}) {
		t.Errorf("systems %q, want the one given", got.Systems)
	}
}

// TestLowPortNoteFollowsTheAnswer types a port below 1024: one line under
// the question says what it means for the image's non-root user, and goes
// when the port is changed back.
func TestLowPortNoteFollowsTheAnswer(t *testing.T) {
	d := askOnly(t, "ports")
	d.waitFor("Ports")
	if strings.Contains(d.view(), "below 1024") {
		t.Fatalf("a note for 8080:\n%s", d.view())
	}
	d.key(tea.KeyBackspace, 10)
	d.typeText("80")
	d.waitFor("Port 80 is below 1024: the image's non-root user may bind it on Docker")
	d.key(tea.KeyBackspace, 2)
	d.typeText("8081")
	d.enter()
	d.finish()
	if got, err := d.f.Answers(); err != nil || !slices.Equal(got.Ports, []int{8081}) {
		t.Errorf("answers %+v, %v", got, err)
	}
}

// TestAdoptChoosesAmongTheProjectsMains: adopting a module with several
// main packages, the form offers them as its choices: every one checked to
// be built, and the image's one a select among them; a choice moved to
// cmd/b is the answer, and the name follows it.
func TestAdoptChoosesAmongTheProjectsMains(t *testing.T) {
	a := answers.Adopting("example.com/tools", []string{"cmd/a", "cmd/b"}, nil)
	if err := answers.Derive(&a); err != nil {
		t.Fatal(err)
	}
	d := askOnlyFrom(t, a, "packages", "main", "name")
	d.waitFor("Main packages to build", "[•] cmd/a", "[•] cmd/b")
	d.enter()
	d.waitFor("Main package of the image", "> cmd/a")
	d.key(tea.KeyDown, 1)
	d.waitFor("> cmd/b")
	d.enter()
	// The name follows the image's main package until changed.
	d.waitFor("App name", "> b")
	d.finish()
	got, err := d.f.Answers()
	if err != nil || !slices.Equal(got.Packages, []string{"cmd/a", "cmd/b"}) || got.Main != "cmd/b" || got.Name != "b" {
		t.Errorf("answers: packages %v, main %q, name %q, %v; want both, cmd/b, b", got.Packages, got.Main, got.Name, err)
	}
}

// updateReadme writes the README's sample of the form (TestReadmeShowsTheForm).
var updateReadme = flag.Bool("readme", false, "write the README's sample of the form")

// TestReadmeShowsTheForm keeps the README's sample of the form's first page
// what the form shows at 80 columns once github.com/you/myapp is typed:
// the note under the module path, the name following it. With -readme it
// writes it.
func TestReadmeShowsTheForm(t *testing.T) {
	width = 80
	defer func() { width = 120 }()
	d := start(t, map[string]bool{}, answers.Default())
	d.typeText("github.com/you/myapp")
	d.waitFor("The image's source label", "> myapp")
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(d.view(), "\n "), "\n") {
		lines = append(lines, strings.TrimRight(l, " "))
	}
	sample := "```\n" + strings.Join(lines, "\n") + "\n```\n"
	const begin, end = "<!-- form: checked by go test ./internal/form -run TestReadmeShowsTheForm -->\n", "<!-- end of form -->\n"
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(readme, []byte(begin)), bytes.Index(readme, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the lines %q and %q", begin, end)
	}
	want := append(append(append([]byte{}, readme[:i+len(begin)]...), sample...), readme[j:]...)
	switch {
	case bytes.Equal(readme, want):
	case *updateReadme:
		if err := os.WriteFile("../../README.md", want, 0o644); err != nil {
			t.Fatal(err)
		}
	default:
		t.Errorf("README.md's sample of the form is not what the form shows; run go test ./internal/form -run TestReadmeShowsTheForm -readme:\n%s", sample)
	}
}

// TestNameFollowsToTheFinalModule: typed key by key, the module path
// passes through prefixes that are modules of their own (github.com/me);
// the name ends as the final module's, not a prefix's.
func TestNameFollowsToTheFinalModule(t *testing.T) {
	d := askOnlyFrom(t, answers.Default(), "module", "name")
	for _, r := range "github.com/me/Hello" {
		d.typeText(string(r))
	}
	if strings.Contains(d.view(), "> me ") {
		t.Errorf("the name stuck to a prefix's:\n%s", d.view())
	}
	d.enter()
	d.enter()
	d.waitFor("give --name hello (or another)")
}

// TestSelectNeverOffersAFilter: the CI choice, two options, offers no
// filter, on its first visit or when the user comes back to it; "/" there
// changes nothing.
func TestSelectNeverOffersAFilter(t *testing.T) {
	d := askOnly(t, "ci", "release")
	d.waitFor("enter select")
	if strings.Contains(d.view(), "filter") {
		t.Errorf("the select offers a filter:\n%s", d.view())
	}
	d.enter()
	d.waitFor("Release archives")
	d.shiftTab()
	d.waitFor("enter select")
	if strings.Contains(d.view(), "filter") {
		t.Errorf("back on the select, it offers a filter:\n%s", d.view())
	}
	d.typeText("/")
	if strings.Contains(d.view(), "filter") {
		t.Errorf("/ opened a filter:\n%s", d.view())
	}
	d.finish()
}

// TestAccessibleBuildsNoHuhForm checks that accessible mode asks from the
// fields alone: no huh form is built, and the terminal's form is.
func TestAccessibleBuildsNoHuhForm(t *testing.T) {
	a := answers.Default()
	if f := form.New(a, form.Config{Accessible: true, Given: map[string]bool{}}); f.Questions != nil {
		t.Error("accessible mode built a huh form")
	}
	if f := form.New(a, form.Config{Given: map[string]bool{}}); f.Questions == nil {
		t.Error("the terminal's form has no huh form")
	}
}
