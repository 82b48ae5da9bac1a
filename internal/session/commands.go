package session

import (
	"path/filepath"

	"github.com/spf13/afero"
	"golang.org/x/mod/modfile"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/update"
)

// Options are what the command line says of a run, besides the answers.
type Options struct {
	Yes, Force, DryRun, Accessible, Git, Check bool
	Dir, AnswersFile, TemplatesDir, BaseDir    string
	Flags                                      map[string]string // question key -> the flag's text, for the answers' flags given
}

// prompter is what asks in the terminal (e.Prompter's), when the run may
// ask.
func (e Env) prompter(o *Options, canAsk bool) Prompter {
	if !canAsk || e.Prompter == nil {
		return nil
	}
	return e.Prompter(e, o.Accessible || e.Getenv("ACCESSIBLE") != "")
}

// Init is the session of gonix-init [flags] [DIR]: a new project in
// o.Dir. equivalent is the command line that makes it without questions.
func Init(e Env, o *Options, equivalent func(answers.Answers) string) (Session, error) {
	tmpl, err := e.TemplateSet(o.TemplatesDir)
	if err != nil {
		return Session{}, err
	}
	// A target that cannot take the project is refused before any question.
	if err := scaffold.CheckTarget(e.FS, o.Dir, o.Force); err != nil {
		return Session{}, err
	}
	canAsk := !o.Yes && e.Terminal
	a, given, err := Collect(e.FS, Sources{
		Base: answers.Default(), Recorded: o.Dir,
		File: o.AnswersFile, Flags: o.Flags, CanAsk: canAsk,
	})
	return Session{
		Env: e, Prompt: e.prompter(o, canAsk), Answers: a, Given: given, DryRun: o.DryRun, GitInit: o.Git,
		Planner: Create{Env: e, Dir: o.Dir, Force: o.Force, Templates: tmpl, Equivalent: equivalent},
	}, err
}

// UpdateProject is the session of gonix-init update [flags] [DIR]: the
// project in o.Dir brought to the current templates, and to any answer the
// flags change. checkLine is the update that --check stands for.
func UpdateProject(e Env, o *Options, checkLine func(answers.Answers) string) (Session, error) {
	base, origin, err := update.Recorded(e.FS, o.Dir)
	if err != nil {
		return Session{}, err
	}
	baseSet, err := update.BaseOf(e.FS, o.BaseDir, o.Dir, origin)
	if err != nil {
		return Session{}, err
	}
	tmpl, err := e.TemplateSet(o.TemplatesDir)
	if err != nil {
		return Session{}, err
	}
	canAsk := !o.Yes && !o.Check && e.Terminal
	a, given, err := Collect(e.FS, Sources{Base: base, Flags: o.Flags, CanAsk: canAsk})
	if err != nil {
		return Session{}, err
	}
	if len(o.Flags) > 0 {
		// A flag given to update means "change this answer": the others
		// stay as recorded, unasked; the plan and its confirm follow, whose
		// Go back opens every question.
		for _, q := range answers.Questions {
			given[q.Key] = true
		}
	}
	goLine := render.WithGoLine(goLineOf(e.FS, o.Dir))
	baseFiles, err := update.RenderBase(base, baseSet, goLine)
	return Session{
		Env: e, Prompt: e.prompter(o, canAsk), Answers: a, Given: given, DryRun: o.DryRun,
		Planner: Update{
			Env: e, Dir: o.Dir, Base: baseFiles, Templates: tmpl, GoLine: goLine, Force: o.Force,
			Check: o.Check, CheckLine: checkLine,
		},
	}, err
}

// goLineOf is the go line of the go.mod in dir, "" when there is none to
// read: the project's own, which the Go its flake picks, and its
// nix/README.md, follow.
func goLineOf(fsys afero.Fs, dir string) string {
	data, err := afero.ReadFile(fsys, filepath.Join(dir, "go.mod"))
	if err != nil {
		return ""
	}
	f, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil || f.Go == nil {
		return ""
	}
	return f.Go.Version
}
