package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/afero"
	"golang.org/x/term"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/form"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/version"
	"github.com/gonix-init/gonix-init/templates"
)

const prog = "gonix-init"

// Exit codes, as documented in the package comment and --help.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitAborted = 130
)

// usageError is bad input: the command line or an answer. It exits 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// options are the parsed command line. The answers' own flags are in
// answerFlags, one per question of answers.Questions.
type options struct {
	yes, force, dryRun, accessible, git, check bool
	dir, answersFile, templatesDir, baseDir    string
	answerFlags                                map[string]string // question key -> the flag's text, for flags given
}

// env is what one run works with, injected so that tests run the command
// without a terminal, a disk or git (as cli/cli's IOStreams): the file
// system, the streams, whether the streams are a terminal (only then does
// gonix-init ask), how to stage files in git, and the environment.
type env struct {
	fs             afero.Fs
	stdin          io.Reader
	stdout, stderr io.Writer
	terminal       bool
	height         int // the terminal's rows, 0 when unknown
	stage          func(ctx context.Context, dir string, paths []string, init bool) (gitstage.Result, error)
	dirty          func(ctx context.Context, dir string, paths []string) ([]string, error)
	getenv         func(string) string
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return env{
		fs:       afero.NewOsFs(),
		stdin:    stdin,
		stdout:   stdout,
		stderr:   stderr,
		terminal: isTerminal(stdin) && isTerminal(stdout),
		height:   terminalHeight(stdout),
		stage:    gitStage,
		dirty:    gitDirty,
		getenv:   os.Getenv,
	}.run(args)
}

// terminalHeight is the rows of the terminal w is, or 0.
func terminalHeight(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	_, h, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return h
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// gitStage stages paths of dir with the git on PATH (none: it says so).
func gitStage(ctx context.Context, dir string, paths []string, init bool) (gitstage.Result, error) {
	git, _ := exec.LookPath("git")
	return gitstage.Stage(ctx, git, dir, paths, init)
}

// gitDirty lists which of paths of dir git has uncommitted changes to.
func gitDirty(ctx context.Context, dir string, paths []string) ([]string, error) {
	git, _ := exec.LookPath("git")
	return gitstage.Dirty(ctx, git, dir, paths)
}

// run runs gonix-init and maps its outcome to an exit code. SIGINT and
// SIGTERM cancel the run; a cancelled write is undone before run returns.
func (e env) run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := e.gonixInit(ctx, args)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, context.Canceled), errors.Is(err, form.ErrAborted):
		fmt.Fprintf(e.stderr, "\n%s: aborted, nothing written\n", prog)
		return exitAborted
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(e.stderr, "%s: %s\n", prog, line)
	}
	var te *scaffold.TargetError
	if errors.As(err, &usageError{}) || errors.As(err, &te) {
		return exitUsage
	}
	return exitFailure
}

// gonixInit is the whole run, in one straight line: the answers (the
// recorded ones, the answers file, the flags, then the form), the render,
// the plan, the summary with the plan and its diffs, one confirm, and the
// writes. Nothing is written before the confirm, and nothing at all with
// --dry-run.
func (e env) gonixInit(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "update" {
		return e.update(ctx, args[1:])
	}
	opts, err := parseFlags(args, e.stdout, initCommand)
	if err != nil {
		return err
	}
	tmpl, err := templateSet(opts.templatesDir)
	if err != nil {
		return err
	}
	// A target that cannot take the project is refused before any question.
	if err := scaffold.CheckTarget(e.fs, opts.dir, opts.force); err != nil {
		return err
	}
	canAsk := !opts.yes && e.terminal
	a, given, err := e.collect(opts, canAsk)
	if err != nil {
		return err
	}
	cfg := form.Config{
		In:         e.stdin,
		Out:        e.stdout,
		Accessible: opts.accessible || e.getenv("ACCESSIBLE") != "",
		Given:      given,
	}
	for {
		if canAsk {
			if a, err = form.Ask(ctx, a, cfg); err != nil {
				return answerError(err, flagOrigin)
			}
		}
		files, err := renderChecked(a, tmpl, opts.templatesDir)
		if err != nil {
			return err
		}
		plan, err := scaffold.NewPlan(e.fs, opts.dir, files, opts.force)
		if err != nil {
			return err
		}
		if opts.dryRun {
			printDiffs(e.stdout, plan)
			reportDryRun(e.stdout, plan, a)
			return nil
		}
		if canAsk {
			printSummary(e.stdout, plan, a, e.height)
			choice, err := form.Confirm(ctx, cfg)
			if err != nil {
				return err
			}
			if choice == form.Back {
				cfg.Given = map[string]bool{} // every question again, filled in,
				cfg.AtEnd = true              // from the last one, as the user left it
				continue
			}
		} else {
			printDiffs(e.stdout, plan)
		}
		if err := scaffold.Apply(ctx, e.fs, plan); err != nil {
			return err
		}
		e.finish(ctx, plan, a, opts, canAsk)
		return nil
	}
}

