package session

import (
	"context"
	"path/filepath"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/internal/version"
)

// Init is the session of gonix-init [flags] [DIR]: a new project (the New
// profile) in o.Dir.
func Init(_ context.Context, e Env, o *InitOptions) (Session, error) {
	tmpl, err := e.TemplateSet(o.TemplatesDir)
	if err != nil {
		return Session{}, err
	}
	// A target that cannot take the project is refused before any question.
	if err := gonixAlready(e.FS, o.Dir, o.Force); err != nil {
		return Session{}, err
	}
	if err := scaffold.CheckTarget(e.FS, o.Dir, o.Force); err != nil {
		return Session{}, err
	}
	start := answers.New.Start()
	a, given, err := Collect(e.FS, Sources{
		Base: start, Recorded: o.Dir,
		File: o.AnswersFile, Flags: o.Flags, CanAsk: e.canAsk(o.Run),
	})
	return Session{
		Env: e, Prompt: e.prompter(o.Run), Answers: a, Given: given, DryRun: o.DryRun, GitInit: o.Git,
		Planner: newProject{env: e, opts: o, templates: tmpl, start: start},
	}, err
}

// newProject is init's planner: a new project written into the target,
// which must be empty but with --force.
type newProject struct {
	env       Env
	opts      *InitOptions
	templates Templates
	start     answers.Answers // the answers before any was given
}

// Plan renders the answers and plans their files into the target.
func (c newProject) Plan(_ context.Context, a answers.Answers) (plan.Plan, error) {
	pl := plan.Plan{
		Steps: a.Profile().NextSteps(a), Confirm: "Write the project?", Done: "Created",
		Line: InitLine(a, c.start, c.opts),
	}
	files, err := c.env.Render(a, c.templates)
	if err == nil {
		pl.Writes, err = scaffold.NewPlan(c.env.FS, c.opts.Dir, files, c.opts.Force)
	}
	if refusal(err) {
		return plan.Refuse(pl, err), nil
	}
	return pl, err
}

// InitLine is the command line that reproduces an init run without asking:
// the answers that differ from what gonix-init would choose by itself
// (start's, or derived), the flags about the run that change what it does,
// and DIR.
func InitLine(a, start answers.Answers, opts *InitOptions) string {
	return makeLine([]string{version.Program}, a, start, opts.Dir, opts.TemplatesDir, opts.Force, opts.Git)
}

// gonixAlready refuses, but with --force, a directory that is a project of
// gonix-init's already (its answers file is there): update is what brings
// one current, keeping its edits.
func gonixAlready(fsys afero.Fs, dir string, force bool) error {
	if _, err := fsys.Stat(filepath.Join(dir, answers.FileName)); err != nil || force {
		return nil
	}
	return usage.Errorf("%s is a project of gonix-init's already (%s is there): run gonix-init update %s, which brings it current and keeps your edits",
		dir, answers.FileName, answers.ShellQuote(dir))
}
