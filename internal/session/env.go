package session

import (
	"context"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/spf13/afero"
	"golang.org/x/term"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/exit"
	"github.com/gonix-init/gonix-init/internal/gitstage"
	"github.com/gonix-init/gonix-init/internal/report"
	"github.com/gonix-init/gonix-init/internal/vendorhash"
)

// Env is what one run works with, injected so that tests run it without a
// terminal, a disk or git (as cli/cli's IOStreams): the files, the streams,
// whether they are a terminal, git, the environment, the programs on PATH,
// and the one read of a project that needs a program (its vendorHash).
type Env struct {
	FS       afero.Fs // every file: the target, an answers file, a template set
	In       io.Reader
	Out, Err io.Writer
	Terminal bool // stdin and stdout are a terminal: only then is anything asked, but in accessible mode
	Height   int  // the terminal's rows, 0 when unknown
	Width    int  // its columns, 0 when unknown
	Git      Git
	Environ  []string                          // KEY=value, as os.Environ
	LookPath func(file string) (string, error) // as exec.LookPath
	// VendorHash is nix/vendor-hash.nix's content for the module in dir,
	// whose go line is goLine: vendorhash.Compute with the go on PATH.
	VendorHash func(ctx context.Context, dir, goLine string, mode vendorhash.Mode) (string, error)
	// Prompter makes what asks, in a terminal or, in accessible mode, line
	// by line: cmd/gonix-init gives internal/form's, tests a fake. With
	// none, a run asks nothing.
	Prompter func(e Env, accessible bool) Prompter
}

// ErrAborted is exit.ErrAborted: a run the user ended before anything was
// written. A Prompter's error wraps it.
var ErrAborted = exit.ErrAborted

// Getenv is the value of key in the environment.
func (e Env) Getenv(key string) string {
	for _, kv := range slices.Backward(e.Environ) {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// Printer prints the run's report on its output.
func (e Env) Printer() report.Printer {
	return report.Printer{Out: e.Out, Environ: e.Environ, Height: e.Height, Width: e.Width}
}

// Git stages files, finds uncommitted changes, the files a flake would not
// see and the latest version tag: gitstage.Git on a disk, gitstage.Off
// where there is none.
type Git interface {
	Stage(ctx context.Context, dir string, paths []string, init bool) (gitstage.Result, error)
	Dirty(ctx context.Context, dir string, paths []string) ([]string, error)
	Unseen(ctx context.Context, dir string, paths []string) ([]string, error)
	LatestTag(ctx context.Context, dir string) string
}

// Prompter asks: the questions that given leaves, filled in from a and
// starting at the last one for atEnd, and the confirm, which shows summary
// (the plan, as the report prints it) and asks question (the plan's);
// back asks the questions again. Its errors for a run the user ended wrap
// ErrAborted. internal/form's is the terminal's.
type Prompter interface {
	Ask(ctx context.Context, a answers.Answers, given map[string]bool, atEnd bool) (answers.Answers, error)
	Confirm(ctx context.Context, summary, question string) (back bool, err error)
}

// Run is what every command takes of a run: its target, whether it may
// ask, and the answers' flags given. Each command's options embed it, with
// the flags of that command alone (cli/cli's shape): a constructor cannot
// read a flag its command does not have.
type Run struct {
	Dir                     string
	Yes, DryRun, Accessible bool
	Flags                   map[string]string // question key -> the flag's text, for the answers' flags given
}

// InitOptions are init's: a new project written into Dir.
type InitOptions struct {
	Run
	Force, Git                bool
	AnswersFile, TemplatesDir string
}

// AdoptOptions are adopt's: the Go project in Dir, given a flake.
type AdoptOptions struct {
	Run
	Force, Git   bool
	TemplatesDir string
}

// UpdateOptions are update's: the project in Dir brought current.
type UpdateOptions struct {
	Run
	Force, Check          bool
	TemplatesDir, BaseDir string
}

// canAsk reports whether the run may ask: without --yes, in a terminal, or
// with --accessible, whose prompts read lines from any input, a pipe
// included.
func (e Env) canAsk(o Run) bool {
	return !o.Yes && (e.Terminal || o.Accessible)
}

// prompter is what asks (e.Prompter's), when the run may ask: in
// accessible mode with --accessible, or ACCESSIBLE set in a terminal.
func (e Env) prompter(o Run) Prompter {
	if !e.canAsk(o) || e.Prompter == nil {
		return nil
	}
	return e.Prompter(e, o.Accessible || e.Getenv("ACCESSIBLE") != "")
}

// System is the Env of a real run: the disk, the process's streams and
// environment, git, the programs on PATH, and vendorhash with the go there.
func System(stdin io.Reader, stdout, stderr io.Writer) Env {
	width, height := terminalSize(stdout)
	return Env{
		FS:       afero.NewOsFs(),
		In:       stdin,
		Out:      stdout,
		Err:      stderr,
		Terminal: isTerminal(stdin) && isTerminal(stdout),
		Height:   height,
		Width:    width,
		Git:      gitstage.Git{LookPath: exec.LookPath},
		Environ:  os.Environ(),
		LookPath: exec.LookPath,
		VendorHash: func(ctx context.Context, dir, goLine string, mode vendorhash.Mode) (string, error) {
			goCmd, err := exec.LookPath("go")
			if err != nil {
				return "", vendorhash.ErrNoGo
			}
			return vendorhash.Compute(ctx, goCmd, dir, goLine, mode)
		},
	}
}

// terminalSize is the columns and rows of the terminal w is, or zeros.
func terminalSize(w io.Writer) (width, height int) {
	f, ok := w.(*os.File)
	if !ok {
		return 0, 0
	}
	width, height, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0, 0
	}
	return width, height
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
