package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/session"
	"github.com/gonix-init/gonix-init/internal/usage"
	"github.com/gonix-init/gonix-init/internal/version"
)

// options are the parsed command line: what every command takes (the
// answers' own flags, one per question of answers.Questions, are in
// Flags), and the flags of the run that some commands have, which each
// command hands its session as its own options (Command.Session).
type options struct {
	session.Run
	Force, Git, Check                  bool
	AnswersFile, TemplatesDir, BaseDir string
}

// commandFlag is a flag about the run rather than the project.
type commandFlag struct {
	name, arg, help string
	value           func(*options) any
}

// The flags that several commands have.
var (
	yesFlag        = commandFlag{"yes", "", "do not ask; take the defaults (or, for update, the recorded answers) for what is not given", func(o *options) any { return &o.Yes }}
	gitFlag        = commandFlag{"git", "", "when DIR is not in a git repository, run git init there; gonix-init always stages what it wrote in one, never commits", func(o *options) any { return &o.Git }}
	dryRunFlag     = commandFlag{"dry-run", "", "print what would be written (and the diffs); write nothing, and never ask to confirm", func(o *options) any { return &o.DryRun }}
	templatesFlag  = commandFlag{"templates", "DIR", "render from DIR, laid out like templates/, instead of the embedded templates (see docs/templates.md)", func(o *options) any { return &o.TemplatesDir }}
	accessibleFlag = commandFlag{"accessible", "", "ask plain numbered questions, one answer a line, for screen readers and scripts (also in a terminal with ACCESSIBLE set); reads a pipe too", func(o *options) any { return &o.Accessible }}
)

// parseFlags parses the command line of cmd. Flags may come before or
// after DIR. --help and --version print and return flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer, cmd *Command) (*options, error) {
	opts := &options{Run: session.Run{Flags: map[string]string{}}}
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	texts := map[string]*string{}
	for _, q := range answers.Questions {
		if cmd.Takes(q) {
			texts[q.Key] = fs.String(q.Key, "", q.Help)
		}
	}
	for _, f := range cmd.Flags {
		switch v := f.value(opts).(type) {
		case *bool:
			fs.BoolVar(v, f.name, false, f.help)
		case *string:
			fs.StringVar(v, f.name, "", f.help)
		}
	}
	showVersion := fs.Bool("version", false, "")
	var dirs []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, usageText(cmd))
				return nil, err
			}
			return nil, usage.Errorf("%s; run '%s --help' for the flags", usage.FlagText(err)+suggest(err, cmd), cmd.LongName())
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	fs.Visit(func(f *flag.Flag) {
		if t, ok := texts[f.Name]; ok {
			opts.Flags[f.Name] = *t
		}
	})
	if *showVersion {
		fmt.Fprintf(stdout, "%s %s\n", prog, version.Version)
		return nil, flag.ErrHelp
	}
	switch len(dirs) {
	case 0:
		opts.Dir = "."
	case 1:
		opts.Dir = dirs[0]
	default:
		return nil, usage.Errorf("one target directory at most, got %d: %s", len(dirs), strings.Join(dirs, " "))
	}
	return opts, nil
}

// suggest is what an unknown flag may have meant, as a clause to add to
// the error: another command's flag, a question's that the command's kind
// of project fixes, or the command's flag nearest in spelling; "" for none.
func suggest(err error, cmd *Command) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return ""
	}
	name = strings.TrimLeft(name, "-")
	if q := answers.Lookup(name); q != nil && cmd.Profile != nil {
		if from, fixed := cmd.Profile.Fixed[name]; fixed {
			return fmt.Sprintf(": %s takes its %s from %s", cmd.LongName(), strings.ToLower(q.Title), from)
		}
	}
	for _, c := range commands {
		if c != cmd && c.hasFlag(name) {
			return fmt.Sprintf(": it is a flag of %s", c.LongName())
		}
	}
	if best := usage.Nearest(name, cmd.flagNames()); best != "" {
		return "; did you mean --" + best + "?"
	}
	return ""
}

// flagNames are the names of every flag the command takes.
func (c *Command) flagNames() []string {
	names := []string{"version", "help"}
	for _, q := range answers.Questions {
		if c.Takes(q) {
			names = append(names, q.Key)
		}
	}
	for _, f := range c.Flags {
		names = append(names, f.name)
	}
	return names
}

// hasFlag reports whether the command takes the flag name.
func (c *Command) hasFlag(name string) bool {
	for _, f := range c.flagNames() {
		if f == name {
			return true
		}
	}
	return false
}
