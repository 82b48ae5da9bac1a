package render

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/templates"
)

// botWorkflow is a workflow of the bots', or the composite action
// gonix-publish (Runs), as their tests read it.
type botWorkflow struct {
	On          map[string]any `yaml:"on"`
	Permissions map[string]string
	Jobs        map[string]botJob
	Runs        struct{ Steps []botStep }
}

// botJob is a job of the bots' workflows.
type botJob struct {
	If          string            `yaml:"if"`
	Permissions map[string]string `yaml:"permissions"`
	Steps       []botStep
}

// botStep is a step of a job or of a composite action.
type botStep struct {
	Name, Uses, Run string
	With            map[string]string
}

// runs are the scripts of the steps.
func (j botJob) runs() []string {
	var out []string
	for _, s := range j.Steps {
		if s.Run != "" {
			out = append(out, s.Run)
		}
	}
	return out
}

// parseBot parses a rendered workflow or action.
func parseBot(t *testing.T, files []File, path string) botWorkflow {
	t.Helper()
	var wf botWorkflow
	if err := yaml.Unmarshal([]byte(file(t, files, path)), &wf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return wf
}

// botFiles are the workflows of the bots, and the action their jobs that
// write push with.
var botFiles = []string{
	".github/workflows/template-update.yml",
	".github/workflows/nixpkgs.yml",
	".github/workflows/dependabot.yml",
}

// TestDependencyBots checks the files --ci github-actions adds for the
// bots, as parsed YAML: Dependabot's weekly Go and actions updates, a week's
// Go bumps grouped; the repair workflow on pull requests that change go.mod
// or go.sum, which runs only for Dependabot on a branch of this repository,
// and no pull_request_target; the weekly nixpkgs update, also on demand;
// the weekly template update. Without a CI workflow none of them is
// written.
func TestDependencyBots(t *testing.T) {
	a := testAnswers()
	a.Tools, a.CI = []string{"go-task"}, answers.GitHubActions
	files := mustRender(t, a)
	var bot struct {
		Version int
		Updates []struct {
			Ecosystem string `yaml:"package-ecosystem"`
			Directory string
			Schedule  struct{ Interval string }
			Groups    map[string]struct{ Patterns []string }
		}
	}
	if err := yaml.Unmarshal([]byte(file(t, files, ".github/dependabot.yml")), &bot); err != nil {
		t.Fatal(err)
	}
	if bot.Version != 2 || len(bot.Updates) != 2 || bot.Updates[0].Ecosystem != "gomod" || bot.Updates[1].Ecosystem != "github-actions" ||
		bot.Updates[0].Schedule.Interval != "weekly" || bot.Updates[1].Schedule.Interval != "weekly" ||
		!slices.Equal(bot.Updates[0].Groups["go-modules"].Patterns, []string{"*"}) {
		t.Errorf("dependabot.yml: %+v", bot)
	}
	checkRepairWorkflow(t, file(t, files, ".github/workflows/dependabot.yml"), parseBot(t, files, ".github/workflows/dependabot.yml"))
	checkWeekly(t, parseBot(t, files, ".github/workflows/nixpkgs.yml"), "nix develop --command task update", "It brings Go $go.")
	checkWeekly(t, parseBot(t, files, ".github/workflows/template-update.yml"),
		`GOBIN=$RUNNER_TEMP/bin go install "github.com/gonix-init/gonix-init/cmd/gonix-init@$to"`, `"${gonix[@]}" update --check`)

	a.CI = answers.NoCI
	files, _ = Render(a, templates.FS)
	for _, f := range files {
		if strings.HasPrefix(f.Path, ".github/") || f.Path == "nix/repair.sh" {
			t.Errorf("%s written without a CI workflow", f.Path)
		}
	}
}

// checkRepairWorkflow checks the workflow that repairs Dependabot's pull
// requests: only Dependabot's, from the repository's own branches; the
// repair in a read-only job, its push in the one job that writes, then the
// checks, read-only again.
func checkRepairWorkflow(t *testing.T, text string, wf botWorkflow) {
	t.Helper()
	paths, _ := wf.On["pull_request"].(map[string]any)["paths"].([]any)
	r, push, check := wf.Jobs["repair"], wf.Jobs["push"], wf.Jobs["check"]
	if len(wf.Jobs) != 3 || len(wf.Permissions) != 0 || !slices.Equal(paths, []any{"go.mod", "go.sum"}) || strings.Contains(text, "pull_request_target") ||
		r.If != "github.event.pull_request.user.login == 'dependabot[bot]' && github.event.pull_request.head.repo.full_name == github.repository" {
		t.Errorf("dependabot workflow: %+v", wf)
	}
	if !maps.Equal(r.Permissions, map[string]string{"contents": "read"}) || !strings.Contains(strings.Join(r.runs(), "\n"), "bash nix/repair.sh") {
		t.Errorf("the repair job: %+v", r)
	}
	if !maps.Equal(push.Permissions, map[string]string{"contents": "write"}) || !slices.Equal(push.runs(), []string{"git am --quiet \"$RUNNER_TEMP/repair/repair.patch\"\ngit push --quiet origin HEAD\n"}) {
		t.Errorf("the push job: %+v", push)
	}
	// A push made with GITHUB_TOKEN runs CI once approved: the checks CI would, at once.
	if !maps.Equal(check.Permissions, map[string]string{"contents": "read"}) ||
		!slices.Equal(check.runs(), []string{"nix run .#vendor-hash -- --check", "nix flake check", "nix develop --command task verify"}) {
		t.Errorf("the check job: %+v", check)
	}
}

// checkWeekly checks a weekly bot: on a schedule and on demand, an update
// job that reads and runs the commands (update), and a publish job that
// writes through gonix-publish.
func checkWeekly(t *testing.T, wf botWorkflow, update ...string) {
	t.Helper()
	u, p := wf.Jobs["update"], wf.Jobs["publish"]
	if _, ok := wf.On["workflow_dispatch"]; !ok || wf.On["schedule"] == nil || len(wf.Permissions) != 0 || len(wf.Jobs) != 2 {
		t.Errorf("weekly workflow: %+v", wf)
	}
	script := strings.Join(u.runs(), "\n")
	for _, want := range update {
		if !maps.Equal(u.Permissions, map[string]string{"contents": "read"}) || !strings.Contains(script, want) {
			t.Errorf("the update job lacks %q, or writes: %+v", want, u)
		}
	}
	if !maps.Equal(p.Permissions, map[string]string{"contents": "write", "pull-requests": "write", "issues": "write"}) ||
		!slices.ContainsFunc(p.Steps, func(s botStep) bool { return s.Uses == "./.github/actions/gonix-publish" }) {
		t.Errorf("the publish job: %+v", p)
	}
}

// projectCode matches a command, where a shell line starts one, that runs
// the project's code or tools: nix (build, develop, run, flake check all
// evaluate the project's flake), task, go, make, or a script by its shell.
var projectCode = regexp.MustCompile(`(?m)(^|[;&|(!]|\bthen|\bdo|\bif|\$\()\s*(nix|task|go|make|just|bash|sh|\./)\b`)

// writeActions are the actions a job that writes may use: none of them
// runs the project's code (gonix-publish's own steps are checked too).
var writeActions = []string{"actions/checkout@v5", "actions/download-artifact@v7", "actions/create-github-app-token@v2", "./.github/actions/gonix-publish"}

// TestNoJobWritesAndRunsProjectCode checks the bots' workflows, new and
// adopted: no job that holds a write permission runs the project's code,
// nix, task or go (it could have been changed by what it pushes, or a
// change of nixpkgs could run with the token); and every checkout of a
// job that only reads leaves no credentials behind.
func TestNoJobWritesAndRunsProjectCode(t *testing.T) {
	for _, a := range []answers.Answers{testAnswers(), answers.Adopting("example.com/tool", []string{"."}, nil)} {
		a.Tools, a.CI = []string{"go-task"}, answers.GitHubActions
		if err := answers.Derive(&a); err != nil {
			t.Fatal(err)
		}
		files := mustRender(t, a)
		publish := parseBot(t, files, ".github/actions/gonix-publish/action.yml")
		for _, s := range publish.Runs.Steps {
			if m := projectCode.FindString(s.Run); m != "" || s.Uses != "" {
				t.Errorf("%s: gonix-publish runs %q %s", a.Kind, m, s.Uses)
			}
		}
		for _, path := range botFiles {
			path = a.Profile().PathOf(path)
			for name, job := range parseBot(t, files, path).Jobs {
				writes := slices.Contains(slices.Collect(maps.Values(job.Permissions)), "write")
				checkJob(t, path+": job "+name, job, writes)
			}
		}
	}
}

// checkJob checks one job of a bot's workflow.
func checkJob(t *testing.T, job string, j botJob, writes bool) {
	t.Helper()
	if len(j.Permissions) == 0 {
		t.Errorf("%s: no permissions of its own (it would get the workflow's)", job)
	}
	for _, s := range j.Steps {
		switch {
		case writes && s.Run != "" && projectCode.MatchString(s.Run):
			t.Errorf("%s holds a write permission and runs %q", job, projectCode.FindString(s.Run))
		case writes && s.Uses != "" && !slices.Contains(writeActions, s.Uses):
			t.Errorf("%s holds a write permission and uses %s", job, s.Uses)
		case !writes && s.Uses == "actions/checkout@v5" && s.With["persist-credentials"] != "false":
			t.Errorf("%s reads only, and its checkout keeps the credentials", job)
		}
	}
}
