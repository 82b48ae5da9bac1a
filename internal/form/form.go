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
	"slices"
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

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
	Environ    []string        // NO_COLOR, TERM, CI: the colours accessible mode may print
	Accessible bool            // huh's accessible mode, for screen readers
	Given      map[string]bool // answers given by flags or an answers file: not asked
	// AtEnd starts at the last question instead of the first: the form is
	// asked again after "Go back" at the confirm, which came after it.
	AtEnd bool
}

// Form is the questions over one set of answers.
type Form struct {
	Questions *huh.Form
	cfg       Config
	start     answers.Answers
	texts     map[string]*string   // free-text and single-choice answers, by key
	lists     map[string]*[]string // multiple-choice answers, by key
	followers []*follower          // the asked answers derived from another (Question.From)
	asked     []string             // the keys asked, in the form's order
	groups    int                  // the form's pages
	width     int                  // the terminal's width, for wrapping errors
	// leaving is set while Shift-Tab takes the user back from a field:
	// nothing the field holds stops that (huh keeps a page with an error),
	// since it is checked again on the way forward. So the way out that a
	// rule between two answers names, back to the other one, works.
	leaving bool
}

// follower is an asked answer derived from another (the name from the
// module path): it follows that answer until the user changes it.
type follower struct {
	q       *answers.Question
	input   *huh.Input
	derived string // what it last derived: while it holds this, it follows
	source  string // the text of From it last followed
}

// New builds the questions that cfg.Given leaves, filled in from a (the
// defaults, the recorded answers, the answers file and the flags).
func New(a answers.Answers, cfg Config) *Form {
	f := &Form{cfg: cfg, start: a, texts: map[string]*string{}, lists: map[string]*[]string{}}
	var groups []*huh.Group
	var page []huh.Field // an answer and those derived from it share a page
	var onPage []string
	for _, q := range answers.Questions {
		if cfg.Given[q.Key] || !q.Applies(a) {
			continue
		}
		f.asked = append(f.asked, q.Key)
		field := f.field(q, a)
		if q.Source(a) == "" || !slices.Contains(onPage, q.Source(a)) {
			if len(page) > 0 {
				groups = append(groups, huh.NewGroup(page...))
			}
			page, onPage = nil, nil
		}
		page, onPage = append(page, field), append(onPage, q.Key)
	}
	if len(page) > 0 {
		groups = append(groups, huh.NewGroup(page...))
	}
	f.Questions = newHuhForm(cfg, groups...)
	f.groups = len(groups)
	return f
}

// field makes the huh field of one question.
func (f *Form) field(q *answers.Question, a answers.Answers) huh.Field {
	title, help := q.Title, q.Help
	if f.cfg.Accessible {
		// Accessible mode shows only the title: put the help and default there.
		title = f.accessibleTitle(q, a)
	}
	check := func(text string) error { return f.check(q, text) }
	choices := q.Options(a)
	switch {
	case choices != nil && q.Multi:
		v := answerList(q, a)
		f.lists[q.Key] = &v
		return huh.NewMultiSelect[string]().
			Title(title).
			Description(help + ". Space toggles, Enter goes on.").
			Options(options(choices, v)...).
			Filterable(false).
			// Room for the title, the description and every option: huh v2
			// sizes a group before its fields have laid out, and would
			// otherwise show one option.
			Height(len(choices) + 3).
			Value(f.lists[q.Key]).
			Validate(func(v []string) error { return check(listText(q, v)) })
	case choices != nil:
		v := q.Format(a)
		f.texts[q.Key] = &v
		return huh.NewSelect[string]().
			Title(title).
			Description(help + ".").
			Options(options(choices, []string{v})...).
			Value(f.texts[q.Key]).
			Validate(check)
	}
	v := q.Format(a)
	f.texts[q.Key] = &v
	in := huh.NewInput().Title(title).Description(help + ".").Value(f.texts[q.Key])
	if q.Note != nil && !f.cfg.Accessible {
		// The note follows the answer as it is typed.
		in.DescriptionFunc(func() string {
			b := f.start
			if q.Parse(&b, *f.texts[q.Key]) == nil {
				if note := q.Note(b); note != "" {
					return help + ".\n" + note + "."
				}
			}
			return help + "."
		}, f.texts[q.Key])
	}
	in.Validate(func(s string) error {
		if err := check(s); err != nil {
			return err
		}
		f.follow(q.Key, f.entered(q, s))
		return nil
	})
	if q.Source(a) != "" {
		fl := &follower{q: q, input: in, source: answers.Lookup(q.Source(a)).Format(a)}
		if d := q.Derived(a); d != "" && d == v {
			fl.derived = d // it follows until changed
		}
		f.followers = append(f.followers, fl)
		def := q.Default
		if a.Adopted() && q.AdoptDefault != "" {
			def = q.AdoptDefault
		}
		in.Description(help + "; follows " + def + " until you change it.")
		in.Validate(func(s string) error {
			if strings.TrimSpace(s) == "" && f.derivedNow(q) != "" {
				return nil // Enter keeps the answer derived from the one it follows
			}
			return check(s)
		})
	}
	return in
}