// finish stages what was written, reports it, and after questions prints
// the command that reproduces the run without them.
func (e env) finish(ctx context.Context, plan *scaffold.Plan, a answers.Answers, opts *options, asked bool) {
	staged := e.stageFiles(ctx, plan, opts.git)
	report(e.stdout, plan, a, staged)
	if asked {
		printEquivalent(e.stdout, equivalent(a, opts))
	}
}

// renderChecked renders the answers; with --templates it also checks that
// what the custom set produced parses (render.Check), as the tests check
// the embedded set.
func renderChecked(a answers.Answers, tmpl fs.FS, templatesDir string) ([]render.File, error) {
	var options []func(*render.Data)
	if templatesDir != "" {
		options = append(options, render.Custom)
	}
	files, err := render.Render(a, tmpl, options...)
	var ae *answers.Error
	switch {
	case err != nil && errors.As(err, &ae):
		return nil, answerError(err, flagOrigin)
	case err != nil && templatesDir != "":
		return nil, usagef("--templates %s: %v", templatesDir, err)
	case err != nil:
		return nil, err
	}
	if templatesDir != "" {
		err := errors.Join(render.Check(files), checkNix(files))
		if err != nil {
			return nil, usagef("--templates %s: the rendered project is broken:\n%v", templatesDir, err)
		}
	}
	return files, nil
}

// checkNix checks that every rendered .nix file parses, with the
// nix-instantiate on PATH (where there is none, Nix cannot build the
// project here either, and the check is left to the first nix command).
func checkNix(files []render.File) error {
	nix, err := exec.LookPath("nix-instantiate")
	if err != nil {
		return nil
	}
	var errs []error
	for _, f := range files {
		if filepath.Ext(f.Path) != ".nix" {
			continue
		}
		cmd := exec.Command(nix, "--parse", "-")
		cmd.Stdin = bytes.NewReader(f.Data)
		if out, err := cmd.CombinedOutput(); err != nil {
			// "error: syntax error, ...", then "at «stdin»:2:23:" and the source.
			msg, where := "", f.Path
			for _, l := range strings.Split(string(out), "\n") {
				l = strings.TrimSpace(l)
				switch {
				case msg == "" && strings.HasPrefix(l, "error: "):
					msg = strings.TrimPrefix(l, "error: ")
				case strings.HasPrefix(l, "at «stdin»:"):
					where = f.Path + strings.TrimSuffix(strings.TrimPrefix(l, "at «stdin»"), ":")
				}
			}
			errs = append(errs, fmt.Errorf("%s: not valid Nix: %s", where, cmp.Or(msg, strings.TrimSpace(string(out)))))
		}
	}
	return errors.Join(errs...)
}

// command is what a run does: init (the default) or update.
type command int

const (
	initCommand command = 1 << iota
	updateCommand
)

func parseFlags(args []string, stdout io.Writer, cmd command) (*options, error) {
	opts := &options{answerFlags: map[string]string{}}
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	texts := map[string]*string{}
	for _, q := range answers.Questions {
		texts[q.Key] = fs.String(q.Key, "", q.Help)
	}
	for _, f := range commandFlags {
		if f.commands&cmd == 0 {
			continue
		}
		switch v := f.value(opts).(type) {
		case *bool:
			fs.BoolVar(v, f.name, false, f.help)
		case *string:
			fs.StringVar(v, f.name, "", f.help)
		}
	}
	showVersion := fs.Bool("version", false, "")

	// Flags may come before or after DIR.
	var dirs []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, usage(cmd))
				return nil, err
			}
			help := prog
			if cmd == updateCommand {
				help += " update"
			}
			return nil, usagef("%s; run '%s --help' for the flags", flagErrorText(err), help)
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	fs.Visit(func(f *flag.Flag) {
		if t, ok := texts[f.Name]; ok {
			opts.answerFlags[f.Name] = *t
		}
	})

	if *showVersion {
		fmt.Fprintf(stdout, "%s %s\n", prog, version.Version)
		return nil, flag.ErrHelp
	}
	switch len(dirs) {
	case 0:
		opts.dir = "."
	case 1:
		opts.dir = dirs[0]
	default:
		return nil, usagef("one target directory at most, got %d: %s", len(dirs), strings.Join(dirs, " "))
	}
	return opts, nil
}

