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

// options are the parsed command line: the answers' own flags, one per
// question of answers.Questions, are in Flags.
type options = session.Options

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
	accessibleFlag = commandFlag{"accessible", "", "ask in huh's accessible mode, for screen readers (also when ACCESSIBLE is set)", func(o *options) any { return &o.Accessible }}
)

// parseFlags parses the command line of cmd. Flags may come before or
// after DIR. --help and --version print and return flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer, cmd *Command) (*options, error) {
	opts := &options{Flags: map[string]string{}}
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	texts := map[string]*string{}
	for _, q := range answers.Questions {
		if cmd.Answers(q) {
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
			return nil, usage.Errorf("%s; run '%s --help' for the flags", usage.FlagText(err), cmd.LongName())
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