// accessibleTitle is a question's title in accessible mode, which shows
// nothing else: the title, the help, and what Enter alone answers (the
// answer the form holds, which is the default until one is given).
func (f *Form) accessibleTitle(q *answers.Question, a answers.Answers) string {
	def := q.DefaultText()
	if now := q.Format(a); now != "" {
		def = "(default: " + now + ")"
	}
	def = strings.Trim(def, "()")
	if len(q.Help) >= len(q.Title) && strings.EqualFold(q.Help[:len(q.Title)], q.Title) {
		// The help starts with the title: say it once.
		return q.Title + q.Help[len(q.Title):] + " (" + def + ")"
	}
	return q.Title + " (" + q.Help + "; " + def + ")"
}

// entered is the text a field was given. In accessible mode Enter alone
// answers the default the prompt states, which is the value the field holds.
func (f *Form) entered(q *answers.Question, text string) string {
	if f.cfg.Accessible && strings.TrimSpace(text) == "" && f.texts[q.Key] != nil {
		return *f.texts[q.Key]
	}
	return text
}

// check checks one field's text: its own parse and checks, then every rule
// that relates it to another answer (answers.Error.With) when this field is
// where the user can settle it: the other answer was given as a flag or in
// an answers file, or the form asked it earlier. A rule whose other answer
// is still to be asked is checked there. So no pair of answers the form
// accepted field by field can fail as a whole.
func (f *Form) check(q *answers.Question, text string) error {
	if f.leaving {
		return nil
	}
	text = f.entered(q, text)
	a := f.start
	for _, key := range f.asked {
		if key != q.Key {
			_ = answers.Lookup(key).Parse(&a, f.text(key)) // checked at its own field
		}
	}
	if err := q.Parse(&a, text); err != nil {
		return f.reason(err, "")
	}
	_ = answers.Derive(&a) // an empty derived answer is the one derived
	for _, e := range answers.Unjoin(a.Validate()) {
		var ae *answers.Error
		if !errors.As(e, &ae) || ae.With == "" {
			continue
		}
		other := ae.With
		if ae.With == q.Key {
			other = ae.Field
		} else if ae.Field != q.Key {
			continue
		}
		at := slices.Index(f.asked, other)
		if at > slices.Index(f.asked, q.Key) {
			continue // shown at the other answer, asked later
		}
		return f.reason(e, f.hint(at >= 0, answers.Lookup(other)))
	}
	return nil
}

// hint says how to settle a rule between this field and other: change
// this answer, or go back to the other one (asked) or run again with
// another flag (given).
func (f *Form) hint(asked bool, other *answers.Question) string {
	switch {
	case !asked:
		return "choose another answer here, or run again with another --" + other.Key
	case f.cfg.Accessible:
		return "choose another answer here; at the confirm, Go back changes " + strings.ToLower(other.Title)
	}
	return "choose another answer here, or shift+tab back to " + strings.ToLower(other.Title)
}

// text is the answer a field holds now, as Parse reads it.
func (f *Form) text(key string) string {
	if v := f.lists[key]; v != nil {
		return listText(answers.Lookup(key), *v)
	}
	if v := f.texts[key]; v != nil {
		return *v
	}
	return ""
}