// flagErrorText is a flag package error in gonix-init's words: flags are
// spelt --name in its help, so they are here too.
func flagErrorText(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag --" + name
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "--" + name + " needs a value, like --" + name + "=VALUE"
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		// invalid boolean value "x" for -yes: parse error
		value, flag, _ := strings.Cut(rest, " for -")
		flag, _, _ = strings.Cut(flag, ":")
		return "--" + flag + " takes no value (got " + value + ")"
	}
	return msg
}

// commandFlag is a flag about the run rather than the project.
type commandFlag struct {
	name, arg string
	commands  command // the commands that have it
	help      string
	value     func(*options) any
}

const both = initCommand | updateCommand

// commandFlags are the flags besides the answers' own, in --help's order.
var commandFlags = []commandFlag{
	{"yes", "", both, "do not ask; take the defaults (or, for update, the recorded answers) for what is not given", func(o *options) any { return &o.yes }},
	{"force", "", initCommand, "write into a non-empty DIR: create missing files, and replace an existing file only after showing its diff", func(o *options) any { return &o.force }},
	{"force", "", updateCommand, "update even when git has uncommitted changes to a file update would touch", func(o *options) any { return &o.force }},
	{"dry-run", "", both, "print what would be written (and the diffs); write nothing, and never ask to confirm", func(o *options) any { return &o.dryRun }},
	{"check", "", updateCommand, "write nothing; exit 1 when an update would change something, 0 when the project is current", func(o *options) any { return &o.check }},
	{"git", "", initCommand, "when DIR is not in a git repository, run git init there; gonix-init always stages what it wrote in one, never commits", func(o *options) any { return &o.git }},
	{"answers", "FILE", initCommand, "take the answers from FILE, a .gonix.json that gonix-init wrote; flags override it", func(o *options) any { return &o.answersFile }},
	{"templates", "DIR", both, "render from DIR, laid out like templates/, instead of the embedded templates (see docs/templates.md)", func(o *options) any { return &o.templatesDir }},
	{"base-templates", "DIR", updateCommand, "the template set the project was made with, laid out like templates/: for custom sets and versions this gonix-init does not know", func(o *options) any { return &o.baseDir }},
	{"accessible", "", both, "ask in huh's accessible mode, for screen readers (also when ACCESSIBLE is set)", func(o *options) any { return &o.accessible }},
}

