// Package usage marks the errors that are the user's to fix, a bad flag,
// answer, directory or file given, apart from failures: gonix-init writes
// nothing for them, says what to do, and exits 2.
package usage

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
)

// Error is bad input: the command line, an answer, a directory given.
type Error struct{ Err error }

func (e Error) Error() string { return e.Err.Error() }

// Refused marks the error as bad input, which a run refuses (exit.Refused).
func (Error) Refused() bool   { return true }
func (e Error) Unwrap() error { return e.Err }

// Errorf is a usage error of the text fmt.Errorf makes.
func Errorf(format string, args ...any) error {
	return Error{fmt.Errorf(format, args...)}
}

// Is reports whether err is, or wraps, a usage error.
func Is(err error) bool { return errors.As(err, &Error{}) }

// Cause is an error's text without the path that a message naming the
// path already says: "no such file", "permission denied".
func Cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, fs.ErrNotExist) {
			return "no such file"
		}
		return pe.Err.Error()
	}
	return err.Error()
}

// Answers turns the answers' validation errors in err into one usage
// error, a line each, each named by where its answer came from (prefix of
// its key) and its key: "--ports: ..." for a flag, "answers.json: ports:
// ..." for a file. Any other error is returned as it is.
func Answers(err error, prefix func(key string) string) error {
	if err == nil {
		return nil
	}
	var lines []string
	for _, e := range answers.Unjoin(err) {
		var ae *answers.Error
		switch {
		case errors.As(e, &ae):
			lines = append(lines, prefix(ae.Field)+ae.Field+": "+ae.Reason)
		case Is(e):
			lines = append(lines, e.Error())
		default:
			return err
		}
	}
	return Error{errors.New(strings.Join(lines, "\n"))}
}

// Flag names an answer as its flag, as Answers' prefix: --ports.
func Flag(string) string { return "--" }

// In names an answer as a field of the file path, as Answers' prefix.
func In(path string) func(string) string {
	return func(string) string { return path + ": " }
}

// FlagText is a flag package error in gonix-init's words: flags are
// spelt --name in its help, so they are here too.
func FlagText(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag --" + name
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "--" + name + " needs a value, like --" + name + "=VALUE"
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		// invalid boolean value "x" for -yes: parse error
		value, flag, _ := strings.Cut(rest, " for -")
		flag, _, _ = strings.Cut(flag, ":")
		return "--" + flag + " takes no value (got " + value + ")"
	}
	return msg
}

// Nearest is the one of names nearest to name in spelling, at most two
// edits away (a typo), or "". Where some begin with name (-y for --yes),
// the shortest of them: what a short name most likely abbreviates.
func Nearest(name string, names []string) string {
	best, dist := "", 3
	for _, n := range names {
		if name != "" && strings.HasPrefix(n, name) && (best == "" || dist > 0 || len(n) < len(best)) {
			best, dist = n, 0
		}
		if d := levenshtein.ComputeDistance(name, n); dist > 0 && d < dist {
			best, dist = n, d
		}
	}
	return best
}

// ProjectDir checks that dir, a project gonix-init adopts or updates, is a
// directory: one that is missing or a file is refused, saying so.
func ProjectDir(fsys afero.Fs, dir string) error {
	info, err := fsys.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Errorf("%s: no such directory; give the project's directory (by default the current one)", dir)
	case err != nil:
		return Errorf("%s: %s", dir, Cause(err))
	case !info.IsDir():
		return Errorf("%s is a file, not a directory; give the project's directory (by default the current one)", dir)
	}
	return nil
}
