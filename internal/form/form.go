// Package form asks, in a terminal form built with huh, for the answers that
// flags left out. It only fills in answers: each field is checked inline by
// the same validator the flags use (internal/answers), and nothing is
// written until the caller has the confirmed answers.
package form

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/huh"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/style"
)

// ErrAborted is returned when the user presses Ctrl-C or Esc, declines the
// confirm, or input ends before every question is answered.
var ErrAborted = errors.New("aborted")

// Config says what to ask, and where.
type Config struct {
	In         io.Reader
	Out        io.Writer
	Accessible bool            // huh's accessible mode, for screen readers
	Given      map[string]bool // answers given as flags ("module", "name", ...): not asked again
	Dir        string          // the target directory, shown in the summary
	// Files lists the files the answers would write, for the summary.
	Files func(answers.Answers) []string
}

// Form is the form over one set of answers: Questions asks what the flags
// left out; then the summary is printed and Confirm asks whether to write.
// (The summary is printed, not a field, because huh sizes a group before a
// dynamic description is known, which would scroll its top out of view.)
type Form struct {
	Questions *huh.Form
	Confirm   *huh.Form
	cfg       Config

	module, name, ports string
	systems, tools      []string
	derivedName         string // the name last derived from the module path
	confirmed           bool
	nameField           *huh.Input
}

// New builds the form, starting from a (the defaults and the flags).
func New(a answers.Answers, cfg Config) *Form {
	f := &Form{
		cfg:     cfg,
		module:  a.Module,
		name:    a.Name,
		systems: slices.Clone(a.Systems),
		tools:   slices.Clone(a.Tools),
		ports:   joinInts(a.Ports),
		// The summary is the deliberate last step: Enter writes, n or Esc does not.
		confirmed: true,
	}
	var groups []*huh.Group
	var first []huh.Field
	if !cfg.Given["module"] {
		first = append(first, huh.NewInput().
			Title("Go module path").
			Description("As `go mod init` takes it, like github.com/you/myapp.").
			Value(&f.module).
			Validate(f.checkModule))
	}
	if !cfg.Given["name"] {
		f.nameField = huh.NewInput().
			Title("App name").
			Description("Names the binary, the Nix package and the image; follows the module path until you change it.").
			Value(&f.name).
			Validate(f.checkName)
		first = append(first, f.nameField)
	}
	if len(first) > 0 {
		groups = append(groups, huh.NewGroup(first...))
	}
	if !cfg.Given["systems"] {
		groups = append(groups, huh.NewGroup(huh.NewMultiSelect[string]().
			Title("Target systems").
			Description("Space toggles, Enter goes on. At least one.").
			Options(options(answers.AllSystems, f.systems)...).
			Value(&f.systems).
			Validate(reason(answers.CheckSystems))))
	}
	if !cfg.Given["ports"] {
		groups = append(groups, huh.NewGroup(huh.NewInput().
			Title("Ports").
			Description("TCP ports the server listens on, separated by commas or spaces; the first is the main one.").
			Value(&f.ports).
			Validate(func(s string) error {
				_, err := answers.ParsePorts(s)
				return reasonOf(err)
			})))
	}
	if !cfg.Given["tools"] {
		groups = append(groups, huh.NewGroup(huh.NewMultiSelect[string]().
			Title("Tools in the dev shell").
			Description("Go is always there. Space toggles, Enter goes on; none is fine.").
			Options(options(answers.AllTools, f.tools)...).
			Value(&f.tools).
			Validate(reason(answers.CheckTools))))
	}
	f.Questions = f.huhForm(groups...)
	f.Confirm = f.huhForm(huh.NewGroup(
		huh.NewConfirm().Title("Write the project?").Affirmative("Write").Negative("Cancel").Value(&f.confirmed),
	))
	return f
}

// huhForm makes a huh form in gonix-init's theme, where Esc quits too.
func (f *Form) huhForm(groups ...*huh.Group) *huh.Form {
	keys := huh.NewDefaultKeyMap()
	keys.Quit = key.NewBinding(key.WithKeys("ctrl+c", "esc"), key.WithHelp("esc", "quit"))
	hf := huh.NewForm(groups...).
		WithTheme(style.Form()).
		WithKeyMap(keys).
		WithShowHelp(true).
		WithAccessible(f.cfg.Accessible)
	if f.cfg.In != nil {
		hf = hf.WithInput(f.cfg.In)
	}
	if f.cfg.Out != nil {
		hf = hf.WithOutput(f.cfg.Out)
	}
	return hf
}