// collect settles the answers before the form, each layer over the one
// before: the defaults; the answers recorded in DIR/.gonix.json (a re-run
// starts from them); the answers file; the flags. It returns which answers
// the answers file or the flags gave, so the form asks only the rest, and
// reports every bad answer at once, each named where it came from (--ports,
// or answers.json: ports). When gonix-init cannot ask, a missing module path
// is an error.
func (e env) collect(opts *options, canAsk bool) (answers.Answers, map[string]bool, error) {
	a := answers.Default()
	given := map[string]bool{}
	origin := map[string]string{} // key -> where its answer came from
	var fileErr error             // the answers file's unreadable fields
	file := opts.answersFile
	if file == "" {
		if _, err := e.fs.Stat(filepath.Join(opts.dir, answersFile)); err == nil {
			file = filepath.Join(opts.dir, answersFile)
		}
	}
	if file != "" {
		fsys := e.fs // the recorded answers are in the target
		if opts.answersFile != "" {
			fsys = afero.NewOsFs() // the answers file is the user's, wherever the target is
		}
		keys, err := readAnswers(fsys, file, &a)
		if !errors.As(err, &usageError{}) && err != nil {
			return a, given, err
		}
		fileErr = err // reported with the other answers' errors
		for _, k := range keys {
			origin[k] = file + ": "
			given[k] = opts.answersFile != "" // recorded answers are only a start
		}
	}
	from := func(key string) string { return cmp.Or(origin[key], flagOrigin(key)) }
	var errs []error
	for _, q := range answers.Questions {
		if text, ok := opts.answerFlags[q.Key]; ok {
			errs = append(errs, q.Parse(&a, text))
			given[q.Key], origin[q.Key] = true, "--"
		}
	}
	if a.Module == "" && !canAsk {
		errs = append(errs, usagef("--module is required when gonix-init cannot ask (no terminal, or --yes); give one like --module github.com/you/myapp"))
	}
	if a.Name == "" && answers.CheckModule(a.Module) == nil {
		if n, err := answers.DefaultName(a.Module); err == nil {
			a.Name = n
		} else if !canAsk {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return a, given, errors.Join(fileErr, answerError(err, from))
	}
	if canAsk {
		// What the form will not ask must be right already.
		for key, from := range origin {
			if from != "--" && given[key] {
				errs = append(errs, answers.Lookup(key).Check(a))
			}
		}
	} else {
		errs = append(errs, a.Validate())
	}
	if err := errors.Join(errs...); err != nil || fileErr != nil {
		return a, given, errors.Join(fileErr, answerError(err, from))
	}
	return a, given, nil
}

// flagOrigin names an answer as its flag: --ports.
func flagOrigin(string) string { return "--" }

// readAnswers reads an answers file into a and returns the keys it answers,
// with the fields it could not read: each named as FILE: field.
func readAnswers(fsys afero.Fs, path string, a *answers.Answers) ([]string, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, usagef("--answers %s: %s; give a .gonix.json that gonix-init wrote", path, errText(err))
	}
	defer f.Close() //nolint:errcheck // read-only
	_, keys, err := answers.Read(f, a)
	return keys, answerError(err, func(string) string { return path + ": " })
}

// errText is an error's text without the path that the message already names.
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, fs.ErrNotExist) {
			return "no such file"
		}
		return pe.Err.Error()
	}
	return err.Error()
}

// answerError turns answers' validation errors into usage errors, each on
// its own line and named by where the answer came from (prefix of its key)
// and its key: "--ports" for a flag, "answers.json: ports" for a file.
func answerError(err error, prefix func(key string) string) error {
	if err == nil || errors.Is(err, form.ErrAborted) || errors.Is(err, context.Canceled) {
		return err
	}
	var lines []string
	for _, e := range answers.Unjoin(err) {
		var ae *answers.Error
		switch {
		case errors.As(e, &ae):
			lines = append(lines, prefix(ae.Field)+ae.Field+": "+ae.Reason)
		case errors.As(e, &usageError{}):
			lines = append(lines, e.Error())
		default:
			return err
		}
	}
	return usageError{errors.New(strings.Join(lines, "\n"))}
}

// usage is --help: the flags come from answers.Questions and commandFlags.
func usage(cmd command) string {
	var b strings.Builder
	if cmd == updateCommand {
		b.WriteString(`usage: gonix-init update [flags] [DIR]

Update re-applies gonix-init's current templates, and any answer the flags
change, to the project in DIR (default: the current directory; a directory
named update is ./update), keeping your edits: a three-way merge from what the
templates wrote when the project was made (its .gonix.json says which), to
what they write now, with the files as they are. Both changed the same lines:
git-style conflict markers, listed, and exit 1.

Answers to change (the others stay as recorded):
`)
	} else {
		b.WriteString(`usage: gonix-init [flags] [DIR]
       gonix-init update [flags] [DIR]   (see gonix-init update --help)

Gonix-init writes a new Go project into DIR (default: the current directory,
created when missing, otherwise empty but for .git): a flake.nix with a dev
shell, a static buildGoModule package and a reproducible OCI image, flake.lock,
go.mod, an HTTP server with its test, a Taskfile, .envrc and a README.

The project's answers:
`)
	}
	for _, q := range answers.Questions {
		help := q.Help
		if q.Choices != nil {
			help += ": " + strings.Join(answers.Values(q.Choices), ", ")
		}
		def := q.DefaultText()
		if cmd == updateCommand {
			def = "(default: as recorded)"
		}
		flagLine(&b, q.Key, q.Arg, help+" "+def)
	}
	b.WriteString("\nThe run:\n")
	for _, f := range commandFlags {
		if f.commands&cmd != 0 {
			flagLine(&b, f.name, f.arg, f.help)
		}
	}
	flagLine(&b, "version", "", "print the version and exit")
	flagLine(&b, "help", "", "print this help and exit")
	if cmd == updateCommand {
		b.WriteString(`
Per file: unchanged by you since it was written, it takes the new version;
changed by you only, it stays yours; changed on both sides, it is merged,
with conflict markers where the same lines changed; new in the templates, it
is created (a different file of yours in its place is a conflict); gone from
the templates, it is removed if you had not changed it, else kept; deleted
by you, it stays deleted. .gonix.json is written last.

Exit codes: 0 ok (or, with --check, current), 1 conflicts (or, with --check,
an update would change something), 2 usage or bad input (nothing written),
130 aborted (nothing written).
`)
		return b.String()
	}
	b.WriteString(`
With a terminal on stdin and stdout and without --yes, gonix-init asks for
what the flags left out, starting from the answers in DIR/.gonix.json when
there are some, shows the answers, the files it will write and, with --force,
the diffs, and writes only after one confirm; afterwards it prints the command
that does the same without questions. Without a terminal it never asks:
--module is then required.

Exit codes: 0 ok, 1 failure, 2 usage or bad input (nothing written),
130 aborted (nothing written).

Example:
  gonix-init --module github.com/you/myapp --ports 8080,9090 --yes myapp
`)
	return b.String()
}

