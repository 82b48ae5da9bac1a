package form

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/style"
)

// quitKey is Esc and Ctrl-C: they quit the form, and the help bar says so.
var quitKey = key.NewBinding(key.WithKeys("ctrl+c", "esc"), key.WithHelp("esc", "quit"))

// filterKey is huh's key that opens a choice's filter, which gonix-init's
// choices do without.
var filterKey = huh.NewDefaultKeyMap().Select.Filter

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
		WithShowHelp(false)
	if cfg.In != nil {
		hf = hf.WithInput(cfg.In)
	}
	if cfg.Out != nil {
		hf = hf.WithOutput(cfg.Out)
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
	hook  func() bool // after every message; true when it changed a field
	back  bool        // Shift-Tab goes back from the first page: the confirm
	went  bool        // it did
	above string      // shown above the form while it runs (the confirm's summary)
	drawn int         // the rows of the last view drawn
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
		if _, choice := p.GetFocusedField().(*huh.Select[string]); choice && key.Matches(msg, filterKey) {
			// A choice has a few options, no filter: huh turns its filter
			// key back on when the page is left, so it is kept off here.
			return p, nil
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

// View is what is above the form, huh's form, and the help bar, which
// stays while an error shows: it names the keys the error's way out needs.
// Once the form is done it is nothing: the screen is left to what comes
// next.
func (p *program) View() tea.View {
	v := p.Form.View()
	if v == "" || p.went {
		return tea.NewView("")
	}
	v = p.above + v + "\n\n" + p.helpBar()
	p.drawn = lipgloss.Height(v)
	return tea.NewView(v)
}

// backKey is Shift-Tab where the field's own keys do not name it: on the
// confirm, which it leaves for the questions.
var backKey = key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "back"))

// helpBar names the page's keys, the way back and the way out among them.
// Where they do not fit the terminal's width, the arrows go first (the
// cursor shows them), so that esc quit is never the part cut off.
func (p *program) helpBar() string {
	binds := slices.DeleteFunc(p.KeyBinds(), func(b key.Binding) bool { return strings.HasSuffix(b.Help().Desc, "filter") })
	if p.back && !slices.ContainsFunc(binds, func(b key.Binding) bool { return b.Help().Key == backKey.Help().Key && b.Enabled() }) {
		binds = append(binds, backKey)
	}
	binds = append(binds, quitKey)
	h := p.Help()
	whole := h
	whole.SetWidth(0)
	if h.Width() > 0 && lipgloss.Width(whole.ShortHelpView(binds)) > h.Width() {
		binds = slices.DeleteFunc(binds, func(b key.Binding) bool { d := b.Help().Desc; return d == "up" || d == "down" })
	}
	return h.ShortHelpView(binds)
}

// erase clears the last view drawn from the terminal, which bubbletea
// leaves there with the cursor on its last row.
func (p *program) erase(out io.Writer) {
	switch {
	case out == nil || p.drawn == 0:
	case p.drawn == 1:
		fmt.Fprint(out, "\r\x1b[J")
	default:
		fmt.Fprintf(out, "\x1b[%dF\x1b[J", p.drawn-1)
	}
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

// runForm runs the form f as the bubbletea model m in the terminal.
func runForm(ctx context.Context, cfg Config, f *huh.Form, m *program) error {
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
	text := joinReasons(reasons, hint)
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
