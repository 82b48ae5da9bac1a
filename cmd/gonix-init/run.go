package main

import (
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
	"strconv"
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

// options are the parsed command line.
type options struct {
	module, name, systems, ports, tools string
	yes, force, dryRun, accessible, git bool
	dir, answersFile, templatesDir      string
	given                               map[string]bool // flags present on the command line
}

// env is what one run works with: tests replace the file system.
type env struct {
	fs             afero.Fs
	stdin          io.Reader
	stdout, stderr io.Writer
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return env{afero.NewOsFs(), stdin, stdout, stderr}.run(args)
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
		fmt.Fprintf(e.stderr, "%s: aborted, nothing written\n", prog)
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

func (e env) gonixInit(ctx context.Context, args []string) error {
	opts, err := parseFlags(args, e.stdout)
	if err != nil {
		return err
	}
	tmpl, err := templateSet(opts.templatesDir)
	if err != nil {
		return err
	}
	canAsk := interactive(opts, e.stdin, e.stdout)
	a, answered, err := collect(opts, canAsk)
	if err != nil {
		return err
	}
	if canAsk {
		a, err = form.Ask(ctx, a, form.Config{
			In:         e.stdin,
			Out:        e.stdout,
			Accessible: opts.accessible || os.Getenv("ACCESSIBLE") != "",
			Given:      answered,
			Dir:        opts.dir,
			Files:      func(a answers.Answers) []string { return fileList(a, tmpl) },
		})
		if err != nil {
			return answerError(err)
		}
	}
	files, err := render.Render(a, tmpl)
	var ae *answers.Error
	switch {
	case err != nil && errors.As(err, &ae):
		return answerError(err)
	case err != nil && opts.templatesDir != "":
		return usagef("--templates %s: %v", opts.templatesDir, err)
	case err != nil:
		return err
	}
	plan, err := scaffold.NewPlan(e.fs, opts.dir, files, opts.force)
	if err != nil {
		return err
	}
	printDiffs(e.stdout, plan)
	if opts.dryRun {
		reportDryRun(e.stdout, plan, a)
		return nil
	}
	if err := scaffold.Apply(ctx, e.fs, plan); err != nil {
		return err
	}
	staged := e.stage(ctx, plan, opts.git)
	report(e.stdout, plan, a, staged)
	if canAsk {
		fmt.Fprintf(e.stdout, "\nThe same project without questions:\n  %s\n", equivalent(a, opts.dir))
	}
	return nil
}

func parseFlags(args []string, stdout io.Writer) (*options, error) {
	opts := &options{given: map[string]bool{}}
	fs := flag.NewFlagSet(prog, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&opts.module, "module", "", "")
	fs.StringVar(&opts.name, "name", "", "")
	fs.StringVar(&opts.systems, "systems", "", "")
	fs.StringVar(&opts.ports, "ports", "", "")
	fs.StringVar(&opts.tools, "tools", "", "")
	fs.BoolVar(&opts.yes, "yes", false, "")
	fs.BoolVar(&opts.force, "force", false, "")
	fs.BoolVar(&opts.dryRun, "dry-run", false, "")
	fs.BoolVar(&opts.accessible, "accessible", false, "")
	fs.BoolVar(&opts.git, "git", false, "")
	fs.StringVar(&opts.answersFile, "answers", "", "")
	fs.StringVar(&opts.templatesDir, "templates", "", "")
	showVersion := fs.Bool("version", false, "")

	// Flags may come before or after DIR.
	var dirs []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, usage)
				return nil, err
			}
			return nil, usagef("%v\n%s", err, "run 'gonix-init --help' for usage")
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	fs.Visit(func(f *flag.Flag) { opts.given[f.Name] = true })

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

// interactive reports whether gonix-init may ask questions: only with a
// terminal on both stdin and stdout, and without --yes.
func interactive(opts *options, stdin io.Reader, stdout io.Writer) bool {
	return !opts.yes && isTerminal(stdin) && isTerminal(stdout)
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// collect turns the answers file and the flags into answers, starting from
// the defaults; flags override the file. It also returns which answers the
// file or the flags settled, so the form asks only the rest. When
// gonix-init can ask, what is missing is left for the form.
func collect(opts *options, canAsk bool) (answers.Answers, map[string]bool, error) {
	a := answers.Default()
	answered := map[string]bool{}
	if opts.answersFile != "" {
		if err := readAnswersFile(opts.answersFile, &a, answered); err != nil {
			return a, answered, err
		}
	}
	var errs []error
	if opts.given["module"] {
		a.Module, answered["module"] = opts.module, true
	}
	if opts.given["name"] {
		a.Name, answered["name"] = opts.name, true
	}
	if opts.given["systems"] {
		s, err := answers.ParseSystems(opts.systems)
		errs = append(errs, err)
		a.Systems, answered["systems"] = s, true
	}
	if opts.given["ports"] {
		p, err := answers.ParsePorts(opts.ports)
		errs = append(errs, err)
		a.Ports, answered["ports"] = p, true
	}
	if opts.given["tools"] {
		t, err := answers.ParseTools(opts.tools)
		errs = append(errs, err)
		a.Tools, answered["tools"] = t, true
	}
	if !answered["module"] {
		if err := errors.Join(errs...); err != nil {
			return a, answered, answerError(err)
		}
		if canAsk {
			return a, answered, nil
		}
		return a, answered, usagef("--module is required when gonix-init cannot ask (no terminal, or --yes); give one like --module github.com/you/myapp")
	}
	errs = append(errs, answers.CheckModule(a.Module))
	if err := errors.Join(errs...); err != nil {
		return a, answered, answerError(err)
	}
	if !answered["name"] {
		n, err := answers.DefaultName(a.Module)
		if err != nil && canAsk {
			return a, answered, nil // the form asks for a name
		}
		if err != nil {
			return a, answered, usagef("--name: %s", strings.TrimPrefix(err.Error(), "name: "))
		}
		a.Name = n
	}
	return a, answered, nil
}

// readAnswersFile reads an answers file (.gonix.json) into a, and marks in
// answered what it answers.
func readAnswersFile(path string, a *answers.Answers, answered map[string]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return usagef("--answers: %v", err)
	}
	af, err := answers.Read(f)
	f.Close() //nolint:errcheck // read-only: a close error changes nothing
	if err != nil {
		return usagef("--answers %s: %v; the file is what gonix-init writes as .gonix.json", path, err)
	}
	if af.Module != "" {
		a.Module, answered["module"] = af.Module, true
	}
	if af.Name != "" {
		a.Name, answered["name"] = af.Name, true
	}
	if af.Systems != nil {
		a.Systems, answered["systems"] = af.Systems, true
	}
	if af.Ports != nil {
		a.Ports, answered["ports"] = af.Ports, true
	}
	if af.Tools != nil {
		a.Tools, answered["tools"] = af.Tools, true
	}
	return nil
}

// answerError turns answers' validation errors into usage errors that name
// the flag of each answer.
func answerError(err error) error {
	if errors.Is(err, form.ErrAborted) {
		return err
	}
	var lines []string
	for _, e := range unjoin(err) {
		var ae *answers.Error
		if errors.As(e, &ae) {
			lines = append(lines, "--"+ae.Field+": "+ae.Reason)
		} else {
			return err
		}
	}
	return usageError{errors.New(strings.Join(lines, "\n"))}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unjoin(e)...)
		}
		return out
	}
	return []error{err}
}