// listText is a multiple-choice answer's values as Parse reads them.
func listText(q *answers.Question, v []string) string {
	if len(v) == 0 && q.None != "" {
		return q.None
	}
	return strings.Join(v, ",")
}

// answerList is a multiple-choice answer as the list of its values.
func answerList(q *answers.Question, a answers.Answers) []string {
	text := q.Format(a)
	if q.None != "" && text == q.None {
		return []string{}
	}
	v, _ := answers.ParseList(q.Key, text) // Format writes what ParseList reads
	return v
}

// follow derives, from the text of the answer key, every answer that
// follows it (Question.From) and still holds what it last derived.
func (f *Form) follow(key, text string) {
	for _, fl := range f.followers {
		if fl.q.Source(f.start) != key {
			continue
		}
		fl.source = text
		v := f.texts[fl.q.Key]
		if *v != "" && *v != fl.derived {
			continue // changed by the user: it follows no more
		}
		d := f.derivedFrom(fl.q, text)
		if d == "" || d == *v {
			continue
		}
		// Through empty, so that the field's cursor lands at the end of the
		// new answer, not where it was in the old one (bubbles' textinput
		// keeps a cursor position that still fits).
		*v = ""
		fl.input.Value(v)
		*v, fl.derived = d, d
		fl.input.Value(v)
		if f.cfg.Accessible {
			a := answers.Answers{}
			_ = fl.q.Parse(&a, d)
			fl.input.Title(f.accessibleTitle(fl.q, a))
		}
	}
}

// derivedNow is q's answer derived from the answer it follows as the form
// holds it now; "" when that gives none.
func (f *Form) derivedNow(q *answers.Question) string {
	if !slices.Contains(f.asked, q.Source(f.start)) {
		return q.Derived(f.start)
	}
	return f.derivedFrom(q, f.text(q.Source(f.start)))
}

// derivedFrom is q's answer derived from text, the answer it follows.
func (f *Form) derivedFrom(q *answers.Question, text string) string {
	a := f.start
	_ = answers.Lookup(q.Source(f.start)).Parse(&a, text) // checked at its own field
	return q.Derived(a)
}

// Answers returns the answers the form holds, validated. An empty name is
// the one derived from the module path as it is now.
func (f *Form) Answers() (answers.Answers, error) {
	a := f.start
	var errs []error
	for _, q := range answers.Questions {
		if !slices.Contains(f.asked, q.Key) {
			continue
		}
		text := f.text(q.Key)
		if q.Source(f.start) != "" && strings.TrimSpace(text) == "" {
			text = f.derivedNow(q)
		}
		errs = append(errs, q.Parse(&a, text))
	}
	if err := errors.Join(errs...); err != nil {
		return a, err
	}
	return a, a.Validate()
}

// quitKey is Esc and Ctrl-C: they quit the form, and the help bar says so.
var quitKey = key.NewBinding(key.WithKeys("ctrl+c", "esc"), key.WithHelp("esc", "quit"))

// newHuhForm makes a huh form in gonix-init's theme, where Esc quits too.
// Its help bar is drawn by program, with the way out in it.
func newHuhForm(cfg Config, groups ...*huh.Group) *huh.Form {
	keys := huh.NewDefaultKeyMap()
	keys.Quit = quitKey
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
		WithShowHelp(cfg.Accessible).
		WithAccessible(cfg.Accessible)
	if cfg.In != nil {
		hf = hf.WithInput(cfg.In)
	}
	if cfg.Out != nil {
		out := cfg.Out
		if cfg.Accessible {
			// Accessible mode prints plain text, through no terminal program
			// that would drop the colours a pipe or NO_COLOR cannot take.
			out = style.Writer(out, cfg.Environ)
		}
		hf = hf.WithOutput(out)
	}
	return hf
}

