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
func (c Create) Plan(_ context.Context, a answers.Answers) (*scaffold.Plan, error) {
	files, err := c.Env.Render(a, c.Templates)
	if err != nil {
		return nil, err
	}
	return scaffold.NewPlan(c.Env.FS, c.Dir, files, c.Force)
}

// Show prints the summary before the confirm; otherwise the diffs of
// replaced files, and on a dry run what would be written.
func (c Create) Show(plan *scaffold.Plan, a answers.Answers, why Showing) {
	p := c.Env.Printer()
	if why == Confirming {
		p.Summary(plan, a)
		return
	}
	p.Diffs(plan)
	if why == DryRun {
		p.DryRun(plan, a)
	}
}

// Unstaged is none: init stages every file it wrote.
func (Create) Unstaged(*scaffold.Plan) []string { return nil }

// Done prints what was written and the next steps, and after questions the
// command that does the same without them.
func (c Create) Done(plan *scaffold.Plan, a answers.Answers, staged gitstage.Result, asked bool) error {
	p := c.Env.Printer()
	p.Written(plan, a, staged)
	if asked {
		p.Equivalent(c.Equivalent(a))
	}
	return nil
}
