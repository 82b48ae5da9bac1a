// Package form asks, in a terminal form built with huh, for the answers that
// flags left out, and for one confirm once the caller has shown the plan.
// Its fields are made from answers.Questions: each is checked inline by the
// same parser the flags use. The form only asks: it never renders, plans or
// writes, and calls nothing back.
package form

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/style"
)

// ErrAborted is returned when the user presses Ctrl-C or Esc, cancels at
// the confirm, or input ends before every question is answered.
var ErrAborted = errors.New("aborted")

// Config says where to ask, how, and what not to ask.
type Config struct {
	In         io.Reader
	Out        io.Writer
	Accessible bool            // huh's accessible mode, for screen readers
	Given      map[string]bool // answers given by flags or an answers file: not asked
}

// Form is the questions over one set of answers.
type Form struct {
	Questions *huh.Form
	cfg       Config
	start     answers.Answers
	texts     map[string]*string   // free-text and single-choice answers, by key
	lists     map[string]*[]string // multiple-choice answers, by key
	derived   string               // the name last derived from the module path
	nameInput *huh.Input           // the name's field, when it is asked
	asks      bool                 // some question is left to ask
}

// New builds the questions that cfg.Given leaves, filled in from a (the
// defaults, the recorded answers, the answers file and the flags).
func New(a answers.Answers, cfg Config) *Form {
	f := &Form{cfg: cfg, start: a, texts: map[string]*string{}, lists: map[string]*[]string{}}
	if n, err := answers.DefaultName(a.Module); err == nil && n == a.Name {
		f.derived = n // the name follows the module path until changed
	}
	var groups []*huh.Group
	var first []huh.Field // the module path and the name share a page
	for _, q := range answers.Questions {
		if cfg.Given[q.Key] {
			continue
		}
		field := f.field(q, a)
		if q.Key == "module" || q.Key == "name" {
			first = append(first, field)
			continue
		}
		if len(first) > 0 {
			groups, first = append(groups, huh.NewGroup(first...)), nil
		}
		groups = append(groups, huh.NewGroup(field))
	}
	if len(first) > 0 {
		groups = append(groups, huh.NewGroup(first...))
	}
	f.Questions = newHuhForm(cfg, groups...)
	f.asks = len(groups) > 0
	return f
}

// field makes the huh field of one question.
func (f *Form) field(q *answers.Question, a answers.Answers) huh.Field {
	title, help := q.Title, q.Help
	if f.cfg.Accessible {
		// Accessible mode shows only the title: put the help and default there.
		title += " (" + q.Help + "; default: " + q.Default + ")"
	}
	check := func(text string) error {
		b := f.start
		return reasonOf(q.Parse(&b, text))
	}
	switch {
	case q.Choices != nil && q.Multi:
		v := answerList(q, a)
		f.lists[q.Key] = &v
		return huh.NewMultiSelect[string]().
			Title(title).
			Description(help + ". Space toggles, Enter goes on.").
			Options(options(q.Choices, v)...).
			Filterable(false).
			// Room for the title, the description and every option: huh v2
			// sizes a group before its fields have laid out, and would
			// otherwise show one option.
			Height(len(q.Choices) + 3).
			Value(f.lists[q.Key]).
			Validate(func(v []string) error { return check(strings.Join(v, ",")) })
	case q.Choices != nil:
		v := q.Format(a)
		f.texts[q.Key] = &v
		return huh.NewSelect[string]().
			Title(title).
			Description(help + ".").
			Options(options(q.Choices, []string{v})...).
			Value(f.texts[q.Key])
	}
	v := q.Format(a)
	f.texts[q.Key] = &v
	in := huh.NewInput().Title(title).Description(help + ".").Value(f.texts[q.Key])
	switch q.Key {
	case "module":
		in.Validate(func(s string) error {
			if err := check(s); err != nil {
				return err
			}
			f.follow(s)
			return nil
		})
	case "name":
		f.nameInput = in
		in.Description(help + "; follows the module path until you change it.")
		in.Validate(func(s string) error {
			if s == "" && f.nameFromModule() != "" {
				return nil // Enter keeps the name derived from the module path
			}
			return check(s)
		})
	default:
		in.Validate(check)
	}
	return in
}

// answerList is a multiple-choice answer as the list of its values.
func answerList(q *answers.Question, a answers.Answers) []string {
	text := q.Format(a)
	if text == "none" {
		return []string{}
	}
	return answers.ParseList(text)
}

