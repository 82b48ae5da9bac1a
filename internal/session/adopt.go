package session

import (
	"context"
	"strings"

	"github.com/gonix-init/gonix-init/internal/adopt"
	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/internal/vendorhash"
	"github.com/gonix-init/gonix-init/internal/version"
)

// Adopt is the session of gonix-init adopt [flags] [DIR]: the Go project in
// o.Dir taken up (the Adopted profile; internal/adopt decides), its own
// files kept. What stops a static Nix build of it stops the run before any
// question. The project is read once, here.
func Adopt(ctx context.Context, e Env, o *AdoptOptions) (Session, error) {
	tmpl, err := e.TemplateSet(o.TemplatesDir)
	if err != nil {
		return Session{}, err
	}
	if err := usage.ProjectDir(e.FS, o.Dir); err != nil {
		return Session{}, err
	}
	if err := gonixAlready(e.FS, o.Dir, o.Force); err != nil {
		return Session{}, err
	}
	p, err := adopt.Read(ctx, e.FS, o.Dir, e.Git, e.VendorHash, vendorhash.ModCache(e.Getenv))
	if err != nil {
		return Session{}, err
	}
	start, err := p.Start(o.Flags)
	if err != nil {
		return Session{}, err
	}
	a, given, err := Collect(e.FS, Sources{Base: start, Flags: o.Flags, CanAsk: e.canAsk(o.Run)})
	if len(p.Mains) == 1 {
		given["packages"], given["main"] = true, true // nothing to choose
	}
	return Session{
		Env: e, Prompt: e.prompter(o.Run), Answers: a, Given: given, DryRun: o.DryRun, GitInit: o.Git,
		Planner: adoption{env: e, opts: o, templates: tmpl, project: p, start: start},
	}, err
}

// adoption is adopt's planner: the files the Adopted profile manages,
// rendered with what the project gives the templates, planned into the
// project. An existing file is replaced only with --force, and one the
// profile merges into gets what it lacks.
type adoption struct {
	env       Env
	opts      *AdoptOptions
	templates Templates
	project   *adopt.Project
	start     answers.Answers // the answers adopt found, before any was given
}

// Plan renders the managed files and plans them into the project. A plan
// that would replace a file of the project's without --force, or that
// adopt.Check refuses, stops as refused, showing what it would write.
func (p adoption) Plan(_ context.Context, a answers.Answers) (plan.Plan, error) {
	pl := plan.Plan{Steps: p.project.Steps(a), Confirm: "Write the files?", Done: "Created", Line: AdoptLine(a, p.start, p.opts)}
	if err := p.project.Check(a); err != nil {
		return plan.Refuse(pl, err), nil
	}
	options := p.project.Options(a)
	files, err := p.env.Render(a, p.templates, options...)
	if refusal(err) {
		return plan.Refuse(pl, err), nil
	} else if err != nil {
		return pl, err
	}
	pl.Notes = p.project.Notes(a, p.start, render.NewData(a, options...))
	if err := p.project.Merge(files); err != nil {
		return plan.Refuse(pl, err), nil
	}
	if pl.Writes, err = scaffold.NewPlan(p.env.FS, p.opts.Dir, files, true); err != nil {
		return pl, err
	}
	if there := p.project.Replaced(pl.Writes); len(there) > 0 && !p.opts.Force {
		it := them(there, "it", "them")
		return plan.Refuse(pl, usage.Errorf("%s: %s already there (diff above): adopt writes %s; move %s away, or add --force to replace %s",
			p.opts.Dir, strings.Join(there, ", "), it, it, it)), nil
	}
	return pl, nil
}

// them is one or many, for how many names there are.
func them(names []string, one, many string) string {
	if len(names) == 1 {
		return one
	}
	return many
}

// AdoptLine is the command line that adopts the project as the run did,
// without asking: as InitLine, for the answers adopt asks (the module path
// is go.mod's).
func AdoptLine(a, start answers.Answers, opts *AdoptOptions) string {
	return makeLine([]string{version.Program, "adopt"}, a, start, opts.Dir, opts.TemplatesDir, opts.Force, opts.Git)
}
