package main

import (
	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/session"
)

// Command is one of gonix-init's commands, as cmd/go's base.Command is: its
// name, help, flags, exit codes and session, in one value. A new command is
// a new one of these in commands, and its session.
type Command struct {
	// Name follows gonix-init on the command line; init, the default, has
	// none.
	Name     string
	HelpFile string        // its --help, in help/, filled in by usageText
	Flags    []commandFlag // besides the answers' own, in --help's order
	Exits    []exitCode    // in order
	// Recorded says that the answers not given are the project's recorded
	// ones, not the defaults.
	Recorded bool
	// Answers says which of the answers' flags it takes, and Adopts that
	// they are an adopted project's, whose defaults --help states.
	Answers func(q *answers.Question) bool
	Adopts  bool
	// Session makes a run of it; its argument is Equivalent of the run.
	Session func(session.Env, *options, func(answers.Answers) string) (session.Session, error)
	// Equivalent is the command line that a run of it stands for.
	Equivalent func(answers.Answers, *options) string
}

// LongName is the command as its help names it.
func (c *Command) LongName() string {
	if c.Name == "" {
		return prog
	}
	return prog + " " + c.Name
}

var initCmd = &Command{
	HelpFile: "init.txt",
	Flags: []commandFlag{
		yesFlag,
		{"force", "", "write into a non-empty DIR: create missing files, and replace an existing file only after showing its diff", func(o *options) any { return &o.Force }},
		dryRunFlag,
		gitFlag,
		{"answers", "FILE", "take the answers from FILE, a .gonix.json that gonix-init wrote; flags override it", func(o *options) any { return &o.AnswersFile }},
		templatesFlag,
		accessibleFlag,
	},
	Exits:      []exitCode{{exitOK, "ok"}, failed, badUsage, aborted},
	Answers:    func(q *answers.Question) bool { return !q.Adopt },
	Session:    session.Init,
	Equivalent: session.InitLine,
}

var adoptCmd = &Command{
	Name:     "adopt",
	HelpFile: "adopt.txt",
	Flags: []commandFlag{
		yesFlag,
		{"force", "", "replace a file adopt writes that exists already (a flake.nix, a Taskfile), after showing its diff", func(o *options) any { return &o.Force }},
		dryRunFlag,
		gitFlag,
		templatesFlag,
		accessibleFlag,
	},
	Exits: []exitCode{{exitOK, "ok"}, failed, badUsage, aborted},
	// The module path is go.mod's.
	Answers:    func(q *answers.Question) bool { return q.Key != "module" },
	Adopts:     true,
	Session:    session.Adopt,
	Equivalent: session.AdoptLine,
}

var updateCmd = &Command{
	Name:     "update",
	HelpFile: "update.txt",
	Flags: []commandFlag{
		yesFlag,
		{"force", "", "update even when git has uncommitted changes to a file update would touch", func(o *options) any { return &o.Force }},
		dryRunFlag,
		{"check", "", "write nothing; the exit code says whether an update would change something (see Exit codes)", func(o *options) any { return &o.Check }},
		templatesFlag,
		{"base-templates", "DIR", "the template set the project was made with, laid out like templates/: for custom sets and versions this gonix-init does not know", func(o *options) any { return &o.BaseDir }},
		accessibleFlag,
	},
	Exits: []exitCode{
		{exitOK, "ok (with --check: the project is current)"}, failed, badUsage,
		{exitWouldChange, "with --check: an update would change the project"},
		{exitConflicts, "conflicts to resolve: files hold conflict markers, which this update wrote (the rest is written), or an earlier one left (nothing is written)"},
		aborted,
	},
	Recorded:   true,
	Answers:    func(*answers.Question) bool { return true },
	Session:    session.UpdateProject,
	Equivalent: session.UpdateLine,
}

// commands are gonix-init's commands, init first.
var commands = []*Command{initCmd, adoptCmd, updateCmd}
