package session

import (
	"context"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/scaffold"
)

// Create is init's planner: a new project written into Dir, which must be
// empty but with Force.
type Create struct {
	Env       Env
	Dir       string
	Force     bool
	Templates Templates
	// Equivalent is the command line that makes the same project without
	// questions, printed after an interactive run.
	Equivalent func(a answers.Answers) string
}

// Plan renders the answers and plans their files into Dir.
func (c Create) Plan(_ context.Context, a answers.Answers) (Plan, error) {
	files, err := c.Env.Render(a, c.Templates)
	if err != nil {
		return Plan{}, err
	}
	writes, err := scaffold.NewPlan(c.Env.FS, c.Dir, files, c.Force)
	return Plan{Writes: writes}, err
}

// Show prints the summary before the confirm; otherwise the diffs of
// replaced files, and on a dry run what would be written.
func (c Create) Show(plan Plan, a answers.Answers, why Showing) {
	p := c.Env.Printer()
	if why == Confirming {
		p.Summary(plan.Writes, a)
		return
	}
	// Otherwise (and when a plan stops the run) the diffs.
	p.Diffs(plan.Writes)
	if why == DryRun {
		p.DryRun(plan.Writes, a)
	}
}

// Done prints what was written and the next steps, and after questions the
// command that does the same without them.
func (c Create) Done(plan Plan, a answers.Answers, staged gitstage.Result, asked bool) error {
	p := c.Env.Printer()
	p.Written(plan.Writes, a, staged)
	if asked {
		p.Equivalent(c.Equivalent(a))
	}
	return nil
}
