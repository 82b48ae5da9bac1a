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
}