// flagLine writes one flag of --help: the flag and its argument, then its
// help wrapped at 80 columns beside it.
func flagLine(b *strings.Builder, name, arg, help string) {
	const col = 18
	left := "  --" + name
	if arg != "" {
		left += " " + arg
	}
	line := left + strings.Repeat(" ", max(1, col-len(left)))
	for _, w := range strings.Fields(help) {
		if len(line)+1+len(w) > 80 && strings.TrimSpace(line) != "" && len(line) > col {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = strings.Repeat(" ", col)
		}
		if !strings.HasSuffix(line, " ") {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
}

// stageFiles stages the project in git when it is in a work tree (or,
// with --git, after git init), but for the paths except. Failing to stage does not fail the run: the
// project is written; the user is told what to do.
func (e env) stageFiles(ctx context.Context, plan *scaffold.Plan, init bool, except ...string) gitstage.Result {
	if e.stage == nil {
		return gitstage.Result{Note: "not on disk"}
	}
	var paths []string
	for _, s := range plan.Steps {
		if !slices.Contains(except, s.File.Path) {
			paths = append(paths, s.File.Path)
		}
	}
	res, err := e.stage(ctx, plan.Dir, paths, init)
	if err != nil {
		fmt.Fprintf(e.stderr, "%s: warning: could not stage the files (%v); run git add yourself\n", prog, err)
		res.Note = "staging failed"
	}
	return res
}

// templateSet returns the embedded templates, or those in dir.
func templateSet(dir string) (fs.FS, error) {
	if dir == "" {
		return templates.FS, nil
	}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, usagef("--templates %s: no such directory; give one laid out like templates/ (see docs/templates.md)", dir)
	case err != nil:
		return nil, usagef("--templates %s: %s", dir, errText(err))
	case !info.IsDir():
		return nil, usagef("--templates %s: is a file, not a directory; give one laid out like templates/ (see docs/templates.md)", dir)
	}
	return os.DirFS(dir), nil
}

// equivalent is the command line that reproduces the run without asking:
// the answers that differ from what gonix-init would choose by itself, the
// flags about the run that change what it does, and DIR.
func equivalent(a answers.Answers, opts *options) string {
	args := []string{prog}
	for _, q := range answers.Questions {
		if !q.IsDefault(a) {
			args = append(args, "--"+q.Key, shellQuote(q.Format(a)))
		}
	}
	if opts.force {
		args = append(args, "--force")
	}
	if opts.git {
		args = append(args, "--git")
	}
	if opts.templatesDir != "" {
		args = append(args, "--templates", shellQuote(opts.templatesDir))
	}
	args = append(args, "--yes")
	if filepath.Clean(opts.dir) != "." {
		args = append(args, shellQuote(opts.dir))
	}
	return strings.Join(slices.Clip(args), " ")
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') && !strings.ContainsRune("-_./+@:,=", r)
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
