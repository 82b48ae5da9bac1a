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
	Base      []render.File // the project as its templates wrote it
	Templates Templates     // the templates of now
	Force     bool          // touch files git has uncommitted changes to
	// Check makes the run only say whether an update would change the
	// project: the command line it stands for is CheckLine's.
	Check     bool
	CheckLine func(a answers.Answers) string

	entries []update.Entry // of the last Plan
}

// Plan merges every file, and plans the writes with the answers file last.
// A project with nothing to change, or any project under Check, stops here.
func (u *Update) Plan(ctx context.Context, a answers.Answers) (*scaffold.Plan, error) {
	files, err := u.Env.Render(a, u.Templates)
	if err != nil {
		return nil, err
	}
	entries, record, err := update.Reconcile(u.Env.FS, u.Dir, u.Base, files)
	if err != nil {
		return nil, err
	}
	u.entries = entries
	plan, err := update.Writes(u.Env.FS, u.Dir, entries, record)
	if err != nil {
		return nil, err
	}
	p := u.Env.Printer()
	if !update.Changes(entries) && plan.Count(scaffold.Replace) == 0 {
		// Nothing to write: no confirm, and no .gonix.json either.
		p.Update(entries, a, false)
		fmt.Fprintln(u.Env.Out, "The project is current.")
		return nil, nil
	}
	if u.Check {
		p.Update(entries, a, false)
		return nil, fmt.Errorf("%w: run %s", update.ErrWouldChange, u.CheckLine(a))
	}
	if !u.Force {
		if err := update.RefuseDirty(ctx, u.Env.Git.Dirty, u.Dir, entries); err != nil {
			return nil, err
		}
	}
	return plan, nil
}

// Show prints the diffs and every file's outcome.
func (u *Update) Show(plan *scaffold.Plan, a answers.Answers, why Showing) {
	p := u.Env.Printer()
	p.Diffs(plan)
	p.Update(u.entries, a, why != DryRun)
	if why == DryRun {
		fmt.Fprintln(u.Env.Out, "Dry run: nothing written.")
	}
}

// Unstaged are the files with conflict markers: left out of the index, so
// that a plain git commit cannot take the markers.
func (u *Update) Unstaged(*scaffold.Plan) []string { return update.Conflicts(u.entries) }

// Done fails with the conflicts left to resolve, if any.
func (u *Update) Done(_ *scaffold.Plan, _ answers.Answers, staged gitstage.Result, _ bool) error {
	if conflicts := update.Conflicts(u.entries); len(conflicts) > 0 {
		return &update.ConflictError{Paths: conflicts, Staged: staged.Staged}
	}
	return nil
}
