package render

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/testenv"
	"github.com/gonix-init/gonix-init/templates"
)

func testAnswers() answers.Answers {
	a := answers.Default()
	a.Module, a.Name = "example.com/myapp", "myapp"
	return a
}

func paths(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Path)
	}
	return out
}

func file(t *testing.T, files []File, p string) string {
	t.Helper()
	for _, f := range files {
		if f.Path == p {
			return string(f.Data)
		}
	}
	t.Fatalf("no %s among %v", p, paths(files))
	return ""
}

func TestRenderIsDeterministic(t *testing.T) {
	a := testAnswers()
	first, err := Render(a, templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	// Input order of systems and tools does not matter.
	b := a
	b.Systems = []string{"aarch64-darwin", "aarch64-linux", "x86_64-linux"}
	b.Tools = []string{"go-task", "delve", "golangci-lint", "gopls"}
	for range 5 {
		again, err := Render(b, templates.FS)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(first, again, func(x, y File) bool {
			return x.Path == y.Path && bytes.Equal(x.Data, y.Data) && x.Mode == y.Mode
		}) {
			t.Fatal("two renders of the same answers differ")
		}
	}
	if !slices.IsSorted(paths(first)) {
		t.Errorf("files not in lexical order: %v", paths(first))
	}
}

func TestRenderHasNoMachineState(t *testing.T) {
	files, err := Render(testAnswers(), templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	wd, _ := os.Getwd()
	host, _ := os.Hostname()
	for _, f := range files {
		for _, leak := range []string{home + "/", wd, host, "2026", "go1."} {
			if leak != "" && strings.Contains(string(f.Data), leak) {
				t.Errorf("%s contains %q, which depends on the machine or the day", f.Path, leak)
			}
		}
	}
}

func TestConditionalFiles(t *testing.T) {
	a := testAnswers()
	a.Tools = []string{}
	files := mustRender(t, a)
	got := paths(files)
	for _, absent := range []string{"Taskfile.yaml", ".golangci.yml"} {
		if slices.Contains(got, absent) {
			t.Errorf("%s rendered without its tool", absent)
		}
	}
	flake := file(t, files, "flake.nix")
	if strings.Contains(flake, "lint =") || strings.Contains(flake, "gopls") {
		t.Errorf("flake.nix mentions tools that were not chosen:\n%s", flake)
	}

	a.Tools = []string{"golangci-lint"}
	files = mustRender(t, a)
	if got := paths(files); !slices.Contains(got, ".golangci.yml") || slices.Contains(got, "Taskfile.yaml") {
		t.Errorf("with golangci-lint only: %v", got)
	}
}

// TestEverySystemBuildsBothPlatforms: whichever systems are chosen, each
// builds the Linux binaries of both image platforms and the one image.
func TestEverySystemBuildsBothPlatforms(t *testing.T) {
	for _, systems := range [][]string{{"x86_64-linux"}, {"aarch64-darwin"}, answers.Values(answers.AllSystems)} {
		a := testAnswers()
		a.Systems = systems
		files := mustRender(t, a)
		flake := file(t, files, "flake.nix")
		for _, want := range []string{`linux-amd64 = goLinux system "amd64";`, `linux-arm64 = goLinux system "arm64";`, "inherit oci;", "allowedReferences = [ ];", `tags = (prev.tags or [ ]) ++ [ "timetzdata" ];`} {
			if !strings.Contains(flake, want) {
				t.Errorf("%v: flake.nix lacks %q", systems, want)
			}
		}
		if strings.Contains(flake, "dockerTools") || strings.Contains(flake, "/nix/store") {
			t.Errorf("%v: the image still comes from dockerTools, or names a store path", systems)
		}
	}
}

func TestBinaryRenamedOnlyWhenNameDiffers(t *testing.T) {
	a := testAnswers()
	files, _ := Render(a, templates.FS)
	if strings.Contains(file(t, files, "flake.nix"), `mv "$out/bin/myapp"`) {
		t.Error("flake renames a binary that already has the app's name")
	}
	a.Module, a.Name = "github.com/acme/shop/v2", "shop-api"
	files, _ = Render(a, templates.FS)
	flake := file(t, files, "flake.nix")
	// Once, in goModule's postInstall, which the Linux builds run after theirs.
	if n := strings.Count(flake, `mv "$out/bin/shop$exe" "$out/bin/${name}$exe"`); n != 1 || !strings.Contains(flake, `+ (prev.postInstall or "")`) {
		t.Errorf("want the rename once, run by every build; found %d", n)
	}
}

func TestInvalidAnswersRenderNothing(t *testing.T) {
	a := testAnswers()
	a.Name = `x"; evil = "`
	files, err := Render(a, templates.FS)
	if err == nil || files != nil {
		t.Fatalf("Render = %d files, %v; want an error and no files", len(files), err)
	}
}

func TestTemplateErrorsNameFileAndLine(t *testing.T) {
	for name, tc := range map[string]struct{ src, want string }{
		"unknown field": {"a\nb {{.Nope}}\n", "broken.txt.tmpl:2:"},
		"syntax":        {"a\n\n{{if}}\n", "broken.txt.tmpl:3:"},
		"unknown func":  {"{{frob .Name}}", "broken.txt.tmpl:1:"},
		"unclosed if":   {"a\n{{if .Name}}\nb\n{{range .Ports}}{{end}}\nc\n", "the action opened on line 2 is never closed"},
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{"broken.txt.tmpl": {Data: []byte(tc.src)}}
			_, err := Render(testAnswers(), fsys)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Render = %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

// TestCheckNamesBrokenOutput checks what a template set produced, as
// gonix-init does for --templates: broken Go, unformatted Go, broken YAML
// and JSON are each named with the file.
func TestCheckNamesBrokenOutput(t *testing.T) {
	for _, tc := range []struct{ path, data, want string }{
		{"x.go", "package x\nfunc (", "x.go:2:7: not valid Go: expected ')'"},
		{"y.go", "package y\nvar  a = 1\n", "y.go: not gofmt'd"},
		{"t.yaml", "a: [b\n", "t.yaml: not valid YAML: line "},
		{"a.json", "{", "a.json: not valid JSON"},
	} {
		err := Check([]File{{Path: tc.path, Data: []byte(tc.data)}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check(%s) = %v, want %q", tc.path, err, tc.want)
		}
	}
	files, _ := Render(testAnswers(), templates.FS)
	if err := Check(files); err != nil {
		t.Errorf("the embedded set's output does not pass Check: %v", err)
	}
}

func TestOnlyTmplFilesRender(t *testing.T) {
	fsys := fstest.MapFS{
		"embed.go":          {Data: []byte("package templates")},
		"notes.md":          {Data: []byte("for authors")},
		"sub/a.txt.tmpl":    {Data: []byte("{{.Name}}\n")},
		"empty.txt.tmpl":    {Data: []byte("{{if false}}x{{end}}\n")},
		".hidden.conf.tmpl": {Data: []byte("{{.Module}}")},
	}
	files, err := Render(testAnswers(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := paths(files), []string{".hidden.conf", "sub/a.txt"}; !slices.Equal(got, want) {
		t.Errorf("rendered %v, want %v", got, want)
	}
}

func TestNixQuoting(t *testing.T) {
	for in, want := range map[string]string{
		"myapp":                  `"myapp"`,
		`a"b`:                    `"a\"b"`,
		`a\b`:                    `"a\\b"`,
		"${x}":                   `"\${x}"`,
		"$x":                     `"$x"`,
		"a\nb":                   `"a\nb"`,
		`\${builtins.abort "x"}`: `"\\\${builtins.abort \"x\"}"`,
	} {
		if got := Nix(in); got != want {
			t.Errorf("Nix(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestNixQuotingEvaluates checks with real Nix that Nix() round-trips.
func TestNixQuotingEvaluates(t *testing.T) {
	nix, env := testenv.Nix(t)
	for _, s := range []string{`a"b`, `a\b`, "${x}", "$${y}", `\${z}`, "a\nb\tc", "''${x}"} {
		cmd := exec.Command(nix, "eval", "--json", "--expr", Nix(s))
		cmd.Env = env
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || len(testenv.NixWarnings(stderr.String())) > 0 {
			t.Fatalf("%s: %v\n%s", Nix(s), err, stderr.String())
		}
		want, _ := JSON(s)
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("Nix(%q) evaluates to %s, want %s", s, got, want)
		}
	}
}

// TestSystemRows checks that every system's row says its GOARCH and its
// runner, which the templates read through goarch and runner, and that an
// unknown system is refused.
func TestSystemRows(t *testing.T) {
	for _, c := range answers.AllSystems {
		arch, err := GoArch(c.Value)
		if err != nil || (arch != "amd64" && arch != "arm64") {
			t.Errorf("GoArch(%s) = %q, %v", c.Value, arch, err)
		}
		if runner, err := Runner(c.Value); err != nil || runner == "" {
			t.Errorf("Runner(%s) = %q, %v", c.Value, runner, err)
		}
	}
	if _, err := GoArch("riscv64-linux"); err == nil {
		t.Error("GoArch accepted an unknown system")
	}
	if _, err := Runner("riscv64-linux"); err == nil {
		t.Error("Runner accepted an unknown system")
	}
}

// BenchmarkRender measures a full render of the default answers in memory.
func BenchmarkRender(b *testing.B) {
	a := testAnswers()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(a, templates.FS); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGitHubActionsWorkflow parses the CI workflow: one job per chosen
// system, on a runner of that system (nix flake check checks only the
// runner's own), each using actions of a current major (checkout v4 runs on
// the deprecated Node 20) and running the flake's checks and task verify.
func TestGitHubActionsWorkflow(t *testing.T) {
	runners := map[string]string{"x86_64-linux": "ubuntu-24.04", "aarch64-linux": "ubuntu-24.04-arm", "aarch64-darwin": "macos-15"}
	for _, systems := range [][]string{
		{"x86_64-linux", "aarch64-darwin"},
		{"aarch64-linux"},
		{"aarch64-darwin"},
		{"x86_64-linux", "aarch64-linux", "aarch64-darwin"},
	} {
		a := testAnswers()
		a.Systems = systems
		a.Tools, a.CI = []string{"go-task"}, answers.GitHubActions
		files := mustRender(t, a)
		var wf workflow
		if err := yaml.Unmarshal([]byte(file(t, files, ".github/workflows/ci.yml")), &wf); err != nil {
			t.Fatal(err)
		}
		if len(wf.Jobs) != len(systems)+3 {
			t.Errorf("%v: %d jobs, want one per system, templates, same-image and publish", systems, len(wf.Jobs))
		}
		checkPublish(t, systems, wf, file(t, files, ".github/workflows/ci.yml"))
		// The last job compares the digests every runner's --rebuild made.
		same, ok := wf.Jobs["same-image"]
		if !ok || !slices.Equal(same.Needs, systems) || len(same.Steps) != 2 || !strings.Contains(same.Steps[1].Run, "sort -u") ||
			!strings.Contains(same.Steps[1].Run, "::error::the runners built different images") {
			t.Errorf("%v: same-image job %+v", systems, same)
		}
		for _, sys := range systems {
			job, ok := wf.Jobs[sys]
			if !ok {
				t.Errorf("%v: no job for %s", systems, sys)
				continue
			}
			checkSystemJob(t, sys, job, runners[sys])
		}
		if _, ok := wf.On["pull_request"]; !ok {
			t.Error("workflow does not run on pull requests")
		}
		if push, ok := wf.On["push"]; !ok || push != nil {
			t.Errorf("workflow runs on pushes to %v, want every push (the job picks the default branch)", push)
		}
		if strings.Contains(file(t, files, "flake.nix"), "github-actions") {
			t.Error("github-actions got into the dev shell")
		}
	}
	files, _ := Render(testAnswers(), templates.FS)
	if slices.Contains(paths(files), ".github/workflows/ci.yml") {
		t.Error("workflow written without github-actions chosen")
	}
}

// workflow is what the tests read of a GitHub Actions workflow.
type workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]workflowJob
}

type workflowJob struct {
	If          string            `yaml:"if"`
	RunsOn      string            `yaml:"runs-on"`
	Needs       []string          `yaml:"needs"`
	Permissions map[string]string `yaml:"permissions"`
	Steps       []struct {
		Uses, Run string
		With      map[string]string
	}
}

// checkPublish checks the publish job of the workflow text, parsed as wf.
func checkPublish(t *testing.T, systems []string, wf workflow, workflow string) {
	t.Helper()
	// publish runs on pushes to the default branch and on tags, after
	// the digests agreed, with the least permissions; it alone sees a
	// secret, and no job runs on pull_request_target.
	pub, ok := wf.Jobs["publish"]
	wantPerms := map[string]string{"contents": "read", "actions": "write", "packages": "write", "id-token": "write", "attestations": "write"}
	if !ok || !slices.Equal(pub.Needs, []string{"same-image"}) || !maps.Equal(pub.Permissions, wantPerms) ||
		pub.If != "github.event_name == 'push' && (github.ref_name == github.event.repository.default_branch || startsWith(github.ref, 'refs/tags/'))" {
		t.Errorf("%v: publish job %+v", systems, pub)
	}
	var attests int
	for _, st := range pub.Steps {
		if st.Uses == "actions/attest@v4" {
			attests++
			if st.With["push-to-registry"] != "true" || st.With["subject-name"] != "${{ steps.push.outputs.image }}" {
				t.Errorf("%v: attest step %+v", systems, st)
			}
		}
	}
	if attests != 5 {
		t.Errorf("%v: %d attest steps, want the index's provenance and each platform's provenance and SBOM", systems, attests)
	}
	if _, ok := wf.On["pull_request_target"]; ok {
		t.Errorf("%v: the workflow runs on pull_request_target", systems)
	}
	// Cachix's token goes to the Nix of each job (.github/actions/gonix-nix), and
	// to nothing else.
	cachix := "cachix-token: ${{ secrets.CACHIX_AUTH_TOKEN }}"
	if strings.Count(workflow, "secrets.")-strings.Count(workflow, cachix) != 1 || !strings.Contains(workflow, "TOKEN: ${{ secrets.GITHUB_TOKEN }}") ||
		strings.Count(workflow, cachix) != len(systems)+1 {
		t.Errorf("%v: a secret outside publish's login and Cachix's", systems)
	}
}

// checkSystemJob checks the job of one system, on runner.
func checkSystemJob(t *testing.T, sys string, job workflowJob, runner string) {
	t.Helper()
	// Pushes to the default branch, whatever its name, and pull requests.
	if job.If != "github.event_name == 'pull_request' || github.ref_name == github.event.repository.default_branch" {
		t.Errorf("%s: runs if %q", sys, job.If)
	}
	if job.RunsOn != runner {
		t.Errorf("%s: runs-on %q, want %q", sys, job.RunsOn, runner)
	}
	var runs, uses []string
	for _, s := range job.Steps {
		runs = append(runs, s.Run)
		uses = append(uses, s.Uses)
	}
	for _, want := range []string{"nix run .#vendor-hash -- --check", "nix flake check", "nix develop --command task verify"} {
		if !slices.Contains(runs, want) {
			t.Errorf("%s: workflow lacks the step %q: %v", sys, want, runs)
		}
	}
	if !slices.ContainsFunc(runs, func(r string) bool {
		return strings.HasPrefix(r, "nix build .#oci --rebuild -o result-oci\n") && strings.Contains(r, "> oci-digest-"+sys+".txt")
	}) || !slices.Contains(uses, "actions/upload-artifact@v6") {
		t.Errorf("%s: the job does not rebuild the image and upload its digest: %v", sys, runs)
	}
	// A dependency bump without its vendorHash fails first, with the fix.
	if i := slices.Index(runs, "nix run .#vendor-hash -- --check"); i > slices.Index(runs, "nix flake check") {
		t.Errorf("%s: the vendorHash check does not come before nix flake check: %v", sys, runs)
	}
	for _, want := range []string{"actions/checkout@v5", "./.github/actions/gonix-nix"} {
		if !slices.Contains(uses, want) {
			t.Errorf("%s: workflow does not use %s: %v", sys, want, uses)
		}
	}
}

// TestReadmeSaysWhatIsNeeded checks that a generated README names the Nix it
// needs (2.18 or later: nixpkgs lib/minfeatures.nix), how to enable flakes,
// and that Docker is needed only to load and run the image.
func TestReadmeSaysWhatIsNeeded(t *testing.T) {
	for _, tools := range [][]string{{"go-task"}, nil} {
		a := testAnswers()
		a.Tools = tools
		files := mustRender(t, a)
		readme := file(t, files, "README.md")
		for _, want := range []string{"Nix](https://nixos.org/download) 2.18 or later", "experimental-features = nix-command flakes", "Docker only to load and run the image"} {
			if !strings.Contains(readme, want) {
				t.Errorf("tools %v: README lacks %q", tools, want)
			}
		}
		// Without go-task, the plain commands that load and run the image.
		if tools == nil {
			for _, want := range []string{"`docker load < result-docker`", "`docker run --rm --pull=never -p 8080:8080 " + a.Name + ":latest`"} {
				if !strings.Contains(readme, want) {
					t.Errorf("README without go-task lacks %q", want)
				}
			}
		}
	}
}

// TestSharedFilesAreVerbatim checks that the files gonix-init's own flake
// reads from templates/ (nix/vendor-hash.sh as its script, nix/go.nix
// as its Go check) render to their templates' bytes, so each stays one
// source.
func TestSharedFilesAreVerbatim(t *testing.T) {
	files, err := Render(testAnswers(), templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"nix/vendor-hash.sh", "nix/go.nix"} {
		src, err := fs.ReadFile(templates.FS, name+".tmpl")
		if err != nil {
			t.Fatal(err)
		}
		if got := file(t, files, name); got != string(src) {
			t.Errorf("%s differs from its template: keep the template free of template actions", name)
		}
	}
}

// mustRender renders a with the embedded templates, failing t on error.
func mustRender(t *testing.T, a answers.Answers) []File {
	t.Helper()
	files, err := Render(a, templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestRenderAdopted: an adopted project's render holds only the files
// gonix-init manages, lists them in .gonix.json, builds every main package
// (subPackages) and names the binary after the image's main package.
func TestRenderAdopted(t *testing.T) {
	a := answers.Adopting("example.com/tools", []string{".", "cmd/serve"}, nil)
	a.Main, a.Args = "cmd/serve", []string{"--addr", ":8080"}
	if err := answers.Derive(&a); err != nil {
		t.Fatal(err)
	}
	files, err := Render(a, templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range files {
		if !answers.Adopted.Owns(f.Path) {
			t.Errorf("an adopted project's render holds %s, which gonix-init does not manage", f.Path)
		}
		got[f.Path] = string(f.Data)
	}
	var file answers.File
	if err := json.Unmarshal([]byte(got[answers.FileName]), &file); err != nil || !slices.Equal(file.Manages, slices.Sorted(maps.Keys(got))) {
		t.Errorf(".gonix.json's manages = %v (%v), want every file rendered: %v", file.Manages, err, slices.Sorted(maps.Keys(got)))
	}
	for _, want := range []string{`subPackages = [`, `"cmd/serve"`, `args = [`, `":8080"`, `ports = [ ];`, `args = builtins.toJSON args;`} {
		if !strings.Contains(got["flake.nix"], want) {
			t.Errorf("flake.nix lacks %q", want)
		}
	}
	if a.Name != "serve" || strings.Contains(got["flake.nix"], `"$out/bin/${name}$exe"`) {
		t.Errorf("name %q, or flake.nix renames a binary that go install names serve already", a.Name)
	}
}

// TestReadmeStartCommits checks that a generated README's Start commits the
// project after staging it, as the next steps do (the image's revision and
// date are the commit's), and runs a command-line program with arguments.
func TestReadmeStartCommits(t *testing.T) {
	for _, ports := range [][]int{{8080}, {}} {
		a := testAnswers()
		a.Ports = ports
		readme := file(t, mustRender(t, a), "README.md")
		start := readme[strings.Index(readme, "## Start"):strings.Index(readme, "## Quick reference")]
		if i, j := strings.Index(start, "git init && git add -A"), strings.Index(start, answers.StartCommit.Cmd+"  # "+answers.StartCommit.Why); i < 0 || j < i {
			t.Errorf("ports %v: the README's Start does not commit after git add:\n%s", ports, start)
		}
		if len(ports) == 0 && !strings.Contains(start, "-name Ada\n") {
			t.Errorf("a command-line program's Start runs it with no argument:\n%s", start)
		}
	}
}
