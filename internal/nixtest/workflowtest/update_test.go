package workflowtest_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/releases"
	"github.com/gonix-init/gonix-init/internal/testenv"
	"github.com/gonix-init/gonix-init/internal/version"
)

// gonixModule is gonix-init's module path, as the workflows fetch it.
const gonixModule = "github.com/gonix-init/gonix-init"

// bot rehearses the template-update workflow of a generated project on
// this machine: the project's repository is a bare one (the remote the
// jobs clone and push to, as actions/checkout does), gonix-init's releases
// come from a module proxy in a folder, and gh is the model of
// internal/nixtest/cmd/gh, which keeps the pull requests and issues.
type bot struct {
	t                    *testing.T
	remote, state, proxy string
	bin                  string // the folder of gh
	env                  []string
}

// newBot generates, commits and pushes a project with --ci github-actions,
// whose jobs fetch gonix-init from the module proxy in the folder proxy,
// into the module cache modcache (of their own: a version the rehearsals
// publish is not this machine's).
func newBot(t *testing.T, proxy, modcache string) *bot {
	testenv.Require(t, "git", "apt-get install -y git")
	testenv.Require(t, "jq", "apt-get install -y jq")
	b := &bot{t: t, remote: filepath.Join(t.TempDir(), "proj.git"), state: t.TempDir(), proxy: proxy, bin: t.TempDir()}
	must(t, os.Symlink(nixtest.Own(t, "cmd/gh"), filepath.Join(b.bin, "gh")))
	downloads := strings.TrimSpace(testenv.Run(t, t.TempDir(), os.Environ(), "go", "env", "GOMODCACHE")) + "/cache/download"
	b.env = append(os.Environ(), "GIT_AUTHOR_NAME=u", "GIT_AUTHOR_EMAIL=u@u", "GIT_COMMITTER_NAME=u", "GIT_COMMITTER_EMAIL=u@u",
		"GOPROXY=file://"+proxy+",file://"+downloads, "GOMODCACHE="+modcache, "GOSUMDB=off", "GOFLAGS=-modcacherw", "GOTOOLCHAIN=local", "GOWORK=off",
		"GH_STATE="+b.state, "GH_REMOTE="+b.remote, "GITHUB_REPOSITORY=example/proj", "PATH="+b.bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	a := answers.Default()
	a.Module, a.Name, a.CI, a.Tools = "example.com/proj", "proj", answers.GitHubActions, []string{"go-task"}
	dir := nixtest.Generate(t, a)
	b.git(dir, "init", "-q", "-b", "main")
	b.git(dir, "add", "-A")
	b.git(dir, "commit", "-q", "-m", "Start from gonix-init")
	b.git("", "init", "-q", "--bare", "-b", "main", b.remote)
	b.git(dir, "push", "-q", b.remote, "main")
	return b
}

// publishGonixInit adds this repository's files (tracked, and new ones git does not ignore), as version (its
// internal/version says so) changed by edit, to the module proxy in the
// folder proxy.
func publishGonixInit(t *testing.T, proxy, version string, edit func(dir string)) {
	t.Helper()
	root, src := "../../..", t.TempDir()
	for _, f := range strings.Split(strings.TrimRight(testenv.Run(t, root, os.Environ(), "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(root, f))
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted in the work tree
		}
		must(t, err)
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(src, f)), 0o755))
		must(t, os.WriteFile(filepath.Join(src, f), data, 0o644))
	}
	replaceIn(t, filepath.Join(src, "internal", "version", "version.go"), regexp.MustCompile(`Version = "[^"]*"`), `Version = "`+strings.TrimPrefix(version, "v")+`"`)
	edit(src)
	// As a release does: its template set, which the projects it updates
	// record, snapshot.
	set, err := releases.Archive(os.DirFS(filepath.Join(src, "templates")), nixpin.Nixpkgs)
	must(t, err)
	must(t, os.WriteFile(filepath.Join(src, "internal", "releases", strings.TrimPrefix(version, "v")+".txtar"), set, 0o644))
	nixtest.PublishModule(t, proxy, gonixModule, version, src)
}

