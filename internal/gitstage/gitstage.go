// Package gitstage stages a newly written project in git. A flake inside a
// git work tree sees only the files git tracks, so a fresh project that is
// not staged does not build. gitstage only runs git init and git add: it
// never commits, so it never needs a git identity.
package gitstage

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Result says what Stage did.
type Result struct {
	Staged      bool   // the files were added to the index
	Initialized bool   // git init ran in the directory
	InRepo      bool   // the directory is in a git work tree (staged or not)
	NoGit       bool   // git is not installed
	Note        string // why nothing was staged, when nothing was
}

// InWorkTree reports whether dir may be in a git work tree: a .git lies in
// it or above it, or GIT_DIR names one. It is looked for here, so that git
// itself runs only when it has something to do (a run outside any
// repository spawns no process).
func InWorkTree(dir string) bool {
	if os.Getenv("GIT_DIR") != "" {
		return true
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return true // let git decide
	}
	for {
		if _, err := os.Lstat(filepath.Join(abs, ".git")); err == nil {
			return true
		}
		up := filepath.Dir(abs)
		if up == abs {
			return false
		}
		abs = up
	}
}

// Dirty lists which of paths (relative to dir) have changes that git has
// not committed, when dir is in a git work tree (none otherwise, or
// without git).
func Dirty(ctx context.Context, git, dir string, paths []string) ([]string, error) {
	if git == "" || len(paths) == 0 || !InWorkTree(dir) {
		return nil, nil
	}
	if inside, _ := output(ctx, git, dir, "rev-parse", "--is-inside-work-tree"); strings.TrimSpace(inside) != "true" {
		return nil, nil
	}
	// Porcelain paths are relative to the work tree's root; paths, to dir.
	prefix, err := output(ctx, git, dir, "rev-parse", "--show-prefix")
	if err != nil {
		return nil, err
	}
	out, err := output(ctx, git, dir, append([]string{"status", "--porcelain", "--untracked-files=no", "--no-renames", "--"}, paths...)...)
	if err != nil {
		return nil, err
	}
	var dirty []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if len(l) > 3 {
			dirty = append(dirty, strings.TrimPrefix(l[3:], strings.TrimSpace(prefix)))
		}
	}
	return dirty, nil
}

