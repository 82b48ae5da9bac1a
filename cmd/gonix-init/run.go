package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/gonix-init/gonix-init/internal/exit"

	"github.com/gonix-init/gonix-init/internal/form"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/session"
	"github.com/gonix-init/gonix-init/internal/version"
)

const prog = version.Program

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := session.System(stdin, stdout, stderr)
	e.Prompter = asker
	return runIn(e, args)
}

// asker asks with internal/form in the terminal.
func asker(e session.Env, accessible bool) session.Prompter {
	return form.Prompter{In: e.In, Out: e.Out, Environ: e.Environ, Accessible: accessible, Width: e.Width, Height: e.Height}
}

// runIn runs gonix-init in e and maps its outcome to an exit code. SIGINT
// and SIGTERM cancel the run; a cancelled write is undone before it
// returns.
func runIn(e session.Env, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	outcome, err := start(ctx, e, args)
	code := exit.Code(err)
	if outcome == plan.WouldChange {
		code = exit.WouldChange // an outcome, shown by the run: not an error
	}
	switch {
	case code == exit.Aborted:
		fmt.Fprintf(e.Err, "\n%s: aborted, nothing written\n", prog)
	case err != nil && code != exit.OK:
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(e.Err, "%s: %s\n", prog, line)
		}
	}
	return code
}

// start parses the command line of gonix-init [flags] [DIR] (a new
// project) or gonix-init COMMAND [flags] [DIR], and runs its session.
func start(ctx context.Context, e session.Env, args []string) (plan.Stop, error) {
	cmd := initCmd
	for _, c := range commands {
		if c.Name != "" && len(args) > 0 && args[0] == c.Name {
			cmd, args = c, args[1:]
		}
	}
	opts, err := parseFlags(args, e.Out, cmd)
	if err != nil {
		return plan.Go, err
	}
	s, err := cmd.Session(ctx, e, opts)
	if err != nil {
		return plan.Go, err
	}
	return s.Run(ctx)
}
