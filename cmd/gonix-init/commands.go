package main

import (
	"context"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/exit"
	"github.com/gonix-init/gonix-init/internal/session"
)

// Command is one of gonix-init's commands, as cmd/go's base.Command is: its
// name, help, flags, exit codes, the kind of project it makes and its
// session, in one value. A new command is a new one of these in commands,
// and its session.
type Command struct {
	// Name follows gonix-init on the command line; init, the default, has
	// none.
	Name     string
	Synopsis string        // its line of the usage: "[flags] [DIR]"
	HelpFile string        // its --help, in help/, filled in by usageText
	Flags    []commandFlag // besides the answers' own, in --help's order
	Exits    []exitCode    // in order
	// Profile is the kind of project it makes (answers.Profile): the
	// answers it asks, so their flags, and their defaults. Nil for a
	// command on a project of any kind, which takes the flag of every
	// answer, and whose defaults are the answers the project recorded.
	Profile *answers.Profile
	// Session makes a run of it, from the command line's options: it
	// hands the session the options of this command alone.
	Session func(context.Context, session.Env, *options) (session.Session, error)
}

// LongName is the command as its help names it.
func (c *Command) LongName() string {
	if c.Name == "" {
		return prog
	}
	return prog + " " + c.Name
}

// Takes reports whether the command takes the flag of question q.
func (c *Command) Takes(q *answers.Question) bool { return c.Profile == nil || c.Profile.Asks(q) }

// DefaultText is how the command's --help states q's default.
func (c *Command) DefaultText(q *answers.Question) string {
	if c.Profile == nil {
		return "(default: as recorded)"
	}
	return c.Profile.DefaultText(q)
}

var initCmd = &Command{
	Synopsis: "[flags] [DIR]",
	HelpFile: "init.txt",
	Flags: []commandFlag{
		yesFlag,
		{"force", "", "write into a non-empty DIR: create missing files, and replace an existing file only after showing its diff", func(o *options) any { return &o.Force }},
		dryRunFlag,
		gitFlag,
		{"answers", "FILE", "take the answers from FILE, a .gonix.json that gonix-init wrote for a new project; flags override it", func(o *options) any { return &o.AnswersFile }},
		templatesFlag,
		accessibleFlag,
	},
	Exits:   []exitCode{{exit.OK, "ok"}, failed, badUsage, aborted},
	Profile: answers.New,
	Session: func(ctx context.Context, e session.Env, o *options) (session.Session, error) {
		return session.Init(ctx, e, &session.InitOptions{Run: o.Run, Force: o.Force, Git: o.Git, AnswersFile: o.AnswersFile, TemplatesDir: o.TemplatesDir})
	},
}

var adoptCmd = &Command{
	Name:     "adopt",
	Synopsis: "[flags] [DIR]",
	HelpFile: "adopt.txt",
	Flags: []commandFlag{
		yesFlag,
		{"force", "", "replace a file adopt writes that exists already (a flake.nix, a Taskfile), after showing its diff", func(o *options) any { return &o.Force }},
		dryRunFlag,
		gitFlag,
		templatesFlag,
		accessibleFlag,
	},
	Exits:   []exitCode{{exit.OK, "ok"}, failed, badUsage, aborted},
	Profile: answers.Adopted,
	Session: func(ctx context.Context, e session.Env, o *options) (session.Session, error) {
		return session.Adopt(ctx, e, &session.AdoptOptions{Run: o.Run, Force: o.Force, Git: o.Git, TemplatesDir: o.TemplatesDir})
	},
}

var updateCmd = &Command{
	Name:     "update",
	Synopsis: "[flags] [DIR]",
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
		{exit.OK, "ok (with --check: the project is current)"}, failed, badUsage,
		{exit.WouldChange, "with --check: an update would change the project"},
		{exit.Conflicts, "conflicts to resolve: files hold conflict markers, which this update wrote (the rest is written), or an earlier one left (nothing is written)"},
		aborted,
	},
	Session: func(ctx context.Context, e session.Env, o *options) (session.Session, error) {
		return session.UpdateProject(ctx, e, &session.UpdateOptions{Run: o.Run, Force: o.Force, Check: o.Check, TemplatesDir: o.TemplatesDir, BaseDir: o.BaseDir})
	},
}

// commands are gonix-init's commands, init first.
var commands = []*Command{initCmd, adoptCmd, updateCmd}
