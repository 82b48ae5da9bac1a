package workflowtest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// workflow is the part of a GitHub workflow the rehearsal reads: each
// job's steps, by name, with their run scripts and environment.
type workflow struct {
	Jobs map[string]struct {
		Permissions map[string]string `yaml:"permissions"`
		Steps       []struct {
			Name string            `yaml:"name"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// TestReleaseRehearsal rehearses the release workflow on this machine: in
// a generated project's git repository, task release's script writes the
// version, commits and tags it; the version job's script refuses a tag
// that is not the version and takes the one that is; the publish job's
// script checks the archives against SHA256SUMS and creates the GitHub
// Release of that tag with every archive, SHA256SUMS and the SBOMs,
// through the gh model (internal/nixtest/cmd/gh), and calls no gh for a
// wrong tag;
// each job has only the permissions it needs.
func TestReleaseRehearsal(t *testing.T) {
	r := newRehearsal(t)
	r.checkPermissions(map[string]string{"version": "contents:read", "x86_64-linux": "actions:write contents:read", "same-release": "",
		"publish": "actions:write attestations:write contents:write id-token:write packages:write"})

	// task release -- 1.2.0: the version written, committed and tagged.
	if out, err := r.run("", "bash nix/release.sh tag 1.2.0"); err != nil || !strings.Contains(out, "Tagged v1.2.0") {
		t.Fatalf("release.sh tag 1.2.0: %v\n%s", err, out)
	}
	if v, _ := os.ReadFile(filepath.Join(r.dir, "nix", "version")); string(v) != "1.2.0\n" || r.git("tag", "--list") != "v1.2.0\n" {
		t.Errorf("after the tag: nix/version %q, tags %q", v, r.git("tag", "--list"))
	}
	if out, err := r.run("", "bash nix/release.sh tag 1.2.0"); err == nil || !strings.Contains(out, "v1.2.0 is tagged already") {
		t.Errorf("tagging 1.2.0 again: %v\n%s", err, out)
	}
	if out, err := r.run("", "bash nix/release.sh tag one"); err == nil || !strings.Contains(out, "give the version as X.Y.Z") {
		t.Errorf("a version that is no version: %v\n%s", err, out)
	}

	check := r.step("version", "The tag is the project's version")
	if out, err := r.run("v1.3.0", check); err == nil || !strings.Contains(out, "the tag v1.3.0 is not the project's version, v1.2.0") {
		t.Errorf("the version job on a tag that is not the version: %v\n%s", err, out)
	}
	if out, err := r.run("v1.2.0", check); err != nil {
		t.Errorf("the version job on the version's tag: %v\n%s", err, out)
	}
	r.checkPublish()
}

// rehearsal is a generated project with CI, committed in git, its release
// workflow read, and the gh model, whose state is in the folder gh.
type rehearsal struct {
	t                 *testing.T
	a                 answers.Answers
	dir, calls, state string
	env               []string
	bin               string // the folder of gh
	gitBin            string
	wf                workflow
}

// newRehearsal generates and commits the project.
func newRehearsal(t *testing.T) *rehearsal {
	gitBin := testenv.Require(t, "git", "apt-get install -y git")
	r := &rehearsal{t: t, a: answers.Default(), bin: t.TempDir(), state: t.TempDir(), gitBin: gitBin}
	r.calls = filepath.Join(r.state, "calls")
	r.a.Module, r.a.Name, r.a.CI = "example.com/rehearse", "rehearse", answers.GitHubActions
	r.dir = nixtest.Generate(t, r.a)
	r.env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t",
		"GH_STATE="+r.state, "GH_REMOTE="+r.dir, "GITHUB_REPOSITORY=example/rehearse")
	r.git("init", "-q")
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "Start")
	data, err := os.ReadFile(filepath.Join(r.dir, ".github", "workflows", "release.yml"))
	must(t, err)
	must(t, yaml.Unmarshal(data, &r.wf))
	must(t, os.Symlink(nixtest.Own(t, "cmd/gh"), filepath.Join(r.bin, "gh")))
	return r
}

// git runs git in the project.
func (r *rehearsal) git(args ...string) string {
	r.t.Helper()
	return testenv.Run(r.t, r.dir, r.env, r.gitBin, args...)
}

// run runs a script as a job's step does, with bash, the tag as the ref
// name, and gh first on PATH.
func (r *rehearsal) run(tag, script string) (string, error) {
	return runStep(r.dir, append(r.env, "GITHUB_REF_NAME="+tag, "GH_TOKEN=fake", "PATH="+r.bin+string(os.PathListSeparator)+os.Getenv("PATH")), script)
}

// runStep runs a step's run script in dir, with env, as a runner runs one
// with shell bash (bash --noprofile --norc -eo pipefail), and returns what
// it printed.
func runStep(dir string, env []string, script string) (string, error) {
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// step is the run script of the named step of a job.
func (r *rehearsal) step(job, name string) string {
	r.t.Helper()
	return stepOf(r.t, filepath.Join(r.dir, ".github", "workflows", "release.yml"), job, name)
}

// checkPermissions checks each job's permissions, as "name:level" words.
func (r *rehearsal) checkPermissions(want map[string]string) {
	r.t.Helper()
	for job, w := range want {
		var got []string
		for k, v := range r.wf.Jobs[job].Permissions {
			got = append(got, k+":"+v)
		}
		if strings.Join(sorted(got), " ") != w {
			r.t.Errorf("release.yml: job %s has the permissions %v, want %q", job, got, w)
		}
	}
}

// checkPublish lays out the release as a runner uploads it (archives,
// SHA256SUMS, SBOMs) and runs the publish job's script: refused for a tag
// that is not the version or an altered archive, with no gh call; else one
// gh release create with every file.
func (r *rehearsal) checkPublish() {
	t := r.t
	release := filepath.Join(r.dir, "release")
	must(t, os.MkdirAll(release, 0o755))
	var names []string
	for _, p := range r.a.Release {
		name := "rehearse_1.2.0_" + strings.ReplaceAll(p, "/", "_")
		archive := name + map[bool]string{true: ".zip", false: ".tar.gz"}[strings.HasPrefix(p, "windows/")]
		must(t, os.WriteFile(filepath.Join(release, archive), []byte(p), 0o644))
		must(t, os.WriteFile(filepath.Join(release, name+".cdx.json"), []byte("{}"), 0o644))
		names = append(names, archive)
	}
	testenv.Run(t, release, nil, "sh", "-c", "sha256sum -- *.tar.gz *.zip > SHA256SUMS")
	publish := r.step("publish", "Publish the GitHub Release")
	if out, err := r.run("v1.3.0", publish); err == nil {
		t.Errorf("the publish job on a tag that is not the version published:\n%s", out)
	}
	if _, err := os.Stat(r.calls); err == nil {
		t.Fatal("gh was called for a tag that is not the version")
	}
	if out, err := r.run("v1.2.0", publish); err != nil {
		t.Fatalf("the publish job: %v\n%s", err, out)
	}
	got, err := os.ReadFile(r.calls)
	must(t, err)
	call := strings.TrimSpace(string(got))
	if !strings.HasPrefix(call, "release create v1.2.0 --verify-tag --title v1.2.0 --notes ") || strings.Contains(call, "\n") {
		t.Errorf("gh was called as %q, want one release create v1.2.0", call)
	}
	for _, f := range append(names, "SHA256SUMS", "rehearse_1.2.0_linux_amd64.cdx.json") {
		if !strings.Contains(call, "release/"+f) {
			t.Errorf("the release does not upload %s: gh %s", f, call)
		}
	}
	// An archive that is not what SHA256SUMS says stops the publish.
	must(t, os.Remove(r.calls))
	must(t, os.WriteFile(filepath.Join(release, names[0]), []byte("altered"), 0o644))
	if out, err := r.run("v1.2.0", publish); err == nil {
		t.Errorf("the publish job with an altered archive published:\n%s", out)
	}
	if _, err := os.Stat(r.calls); err == nil {
		t.Error("gh was called for an altered release")
	}
}

// sorted is s sorted.
func sorted(s []string) []string { out := slices.Clone(s); slices.Sort(out); return out }

// must fails t on err.
var must = nixtest.Must
