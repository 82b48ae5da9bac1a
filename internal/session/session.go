// Package session is one run of gonix-init, for init and update alike, in
// one straight line: the answers (asked by a Prompter for what the flags
// left), the render, the plan, what the plan will do, one confirm (or
// back to the questions), the writes, staging in git, and the report.
// Nothing is written before the confirm, and nothing at all on a dry run.
// What tells init from update is the Planner: how answers become a plan,
// and how it is shown.
package session

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/report"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/update"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/internal/version"
)

// Env is what one run works with, injected so that tests run it without a
// terminal, a disk or git (as cli/cli's IOStreams): the files, the streams,
// whether they are a terminal, git, the environment and the programs on
// PATH.
type Env struct {
	FS       afero.Fs // every file: the target, an answers file, a template set
	In       io.Reader
	Out, Err io.Writer
	Terminal bool // stdin and stdout are a terminal: only then is anything asked
	Height   int  // the terminal's rows, 0 when unknown
	Git      Git
	Environ  []string                          // KEY=value, as os.Environ
	LookPath func(file string) (string, error) // as exec.LookPath
	// Prompter makes what asks in the terminal, in accessible mode or not:
	// cmd/gonix-init gives internal/form's, tests a fake. With none, a run
	// asks nothing.
	Prompter func(e Env, accessible bool) Prompter
}

// Getenv is the value of key in the environment.
func (e Env) Getenv(key string) string {
	for _, kv := range slices.Backward(e.Environ) {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// Printer prints the run's report on its output.
func (e Env) Printer() report.Printer {
	return report.Printer{Out: e.Out, Environ: e.Environ, Height: e.Height}
}

// Git stages files and finds uncommitted changes: gitstage.Git on a disk,
// gitstage.Off where there is none.
type Git interface {
	Stage(ctx context.Context, dir string, paths []string, init bool) (gitstage.Result, error)
	Dirty(ctx context.Context, dir string, paths []string) ([]string, error)
}

// Prompter asks: the questions that given leaves, filled in from a and
// starting at the last one for atEnd, and the confirm once the plan is
// shown, which returns back to ask the questions again. internal/form's is
// the terminal's.
type Prompter interface {
	Ask(ctx context.Context, a answers.Answers, given map[string]bool, atEnd bool) (answers.Answers, error)
	Confirm(ctx context.Context) (back bool, err error)
}

// Showing is why a plan is shown.
type Showing int

const (
	Confirming Showing = iota // before the confirm
	Writing                   // before writing without a confirm
	DryRun                    // instead of writing
	Stopping                  // the run ends at the plan (Plan.Stop)
)

// Stop is why a run ends at its plan, with nothing written, or Go.
type Stop int

const (
	Go          Stop = iota // write the plan
	Current                 // update: nothing to change
	WouldChange             // update --check: an update would change the project, an outcome
	Refused                 // the plan cannot be written as it is: Plan.Refusal says why
)

// Plan is a planner's answer to one set of answers: the writes, update's
// verdict on each file, and why the run ends here, if it does. A planner
// keeps no state between calls: Show and Done read what they need here.
type Plan struct {
	Writes  *scaffold.Plan
	Entries []update.Entry // update: each file's outcome; its conflicts stay out of git's index
	Stop    Stop
	Refusal error // for Refused: what is in the way, and what to do
}

// Planner is what each command supplies to the loop. It prints only when
// asked to show.
type Planner interface {
	// Plan renders a and plans the writes.
	Plan(ctx context.Context, a answers.Answers) (Plan, error)
	// Show prints what the plan will do, or why it stops the run.
	Show(plan Plan, a answers.Answers, why Showing)
	// Done reports the writes, and how they were staged; asked says
	// whether there were questions. Its error is the run's outcome.
	Done(plan Plan, a answers.Answers, staged gitstage.Result, asked bool) error
}

// Session is one run.
type Session struct {
	Env     Env
	Prompt  Prompter        // nil: nothing is asked, and nothing confirmed
	Answers answers.Answers // the answers before any question
	Given   map[string]bool // the answers given as flags or in an answers file: not asked
	DryRun  bool
	GitInit bool // run git init where the target is in no git repository
	Planner Planner
}

// Run runs the session: ask, plan, show, confirm or go back, write, stage
// and report. It returns where the run stopped: Go once written, or the
// plan's Stop (with its Refusal as the error).
func (s Session) Run(ctx context.Context) (Stop, error) {
	a, given, atEnd := s.Answers, s.Given, false
	for {
		if s.Prompt != nil {
			var err error
			if a, err = s.Prompt.Ask(ctx, a, given, atEnd); err != nil {
				return Go, usage.Answers(err, usage.Flag)
			}
		}
		plan, err := s.Planner.Plan(ctx, a)
		if err != nil {
			return Go, err
		}
		if plan.Stop != Go {
			s.Planner.Show(plan, a, Stopping)
			return plan.Stop, plan.Refusal
		}
		switch {
		case s.DryRun:
			s.Planner.Show(plan, a, DryRun)
			return Go, nil
		case s.Prompt != nil:
			s.Planner.Show(plan, a, Confirming)
			back, err := s.Prompt.Confirm(ctx)
			if err != nil {
				return Go, err
			}
			if back {
				// Every question again, filled in, from the last one, as
				// the user left it.
				given, atEnd = map[string]bool{}, true
				continue
			}
		default:
			s.Planner.Show(plan, a, Writing)
		}
		if err := scaffold.Apply(ctx, s.Env.FS, plan.Writes); err != nil {
			return Go, err
		}
		staged := s.stage(ctx, plan.Writes, update.Conflicts(plan.Entries))
		return Go, s.Planner.Done(plan, a, staged, s.Prompt != nil)
	}
}

// stage stages the plan's files in git when the target is in a work tree
// (or, with GitInit, after git init), but for except. Failing to stage
// does not fail the run: the project is written; the user is told what to
// do.
func (s Session) stage(ctx context.Context, plan *scaffold.Plan, except []string) gitstage.Result {
	var paths []string
	for _, st := range plan.Steps {
		if !slices.Contains(except, st.File.Path) {
			paths = append(paths, st.File.Path)
		}
	}
	res, err := s.Env.Git.Stage(ctx, plan.Dir, paths, s.GitInit)
	if err != nil {
		fmt.Fprintf(s.Env.Err, "%s: warning: could not stage the files (%v); run git add yourself\n", version.Program, err)
		res.Note = "staging failed"
	}
	return res
}