// replaceIn replaces re's first match in file with repl.
func replaceIn(t *testing.T, file string, re *regexp.Regexp, repl string) {
	t.Helper()
	data, err := os.ReadFile(file)
	must(t, err)
	loc := re.FindIndex(data)
	if loc == nil {
		t.Fatalf("%s has no %s", file, re)
	}
	must(t, os.WriteFile(file, append(append(append([]byte{}, data[:loc[0]]...), repl...), data[loc[1]:]...), 0o644))
}

// git runs git in dir ("" for anywhere).
func (b *bot) git(dir string, args ...string) string {
	b.t.Helper()
	if dir == "" {
		dir = b.t.TempDir()
	}
	return testenv.Run(b.t, dir, b.env, "git", args...)
}

// clone checks the remote's branch out, as actions/checkout does.
func (b *bot) clone(branch string) string {
	b.t.Helper()
	dir := filepath.Join(b.t.TempDir(), "proj")
	b.git("", "clone", "-q", "-b", branch, b.remote, dir)
	return dir
}

// script runs a step's script as GitHub runs one with shell bash, in dir,
// with the variables of a runner (RUNNER_TEMP, GITHUB_OUTPUT) and env; it
// returns what it printed, the outputs it set and its RUNNER_TEMP.
func (b *bot) script(dir, run string, env ...string) (out string, outputs map[string]string, temp string, err error) {
	temp = b.t.TempDir()
	output := filepath.Join(temp, "github-output")
	out, err = runStep(dir, append(append(append([]string(nil), b.env...), "RUNNER_TEMP="+temp, "GITHUB_OUTPUT="+output), env...), run)
	outputs = map[string]string{}
	data, _ := os.ReadFile(output)
	for _, l := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			outputs[k] = v
		}
	}
	return out, outputs, temp, err
}

// update runs the workflow's read-only job on the remote's main branch,
// and returns the folder of the change it would upload, "" for none, and
// what it printed.
func (b *bot) update() (change, out string) {
	b.t.Helper()
	dir := b.clone("main")
	run := stepOf(b.t, filepath.Join(dir, ".github", "workflows", "template-update.yml"), "update", "Update from gonix-init's newest release")
	out, outputs, temp, err := b.script(dir, run)
	if err != nil {
		b.t.Fatalf("the update job: %v\n%s", err, out)
	}
	if outputs["change"] != "true" {
		return "", out
	}
	return filepath.Join(temp, "change"), out
}

