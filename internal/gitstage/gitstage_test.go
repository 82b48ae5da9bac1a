package gitstage

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/testenv"
)

func TestNoGitIsANote(t *testing.T) {
	dir := t.TempDir()
	res, err := Stage(context.Background(), "", dir, []string{"x"}, true)
	if err != nil || !res.NoGit || res.Staged || res.Initialized {
		t.Errorf("Stage without git = %+v, %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		t.Error("a .git appeared without git")
	}
}

// TestStageWithoutIdentity stages with a real git in a HOME without any git
// config: git add needs no identity, and nothing is committed.
func TestStageWithoutIdentity(t *testing.T) {
	git := testenv.Require(t, "git", "apt-get install -y git")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a\n"), 0o644)
	res, err := Stage(context.Background(), git, dir, []string{"a.txt"}, true)
	if err != nil || !res.Staged || !res.Initialized {
		t.Fatalf("Stage = %+v, %v", res, err)
	}
	out, _ := exec.Command(git, "-C", dir, "status", "--porcelain").Output()
	if strings.TrimSpace(string(out)) != "A  a.txt" {
		t.Errorf("status %q", out)
	}
	if err := exec.Command(git, "-C", dir, "rev-parse", "--verify", "HEAD").Run(); err == nil {
		t.Error("something was committed")
	}
	if head, _ := exec.Command(git, "-C", dir, "symbolic-ref", "HEAD").Output(); strings.TrimSpace(string(head)) != "refs/heads/main" {
		t.Errorf("git init made the branch %q, want main", head)
	}
}

// TestOutsideARepositoryNoGitRuns stages nothing outside a work tree, and
// without running git at all: a run outside any repository spawns no
// process (the .git is looked for first).
func TestOutsideARepositoryNoGitRuns(t *testing.T) {
	dir := t.TempDir()
	mark := filepath.Join(t.TempDir(), "ran")
	fake := filepath.Join(t.TempDir(), "git")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\ntouch "+mark+"\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if InWorkTree(dir) {
		t.Skipf("%s is inside a git work tree", dir)
	}
	res, err := Stage(context.Background(), fake, dir, []string{"x"}, false)
	if err != nil || res.Staged || res.Note == "" {
		t.Errorf("Stage = %+v, %v", res, err)
	}
	if _, err := os.Stat(mark); err == nil {
		t.Error("git ran outside any repository")
	}
	if dirty, err := Dirty(context.Background(), fake, dir, []string{"x"}); err != nil || dirty != nil {
		t.Errorf("Dirty = %v, %v", dirty, err)
	}
	if _, err := os.Stat(mark); err == nil {
		t.Error("git ran outside any repository")
	}
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	if !InWorkTree(filepath.Join(dir)) {
		t.Error("a .git folder was not found")
	}
}