// program runs a huh form as a bubbletea model of gonix-init's own, for the
// questions and the confirm alike: its help bar names the way out (Esc),
// after every key the hook runs (the name follows the module path as it is
// typed), and Shift-Tab on the first page ends it as Back where back is set
// (the confirm).
type program struct {
	*huh.Form
	hook func() bool // after every message; true when it changed a field
	back bool        // Shift-Tab goes back from the first page: the confirm
	went bool        // it did
	// leaving is where Shift-Tab is noted: the questions' Form.leaving.
	leaving *bool
	start   int  // pages to move on at start: AtEnd
	width   *int // where the terminal's width is kept, for wrapping errors
}

// refresh is a message no field reads: it makes huh lay out the page anew.
type refresh struct{}

// Init starts huh's form, on its last page for AtEnd.
func (p *program) Init() tea.Cmd {
	cmds := []tea.Cmd{p.Form.Init()}
	for range p.start {
		cmds = append(cmds, p.NextGroup())
	}
	return tea.Sequence(cmds...)
}

// Update hands msg to huh, then runs the hook.
func (p *program) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if p.width != nil {
			*p.width = msg.Width
		}
	case tea.KeyPressMsg:
		if p.back && msg.String() == "shift+tab" {
			p.went = true
			return p, tea.Quit
		}
		if p.leaving != nil {
			*p.leaving = msg.String() == "shift+tab"
		}
	}
	m, cmd := p.Form.Update(msg)
	if f, ok := m.(*huh.Form); ok {
		p.Form = f
	}
	if p.hook != nil && p.hook() {
		// huh lays out a page as it updates: lay it out again with the change.
		m, _ = p.Form.Update(refresh{})
		p.Form = m.(*huh.Form)
	}
	if p.State != huh.StateNormal {
		return p, tea.Quit
	}
	return p, cmd
}

// View is huh's form and the help bar, which stays while an error shows:
// it names the keys the error's way out needs.
func (p *program) View() tea.View {
	v := p.Form.View()
	if v != "" {
		v += "\n\n" + p.Help().ShortHelpView(append(p.KeyBinds(), quitKey))
	}
	return tea.NewView(v)
}

// Model is the form as a bubbletea model, as Ask runs it.
func (f *Form) Model() tea.Model { return f.program() }

func (f *Form) program() *program {
	p := &program{Form: f.Questions, width: &f.width, hook: f.followTyped, leaving: &f.leaving}
	if f.cfg.AtEnd {
		p.start = f.groups - 1
	}
	return p
}

// followTyped lets the derived answers follow theirs while it is typed.
func (f *Form) followTyped() bool {
	changed := false
	for _, fl := range f.followers {
		if from := fl.q.Source(f.start); slices.Contains(f.asked, from) && f.text(from) != fl.source {
			f.follow(from, f.text(from))
			changed = true
		}
	}
	return changed
}

