// Package form asks for the answers that flags left out, and for one
// confirm once the caller has shown the plan: in a terminal, a form built
// with huh (fields.go, program.go, confirm.go); in accessible mode, plain
// numbered questions read line by line from any input, for screen readers
// and scripts (accessible.go). It reads one view of the questions,
// answers.Fields (those the project's profile asks, as fields), and never
// the question table; each is checked, inline, by the same parser the
// flags use. The form only asks: it never renders, plans or writes,
// and calls nothing back.
package form

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/exit"
)

// ErrAborted is exit.ErrAborted, which the form's errors wrap when the
// user presses Ctrl-C or Esc, cancels at the confirm, or input ends before
// every question is answered.
var ErrAborted = exit.ErrAborted

// Config says where to ask, how, and what not to ask.
type Config struct {
	In         io.Reader
	Out        io.Writer
	Environ    []string // NO_COLOR, TERM, CI: the colours accessible mode may print
	Accessible bool     // plain questions line by line, for screen readers and scripts
	Width      int      // the terminal's columns and rows, 0 when unknown
	Height     int
	Given      map[string]bool // answers given by flags or an answers file, or fixed: not asked
	// AtEnd starts at the last question instead of the first: the form is
	// asked again after "Go back" at the confirm, which came after it.
	AtEnd bool
}

// Form is the questions over one set of answers.
type Form struct {
	Questions *huh.Form // the terminal's form; nil in accessible mode
	cfg       Config
	start     answers.Answers
	fields    []answers.Field      // the questions asked, in the form's order
	texts     map[string]*string   // free-text and single-choice answers, by key
	lists     map[string]*[]string // multiple-choice answers, by key
	followers []*follower          // the asked answers derived from another (Field.Follows)
	groups    int                  // the form's pages
	width     int                  // the terminal's width, for wrapping errors
	// leaving is set while Shift-Tab takes the user back from a field:
	// nothing the field holds stops that (huh keeps a page with an error),
	// since it is checked again on the way forward. So the way out that a
	// rule between two answers names, back to the other one, works.
	leaving bool
}

// New builds the questions of a's profile that cfg.Given leaves
// (answers.Fields), filled in from a (the profile's start, the recorded
// answers, the answers file and the flags). The huh form is built only
// for the terminal: accessible mode asks from the fields alone.
func New(a answers.Answers, cfg Config) *Form {
	f := &Form{cfg: cfg, start: a, texts: map[string]*string{}, lists: map[string]*[]string{}}
	f.fields = answers.Fields(a, cfg.Given)
	for i := range f.fields {
		fl := &f.fields[i]
		if fl.Kind == answers.List {
			v := fl.Values
			f.lists[fl.Key] = &v
		} else {
			v := fl.Text
			f.texts[fl.Key] = &v
		}
		if fl.Follows != "" {
			f.addFollower(fl)
		}
	}
	pages := f.pages()
	f.groups = len(pages)
	if !cfg.Accessible {
		var groups []*huh.Group
		for _, page := range pages {
			var fields []huh.Field
			for _, fl := range page {
				fields = append(fields, f.huhField(fl))
			}
			groups = append(groups, huh.NewGroup(fields...))
		}
		f.Questions = newHuhForm(cfg, groups...)
	}
	return f
}

// pages are the fields by the form's pages: an answer and those derived
// from it share a page.
func (f *Form) pages() [][]*answers.Field {
	var pages [][]*answers.Field
	var page []*answers.Field
	for i := range f.fields {
		fl := &f.fields[i]
		if fl.Follows == "" || !slices.ContainsFunc(page, func(on *answers.Field) bool { return on.Key == fl.Follows }) {
			if len(page) > 0 {
				pages = append(pages, page)
			}
			page = nil
		}
		page = append(page, fl)
	}
	if len(page) > 0 {
		pages = append(pages, page)
	}
	return pages
}

// field is the asked field of key, or nil.
func (f *Form) field(key string) *answers.Field {
	if i := f.index(key); i >= 0 {
		return &f.fields[i]
	}
	return nil
}

// index is the place of key's field in the form's order, or -1 when it
// is not asked.
func (f *Form) index(key string) int {
	return slices.IndexFunc(f.fields, func(fl answers.Field) bool { return fl.Key == key })
}

// check checks one field's text: its own parse and checks, then every rule
// that relates it to another answer (answers.Error.With) when this field is
// where the user can settle it: the other answer was given as a flag or in
// an answers file, or the form asked it earlier. A rule whose other answer
// is still to be asked is checked there. So no pair of answers the form
// accepted field by field can fail as a whole.
func (f *Form) check(q *answers.Field, text string) error {
	if f.leaving {
		return nil
	}
	a := f.start
	for _, fl := range f.fields {
		if fl.Key != q.Key {
			_ = fl.Parse(&a, f.text(fl.Key)) // checked at its own field
		}
	}
	if err := q.Parse(&a, text); err != nil {
		return f.reason(err, "")
	}
	_ = answers.Derive(&a) // an empty derived answer is the one derived
	for _, e := range answers.Unjoin(a.Validate()) {
		var ae *answers.Error
		if !errors.As(e, &ae) || ae.Field != q.Key && ae.With != q.Key {
			continue
		}
		if ae.With == "" {
			return f.reason(e, "") // the profile's rule of this answer alone
		}
		other := ae.With
		if ae.With == q.Key {
			other = ae.Field
		}
		if f.index(other) > f.index(q.Key) {
			continue // shown at the other answer, asked later
		}
		return f.reason(e, f.hint(other))
	}
	return nil
}

// hint says how to settle a rule between this field and the answer other:
// change this answer, or go back to the other one (asked) or run again
// with another flag (given).
func (f *Form) hint(other string) string {
	fl := f.field(other)
	switch {
	case fl == nil:
		return "choose another answer here, or run again with another --" + other
	case f.cfg.Accessible:
		return "choose another answer here; at the confirm, Go back changes " + strings.ToLower(fl.Title)
	}
	return "choose another answer here, or shift+tab back to " + strings.ToLower(fl.Title)
}

// text is the answer a field holds now, as Parse reads it.
func (f *Form) text(key string) string {
	if v := f.lists[key]; v != nil {
		return f.field(key).ListText(*v)
	}
	if v := f.texts[key]; v != nil {
		return *v
	}
	return ""
}

// Answers returns the answers the form holds, validated. An empty derived
// answer (the name) is the one derived from the answer it follows as it
// is now.
func (f *Form) Answers() (answers.Answers, error) {
	a := f.start
	var errs []error
	for i := range f.fields {
		fl := &f.fields[i]
		text := f.text(fl.Key)
		if fl.Follows != "" && strings.TrimSpace(text) == "" {
			text = f.derivedNow(fl)
		}
		errs = append(errs, fl.Parse(&a, text))
	}
	if err := errors.Join(errs...); err != nil {
		return a, err
	}
	return a, a.Validate()
}

// Ask asks the questions and returns the answers: in the terminal's form,
// or line by line in accessible mode. Its error for a run the user ended
// wraps ErrAborted.
func Ask(ctx context.Context, a answers.Answers, cfg Config) (answers.Answers, error) {
	f := New(a, cfg)
	if f.groups == 0 {
		return f.Answers() // every answer was given: nothing to ask
	}
	var err error
	if cfg.Accessible {
		err = f.askLines(ctx, newLines(cfg.In))
	} else {
		err = runForm(ctx, cfg, f.Questions, f.program())
	}
	if err != nil {
		return a, err
	}
	return f.Answers()
}