// checkName accepts an empty name when one was derived from the module
// path: Enter keeps it (huh's accessible mode validates the empty line).
func (f *Form) checkName(s string) error {
	if s == "" && f.derivedName != "" {
		return nil
	}
	return reasonOf(answers.CheckName(s))
}

// checkModule validates the module path and, while the name still follows
// it, derives the name from it.
func (f *Form) checkModule(s string) error {
	if err := answers.CheckModule(s); err != nil {
		return reasonOf(err)
	}
	if f.nameField != nil && (f.name == "" || f.name == f.derivedName) {
		if n, err := answers.DefaultName(s); err == nil && n != f.name {
			f.name, f.derivedName = n, n
			f.nameField.Value(&f.name)
		}
	}
	return nil
}

// Answers returns the answers the form holds, validated.
func (f *Form) Answers() (answers.Answers, error) {
	ports, err := answers.ParsePorts(f.ports)
	if f.name == "" {
		f.name = f.derivedName
	}
	a := answers.Answers{Module: f.module, Name: f.name, Systems: f.systems, Ports: ports, Tools: f.tools}
	if a.Tools == nil {
		a.Tools = []string{}
	}
	if err != nil {
		return a, err
	}
	return a, a.Validate()
}

// Confirmed reports whether the user chose to write the project.
func (f *Form) Confirmed() bool { return f.confirmed }

// Summary describes the answers, the target and the files to be written.
func (f *Form) Summary() string {
	var b strings.Builder
	row := func(k, v string) { fmt.Fprintf(&b, "  %-8s %s\n", k, v) }
	row("Module", f.module)
	row("Name", f.name)
	row("Systems", strings.Join(f.systems, ", "))
	row("Ports", f.ports)
	tools := "none"
	if len(f.tools) > 0 {
		tools = strings.Join(f.tools, ", ")
	}
	row("Tools", "go, "+tools)
	into := f.cfg.Dir
	if into == "." {
		into = ". (the current directory)"
	}
	row("Into", into)
	if a, err := f.Answers(); err == nil && f.cfg.Files != nil {
		row("Files", strings.Join(f.cfg.Files(a), " "))
	}
	return b.String()
}

// Ask runs the form and returns the confirmed answers. It returns
// ErrAborted when the user quits or declines, or input ends early.
func Ask(ctx context.Context, a answers.Answers, cfg Config) (answers.Answers, error) {
	if cfg.Accessible {
		// huh v1.0.0's accessible mode wraps the input in a new
		// bufio.Scanner for each question, so one byte per Read keeps
		// every answer for its own question; and at end of input it
		// skips validation (a MultiSelect loops forever), so end of
		// input stops the form instead.
		cfg.In = endingReader{cfg.In}
	}
	f := New(a, cfg)
	err := runForm(ctx, f.Questions)
	if err == nil {
		if _, err = f.Answers(); err != nil {
			return a, err
		}
		out := cmp.Or[io.Writer](cfg.Out, os.Stdout)
		st := style.For(out)
		fmt.Fprintf(out, "%s\n%s", st.Title.Render("Summary"), f.Summary())
		err = runForm(ctx, f.Confirm)
	}
	switch {
	case errors.Is(err, huh.ErrUserAborted), errors.Is(err, errEndOfInput), errors.Is(err, huh.ErrTimeout):
		return a, fmt.Errorf("%w (%v)", ErrAborted, err)
	case err != nil:
		return a, err
	case !f.Confirmed():
		return a, fmt.Errorf("%w (not confirmed)", ErrAborted)
	}
	return f.Answers()
}

func runForm(ctx context.Context, f *huh.Form) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != errEndOfInput { //nolint:errorlint // the panic value itself
				panic(r)
			}
			err = errEndOfInput
		}
	}()
	return f.RunWithContext(ctx)
}

var errEndOfInput = errors.New("end of input before every question was answered")

// endingReader reads one byte at a time and stops the form at end of input.
type endingReader struct{ r io.Reader }

func (e endingReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := e.r.Read(p[:1])
	if n == 0 && err != nil {
		panic(errEndOfInput) // recovered in runForm: huh cannot be told otherwise
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

// reason adapts a validator so the form shows only the reason: the field
// already says which answer it is.
func reason[T any](check func(T) error) func(T) error {
	return func(v T) error { return reasonOf(check(v)) }
}

func reasonOf(err error) error {
	var ae *answers.Error
	if errors.As(err, &ae) {
		return errors.New(ae.Reason)
	}
	return err
}

func joinInts(ns []int) string {
	var s []string
	for _, n := range ns {
		s = append(s, strconv.Itoa(n))
	}
	return strings.Join(s, ",")
}