// follow derives the name from the module path while the name follows it.
func (f *Form) follow(module string) {
	name := f.texts["name"]
	if name == nil || (*name != "" && *name != f.derived) {
		return
	}
	if n, err := answers.DefaultName(module); err == nil && n != *name {
		// Through empty, so that the field's cursor lands at the end of the
		// new name, not where it was in the old one (bubbles' textinput
		// keeps a cursor position that still fits).
		*name = ""
		f.nameInput.Value(name)
		*name, f.derived = n, n
		f.nameInput.Value(name)
	}
}

// nameFromModule is the name derived from the module path the form holds now.
func (f *Form) nameFromModule() string {
	module := f.start.Module
	if m := f.texts["module"]; m != nil {
		module = *m
	}
	n, _ := answers.DefaultName(module)
	return n
}

// Answers returns the answers the form holds, validated. An empty name is
// the one derived from the module path as it is now.
func (f *Form) Answers() (answers.Answers, error) {
	a := f.start
	var errs []error
	for _, q := range answers.Questions {
		text, ok := "", false
		if v := f.texts[q.Key]; v != nil {
			text, ok = *v, true
		}
		if v := f.lists[q.Key]; v != nil {
			text, ok = strings.Join(*v, ","), true
			if len(*v) == 0 && q.Key == "tools" {
				text = "none"
			}
		}
		if !ok {
			continue
		}
		if q.Key == "name" && strings.TrimSpace(text) == "" {
			text = f.nameFromModule()
		}
		errs = append(errs, q.Parse(&a, text))
	}
	if err := errors.Join(errs...); err != nil {
		return a, err
	}
	return a, a.Validate()
}

// newHuhForm makes a huh form in gonix-init's theme, where Esc quits too.
func newHuhForm(cfg Config, groups ...*huh.Group) *huh.Form {
	keys := huh.NewDefaultKeyMap()
	keys.Quit = key.NewBinding(key.WithKeys("ctrl+c", "esc"), key.WithHelp("esc", "quit"))
	// The help bar says what the description says: space toggles, no filter.
	keys.MultiSelect.Toggle = key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "toggle"))
	keys.MultiSelect.Filter.SetEnabled(false)
	// Short help, so the help bar fits an 80-column terminal.
	keys.MultiSelect.Next.SetHelp("enter", "next")
	keys.MultiSelect.SelectAll.SetHelp("ctrl+a", "all")
	keys.MultiSelect.SelectNone.SetHelp("ctrl+a", "none")
	keys.Select.Filter.SetEnabled(false)
	hf := huh.NewForm(groups...).
		WithTheme(style.Form()).
		WithKeyMap(keys).
		WithShowHelp(true).
		WithAccessible(cfg.Accessible)
	if cfg.In != nil {
		hf = hf.WithInput(cfg.In)
	}
	if cfg.Out != nil {
		out := cfg.Out
		if cfg.Accessible {
			// Accessible mode prints plain text, through no terminal program
			// that would drop the colours a pipe or NO_COLOR cannot take.
			out = style.Writer(out, os.Environ())
		}
		hf = hf.WithOutput(out)
	}
	return hf
}

// Ask asks the questions and returns the answers. It returns ErrAborted when
// the user quits or input ends early.
func Ask(ctx context.Context, a answers.Answers, cfg Config) (answers.Answers, error) {
	if cfg.Accessible {
		cfg.In = endingReader{cfg.In}
	}
	f := New(a, cfg)
	if !f.asks {
		return f.Answers() // every answer was given: nothing to ask
	}
	if err := runForm(ctx, cfg, f.Questions); err != nil {
		return a, err
	}
	return f.Answers()
}

// Choice is the answer to the confirm.
type Choice string

// The confirm's choices.
const (
	Write  Choice = "Write the project"
	Back   Choice = "Go back and change the answers"
	Cancel Choice = "Cancel: write nothing"
)

// ConfirmForm is the confirm: Write, Back or Cancel. It is a select, so the
// chosen line is marked with a cursor, which shows without colour too.
// Shift-Tab goes back to the questions, as it does between questions.
type ConfirmForm struct {
	*huh.Form
	choice Choice
	back   bool
}