// output runs git in dir, never prompting and in the C locale, and returns
// what it printed; a failure carries git's stderr.
func output(ctx context.Context, git, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, git, append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// notInRepo is the note of a run outside any git work tree without --git.
const notInRepo = "not in a git repository; --git runs git init and stages the files"

// Stage adds paths (relative to dir) to the index of the git work tree that
// holds dir. When dir is in none, it runs git init in dir first if init is
// set, and otherwise stages nothing. git is the git program; "" means git is
// not installed, and nothing is done.
//
// The files are added with --force: they are gonix-init's, which a flake
// needs whatever a .gitignore says (a ".*" line would leave .gonix.json
// out).
func Stage(ctx context.Context, git, dir string, paths []string, init bool) (Result, error) {
	if git == "" {
		return Result{NoGit: true, InRepo: InWorkTree(dir), Note: "git is not installed, so nothing was staged; a flake in a git repository only sees tracked files"}, nil
	}
	run := func(args ...string) (string, error) {
		out, err := output(ctx, git, dir, args...)
		return strings.TrimSpace(out), err
	}
	if !init && !InWorkTree(dir) {
		return Result{Note: notInRepo}, nil
	}
	res := Result{InRepo: true}
	if inside, _ := run("rev-parse", "--is-inside-work-tree"); inside != "true" {
		if !init {
			return Result{Note: notInRepo}, nil
		}
		if _, err := run("init", "--quiet"); err != nil {
			return res, err
		}
		// The first branch is main, whatever init.defaultBranch says (and on a
		// git older than --initial-branch), as the generated CI expects.
		if _, err := run("symbolic-ref", "HEAD", "refs/heads/main"); err != nil {
			return res, err
		}
		res.Initialized = true
	}
	if _, err := run(append([]string{"add", "--force", "--"}, paths...)...); err != nil {
		return res, err
	}
	res.Staged = true
	return res, nil
}

// Unseen lists which of paths (relative to dir) a flake in dir would not
// see: in a git work tree, those git does not track (nor has staged);
// outside one, those its .gitignore files ignore, which `git init && git
// add -A` would leave out. Without git, none.
func Unseen(ctx context.Context, git, dir string, paths []string) ([]string, error) {
	if git == "" || len(paths) == 0 {
		return nil, nil
	}
	if inside, _ := output(ctx, git, dir, "rev-parse", "--is-inside-work-tree"); strings.TrimSpace(inside) == "true" {
		// Every file tracked under dir, not the paths as arguments: a
		// project's every file may be more than a command line takes.
		out, err := output(ctx, git, dir, "ls-files", "-z", "--cached", "--full-name")
		if err != nil {
			return nil, err
		}
		prefix, err := output(ctx, git, dir, "rev-parse", "--show-prefix")
		if err != nil {
			return nil, err
		}
		tracked := map[string]bool{}
		for _, f := range strings.Split(out, "\x00") {
			tracked[strings.TrimPrefix(f, strings.TrimSpace(prefix))] = true
		}
		var unseen []string
		for _, p := range paths {
			if !tracked[filepath.ToSlash(p)] {
				unseen = append(unseen, p)
			}
		}
		return unseen, nil
	}
	// Outside a repository: git reads the .gitignore files of dir with an
	// empty repository of its own, in a temporary directory.
	tmp, err := os.MkdirTemp("", "gonix-git-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp) //nolint:errcheck // a temporary directory
	if _, err := output(ctx, git, tmp, "init", "--quiet", "--bare"); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, git, "--git-dir", tmp, "--work-tree", ".", "check-ignore", "--no-index", "-z", "--stdin")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	cmd.Stdin = strings.NewReader(strings.Join(paths, "\x00") + "\x00")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil && cmd.ProcessState.ExitCode() != 1 { // 1: none ignored
		return nil, fmt.Errorf("git check-ignore: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var ignored []string
	for _, f := range strings.Split(stdout.String(), "\x00") {
		if f != "" {
			ignored = append(ignored, f)
		}
	}
	return ignored, nil
}

// LatestTag is the newest tag like v1.2.3 that the commit checked out in
// dir descends from (git describe), "" when there is none, or no
// repository, or no git.
func LatestTag(ctx context.Context, git, dir string) string {
	if git == "" || !InWorkTree(dir) {
		return ""
	}
	tag, err := output(ctx, git, dir, "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(tag)
}

// Git is the git program found by LookPath (on PATH, for a real run),
// looked up at each use; none found means git is not installed.
type Git struct {
	LookPath func(file string) (string, error)
}

// Stage is Stage with this git.
func (g Git) Stage(ctx context.Context, dir string, paths []string, init bool) (Result, error) {
	git, _ := g.LookPath("git")
	return Stage(ctx, git, dir, paths, init)
}

// LatestTag is LatestTag with this git.
func (g Git) LatestTag(ctx context.Context, dir string) string {
	git, _ := g.LookPath("git")
	return LatestTag(ctx, git, dir)
}

// Unseen is Unseen with this git.
func (g Git) Unseen(ctx context.Context, dir string, paths []string) ([]string, error) {
	git, _ := g.LookPath("git")
	return Unseen(ctx, git, dir, paths)
}

// Dirty is Dirty with this git.
func (g Git) Dirty(ctx context.Context, dir string, paths []string) ([]string, error) {
	git, _ := g.LookPath("git")
	return Dirty(ctx, git, dir, paths)
}

// Off is no git at all: for files that are not on a disk (a run into
// memory, in tests), where Note says why nothing was staged.
type Off struct{ Note string }

// Stage stages nothing.
func (o Off) Stage(context.Context, string, []string, bool) (Result, error) {
	return Result{Note: o.Note}, nil
}

// LatestTag finds none.
func (Off) LatestTag(context.Context, string) string { return "" }

// Unseen finds every file seen.
func (Off) Unseen(context.Context, string, []string) ([]string, error) { return nil, nil }

// Dirty finds nothing uncommitted.
func (Off) Dirty(context.Context, string, []string) ([]string, error) { return nil, nil }
