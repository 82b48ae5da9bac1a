package session

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/usage"
)

// Sources are where the answers come from before any question, each over
// the one before: Base (its profile's start, with what was found, or an
// update's recorded answers), the answers recorded in Recorded/.gonix.json
// (a re-run of init starts from them), the answers file File, and the
// flags.
type Sources struct {
	Base     answers.Answers
	Recorded string            // the target, whose recorded answers are a start; "" for none
	File     string            // --answers FILE, "" for none
	Flags    map[string]string // question key -> the flag's text, for the flags given
	CanAsk   bool              // the form asks for what is missing
}

// Collect settles the answers before the form. It returns which answers
// the answers file or the flags gave (or the profile fixes), so the form
// asks only the rest, and reports every bad answer at once, each named
// where it came from (--ports, or --answers answers.json: ports). When
// gonix-init cannot ask, a missing module path is an error, and every
// answer must be right.
func Collect(fsys afero.Fs, src Sources) (answers.Answers, map[string]bool, error) {
	c := collection{a: src.Base, given: map[string]bool{}, origin: map[string]string{}}
	for key := range c.a.Profile().Fixed {
		c.given[key] = true // not asked: found
	}
	fileErr, err := c.readFile(fsys, src)
	if err != nil {
		return c.a, c.given, err // the first cause alone: no answer of it was read
	}
	from := func(key string) string { return cmp.Or(c.origin[key], "--") }
	errs := c.flags(src.Flags)
	for _, q := range answers.Questions {
		if q.Required && q.Format(c.a) == "" && !src.CanAsk {
			errs = append(errs, usage.Errorf("--%s is required when gonix-init cannot ask (no terminal, or --yes); give one like --%s %s", q.Key, q.Key, q.Example))
		}
	}
	if err := answers.Derive(&c.a); err != nil && !src.CanAsk {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return c.a, c.given, errors.Join(fileErr, usage.Answers(err, from))
	}
	if src.CanAsk {
		// What the form will not ask must be right already.
		for key, from := range c.origin {
			if from != "--" && c.given[key] {
				errs = append(errs, answers.Lookup(key).Check(c.a))
			}
		}
	} else {
		errs = append(errs, blameChanged(c.a.Validate(), c.given, c.a))
	}
	if err := errors.Join(errs...); err != nil || fileErr != nil {
		return c.a, c.given, errors.Join(fileErr, usage.Answers(err, from))
	}
	return c.a, c.given, nil
}

// collection is the answers as Collect gathers them: which were given
// (not asked), and where each came from (its prefix in an error).
type collection struct {
	a      answers.Answers
	given  map[string]bool
	origin map[string]string
}

// readFile reads the answers file src names, or else the target's
// recorded answers, into c. It returns the fields it could not read, and
// an error when it could read none.
func (c *collection) readFile(fsys afero.Fs, src Sources) (fileErr, err error) {
	file := src.File
	if recorded := filepath.Join(src.Recorded, answers.FileName); file == "" && src.Recorded != "" {
		if _, err := fsys.Stat(recorded); err == nil {
			file = recorded
		}
	}
	if file == "" {
		return nil, nil
	}
	keys, err := readAnswers(fsys, file, &c.a, src.File != "", c.a.Profile())
	var whole wholeFileError
	if errors.As(err, &whole) || err != nil && !usage.Is(err) {
		return nil, err
	}
	name := file
	if src.File != "" {
		name = "--answers " + file // as the file's other errors name it
	}
	for _, k := range keys {
		c.origin[k] = name + ": "
		c.given[k] = src.File != "" // recorded answers are only a start
	}
	return err, nil
}

// flags parses the answers' flags into c; a flag of an answer the profile
// fixes is refused, saying where it comes from.
func (c *collection) flags(flags map[string]string) []error {
	profile := c.a.Profile()
	var errs []error
	for _, q := range answers.Questions {
		text, ok := flags[q.Key]
		switch from, fixed := profile.Fixed[q.Key]; {
		case ok && fixed:
			errs = append(errs, usage.Errorf("--%s: %s takes its %s from %s: change it there", q.Key, profile.Project, strings.ToLower(q.Title), from))
		case ok:
			errs = append(errs, q.Parse(&c.a, text))
			c.given[q.Key], c.origin[q.Key] = true, "--"
		}
	}
	return errs
}

// blameChanged names a rule between two answers (answers.Error.With) after
// the one that was given, when the other one was not: the user changed
// --tools, so the error is --tools's, and says what the other answer still
// is and how to change it too.
func blameChanged(err error, given map[string]bool, a answers.Answers) error {
	var out []error
	for _, e := range answers.Unjoin(err) {
		var ae *answers.Error
		if errors.As(e, &ae) && ae.With != "" && !given[ae.Field] && given[ae.With] {
			e = &answers.Error{Field: ae.With, With: ae.Field, Reason: fmt.Sprintf("%s (%s stays %s; give --%s to change it too)",
				ae.Reason, ae.Field, answers.Lookup(ae.Field).Format(a), ae.Field)}
		}
		out = append(out, e)
	}
	return errors.Join(out...)
}

// wholeFileError is an answers file that could not be read at all: the
// usage error is all there is to say.
type wholeFileError struct{ error }

func (e wholeFileError) Unwrap() error { return e.error }

// readAnswers reads an answers file into a and returns the keys it answers,
// with the fields it could not read: each named as FILE: field. A file it
// cannot open or parse at all, or one of a project of another profile than
// the run's, is a wholeFileError, which says what to do: for --answers
// (given), give another; for the project's own, restore it.
func readAnswers(fsys afero.Fs, path string, a *answers.Answers, given bool, profile *answers.Profile) ([]string, error) {
	fix := "give a .gonix.json that gonix-init wrote"
	if !given {
		fix = "restore it (git checkout -- " + answers.FileName + "), or remove it to start from the defaults"
	}
	name := path
	if given {
		name = "--answers " + path
	}
	f, err := fsys.Open(path)
	if err != nil {
		return nil, wholeFileError{usage.Errorf("%s: %s; %s", name, usage.Cause(err), fix)}
	}
	defer f.Close() //nolint:errcheck // read-only
	read := *a
	_, keys, err := answers.Read(f, &read)
	if errors.Is(err, answers.ErrNotJSON) {
		return nil, wholeFileError{usage.Errorf("%s: %v; %s", name, err, fix)}
	}
	if other := read.Profile(); other != profile && read.Kind != "" {
		return nil, wholeFileError{usage.Errorf("%s: it records %s, and this run makes %s: %s", name, other.Project, profile.Project, otherCommand(other))}
	}
	*a = read
	return keys, usage.Answers(err, usage.In(name))
}

// otherCommand says how to work on a project of the profile p.
func otherCommand(p *answers.Profile) string {
	if p == answers.Adopted {
		return "run gonix-init update in that project, or gonix-init adopt in another"
	}
	return "run gonix-init update in that project, or give a .gonix.json of " + p.Project
}
