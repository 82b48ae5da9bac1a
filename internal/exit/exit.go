// Package exit is how a run of gonix-init ends, in one table: the exit
// codes, and the errors that choose them. It is a leaf: the packages
// whose errors end a run (usage, scaffold, update) mark them with a
// method of their own (Refused, Conflicted), the form wraps ErrAborted,
// and the command maps whatever the run returns with Code, importing none
// of them for it.
package exit

import (
	"context"
	"errors"
	"flag"
)

// The exit codes. Each command's help says what they mean for it.
const (
	OK          = 0   // done; or --help
	Failure     = 1   // something failed: the message says what
	Usage       = 2   // bad input (a flag, an answer, a directory): nothing written
	WouldChange = 3   // update --check: an update would change the project
	Conflicts   = 4   // update: conflict markers to resolve
	Aborted     = 130 // the user ended the run (Ctrl-C, Esc, Cancel): nothing written
)

// ErrAborted is a run the user ended before anything was written: Ctrl-C,
// Esc, Cancel at the confirm, or the end of the answers typed in. The
// form's errors wrap it.
var ErrAborted = errors.New("aborted")

// Refused reports whether err is bad input, which a run refuses before it
// writes anything, showing its plan when it has one: an error (or one it
// wraps) with a method Refused that says so, as internal/usage's errors
// and a target that cannot be written have.
func Refused(err error) bool {
	var r interface{ Refused() bool }
	return errors.As(err, &r) && r.Refused()
}

// conflicted reports whether err is conflicts left to resolve (update's).
func conflicted(err error) bool {
	var c interface{ Conflicted() bool }
	return errors.As(err, &c) && c.Conflicted()
}

// Code is the exit code of a run that ended with err.
func Code(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return OK
	case errors.Is(err, context.Canceled), errors.Is(err, ErrAborted):
		return Aborted
	case conflicted(err):
		return Conflicts
	case Refused(err):
		return Usage
	}
	return Failure
}
