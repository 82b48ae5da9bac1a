// Package plan is what a run of any command will do to a project, as data:
// the files to write, those left out of git's index, each file's outcome,
// the notes and next steps, and why the run ends at the plan, if it does.
// A command's planner makes one (internal/session), the report shows it
// (internal/report), and the session writes it: none of them needs to know
// which command made it.
package plan

import (
	"strings"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/scaffold"
)

// Stop is how a run ends: at its plan, with nothing written (Current,
// WouldChange, Refused), or once it is written (Go, Conflicts).
type Stop int

const (
	Go          Stop = iota // write the plan
	Current                 // an update with nothing to change
	WouldChange             // update --check: an update would change the project, an outcome
	Refused                 // the plan cannot be written as it is: Plan.Fault says why
	// Conflicts is a plan written with conflicts to resolve, which end the
	// run once the rest is written: Plan.Fault names them (update's).
	Conflicts
)

// Outcome is what a run does with one file, in words: update's "merged",
// "kept yours". A plan with outcomes is shown as a list of them.
type Outcome struct {
	Path, What string
	Same       bool // the file stays as it is: the report counts it rather than lists it
}

// Plan is a planner's answer to one set of answers. Nothing in it has
// been written.
type Plan struct {
	Writes *scaffold.Plan
	// Unstaged are files written and left out of git's index (a file with
	// conflict markers, so that a plain git commit cannot take it).
	Unstaged []string
	// Outcomes are the outcome of each file, when the run decides one per
	// file (update); nil otherwise.
	Outcomes []Outcome
	// Notes are what the user should know of the plan, a sentence each;
	// one made by Warning is a warning, which the report marks as one.
	Notes []string
	// Steps are what to run once it is written, after cd and git.
	Steps []answers.Step
	// Confirm is the question the confirm asks ("Write the project?").
	Confirm string
	// Done is how the report names what was written: "Created", "Updated".
	Done string
	// Line is the command line that makes the same plan: printed after an
	// interactive run, or, for WouldChange, the update to run.
	Line  string
	Stop  Stop
	Fault error // for Refused and Conflicts: what is in the way, and what to do
}

// Refuse is a plan that stops at the plan, saying why with err: the one
// way a planner refuses answers it cannot plan for.
func Refuse(p Plan, err error) Plan {
	p.Stop, p.Fault = Refused, err
	return p
}

// warning marks a note that is a warning.
const warning = "\x00warning\x00"

// Warning is the note text as a warning: something the user must act on
// before the project builds as they expect.
func Warning(text string) string { return warning + text }

// IsWarning reports whether the note is a warning, and its text.
func IsWarning(note string) (string, bool) { return strings.CutPrefix(note, warning) }
