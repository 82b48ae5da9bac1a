package session

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/exit"
	"github.com/gonix-init/gonix-init/internal/update"
)

// makeLine is cmd, the flags of the answers a's profile asks that differ
// from start (or from what they are derived from), --force and --git as
// the run had them, --yes and DIR: the command line that makes the same
// project without questions.
func makeLine(cmd []string, a, start answers.Answers, dir, templates string, force, git bool) string {
	args := append(cmd, answers.Args(a, func(q *answers.Question) bool { return !q.IsDefault(a, start) })...)
	if force {
		args = append(args, "--force")
	}
	if git {
		args = append(args, "--git")
	}
	return strings.Join(append(args, runFlags(dir, templates, "--yes")...), " ")
}

// runFlags are --templates, then extra, then DIR, as a command line that
// reproduces the run ends.
func runFlags(dir, templates string, extra ...string) []string {
	var args []string
	if templates != "" {
		args = append(args, "--templates", answers.ShellQuote(templates))
	}
	args = append(args, extra...)
	if filepath.Clean(dir) != "." {
		args = append(args, answers.ShellQuote(dir))
	}
	return args
}

// refusal reports whether err is bad input, which a planner turns into a
// plan that stops (plan.Refuse) rather than a failure.
func refusal(err error) bool { return exit.Refused(err) || conflicted(err) }

// conflicted reports whether err is conflicts an earlier update left,
// which stop a run at its plan as a refusal does.
func conflicted(err error) bool {
	var ce *update.ConflictError
	return errors.As(err, &ce)
}
