package form

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/gonix-init/gonix-init/internal/answers"
)

// huhField makes the huh field of one question, by its kind: a list of
// choices, one choice, or free text.
func (f *Form) huhField(q *answers.Field) huh.Field {
	switch q.Kind {
	case answers.List:
		return f.multiSelect(q)
	case answers.Choose:
		return f.choice(q)
	}
	return f.input(q)
}

// multiSelect is a list of choices: space toggles, Enter goes on.
func (f *Form) multiSelect(q *answers.Field) huh.Field {
	return huh.NewMultiSelect[string]().
		Title(q.Title).
		Description(q.Help + ". Space toggles, Enter goes on.").
		Options(options(q.Choices, *f.lists[q.Key])...).
		Filterable(false).
		// Room for the title, the description and every option: huh v2
		// sizes a group before its fields have laid out, and would
		// otherwise show one option.
		Height(len(q.Choices) + 3).
		Value(f.lists[q.Key]).
		Validate(func(v []string) error { return f.check(q, q.ListText(v)) })
}

// choice is one of the choices.
func (f *Form) choice(q *answers.Field) huh.Field {
	return huh.NewSelect[string]().
		Title(q.Title).
		Description(q.Help + ".").
		Options(options(q.Choices, []string{*f.texts[q.Key]})...).
		Value(f.texts[q.Key]).
		Validate(func(s string) error { return f.check(q, s) })
}

// input is a free-text answer. Its note, when it has one, follows the
// answer as it is typed, on a line kept for it, so that the page does not
// grow under the user; an answer derived from another follows that one
// until it is changed.
func (f *Form) input(q *answers.Field) huh.Field {
	in := huh.NewInput().Title(q.Title).Description(q.Help + ".").Value(f.texts[q.Key])
	if q.Note != nil {
		// Laid out with its note's line (huh sizes a page by what its
		// fields show first), which the note then fills as it comes.
		in.Description(q.Help + ".\n" + f.noteOf(q))
		in.DescriptionFunc(func() string { return q.Help + ".\n" + f.noteOf(q) }, f.texts[q.Key])
	}
	in.Validate(func(s string) error {
		if err := f.check(q, s); err != nil {
			return err
		}
		f.follow(q.Key, s)
		return nil
	})
	if q.Follows != "" {
		f.follows(q, in)
	}
	return in
}

// noteOf is q's note on the answer its field holds, or a blank line: the
// line stays, so the page keeps its height as the note comes and goes.
func (f *Form) noteOf(q *answers.Field) string {
	if note := q.Note(*f.texts[q.Key]); note != "" {
		return note + "."
	}
	return " "
}

// addFollower has q, an answer derived from another, follow that one
// until the user changes it.
func (f *Form) addFollower(q *answers.Field) {
	fl := &follower{q: q}
	if src := f.field(q.Follows); src != nil {
		fl.source = src.Text
	}
	if d, _ := q.Derive(f.start); d != "" && d == *f.texts[q.Key] {
		fl.derived = d // it follows until changed
	}
	f.followers = append(f.followers, fl)
}

// follows makes in, q's field, follow the answer q is derived from until
// the user changes it; Enter on it empty keeps the derived answer.
func (f *Form) follows(q *answers.Field, in *huh.Input) {
	for _, fl := range f.followers {
		if fl.q == q {
			fl.input = in
		}
	}
	in.Description(q.Help + "; follows " + strings.TrimSuffix(strings.TrimPrefix(q.Default, "(default: "), ")") + " until you change it.")
	in.Validate(func(s string) error {
		if strings.TrimSpace(s) == "" {
			if _, err := f.deriveNow(q); err != nil {
				return f.reason(err, "") // what --yes would say: the name to give
			} else if f.derivedNow(q) != "" {
				return nil // Enter keeps the answer derived from the one it follows
			}
		}
		return f.check(q, s)
	})
}

// follower is an asked answer derived from another (the name from the
// module path): it follows that answer until the user changes it.
type follower struct {
	q       *answers.Field
	input   *huh.Input // nil in accessible mode
	derived string     // what it last derived: while it holds this, it follows
	source  string     // the text of From it last followed
}

// follow derives, from the text of the answer key, every answer that
// follows it (Question.Source) and still holds what it last derived.
func (f *Form) follow(key, text string) {
	for _, fl := range f.followers {
		if fl.q.Follows != key {
			continue
		}
		fl.source = text
		v := f.texts[fl.q.Key]
		if *v != "" && *v != fl.derived {
			continue // changed by the user: it follows no more
		}
		d, _ := f.deriveFrom(fl.q, text)
		if d == *v {
			continue
		}
		// d is "" where text gives no answer (a module path whose last
		// element is no app name): the field empties rather than keep
		// what a prefix of text gave, and Enter says why.
		if fl.input == nil {
			*v, fl.derived = d, d
			continue
		}
		// Through empty, so that the field's cursor lands at the end of the
		// new answer, not where it was in the old one (bubbles' textinput
		// keeps a cursor position that still fits).
		*v = ""
		fl.input.Value(v)
		*v, fl.derived = d, d
		fl.input.Value(v)
	}
}

// derivedNow is q's answer derived from the answer it follows as the form
// holds it now; "" when that gives none.
func (f *Form) derivedNow(q *answers.Field) string {
	d, _ := f.deriveNow(q)
	return d
}

// deriveNow is derivedNow with why it is "", when the answer it follows
// gives none.
func (f *Form) deriveNow(q *answers.Field) (string, error) {
	if f.field(q.Follows) == nil {
		return q.Derive(f.start)
	}
	return f.deriveFrom(q, f.text(q.Follows))
}

// deriveFrom is q's answer derived from text, the answer it follows, or
// why it gives none.
func (f *Form) deriveFrom(q *answers.Field, text string) (string, error) {
	src := f.field(q.Follows)
	if src == nil {
		return q.Derive(f.start)
	}
	a := f.start
	_ = src.Parse(&a, text) // checked at its own field
	return q.Derive(a)
}

// followTyped lets the derived answers follow theirs while it is typed.
func (f *Form) followTyped() bool {
	changed := false
	for _, fl := range f.followers {
		if from := fl.q.Follows; f.field(from) != nil && f.text(from) != fl.source {
			f.follow(from, f.text(from))
			changed = true
		}
	}
	return changed
}

// options are the choices as huh's options, those in selected marked.
func options(choices []answers.Choice, selected []string) []huh.Option[string] {
	var out []huh.Option[string]
	for _, c := range choices {
		out = append(out, huh.NewOption(fmt.Sprintf("%-15s %s", c.Value, c.About), c.Value).Selected(slices.Contains(selected, c.Value)))
	}
	return out
}