const usage = `usage: gonix-init [flags] [DIR]

Gonix-init writes a new Go project into DIR (default: the current directory,
created when missing, otherwise empty but for .git): a flake.nix with a dev
shell, a static buildGoModule package and a reproducible OCI image, flake.lock,
go.mod, an HTTP server with its test, a Taskfile, .envrc and a README.

Flags:
  --module PATH   Go module path, as 'go mod init' takes it (required)
  --name NAME     app name: binary, Nix pname, image
                  (default: last element of the module path)
  --systems LIST  comma-separated Nix systems: x86_64-linux, aarch64-linux,
                  aarch64-darwin (default: all three)
  --ports LIST    comma-separated TCP ports (default: 8080)
  --tools LIST    comma-separated dev-shell tools besides go: gopls,
                  golangci-lint, delve, go-task, or none (default: all four)
  --yes           do not ask; take the defaults for what is not given
  --force         write into a non-empty DIR: create missing files, and replace
                  an existing file only after printing a unified diff of it
  --dry-run       print what would be written (and the diffs, with --force);
                  write nothing
  --git           when DIR is not in a git repository, run git init there;
                  gonix-init always stages what it wrote in one, never commits
  --answers FILE  take the answers from FILE, a .gonix.json that gonix-init
                  wrote; flags override it
  --templates DIR render from DIR, laid out like templates/, instead of the
                  embedded templates (see docs/templates.md)
  --accessible    ask in huh's accessible mode, for screen readers (also when
                  the ACCESSIBLE environment variable is set)
  --version       print the version and exit
  --help          print this help and exit

With a terminal on stdin and stdout and without --yes, gonix-init asks for
what the flags left out, shows a summary and writes only after a confirm;
afterwards it prints the same command without questions. Without a terminal
it never asks: --module is then required.

Exit codes: 0 ok, 1 failure, 2 usage or bad input (nothing written),
130 aborted (nothing written).

Example:
  gonix-init --module github.com/you/myapp --ports 8080,9090 --yes myapp
`

// stage stages the project in git when it is in a work tree (or, with
// --git, after git init). Failing to stage does not fail the run: the
// project is written; the user is told what to do.
func (e env) stage(ctx context.Context, plan *scaffold.Plan, init bool) gitstage.Result {
	if _, ok := e.fs.(*afero.OsFs); !ok {
		return gitstage.Result{Note: "not on disk"}
	}
	git, _ := exec.LookPath("git")
	var paths []string
	for _, s := range plan.Steps {
		paths = append(paths, s.File.Path)
	}
	res, err := gitstage.Stage(ctx, git, plan.Dir, paths, init)
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
	if err != nil || !info.IsDir() {
		return nil, usagef("--templates %s: not a directory; give one laid out like templates/ (see docs/templates.md)", dir)
	}
	return os.DirFS(dir), nil
}

// fileList lists the files answers would write, for the form's summary.
func fileList(a answers.Answers, tmpl fs.FS) []string {
	files, err := render.Render(a, tmpl)
	if err != nil {
		return nil
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
	}
	return paths
}

// equivalent is the command line that renders the same project without
// asking, for scripts and CI.
func equivalent(a answers.Answers, dir string) string {
	tools := "none"
	if len(a.Tools) > 0 {
		tools = strings.Join(a.Tools, ",")
	}
	var ports []string
	for _, p := range a.Ports {
		ports = append(ports, strconv.Itoa(p))
	}
	args := []string{prog, "--module", a.Module, "--name", a.Name,
		"--systems", strings.Join(a.Systems, ","), "--ports", strings.Join(ports, ","), "--tools", tools, "--yes"}
	if filepath.Clean(dir) != "." {
		args = append(args, shellQuote(dir))
	}
	return strings.Join(args, " ")
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