// NewConfirm builds the confirm.
func NewConfirm(cfg Config) *ConfirmForm {
	c := &ConfirmForm{choice: Write}
	c.Form = newHuhForm(cfg, huh.NewGroup(huh.NewSelect[Choice]().
		Title("Write the project?").
		Options(huh.NewOption(string(Write), Write), huh.NewOption(string(Back), Back), huh.NewOption(string(Cancel), Cancel)).
		Value(&c.choice)))
	return c
}

// Init starts huh's form.
func (c *ConfirmForm) Init() tea.Cmd { return c.Form.Init() }

// View is huh's form's view.
func (c *ConfirmForm) View() tea.View { return tea.NewView(c.Form.View()) }

// Update sends shift+tab back to the questions; everything else to huh.
func (c *ConfirmForm) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "shift+tab" {
		c.back = true
		return c, tea.Quit
	}
	m, cmd := c.Form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		c.Form = f
	}
	return c, cmd
}

// Choice is what the user chose.
func (c *ConfirmForm) Choice() Choice {
	if c.back {
		return Back
	}
	return c.choice
}

// Confirm asks whether to write the project the caller has just shown. It
// returns Write or Back, or ErrAborted for Cancel, Ctrl-C, Esc or the end of
// input.
func Confirm(ctx context.Context, cfg Config) (Choice, error) {
	if cfg.Accessible {
		cfg.In = endingReader{cfg.In}
	}
	c := NewConfirm(cfg)
	var err error
	if cfg.Accessible {
		err = runForm(ctx, cfg, c.Form)
	} else {
		c.SubmitCmd, c.CancelCmd = tea.Quit, tea.Quit
		opts := []tea.ProgramOption{tea.WithContext(ctx)}
		if cfg.In != nil {
			opts = append(opts, tea.WithInput(cfg.In))
		}
		if cfg.Out != nil {
			opts = append(opts, tea.WithOutput(cfg.Out))
		}
		_, err = tea.NewProgram(c, opts...).Run()
		if err == nil && c.State == huh.StateAborted && !c.back {
			err = huh.ErrUserAborted
		}
	}
	switch {
	case err != nil:
		return Cancel, aborted(err)
	case c.Choice() == Cancel:
		return Cancel, fmt.Errorf("%w (cancelled)", ErrAborted)
	}
	return c.Choice(), nil
}

// runForm runs a huh form. In accessible mode huh reads stdin line by line
// and ignores ctx, so the form runs aside and a cancelled ctx (Ctrl-C)
// returns at once.
func runForm(ctx context.Context, cfg Config, f *huh.Form) error {
	if !cfg.Accessible {
		return aborted(f.RunWithContext(ctx))
	}
	done := make(chan error, 1)
	go func() { done <- catchEnd(func() error { return f.RunWithContext(ctx) }) }()
	select {
	case err := <-done:
		return aborted(err)
	case <-ctx.Done():
		return aborted(ctx.Err())
	}
}

// aborted maps the ways a form stops early to ErrAborted.
func aborted(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, huh.ErrUserAborted), errors.Is(err, errEndOfInput), errors.Is(err, huh.ErrTimeout),
		errors.Is(err, context.Canceled), errors.Is(err, tea.ErrProgramKilled):
		return fmt.Errorf("%w (%v)", ErrAborted, err)
	}
	return err
}

func catchEnd(run func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != errEndOfInput { //nolint:errorlint // the panic value itself
				panic(r)
			}
			err = errEndOfInput
		}
	}()
	return run()
}

var errEndOfInput = errors.New("end of input before every question was answered")

// endingReader reads one byte at a time and stops the form at end of input.
// huh v1.0.0's accessible mode wraps the input in a new bufio.Scanner for
// each question, so one byte per Read keeps every answer for its own
// question; and at end of input it skips validation (a MultiSelect loops
// forever), so end of input stops the form instead.
type endingReader struct{ r io.Reader }

func (e endingReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := e.r.Read(p[:1])
	if n == 0 && err != nil {
		panic(errEndOfInput) // recovered in catchEnd: huh cannot be told otherwise
	}
	return n, nil
}

func options(choices []answers.Choice, selected []string) []huh.Option[string] {
	var out []huh.Option[string]
	for _, c := range choices {
		out = append(out, huh.NewOption(fmt.Sprintf("%-15s %s", c.Value, c.About), c.Value).Selected(slices.Contains(selected, c.Value)))
	}
	return out
}

func reasonOf(err error) error {
	var ae *answers.Error
	if errors.As(err, &ae) {
		return errors.New(ae.Reason)
	}
	return err
}
