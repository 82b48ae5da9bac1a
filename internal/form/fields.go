package form

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/gonix-init/gonix-init/internal/answers"
)

// field makes the huh field of one question, by its kind: a list of
// choices, one choice, or free text.
func (f *Form) field(q *answers.Question, a answers.Answers) huh.Field {
	switch choices := q.Options(a); {
	case choices != nil && q.Multi:
		return f.multiSelect(q, a, choices)
	case choices != nil:
		return f.choice(q, a, choices)
	}
	return f.input(q, a)
}

// multiSelect is a list of choices: space toggles, Enter goes on.
func (f *Form) multiSelect(q *answers.Question, a answers.Answers, choices []answers.Choice) huh.Field {
	v := answerList(q, a)
	f.lists[q.Key] = &v
	return huh.NewMultiSelect[string]().
		Title(q.Title).
		Description(q.Help + ". Space toggles, Enter goes on.").
		Options(options(choices, v)...).
		Filterable(false).
		// Room for the title, the description and every option: huh v2
		// sizes a group before its fields have laid out, and would
		// otherwise show one option.
		Height(len(choices) + 3).
		Value(f.lists[q.Key]).
		Validate(func(v []string) error { return f.check(q, listText(q, v)) })
}

// choice is one of the choices.
func (f *Form) choice(q *answers.Question, a answers.Answers, choices []answers.Choice) huh.Field {
	v := q.Format(a)
	f.texts[q.Key] = &v
	return huh.NewSelect[string]().
		Title(q.Title).
		Description(q.Help + ".").
		Options(options(choices, []string{v})...).
		Value(f.texts[q.Key]).
		Validate(func(s string) error { return f.check(q, s) })
}

// input is a free-text answer. Its note, when it has one, follows the
// answer as it is typed, on a line kept for it, so that the page does not
// grow under the user; an answer derived from another follows that one
// until it is changed.
func (f *Form) input(q *answers.Question, a answers.Answers) huh.Field {
	v := q.Format(a)
	f.texts[q.Key] = &v
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
	if q.Source(a) != "" {
		f.follows(q, a, in)
	}
	return in
}

// noteOf is q's note on the answer its field holds, or a blank line: the
// line stays, so the page keeps its height as the note comes and goes.
func (f *Form) noteOf(q *answers.Question) string {
	b := f.start
	if q.Parse(&b, *f.texts[q.Key]) == nil {
		if note := q.Note(b); note != "" {
			return note + "."
		}
	}
	return " "
}

// follows makes in, q's field, follow the answer q is derived from until
// the user changes it; Enter on it empty keeps the derived answer.
func (f *Form) follows(q *answers.Question, a answers.Answers, in *huh.Input) {
	fl := &follower{q: q, input: in, source: answers.Lookup(q.Source(a)).Format(a)}
	if d := q.Derived(a); d != "" && d == *f.texts[q.Key] {
		fl.derived = d // it follows until changed
	}
	f.followers = append(f.followers, fl)
	in.Description(q.Help + "; follows " + strings.TrimSuffix(strings.TrimPrefix(a.Profile().DefaultText(q), "(default: "), ")") + " until you change it.")
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
	q       *answers.Question
	input   *huh.Input // nil in accessible mode
	derived string     // what it last derived: while it holds this, it follows
	source  string     // the text of From it last followed
}

// follow derives, from the text of the answer key, every answer that
// follows it (Question.Source) and still holds what it last derived.
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
func (f *Form) derivedNow(q *answers.Question) string {
	d, _ := f.deriveNow(q)
	return d
}

// deriveNow is derivedNow with why it is "", when the answer it follows
// gives none.
func (f *Form) deriveNow(q *answers.Question) (string, error) {
	if !slices.Contains(f.asked, q.Source(f.start)) {
		return q.Derive(f.start)
	}
	return f.deriveFrom(q, f.text(q.Source(f.start)))
}

// deriveFrom is q's answer derived from text, the answer it follows, or
// why it gives none.
func (f *Form) deriveFrom(q *answers.Question, text string) (string, error) {
	a := f.start
	_ = answers.Lookup(q.Source(f.start)).Parse(&a, text) // checked at its own field
	return q.Derive(a)
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

// options are the choices as huh's options, those in selected marked.
func options(choices []answers.Choice, selected []string) []huh.Option[string] {
	var out []huh.Option[string]
	for _, c := range choices {
		out = append(out, huh.NewOption(fmt.Sprintf("%-15s %s", c.Value, c.About), c.Value).Selected(slices.Contains(selected, c.Value)))
	}
	return out
}
