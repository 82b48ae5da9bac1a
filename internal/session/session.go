// Package session is one run of gonix-init, for every command alike, in one
// straight line: the answers (asked by a Prompter for what the flags left),
// the plan, what the plan will do, one confirm (or back to the questions),
// the writes, staging in git, and the report. Nothing is written before
// the confirm, and nothing at all on a dry run. What tells one command from
// another is its Planner, in a file of its own (init.go, adopt.go,
// update.go), which turns answers into a plan (internal/plan): the loop
// knows no command, and the report (internal/report) shows any plan.
package session

import (
	"context"
	"fmt"
	"slices"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/report"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/internal/version"
)

// Planner is what each command supplies to the loop: how answers become a
// plan. It prints nothing and keeps no state between calls. Answers it
// cannot plan for are a plan that stops (plan.Refuse); its error is a
// failure.
type Planner interface {
	Plan(ctx context.Context, a answers.Answers) (plan.Plan, error)
}

// Session is one run.
type Session struct {
	Env     Env
	Prompt  Prompter        // nil: nothing is asked, and nothing confirmed
	Answers answers.Answers // the answers before any question
	Given   map[string]bool // the answers given as flags or in an answers file, or fixed: not asked
	DryRun  bool
	GitInit bool // run git init where the target is in no git repository
	Planner Planner
}

// Run runs the session: ask, plan, show, confirm or go back, write, stage
// and report. It returns how the run ended, the plan's Stop (plan.Go for
// one that ended before a plan), and the plan's Fault or the failure.
func (s Session) Run(ctx context.Context) (plan.Stop, error) {
	a, given, atEnd := s.Answers, s.Given, false
	show := s.Env.Printer()
	for {
		if s.Prompt != nil {
			var err error
			if a, err = s.Prompt.Ask(ctx, a, given, atEnd); err != nil {
				return plan.Go, usage.Answers(err, usage.Flag)
			}
		}
		pl, err := s.Planner.Plan(ctx, a)
		if err != nil {
			return plan.Go, err
		}
		if pl.Stop != plan.Go && pl.Stop != plan.Conflicts {
			show.Show(pl, a, report.Stopping)
			return pl.Stop, pl.Fault
		}
		// A target the writes would fail in is refused before the plan is
		// shown, or confirmed.
		if !s.DryRun {
			if err := scaffold.CheckWritable(s.Env.FS, pl.Writes.Dir); err != nil {
				return plan.Go, err
			}
		}
		switch {
		case s.DryRun:
			show.Show(pl, a, report.DryRun)
			return plan.Go, nil
		case s.Prompt != nil:
			back, err := s.Prompt.Confirm(ctx, show.Text(pl, a, report.Confirming), pl.Confirm)
			if err != nil {
				return plan.Go, err
			}
			if back {
				// Every question again, filled in, from the last one, as
				// the user left it.
				given, atEnd = map[string]bool{}, true
				continue
			}
		default:
			show.Show(pl, a, report.Writing)
		}
		if err := scaffold.Apply(ctx, s.Env.FS, pl.Writes); err != nil {
			return plan.Go, err
		}
		show.Done(pl, a, s.stage(ctx, pl), s.Prompt != nil)
		return pl.Stop, pl.Fault
	}
}

// stage stages the plan's files in git when the target is in a work tree
// (or, with GitInit, after git init), but those it leaves unstaged.
// Failing to stage does not fail the run: the project is written; the user
// is told what to do.
func (s Session) stage(ctx context.Context, pl plan.Plan) gitstage.Result {
	var paths []string
	for _, st := range pl.Writes.Steps {
		if !slices.Contains(pl.Unstaged, st.File.Path) {
			paths = append(paths, st.File.Path)
		}
	}
	res, err := s.Env.Git.Stage(ctx, pl.Writes.Dir, paths, s.GitInit)
	if err != nil {
		fmt.Fprintf(s.Env.Err, "%s: warning: could not stage the files (%v); run git add yourself\n", version.Program, err)
		res.Note = "staging failed"
	}
	return res
}