// Ask asks the questions and returns the answers. It returns ErrAborted when
// the user quits or input ends early.
func Ask(ctx context.Context, a answers.Answers, cfg Config) (answers.Answers, error) {
	ended := endOfInput(&cfg)
	f := New(a, cfg)
	if f.groups == 0 {
		return f.Answers() // every answer was given: nothing to ask
	}
	if err := runForm(ctx, cfg, f.Questions, f.program(), ended); err != nil {
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
	*program
	choice Choice
}

// NewConfirm builds the confirm.
func NewConfirm(cfg Config) *ConfirmForm {
	c := &ConfirmForm{choice: Write}
	c.program = &program{back: true, Form: newHuhForm(cfg, huh.NewGroup(huh.NewSelect[Choice]().
		Title("Write the project?").
		Options(huh.NewOption(string(Write), Write), huh.NewOption(string(Back), Back), huh.NewOption(string(Cancel), Cancel)).
		Value(&c.choice)))}
	return c
}

// Choice is what the user chose.
func (c *ConfirmForm) Choice() Choice {
	if c.went {
		return Back
	}
	return c.choice
}

// Confirm asks whether to write the project the caller has just shown. It
// returns Write or Back, or ErrAborted for Cancel, Ctrl-C, Esc or the end of
// input.
func Confirm(ctx context.Context, cfg Config) (Choice, error) {
	ended := endOfInput(&cfg)
	c := NewConfirm(cfg)
	err := runForm(ctx, cfg, c.Form, c.program, ended)
	switch {
	case err != nil:
		return Cancel, err
	case c.Choice() == Cancel:
		return Cancel, fmt.Errorf("%w (cancelled)", ErrAborted)
	}
	return c.Choice(), nil
}

// runForm runs a form: as the bubbletea model m in a terminal, or huh's own
// accessible mode. There huh reads stdin line by line and ignores ctx, so
// the form runs aside, and a cancelled ctx (Ctrl-C) or the end of input
// (ended, from endOfInput) returns at once.
func runForm(ctx context.Context, cfg Config, f *huh.Form, m *program, ended <-chan struct{}) error {
	if !cfg.Accessible {
		opts := []tea.ProgramOption{tea.WithContext(ctx)}
		if cfg.In != nil {
			opts = append(opts, tea.WithInput(cfg.In))
		}
		if cfg.Out != nil {
			opts = append(opts, tea.WithOutput(cfg.Out))
		}
		_, err := tea.NewProgram(m, opts...).Run()
		if err == nil && f.State == huh.StateAborted {
			err = huh.ErrUserAborted
		}
		return aborted(err)
	}
	done := make(chan error, 1)
	go func() { done <- f.RunWithContext(ctx) }()
	select {
	case err := <-done:
		return aborted(err)
	case <-ended:
		return aborted(errEndOfInput)
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

var errEndOfInput = errors.New("end of input before every question was answered")

// endOfInput makes cfg's input, in accessible mode, an endingReader, and
// returns the channel it closes at the end of input; nil otherwise.
func endOfInput(cfg *Config) <-chan struct{} {
	if !cfg.Accessible {
		return nil
	}
	r := &endingReader{r: cfg.In, ended: make(chan struct{})}
	cfg.In = r
	return r.ended
}

// endingReader reads one byte at a time and ends the form at end of input.
// huh's accessible mode wraps the input in a new bufio.Scanner for each
// question, so one byte per Read keeps every answer for its own question;
// and it cannot be told that input ended: it takes the end of input for
// an empty answer, and a question whose empty answer is wrong (a
// MultiSelect with none chosen) asks again for ever. So at end of input the
// reader closes ended, on which runForm returns, and parks the form's
// goroutine in this Read instead of answering it: the run is over.
type endingReader struct {
	r     io.Reader
	ended chan struct{}
	once  sync.Once
}

func (e *endingReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n, err := e.r.Read(p[:1])
	if n == 0 && err != nil {
		e.once.Do(func() { close(e.ended) })
		select {} // parked: see above
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

// reason is an answer's error as the form shows it beside the field: the
// reasons alone (the field is in view), then hint, wrapped at spaces to the
// terminal's width so that no path is cut in two.
func (f *Form) reason(err error, hint string) error {
	var reasons []string
	for _, e := range answers.Unjoin(err) {
		var ae *answers.Error
		if errors.As(e, &ae) {
			reasons = append(reasons, ae.Reason)
		} else {
			reasons = append(reasons, e.Error())
		}
	}
	text := strings.Join(reasons, "; ")
	if hint != "" {
		text += "; " + hint
	}
	if !f.cfg.Accessible {
		width := f.width
		if width <= 0 {
			width = 80
		}
		// Room for huh's " * " before the text and its group's margin.
		text = lipgloss.Wrap(text, max(width-6, 20), " ")
	}
	return errors.New(text)
}

// Prompter asks in the terminal, with the form and the confirm: it is the
// session's Prompter.
type Prompter struct {
	In         io.Reader
	Out        io.Writer
	Environ    []string
	Accessible bool
}

// Ask asks the questions that given leaves, from the last one for atEnd.
func (p Prompter) Ask(ctx context.Context, a answers.Answers, given map[string]bool, atEnd bool) (answers.Answers, error) {
	return Ask(ctx, a, Config{In: p.In, Out: p.Out, Environ: p.Environ, Accessible: p.Accessible, Given: given, AtEnd: atEnd})
}

// Confirm asks to write, go back (back), or cancel (ErrAborted).
func (p Prompter) Confirm(ctx context.Context) (back bool, err error) {
	choice, err := Confirm(ctx, Config{In: p.In, Out: p.Out, Environ: p.Environ, Accessible: p.Accessible})
	return choice == Back, err
}
