package answers

import (
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Question is one answer gonix-init asks for, with everything the flags,
// --help, the answers file, the printed equivalent command and the form need
// to know of it. Questions is the one table of them: adding a question is a
// row here (and its use in the templates). What sets one question apart
// from another (a default derived from another answer, a word for an empty
// list, a list's bounds) is a field of its row, so that no caller needs to
// know a question by its key.
type Question struct {
	Key      string   // the flag (--Key) and the answers file's field
	Arg      string   // the flag's argument in --help: PATH, NAME, LIST
	Title    string   // the form's question
	Help     string   // one line, for --help and the form's description
	Default  string   // the default, as --help says it; "" for a required answer
	Initial  string   // the answer without its flag, as Parse reads it; "" when required or derived
	Required bool     // no default: gonix-init cannot go on without it
	Example  string   // an answer to show, for a required one
	Choices  []Choice // a choice question's choices; nil for free text
	Multi    bool     // several of the choices (a list), or exactly one

	// A list's items: what one is called ("port"), how many it takes
	// (Max 0: no limit), and the word that stands alone for none ("" when
	// a list cannot be empty).
	Item     string
	Min, Max int
	None     string
	// Retired are items that were choices once, with what to give instead.
	Retired map[string]string

	// Note says what an answer means beyond itself, or "": one line the
	// form shows under the question and the summary under the answer.
	Note func(a Answers) string

	// From is the answer this one is derived from while it is not given
	// (the name from the module path): the form asks the two on one page,
	// and this one follows From as it is typed until it is changed. A
	// profile may have it follow another (Profile.From).
	From string

	// options are the choices of a question whose choices are the
	// project's (its main packages), as the answers a have them.
	options func(a Answers) []Choice

	// parse reads the answer from text (a flag, a form field) into a,
	// checking it; format writes it back as parse reads it; check checks
	// it with the other answers in view (a list of choices needs none of
	// the three); field points at it in a, for the
	// answers file, whose JSON type jsonType describes; derive is the
	// answer derived from From; upgrade reads what an older answers file
	// said of this answer (it returns the keys answered).
	parse    func(q *Question, a *Answers, s string) error
	format   func(a Answers) string
	check    func(q *Question, a Answers) error
	field    func(a *Answers) any
	jsonType string
	derive   func(a Answers) (string, error)
	upgrade  func(a *Answers, answered []string) []string
}

// Parse reads the answer from text, as the flag and the form give it, into a.
// A bad answer is an *Error naming the question's key.
func (q *Question) Parse(a *Answers, s string) error {
	if q.parse != nil {
		return q.parse(q, a, s)
	}
	if v, ok := q.field(a).(*string); ok { // one of the choices
		*v = strings.TrimSpace(s)
		return q.checkChoice(*v)
	}
	v, err := q.parseChoices(s)
	*q.field(a).(*[]string) = v
	return err
}

// Format is the answer in a as text, as Parse reads it: an empty list is
// the question's None.
func (q *Question) Format(a Answers) string {
	var s string // a choice, or a list of them, as it is
	switch v := q.field(&a).(type) {
	case *string:
		s = *v
	case *[]string:
		s = strings.Join(*v, ",")
	}
	if q.format != nil {
		s = q.format(a)
	}
	if s == "" && q.None != "" {
		return q.None
	}
	return s
}

// Check checks the answer in a, with the other answers in view.
func (q *Question) Check(a Answers) error {
	// Text that is not UTF-8 cannot be recorded: .gonix.json's JSON would
	// hold U+FFFD in its place, and the project another answer than given.
	// A control character no YAML file may hold (a Taskfile's command, a
	// workflow's), and no answer needs.
	v := q.Format(a)
	if !utf8.ValidString(v) {
		return invalid(q.Key, "%q is not valid UTF-8 text", v)
	}
	if i := strings.IndexFunc(v, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(v[i:])
		return invalid(q.Key, "%q holds a control character (%U): give printable text", v, r)
	}
	if q.check != nil {
		return q.check(q, a)
	}
	if v, ok := q.field(&a).(*string); ok {
		return q.checkChoice(*v)
	}
	return q.checkChoices(*q.field(&a).(*[]string))
}

// Derived is the answer derived from the one it follows (From), as the
// answers a are now; "" for a question that follows none, or when a's
// answer to From gives none.
func (q *Question) Derived(a Answers) string {
	v, _ := q.Derive(a)
	return v
}

// Derive is Derived with why a's answer to From gives none: the error
// --yes would stop with, which says what to give instead.
func (q *Question) Derive(a Answers) (string, error) {
	if q.derive == nil {
		return "", nil
	}
	return q.derive(a)
}

// IsDefault reports whether the answer in a is what gonix-init would choose
// without it: start's (the answers before any was given or asked), or the
// answer derived from the one it follows. A required answer never is.
func (q *Question) IsDefault(a, start Answers) bool {
	switch {
	case q.Required:
		return false
	case q.derive != nil:
		v, err := q.derive(a)
		return err == nil && v == q.Format(a)
	}
	return q.Format(a) == q.Format(start)
}

// Source is the answer q follows in the project a until it is given, as
// a's profile has it (Profile.From), or "".
func (q *Question) Source(a Answers) string { return a.Profile().From(q) }

// Options are the choices the form offers: the table's, or for a question
// whose choices are the project's own, those a has; nil for free text.
func (q *Question) Options(a Answers) []Choice {
	if q.options != nil {
		return q.options(a)
	}
	return q.Choices
}

// packageChoices are the main packages of a as choices: those adopt
// found, or else those a builds.
func packageChoices(a Answers) []Choice {
	if len(a.Mains) > 0 {
		return slices.Clone(a.Mains)
	}
	var out []Choice
	for _, p := range a.Packages {
		out = append(out, Choice{Value: p})
	}
	return out
}

// ParseList splits a list answer into its items, as ParseList does for
// the question's key.
func (q *Question) ParseList(s string) ([]string, error) { return ParseList(q.Key, s) }

// parseOrNone reads a list of free words, or the question's None: no
// item.
func (q *Question) parseOrNone(s string) ([]string, error) {
	items, err := q.ParseList(s)
	if len(items) == 1 && items[0] == q.None {
		items = nil
	}
	return items, err
}

// eachOnce checks each item of a list, and that none is listed twice.
func (q *Question) eachOnce(items []string, check func(string) error) error {
	for i, item := range items {
		if err := check(item); err != nil {
			return err
		}
		if slices.Contains(items[:i], item) {
			return invalid(q.Key, "%q is listed twice", item)
		}
	}
	return nil
}

// checkChoice accepts one of the question's choices.
func (q *Question) checkChoice(v string) error {
	if !slices.Contains(Values(q.Choices), v) {
		return invalid(q.Key, "unknown %s %q; choose %s", q.Item, v, strings.Join(Values(q.Choices), " or "))
	}
	return nil
}

// parseChoices parses and checks a list of the question's choices, in the
// choices' order; its None alone is the empty list.
func (q *Question) parseChoices(s string) ([]string, error) {
	items, err := q.ParseList(s)
	if err != nil {
		return nil, err
	}
	if q.None != "" && slices.Contains(items, q.None) {
		if len(items) == 1 {
			return []string{}, nil
		}
		return nil, invalid(q.Key, "%q stands alone; list %ss from %s, or give %s alone", q.None, q.Item, strings.Join(Values(q.Choices), ", "), q.None)
	}
	for _, it := range items {
		if why, ok := q.Retired[it]; ok {
			return nil, invalid(q.Key, "%s", why)
		}
	}
	picked, err := q.pick(items)
	if err == nil {
		err = q.bounds(len(picked))
	}
	return picked, err
}

// checkChoices accepts known choices, each once, within the bounds.
func (q *Question) checkChoices(items []string) error {
	if err := q.bounds(len(items)); err != nil {
		return err
	}
	_, err := q.pick(items)
	return err
}

// bounds checks a list's length against Min and Max.
func (q *Question) bounds(n int) error {
	switch {
	case n < q.Min && q.Choices != nil:
		return invalid(q.Key, "choose at least one of %s", strings.Join(Values(q.Choices), ", "))
	case n < q.Min:
		return invalid(q.Key, "give at least one %s, like %s", q.Item, q.Default)
	case q.Max > 0 && n > q.Max:
		return invalid(q.Key, "%d %ss given; use at most %d", n, q.Item, q.Max)
	}
	return nil
}

// pick checks items against the choices and returns them in the choices' order.
func (q *Question) pick(items []string) ([]string, error) {
	known := Values(q.Choices)
	for i, it := range items {
		if !slices.Contains(known, it) {
			also := ""
			if q.None != "" {
				also = ", or " + q.None + " alone"
			}
			return nil, invalid(q.Key, "unknown %s %q; choose from %s%s", q.Item, it, strings.Join(known, ", "), also)
		}
		if slices.Contains(items[:i], it) {
			return nil, invalid(q.Key, "%q is listed twice", it)
		}
	}
	out := []string{}
	for _, k := range known {
		if slices.Contains(items, k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// Derive fills in every answer that is derived from another (From) and
// not given, when the answer it follows is right. It returns why an
// answer could not be derived.
func Derive(a *Answers) error {
	var errs []error
	for _, q := range Questions {
		if q.derive == nil || q.Format(*a) != "" || Lookup(q.Source(*a)).Check(*a) != nil {
			continue
		}
		v, err := q.derive(*a)
		if err == nil {
			err = q.Parse(a, v)
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// fill gives an empty single choice its initial answer in the profile p:
// the zero value of an answer of the kind is "not chosen".
func (q *Question) fill(a *Answers, p *Profile) {
	if v, ok := q.field(a).(*string); ok && *v == "" && q.Choices != nil {
		*v = p.Initial(q)
	}
}

// order puts a list of choices in the choices' order: the same choices,
// the same bytes.
func (q *Question) order(a *Answers) {
	if v, ok := q.field(a).(*[]string); ok && q.Choices != nil {
		*v, _ = q.pick(*v)
	}
}

// Lookup returns the question with key, or nil.
func Lookup(key string) *Question {
	for _, q := range Questions {
		if q.Key == key {
			return q
		}
	}
	return nil
}

// Keys are the questions' keys, in order.
func Keys() []string {
	var out []string
	for _, q := range Questions {
		out = append(out, q.Key)
	}
	return out
}

// Args are the flags that give the answers in a that keep selects, in the
// table's order, each value quoted for a POSIX shell where it needs it:
// the command line that makes the same project.
func Args(a Answers, keep func(q *Question) bool) []string {
	var args []string
	for _, q := range Questions {
		if a.Profile().Asks(q) && keep(q) {
			args = append(args, "--"+q.Key, ShellQuote(q.Format(a)))
		}
	}
	return args
}

// ShellQuote quotes s for a POSIX shell when it needs quoting.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && !strings.ContainsRune("-_./+@:,=", r)
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
