package answers

import "strings"

// Kind is how a form asks a question: free text, one of its choices, or
// a list of them.
type Kind int

const (
	Text   Kind = iota // free text
	Choose             // one of Field.Choices
	List               // none, one or more of Field.Choices
)

// Field is one question as a form asks it, for a project's answers: what
// to show, what the field holds first, and how to read and check what is
// typed. A form reads only Fields, never the question table, so that the
// table can change its rows without the form learning of it.
type Field struct {
	Key     string   // the question's key: its flag, its answers file field
	Title   string   // the question
	Help    string   // one line under it
	Kind    Kind     // text, one choice, or a list
	Choices []Choice // the choices of Choose and List, nil for Text

	// Text is the answer the field holds first, as Parse reads it; Values
	// is the same as a list, for List.
	Text   string
	Values []string
	// None is the word that stands alone for an empty list, or "".
	None string

	// Default says the default as --help does: "(default: 8080)", or
	// "(required)". What a required answer needs: an Example, else at
	// least one Item, else any answer.
	Default string
	Example string
	Item    string

	// Follows is the key of the answer this one is derived from until
	// it is changed (the name from the module path), or "". Derive is
	// that answer, for the answers as they are, or why there is none.
	Follows string
	Derive  func(a Answers) (string, error)

	// Note is what the answer text means beyond itself, one line, or ""
	// (nil for a question without notes).
	Note func(text string) string

	// Parse reads text into a and checks it: the flag's own parse.
	// Normal is text as the answers file would write it once parsed.
	Parse  func(a *Answers, text string) error
	Normal func(a Answers, text string) string
}

// Fields are the questions a's profile asks and given leaves, in the
// table's order, as a form asks them for the answers a.
func Fields(a Answers, given map[string]bool) []Field {
	p := a.Profile()
	var out []Field
	for _, q := range Questions {
		if given[q.Key] || !p.Asks(q) {
			continue
		}
		out = append(out, fieldOf(q, a))
	}
	return out
}

// fieldOf is q as a form asks it for the answers a.
func fieldOf(q *Question, a Answers) Field {
	f := Field{
		Key: q.Key, Title: q.Title, Help: q.Help, Choices: q.Options(a),
		Text: q.Format(a), None: q.None, Default: a.Profile().DefaultText(q),
		Example: q.Example, Item: q.Item, Follows: q.Source(a), Derive: q.Derive,
		Parse: func(b *Answers, text string) error { return q.Parse(b, text) },
		Normal: func(b Answers, text string) string {
			_ = q.Parse(&b, text) // checked by Parse
			return q.Format(b)
		},
	}
	switch {
	case f.Choices != nil && q.Multi:
		f.Kind, f.Values = List, f.List(f.Text)
	case f.Choices != nil:
		f.Kind = Choose
	}
	if q.Note != nil {
		f.Note = func(text string) string {
			b := a
			if q.Parse(&b, text) != nil {
				return ""
			}
			return q.Note(b)
		}
	}
	return f
}

// List is a List field's text as its values: none for the None word.
func (f *Field) List(text string) []string {
	if f.None != "" && text == f.None {
		return []string{}
	}
	v, _ := ParseList(f.Key, text) // Format writes what ParseList reads
	return v
}

// ListText is a List field's values as Parse reads them: the None word
// for none.
func (f *Field) ListText(v []string) string {
	if len(v) == 0 && f.None != "" {
		return f.None
	}
	return strings.Join(v, ",")
}
