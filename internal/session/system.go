package session

import (
	"io"
	"os"
	"os/exec"

	"github.com/spf13/afero"
	"golang.org/x/term"

	"github.com/gonix-init/gonix-init/internal/gitstage"
)

// System is the Env of a real run: the disk, the process's streams and
// environment, git and the programs on PATH.
func System(stdin io.Reader, stdout, stderr io.Writer) Env {
	return Env{
		FS:       afero.NewOsFs(),
		In:       stdin,
		Out:      stdout,
		Err:      stderr,
		Terminal: isTerminal(stdin) && isTerminal(stdout),
		Height:   terminalHeight(stdout),
		Git:      gitstage.Git{LookPath: exec.LookPath},
		Environ:  os.Environ(),
		LookPath: exec.LookPath,
	}
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
