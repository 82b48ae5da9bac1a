package session

import (
	"context"
	"fmt"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/update"
)

// Update is update's planner: the project in Dir brought to what the
// templates write now, by a three-way merge from Base, what its own
// templates wrote, with the files as they are (internal/update decides).
type Update struct {
	Env       Env
	Dir       string
	Base      []render.File      // the project as its templates wrote it
	Templates Templates          // the templates of now
	GoLine    func(*render.Data) // the project's go line, for the Go its flake picks
	Force     bool               // touch files git has uncommitted changes to
	// Check makes the run only say whether an update would change the
	// project: the command line it stands for is CheckLine's.
	Check     bool
	CheckLine func(a answers.Answers) string
}

// Plan merges every file, and plans the writes with the answers file last.
// A project with nothing to change stops here as Current, and one with
// changes under Check as WouldChange.
func (u Update) Plan(ctx context.Context, a answers.Answers) (Plan, error) {
	files, err := u.Env.Render(a, u.Templates, u.GoLine)
	if err != nil {
		return Plan{}, err
	}
	entries, record, err := update.Reconcile(u.Env.FS, u.Dir, u.Base, files)
	if err != nil {
		return Plan{}, err
	}
	writes, err := update.Writes(u.Env.FS, u.Dir, entries, record)
	if err != nil {
		return Plan{}, err
	}
	plan := Plan{Writes: writes, Entries: entries}
	switch {
	case !update.Changes(entries) && writes.Count(scaffold.Replace) == 0:
		// Nothing to write: no confirm, and no .gonix.json either.
		plan.Stop = Current
	case u.Check:
		plan.Stop = WouldChange
	case !u.Force:
		err = update.RefuseDirty(ctx, u.Env.Git.Dirty, u.Dir, entries)
	}
	return plan, err
}

// Show prints the diffs and every file's outcome; for a plan that stops
// the run, the outcome and what it means.
func (u Update) Show(plan Plan, a answers.Answers, why Showing) {
	p := u.Env.Printer()
	if why == Stopping {
		p.Update(plan.Entries, a, false)
		switch plan.Stop {
		case Current:
			fmt.Fprintln(u.Env.Out, "The project is current.")
		case WouldChange:
			fmt.Fprintf(u.Env.Out, "An update would change the project: run %s\n", u.CheckLine(a))
		}
		return
	}
	p.Diffs(plan.Writes)
	p.Update(plan.Entries, a, why != DryRun)
	if why == DryRun {
		fmt.Fprintln(u.Env.Out, "Dry run: nothing written.")
	}
}

// Done fails with the conflicts left to resolve, if any.
func (u Update) Done(plan Plan, _ answers.Answers, staged gitstage.Result, _ bool) error {
	if conflicts := update.Conflicts(plan.Entries); len(conflicts) > 0 {
		return &update.ConflictError{Paths: conflicts, Staged: staged.Staged}
	}
	return nil
}
