package workflowtest_test

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/testenv"
	"github.com/gonix-init/gonix-init/templates"
)

// TestWorkflowsLint runs actionlint, which also runs shellcheck on every
// run: block and checks the inputs given to the local action
// (.github/actions/gonix-nix, gonix-publish), on the workflows (ci,
// dependabot, nixpkgs, release, template-update) of every
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
				// The workflows, and the local action they use, which
				// actionlint reads to check their inputs.
				if strings.HasPrefix(f.Path, ".github/") {
					nixtest.Must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, f.Path)), 0o755))
					nixtest.Must(t, os.WriteFile(filepath.Join(dir, f.Path), f.Data, 0o644))
				}
				if strings.HasPrefix(f.Path, ".github/workflows/") {
					workflows = append(workflows, f.Path)
				}
			}
			if !slices.Equal(workflows, []string{".github/workflows/ci.yml", ".github/workflows/dependabot.yml", ".github/workflows/nixpkgs.yml", ".github/workflows/release.yml", ".github/workflows/template-update.yml"}) {
				t.Fatalf("%v, %v: workflows %v", a.Systems, a.Tools, workflows)
			}
			cmd := exec.Command(actionlint, append([]string{"-shellcheck", shellcheck}, workflows...)...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("actionlint on the workflows of %v, %v: %v\n%s", a.Systems, a.Tools, err, out)
			}
			if s == 1 && o == 0 {
				shellcheckActions(t, shellcheck, dir)
			}
		}
	}
}

// shellcheckActions runs shellcheck on the run scripts of the local
// composite actions under dir, which actionlint does not read.
func shellcheckActions(t *testing.T, shellcheck, dir string) {
	t.Helper()
	actions, err := filepath.Glob(filepath.Join(dir, ".github", "actions", "*", "action.yml"))
	nixtest.Must(t, err)
	for _, file := range actions {
		data, err := os.ReadFile(file)
		nixtest.Must(t, err)
		var action struct {
			Runs struct {
				Steps []struct{ Run, Shell string }
			}
		}
		nixtest.Must(t, yaml.Unmarshal(data, &action))
		for i, s := range action.Runs.Steps {
			if s.Run == "" {
				continue
			}
			script := filepath.Join(t.TempDir(), "run.sh")
			// An expression is a word to the shell, as actionlint reads it.
			run := regexp.MustCompile(`\$\{\{[^}]*\}\}`).ReplaceAllString(s.Run, "expr")
			nixtest.Must(t, os.WriteFile(script, []byte("#!/usr/bin/env "+s.Shell+"\n"+run), 0o644))
			if out, err := exec.Command(shellcheck, script).CombinedOutput(); err != nil {
				t.Errorf("shellcheck on step %d of %s: %v\n%s", i+1, filepath.Base(filepath.Dir(file)), err, out)
			}
		}
	}
	if len(actions) != 2 {
		t.Errorf("local actions %v, want gonix-nix and gonix-publish", actions)
	}
}

// job is what TestWorkflowsKeepTheNixStore reads of a workflow's job, and
// of a composite action's steps.
type job struct {
	Permissions map[string]string `yaml:"permissions"`
	Steps       []struct {
		Uses string            `yaml:"uses"`
		If   string            `yaml:"if"`
		Run  string            `yaml:"run"`
		With map[string]string `yaml:"with"`
	} `yaml:"steps"`
}

// TestWorkflowsKeepTheNixStore reads the workflows of examples/full (every
// one there is) and their local action: every job that runs nix first sets
// it up with .github/actions/gonix-nix, naming its store and passing
// Cachix the repository's variable. A job that writes may delete the store
// it replaces (actions: write) and push to Cachix with its secret; a bot's
// read-only job does neither (purge "false", no token). The action
// installs Nix with keep-outputs, restores and saves the store with
// nix-community/cache-nix-action under a key of the runner's system and of
// the files the builds depend on, with no secret of its own, and reads
// from and pushes to Cachix only when its name is given. No other secret
// than GITHUB_TOKEN and CACHIX_AUTH_TOKEN is read, and GONIX_APP_KEY only
// by actions/create-github-app-token.
func TestWorkflowsKeepTheNixStore(t *testing.T) {
	root := filepath.Join("..", "..", "..", "examples", "full", ".github")
	wfs, err := filepath.Glob(filepath.Join(root, "workflows", "*.yml"))
	nixtest.Must(t, err)
	for _, wf := range wfs {
		data, err := os.ReadFile(wf)
		nixtest.Must(t, err)
		appKey := strings.Count(string(data), "private-key: ${{ secrets.GONIX_APP_KEY }}")
		for _, secret := range regexp.MustCompile(`secrets\.([A-Z_]+)`).FindAllStringSubmatch(string(data), -1) {
			switch secret[1] {
			case "GITHUB_TOKEN", "CACHIX_AUTH_TOKEN":
			case "GONIX_APP_KEY":
				appKey--
			default:
				t.Errorf("%s reads the secret %s", filepath.Base(wf), secret[1])
			}
		}
		if appKey != 0 {
			t.Errorf("%s reads GONIX_APP_KEY where actions/create-github-app-token does not", filepath.Base(wf))
		}
		var w struct{ Jobs map[string]job }
		nixtest.Must(t, yaml.Unmarshal(data, &w))
		for name, j := range w.Jobs {
			checkNixJob(t, filepath.Base(wf)+": job "+name, j)
		}
	}

	checkNixAction(t, filepath.Join(root, "actions", "gonix-nix", "action.yml"))
}

