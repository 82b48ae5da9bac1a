package workflowtest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/testenv"
	"github.com/gonix-init/gonix-init/templates"
)

// TestWorkflowsLint runs actionlint, which also runs shellcheck on every
// run: block, on the workflows (ci, dependabot, nixpkgs) of every
// combination of answers that writes them: each non-empty set of systems, with go-task and each set of the
// other tools. It reports nothing on any of them.
func TestWorkflowsLint(t *testing.T) {
	testenv.Slow(t, "builds actionlint")
	shellcheck := testenv.Require(t, "shellcheck", "apt-get install -y shellcheck")
	actionlint := nixtest.Tool(t, "actionlint")
	systems := answers.Values(answers.AllSystems)
	others := []string{"gopls", "golangci-lint", "delve"}
	for s := 1; s < 1<<len(systems); s++ {
		for o := range 1 << len(others) {
			a := answers.Default()
			a.Module, a.Name, a.CI = "example.com/lint", "lint", answers.GitHubActions
			a.Systems, a.Tools = nil, []string{"go-task"}
			for i, sys := range systems {
				if s&(1<<i) != 0 {
					a.Systems = append(a.Systems, sys)
				}
			}
			for i, tool := range others {
				if o&(1<<i) != 0 {
					a.Tools = append(a.Tools, tool)
				}
			}
			if err := a.Validate(); err != nil {
				t.Fatal(err)
			}
			files, err := render.Render(a, templates.FS)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			var workflows []string
			for _, f := range files {
				if strings.HasPrefix(f.Path, ".github/workflows/") {
					nixtest.Must(t, os.MkdirAll(filepath.Join(dir, ".github", "workflows"), 0o755))
					nixtest.Must(t, os.WriteFile(filepath.Join(dir, f.Path), f.Data, 0o644))
					workflows = append(workflows, f.Path)
				}
			}
			if !slices.Equal(workflows, []string{".github/workflows/ci.yml", ".github/workflows/dependabot.yml", ".github/workflows/nixpkgs.yml", ".github/workflows/release.yml"}) {
				t.Fatalf("%v, %v: workflows %v", a.Systems, a.Tools, workflows)
			}
			cmd := exec.Command(actionlint, append([]string{"-shellcheck", shellcheck}, workflows...)...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("actionlint on the workflows of %v, %v: %v\n%s", a.Systems, a.Tools, err, out)
			}
		}
	}
}