// publish runs the publish job on a fresh checkout of main with the change
// the update job made: gonix-publish's script, with its inputs (app: a
// GitHub App token is configured).
func (b *bot) publish(change string, app bool) (string, error) {
	b.t.Helper()
	dir := b.clone("main")
	data, err := os.ReadFile(filepath.Join(dir, ".github", "actions", "gonix-publish", "action.yml"))
	must(b.t, err)
	var action struct {
		Runs struct {
			Steps []struct {
				Run string            `yaml:"run"`
				Env map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	must(b.t, yaml.Unmarshal(data, &action))
	inputs := map[string]string{"change": change, "token": "fake-token", "app": map[bool]string{true: "true", false: "false"}[app]}
	step := action.Runs.Steps[0]
	var env []string
	for k, v := range step.Env {
		for name, value := range inputs {
			v = strings.ReplaceAll(v, "${{ inputs."+name+" }}", value)
		}
		env = append(env, k+"="+v)
	}
	out, _, _, err := b.script(dir, step.Run, env...)
	return out, err
}

// stepOf is the run script of the named step of a job of the workflow in
// file.
func stepOf(t *testing.T, file, job, name string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	must(t, err)
	var wf workflow
	must(t, yaml.Unmarshal(data, &wf))
	for _, s := range wf.Jobs[job].Steps {
		if s.Name == name {
			return s.Run
		}
	}
	t.Fatalf("%s: job %s has no step %q", filepath.Base(file), job, name)
	return ""
}

// github is what the gh model keeps: the pull requests and issues.
type github struct {
	Pulls, Issues []struct {
		Number      int
		Title, Body string
		State       string
		HeadRefName string
		BaseRefName string
		IsDraft     bool
		Labels      []string
	}
}

// github reads the repository as the gh model left it.
func (b *bot) github() github {
	b.t.Helper()
	var g github
	if data, err := os.ReadFile(filepath.Join(b.state, "state.json")); err == nil {
		must(b.t, json.Unmarshal(data, &g))
	}
	return g
}

// calls are the gh commands the jobs ran, one a line.
func (b *bot) calls() string {
	data, _ := os.ReadFile(filepath.Join(b.state, "calls"))
	return string(data)
}

// branches are the remote's branches.
func (b *bot) branches() []string {
	b.t.Helper()
	return strings.Fields(b.git(b.remote, "for-each-ref", "--format=%(refname:short)", "refs/heads"))
}

// retitled is an edit of a release: its README's title line, which a
// user may change too.
func retitled(dir string) {
	file := filepath.Join(dir, "templates", "README.md.tmpl")
	data, _ := os.ReadFile(file)
	_ = os.WriteFile(file, []byte(strings.Replace(string(data), "# {{.Name}}\n", "# {{.Name}}, reproducible\n", 1)), 0o644)
}

// withWorkflowComment is retitled, with a comment added to the CI workflow.
func withWorkflowComment(dir string) {
	retitled(dir)
	file := filepath.Join(dir, "templates", ".github", "workflows", "ci.yml.tmpl")
	data, _ := os.ReadFile(file)
	_ = os.WriteFile(file, []byte(strings.Replace(string(data), "\nname: ", "\n# Checked on every push.\nname: ", 1)), 0o644)
}

// TestTemplateUpdateRehearsal rehearses the template-update workflow
// (template-update.yml, its publish job's gonix-publish) against a bare
// repository as the remote and the gh model, with gonix-init's releases
// on a module proxy of the test's:
//   - an update: one branch, gonix-init/update-0.99.0, one pull request,
//     not a draft, whose body names the versions and each file's outcome;
//   - a second run: the pull request refreshed, not a second one;
//   - merged, the project is current: no branch, no pull request more;
//   - a conflict: the markers committed, the pull request a draft with the
//     label gonix-init-conflicts and the file in its body; CI's update
//     --check fails until the user resolves and commits, then passes, and
//     the project is current;
//   - a change to a workflow file without a GitHub App token: an issue
//     with the patch, nothing pushed; with one, a pull request.
func TestTemplateUpdateRehearsal(t *testing.T) {
	testenv.Slow(t, "builds gonix-init releases with go run")
	proxy, workflows, modcache := t.TempDir(), t.TempDir(), t.TempDir()
	publishGonixInit(t, proxy, "v0.99.0", retitled)
	publishGonixInit(t, workflows, "v0.99.0", retitled)
	publishGonixInit(t, workflows, "v0.99.1", withWorkflowComment)
	t.Run("update", func(t *testing.T) { rehearseUpdate(t, newBot(t, proxy, modcache)) })
	t.Run("conflict", func(t *testing.T) { rehearseConflict(t, newBot(t, proxy, modcache)) })
	t.Run("workflow files", func(t *testing.T) { rehearseWorkflowFiles(t, newBot(t, workflows, modcache)) })
}

// run runs both jobs, the publish job when the update job made a change.
func (b *bot) run(app bool) string {
	b.t.Helper()
	change, out := b.update()
	if change == "" {
		return out
	}
	published, err := b.publish(change, app)
	if err != nil {
		b.t.Fatalf("the publish job: %v\n%s", err, published)
	}
	return out + published
}

// rehearseUpdate: an update, a second run, the merge.
func rehearseUpdate(t *testing.T, b *bot) {
	out := b.run(false)
	g := b.github()
	if len(g.Pulls) != 1 || !slices.Equal(b.branches(), []string{"gonix-init/update-0.99.0", "main"}) {
		t.Fatalf("after an update: pull requests %+v, branches %v; want one, on gonix-init/update-0.99.0; the jobs printed:\n%s", g.Pulls, b.branches(), out)
	}
	p := g.Pulls[0]
	if p.Title != "Update to gonix-init 0.99.0" || p.IsDraft || p.BaseRefName != "main" || p.HeadRefName != "gonix-init/update-0.99.0" ||
		!strings.Contains(p.Body, "from gonix-init "+version.Version+" to gonix-init 0.99.0") || !regexp.MustCompile(`(?m)^  README\.md +updated$`).MatchString(p.Body) {
		t.Errorf("the pull request: %+v", p)
	}
	if readme := b.git(b.remote, "show", "gonix-init/update-0.99.0:README.md"); !strings.HasPrefix(readme, "# proj, reproducible\n") {
		t.Errorf("the branch's README.md starts %q", strings.SplitN(readme, "\n", 2)[0])
	}
	b.run(false)
	if g := b.github(); len(g.Pulls) != 1 || !strings.Contains(b.calls(), "pr edit 1 --title") {
		t.Errorf("a second run: pull requests %+v, gh calls:\n%s; want the one refreshed", g.Pulls, b.calls())
	}
	b.git(b.remote, "update-ref", "refs/heads/main", "refs/heads/gonix-init/update-0.99.0")
	calls := b.calls()
	if out := b.run(false); !strings.Contains(out, "The project is current with gonix-init v0.99.0.") || b.calls() != calls {
		t.Errorf("merged, the update job: %q, and gh was called: %q", out, strings.TrimPrefix(b.calls(), calls))
	}
}

// rehearseConflict: the user changed the line the release changes.
func rehearseConflict(t *testing.T, b *bot) {
	dir := b.clone("main")
	replaceIn(t, filepath.Join(dir, "README.md"), regexp.MustCompile(`(?m)^# proj$`), "# proj, mine")
	b.git(dir, "commit", "-q", "-am", "My title")
	b.git(dir, "push", "-q", "origin", "main")
	b.run(false)
	g := b.github()
	if len(g.Pulls) != 1 || !g.Pulls[0].IsDraft || !slices.Equal(g.Pulls[0].Labels, []string{"gonix-init-conflicts"}) ||
		!strings.Contains(g.Pulls[0].Body, "Conflicts to resolve, in: README.md.") {
		t.Fatalf("a conflict: pull requests %+v; want one draft, labelled, naming README.md", g.Pulls)
	}
	branch := b.clone("gonix-init/update-0.99.0")
	readme, err := os.ReadFile(filepath.Join(branch, "README.md"))
	must(t, err)
	if !strings.Contains(string(readme), "<<<<<<< yours\n# proj, mine\n") {
		t.Errorf("the branch's README.md holds no markers:\n%s", readme)
	}
	ci := stepOf(t, filepath.Join(branch, ".github", "workflows", "ci.yml"), "templates", "gonix-init update --check")
	if out, _, _, err := b.script(branch, ci); err == nil || !strings.Contains(out, "still holds the conflict markers") {
		t.Errorf("CI's update --check with the markers: %v\n%s", err, out)
	}
	// The user keeps their line, commits, and CI passes; merged, the
	// project is current.
	resolved := regexp.MustCompile(`(?s)<<<<<<< yours\n(# proj, mine\n)=======\n.*?>>>>>>> [^\n]*\n`).ReplaceAllString(string(readme), "$1")
	must(t, os.WriteFile(filepath.Join(branch, "README.md"), []byte(resolved), 0o644))
	b.git(branch, "commit", "-q", "-am", "Resolve the update's conflict")
	if out, _, _, err := b.script(branch, ci); err != nil {
		t.Errorf("CI's update --check once resolved: %v\n%s", err, out)
	}
	b.git(branch, "push", "-q", "origin", "HEAD:main")
	if out := b.run(false); !strings.Contains(out, "The project is current with gonix-init v0.99.0.") {
		t.Errorf("resolved and merged, the update job: %s", out)
	}
}

// rehearseWorkflowFiles: a release that changes a workflow file.
func rehearseWorkflowFiles(t *testing.T, b *bot) {
	b.run(false)
	g := b.github()
	if len(g.Pulls) != 0 || len(g.Issues) != 1 || !slices.Equal(b.branches(), []string{"main"}) {
		t.Fatalf("a workflow file without an App token: pull requests %+v, issues %d, branches %v; want one issue, nothing pushed", g.Pulls, len(g.Issues), b.branches())
	}
	if i := g.Issues[0]; i.Title != "Update to gonix-init 0.99.1" || !strings.Contains(i.Body, "```diff\n") ||
		!strings.Contains(i.Body, "+++ b/.github/workflows/ci.yml") || !strings.Contains(i.Body, "+# Checked on every push.") {
		t.Errorf("the issue: %+v", i)
	}
	b.run(true)
	if g := b.github(); len(g.Pulls) != 1 || !slices.Contains(b.branches(), "gonix-init/update-0.99.1") {
		t.Errorf("with an App token: pull requests %+v, branches %v; want one", g.Pulls, b.branches())
	}
}