// checkNixJob checks that a job sets Nix up with gonix-nix before it runs
// nix, with the store's rights its own permissions allow.
func checkNixJob(t *testing.T, name string, j job) {
	t.Helper()
	set := false
	writes := slices.Contains(slices.Collect(maps.Values(j.Permissions)), "write")
	for _, s := range j.Steps {
		if strings.Contains(s.Uses, "install-nix-action") {
			t.Errorf("%s installs Nix without its store", name)
		}
		if s.Uses == "./.github/actions/gonix-nix" {
			set = true
			if s.With["store"] == "" || s.With["cachix-cache"] != "${{ vars.CACHIX_CACHE }}" {
				t.Errorf("%s sets up Nix with %v", name, s.With)
			}
			switch {
			case writes && (j.Permissions["actions"] != "write" || s.With["cachix-token"] != "${{ secrets.CACHIX_AUTH_TOKEN }}" || s.With["purge"] != ""):
				t.Errorf("%s writes, and cannot delete the store it replaces or push to Cachix: permissions %v, with %v", name, j.Permissions, s.With)
			case !writes && (s.With["cachix-token"] != "" || s.With["purge"] != "false"):
				t.Errorf("%s reads only, and purges the store or pushes to Cachix: with %v", name, s.With)
			}
		}
		if regexp.MustCompile(`(^|\s)nix `).MatchString(s.Run) && !set {
			t.Errorf("%s runs nix before it sets it up: %s", name, s.Run)
		}
	}
}

// checkNixAction checks the composite action every Nix job starts with:
// Nix with keep-outputs, then the store keyed by what the builds read,
// purged and collected, then Cachix behind its variable.
func checkNixAction(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	nixtest.Must(t, err)
	var action struct {
		Inputs map[string]struct{ Default string }
		Runs   job
	}
	nixtest.Must(t, yaml.Unmarshal(data, &action))
	uses := map[string]int{}
	for i, s := range action.Runs.Steps {
		uses[strings.Split(s.Uses, "@")[0]] = i + 1
	}
	install, store, cachix := uses["cachix/install-nix-action"], uses["nix-community/cache-nix-action"], uses["cachix/cachix-action"]
	if install == 0 || store == 0 || cachix == 0 || install >= store || store >= cachix {
		t.Fatalf("the action's steps: %v", uses)
	}
	steps := action.Runs.Steps
	if !strings.Contains(steps[install-1].With["extra_nix_config"], "keep-outputs = true") {
		t.Errorf("Nix is installed without keep-outputs: a build's inputs (Go's build caches) would not be saved: %v", steps[install-1].With)
	}
	s := steps[store-1]
	key := s.With["primary-key"]
	for _, want := range []string{"runner.os", "runner.arch", "inputs.store", "hashFiles(", "'flake.lock'", "'go.sum'", "'nix/**'"} {
		if !strings.Contains(key, want) {
			t.Errorf("the store's key %q does not hold %s", key, want)
		}
	}
	if prefix := s.With["restore-prefixes-first-match"]; prefix == "" || !strings.HasPrefix(key, prefix) {
		t.Errorf("no store of an earlier key is restored: prefix %q, key %q", prefix, key)
	}
	if s.With["token"] != "" || s.With["purge"] != "${{ inputs.purge }}" || action.Inputs["purge"].Default != "true" || s.With["gc-max-store-size"] == "" {
		t.Errorf("the store is kept with %v", s.With)
	}
	c := steps[cachix-1]
	if c.If != "inputs.cachix-cache != ''" || c.With["name"] != "${{ inputs.cachix-cache }}" || c.With["authToken"] != "${{ inputs.cachix-token }}" {
		t.Errorf("Cachix is not behind its variable: if %q, with %v", c.If, c.With)
	}
}
