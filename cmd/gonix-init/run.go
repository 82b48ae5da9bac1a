package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/gonix-init/gonix-init/internal/form"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/session"
	"github.com/gonix-init/gonix-init/internal/update"
	"github.com/gonix-init/gonix-init/internal/usage"
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
	code := exitFor(err)
	if outcome == plan.WouldChange {
		code = exitWouldChange // an outcome, shown by the run: not an error
	}
	switch {
	case code == exitAborted:
		fmt.Fprintf(e.Err, "\n%s: aborted, nothing written\n", prog)
	case err != nil && code != exitOK:
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(e.Err, "%s: %s\n", prog, line)
		}
	}
	return code
}

// exitFor is the exit code of a run that ended with err.
func exitFor(err error) int {
	var te *scaffold.TargetError
	var ce *update.ConflictError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, context.Canceled), errors.Is(err, session.ErrAborted):
		return exitAborted
	case usage.Is(err), errors.As(err, &te):
		return exitUsage
	case errors.As(err, &ce):
		return exitConflicts
	}
	return exitFailure
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
	s, err := cmd.Session(e, opts)
	if err != nil {
		return plan.Go, err
	}
	return s.Run(ctx)
}
