package adopttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/session"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

var must = nixtest.Must

// realProject is a program from the Go module proxy, and what adopting it
// must find and give.
type realProject struct {
	module, version string
	mains           []string          // the main packages adopt must build
	flags           map[string]string // adopt's flags, besides --yes
	vendored        bool              // adopt a copy with its modules vendored (go mod vendor)
	run             []string          // the built program's arguments ({dir}: the project)...
	output          string            // ...and what it prints
	// goToolchain is the Go that builds it when its go line asks for a
	// newer Go than this machine's (nixtest.Toolchains): the test fetches
	// and vendors its modules with it, and the build's binary names it.
	goToolchain string
	// identical builds .#oci from the three systems, which must be the
	// same bytes, and runs task verify: for the cases about the image.
	identical bool
	// layout changes the fetched copy before adopt: a module nested in
	// it, a go.work, a git repository; after does what the plan says to
	// do before the build.
	layout func(t testing.TB, p realProject, dir string)
	after  func(t *testing.T, dir string)
	// notes are what the plan must say, besides the Go it builds with.
	notes []string
	// force replaces the project's own files adopt writes (inbucket has an
	// .envrc of its own).
	force bool
	// edit is a Go file of a main package to edit by one line after the
	// build: the build's layers of Go's build cache stay as they were.
	edit string
	// docker runs the image on Docker with run's arguments, as a user runs a
	// command-line program's image: it prints output too.
	docker bool
}

// projects are one of each shape: a main package at the root, one under
// cmd/NAME with a dependency tree of some size, several (the image runs
// the one chosen), a go line newer than pkgs.go with a GoReleaser config,
// a vendored copy, helpers left out with an embed git does not track, a
// module nested in the project, a go.work. (A main behind a build tag, a
// library test that fails in the sandbox and a server are tests of their
// own.)
var projects = map[string]realProject{
	"root": {
		module: "github.com/tomnomnom/gron", version: "v0.7.1", mains: []string{"."},
		run: []string{"--version"}, output: "gron version", identical: true, docker: true,
	},
	"cmd-name": {
		module: "github.com/itchyny/gojq", version: "v0.12.17", mains: []string{"cmd/gojq"},
		run: []string{"--version"}, output: "gojq 0.12.17", edit: "cmd/gojq/main.go",
	},
	"several-mains": {
		module: "github.com/BurntSushi/toml", version: "v1.4.0",
		mains: []string{"cmd/toml-test-decoder", "cmd/toml-test-encoder", "cmd/tomlv"},
		flags: map[string]string{"main": "cmd/tomlv"},
		run:   []string{"-types", "{dir}/_example/example.toml"}, output: "servers.alpha.hostname",
	},
	// A go line (1.26.11) newer than this machine's Go and than the pin's
	// pkgs.go: the flake builds it with the pin's go_1_27. Its GoReleaser
	// config names the main package, and sets -X main.version and others,
	// one of which (main.date) chglog does not declare; in a git
	// repository tagged v0.7.5, its binary says 0.7.5.
	"newer-go": {
		module: "github.com/goreleaser/chglog", version: "v0.7.5", mains: []string{"cmd/chglog"},
		run: []string{"version"}, output: "chglog 0.7.5", goToolchain: nixtest.Toolchains["go_1_27"],
		layout: tagged, after: commit,
		notes: []string{
			"builds cmd/chglog, the main packages of .goreleaser.yml's builds",
			"nix/version: 0.7.5, from the latest tag, v0.7.5",
			"stamps main.version=version, main.commit=commit, main.date=date, main.builtBy=goreleaser with -X, from .goreleaser.yml",
			"Warning: -X main.date sets nothing: date is not a package-level string variable of github.com/goreleaser/chglog/cmd/chglog",
		},
	},
	// gron again, with its modules in vendor/: the same compiled packages
	// as the root case's (buildGoModule vendors them there too), so that
	// this case costs the suite its Nix builds alone.
	"vendored": {
		module: "github.com/tomnomnom/gron", version: "v0.7.1", mains: []string{"."}, vendored: true,
		run: []string{"--version"}, output: "gron version",
	},
	// Two helpers under internal/cmd, left out; lib/plot embeds assets/*,
	// which the project's git repository does not track until the warning
	// is followed.
	"helpers-embed": {
		module: "github.com/tsenart/vegeta/v12", version: "v12.13.0", mains: []string{"."},
		run: []string{"-version"}, output: "Version:", layout: untrackedAssets,
		after: func(t *testing.T, dir string) {
			git(t, dir, "add", "-f", "lib/plot/assets")
			commit(t, dir)
		},
		notes: []string{
			"leaves out internal/cmd/echosrv, internal/cmd/jsonschema: helpers",
			"Warning: lib/plot embeds lib/plot/assets/VERSIONS, lib/plot/assets/plot.html.tpl, lib/plot/assets/uPlot.min.css and 2 more (//go:embed assets/*), which git does not track",
		},
	},
	// gron with its dependency jsoncolor kept in the project as a module of
	// its own (a fork with a go.mod, replace => ./third_party/jsoncolor):
	// nixpkgs must not look for packages in it.
	"nested": {
		module: "github.com/tomnomnom/gron", version: "v0.7.1", mains: []string{"."}, layout: nestedFork,
		run: []string{"--version"}, output: "gron version",
	},
	// gron with a go.work in it, as a workspace of one: the build leaves it
	// out (GOWORK=off), and go mod vendor works.
	"go-work": {
		module: "github.com/tomnomnom/gron", version: "v0.7.1", mains: []string{"."}, layout: workspace,
		run: []string{"--version"}, output: "gron version",
		notes: []string{"go.work puts this module in a Go workspace: the flake builds it alone (GOWORK=off)"},
	},
}

// TestAdoptRealProjects adopts each project with --yes and checks what a
// user relies on: only the files gonix-init manages are written, and none
// of the project's; the plan says where its defaults came from; the main
// packages are the ones to ship; nix/vendor-hash.nix is null for the
// vendored copy and the modules' true hash for the others; nix build makes
// the program, which runs, after running the tests of every package of the
// module (as many as go test ./... has); and update after a changed answer
// leaves every file of the project's own byte for byte as it was. Where the
// case is about the image, .#oci is the same bytes from the three systems
// and task verify passes, and the image runs on Docker with the program's
// arguments.
func TestAdoptRealProjects(t *testing.T) {
	testenv.Slow(t, "fetches modules and runs Nix builds")
	n := nixtest.New(t)
	for _, name := range nixtest.SortedKeys(projects) {
		t.Run(name, func(t *testing.T) {
			p := projects[name]
			dir := fetch(t, p)
			own := tree(t, dir)
			a, plan := adopt(t, dir, p)
			if !slices.Equal(a.Packages, p.mains) {
				t.Errorf("adopt built the main packages %v, want %v", a.Packages, p.mains)
			}
			for _, note := range p.notes {
				if !strings.Contains(plan, note) {
					t.Errorf("the plan does not say %q:\n%s", note, plan)
				}
			}
			checkManaged(t, dir, own)
			checkVendorHash(t, n, dir, p)
			if p.after != nil {
				p.after(t, dir)
			}

			bin := filepath.Join(n.BuildOut(t, dir, ".#default"), "bin", a.Name)
			checkRuns(t, bin, dir, p)
			checkTested(t, n, dir, p, a)
			if p.edit != "" {
				checkCacheOutlivesAnEdit(t, n, dir, p.edit)
			}
			if p.identical {
				checkImage(t, n, dir)
			}
			if p.docker {
				t.Run("docker", func(t *testing.T) {
					bin := testenv.Docker(t)
					if out := nixtest.RunImage(t, bin, n.BuildOut(t, dir, ".#docker"), a.Name+":latest", p.run...); !strings.Contains(out, p.output) {
						t.Errorf("docker run %s:latest %v printed %q, want %q in it", a.Name, p.run, out, p.output)
					}
				})
			}

			// A changed answer: the managed files change, the project's own
			// files do not.
			before := tree(t, dir)
			runSession(t)(session.UpdateProject(env(io.Discard), &session.Options{Dir: dir, Yes: true, Flags: map[string]string{"ports": "8080", "tools": "go-task"}}))
			after := tree(t, dir)
			for _, path := range nixtest.SortedKeys(own) {
				if !bytes.Equal(before[path], after[path]) {
					t.Errorf("update changed %s, the project's own file", path)
				}
			}
			if bytes.Equal(before["flake.nix"], after["flake.nix"]) {
				t.Error("update --ports 8080 left flake.nix as it was")
			}
		})
	}
}

// checkRuns runs the program built with p's arguments, and checks what it
// prints, and the Go that built it when that is not this machine's.
func checkRuns(t *testing.T, bin, dir string, p realProject) {
	t.Helper()
	run := slices.Clone(p.run)
	for i := range run {
		run[i] = strings.ReplaceAll(run[i], "{dir}", dir)
	}
	out, err := exec.Command(bin, run...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), p.output) {
		t.Errorf("%s %v: %v, printed %q; want %q in it", filepath.Base(bin), run, err, out, p.output)
	}
	if p.goToolchain != "" {
		if info := testenv.Run(t, dir, os.Environ(), "go", "version", "-m", bin); !strings.HasPrefix(info, bin+": "+p.goToolchain+"\n") {
			t.Errorf("go version -m %s: want it built with %s:\n%s", filepath.Base(bin), p.goToolchain, info)
		}
	}
}

// testedLine is go test ./...'s line for a package whose tests ran:
// passed or failed.
var testedLine = regexp.MustCompile(`(?m)^(?:ok|FAIL)\s+(\S+)\s+(?:[0-9.]+s|\(cached\))`)

// checkTested finds in the log of the build of .#default that its tests
// ran for every package of the module that has tests, as go test ./...
// lists them with the project's tags, and not only for the main packages
// built.
func checkTested(t *testing.T, n *nixtest.Nix, dir string, p realProject, a answers.Answers) {
	t.Helper()
	format := `{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}`
	list := testenv.Run(t, dir, p.goEnv("GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"), "go", "list", "-tags="+strings.Join(a.Tags, ","), "-f", format, "./...")
	want := strings.Fields(list)
	log := n.MustFlake(t, dir, "log", ".#default")
	var got []string
	for _, m := range testedLine.FindAllStringSubmatch(log, -1) {
		got = append(got, m[1])
	}
	slices.Sort(got)
	slices.Sort(want)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("the build tested %d packages %v; go test ./... tests %d: %v", len(got), got, len(want), want)
	}
}

// checkCacheOutlivesAnEdit finds that the build of .#default started from
// layers of Go's build cache: the standard library's, and the modules',
// each also as go test compiles it, each with compiled packages; after a one-line edit of the Go file edit,
// the layers are the same store paths and Nix would build the package
// alone. The edit is undone.
func checkCacheOutlivesAnEdit(t *testing.T, n *nixtest.Nix, dir, edit string) {
	t.Helper()
	attr := ".#packages." + n.System + ".default"
	layers := n.GoCache(t, dir, attr)
	if len(layers) != 4 || slices.ContainsFunc(layers, func(l nixtest.Layer) bool { return nixtest.Compiled(t, l.Out, "") == 0 }) {
		t.Fatalf("the package started from the layers %v, want the standard library's and the modules', each also as go test compiles it, each with compiled packages", layers)
	}
	file := filepath.Join(dir, edit)
	src, err := os.ReadFile(file)
	must(t, err)
	// An edit no earlier run made, so that its package is not in the store.
	must(t, os.WriteFile(file, fmt.Appendf(bytes.Clone(src), "\nvar edited = %d\n", time.Now().UnixNano()), 0o644))
	defer func() { must(t, os.WriteFile(file, src, 0o644)) }()
	for i, l := range n.GoCache(t, dir, attr) {
		if l.Out != layers[i].Out {
			t.Errorf("after an edit of %s layer %d is %s, was %s", edit, i, l.Out, layers[i].Out)
		}
	}
	if would := n.WouldBuild(t, dir, attr); len(would) != 1 || slices.ContainsFunc(layers, func(l nixtest.Layer) bool { return l.Drv == would[0] }) {
		t.Errorf("after an edit of %s, nix would build %v, want the package alone", edit, would)
	}
}

// checkImage builds .#oci from the three systems, which must be the same
// bytes, and runs task verify.
func checkImage(t *testing.T, n *nixtest.Nix, dir string) {
	t.Helper()
	systems := []string{"x86_64-linux", "aarch64-linux", "aarch64-darwin"}
	var attrs []string
	for _, s := range systems {
		attrs = append(attrs, ".#packages."+s+".oci")
	}
	outs := n.BuildOuts(t, dir, attrs...)
	first := nixtest.Tree(t, outs[0])
	for i, s := range systems[1:] {
		if diff := nixtest.DiffNames(first, nixtest.Tree(t, outs[i+1])); len(diff) > 0 {
			t.Errorf(".#oci of %s differs from %s's in %v", s, systems[0], diff)
		}
	}
	verify := exec.Command(testenv.Task(t), "verify")
	verify.Dir = dir
	verify.Env = append(n.Env, "PATH="+n.Wrapper(t)+string(os.PathListSeparator)+os.Getenv("PATH"))
	if out, err := verify.CombinedOutput(); err != nil || !strings.Contains(string(out), "verify: identical") {
		t.Fatalf("task verify: %v\n%s", err, out)
	}
}

// fetch copies the project's module from the module cache (go mod
// download fetches it from the proxy, with its dependencies) into a
// writable directory of the test's, vendored when p says so, laid out as
// p says.
func fetch(t testing.TB, p realProject) string {
	t.Helper()
	prefix, _, _ := module.SplitPathVersion(p.module)
	dir := filepath.Join(t.TempDir(), path.Base(prefix))
	copyModule(t, p, p.module, p.version, dir)
	goEnv := p.goEnv("GOFLAGS=-mod=mod", "GOWORK=off")
	if p.vendored {
		testenv.Run(t, dir, goEnv, "go", "mod", "vendor")
	} else {
		testenv.Run(t, dir, goEnv, "go", "mod", "download")
	}
	if p.layout != nil {
		p.layout(t, p, dir)
	}
	return dir
}

// copyModule copies module@version from the module cache (go mod download
// fetches it) into dir, writable.
func copyModule(t testing.TB, p realProject, module, version, dir string) {
	t.Helper()
	var info struct{ Dir string }
	out := testenv.Run(t, t.TempDir(), p.goEnv("GOFLAGS=-mod=mod"), "go", "mod", "download", "-json", module+"@"+version)
	must(t, json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &info))
	must(t, os.CopyFS(dir, os.DirFS(info.Dir)))
	must(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chmod(path, map[bool]fs.FileMode{true: 0o755, false: 0o644}[d.IsDir()])
	}))
}

// untrackedAssets makes the project a git repository that tracks all but
// the assets lib/plot embeds, as if a build step made them, and
// .gitignore listed them.
func untrackedAssets(t testing.TB, _ realProject, dir string) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("lib/plot/assets/\n"), 0o644))
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
}

// tagged makes the project a git repository whose one commit is tagged
// as the module's version.
func tagged(t testing.TB, p realProject, dir string) {
	t.Helper()
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", p.version)
	git(t, dir, "tag", p.version)
}

// commit commits what adopt staged.
func commit(t *testing.T, dir string) {
	t.Helper()
	git(t, dir, "commit", "-q", "-m", "Build with Nix")
}

// nestedFork keeps gron's jsoncolor in the project, as a module of its own
// (the fork gains a go.mod), replacing the one of the proxy.
func nestedFork(t testing.TB, p realProject, dir string) {
	t.Helper()
	fork := filepath.Join(dir, "third_party", "jsoncolor")
	copyModule(t, p, "github.com/nwidger/jsoncolor", "v0.0.0-20170215171346-75a6de4340e5", fork)
	must(t, os.WriteFile(filepath.Join(fork, "go.mod"), []byte("module github.com/nwidger/jsoncolor\n\ngo 1.15\n"), 0o644))
	testenv.Run(t, dir, p.goEnv("GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"), "go", "mod", "edit", "-replace=github.com/nwidger/jsoncolor=./third_party/jsoncolor")
}

// workspace puts a go.work in the project, using it alone.
func workspace(t testing.TB, _ realProject, dir string) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(dir, "go.work"), []byte("go 1.22\n\nuse .\n"), 0o644))
}

// git runs git in dir, as a user with a name.
func git(t testing.TB, dir string, args ...string) {
	t.Helper()
	gitBin := testenv.Require(t, "git", "apt-get install -y git")
	testenv.Run(t, dir, append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t"), gitBin, args...)
}

// goEnv is the environment of the go commands that fetch and vendor p:
// this machine's, with vars, and with p's Go toolchain or the local one.
func (p realProject) goEnv(vars ...string) []string {
	toolchain := "GOTOOLCHAIN=local"
	if p.goToolchain != "" {
		toolchain = "GOTOOLCHAIN=" + p.goToolchain
	}
	return append(append(os.Environ(), vars...), toolchain)
}

// env is the Env of a run on this machine, with nothing to ask in, its
// report written to out.
func env(out io.Writer) session.Env { return session.System(strings.NewReader(""), out, io.Discard) }

// adopt runs gonix-init adopt --yes in dir with p's flags, and returns the
// answers it recorded and the report it printed.
func adopt(t testing.TB, dir string, p realProject) (answers.Answers, string) {
	t.Helper()
	flags := maps.Clone(p.flags)
	if flags == nil {
		flags = map[string]string{}
	}
	var report bytes.Buffer
	runSession(t)(session.Adopt(env(&report), &session.Options{Dir: dir, Yes: true, Force: p.force, Flags: flags}))
	var a answers.Answers
	data, err := os.ReadFile(filepath.Join(dir, answers.FileName))
	must(t, err)
	_, _, err = answers.Read(bytes.NewReader(data), &a)
	must(t, err)
	return a, report.String()
}

// runSession runs a session, made as the call it is given makes it.
func runSession(t testing.TB) func(session.Session, error) {
	return func(s session.Session, err error) {
		t.Helper()
		must(t, err)
		_, err = s.Run(context.Background())
		must(t, err)
	}
}

// checkManaged checks that adopt wrote only files it manages, listed in
// .gonix.json, and left every file of the project as it was, but for
// .gitignore, to which it may only add lines.
func checkManaged(t *testing.T, dir string, own map[string][]byte) {
	t.Helper()
	now := tree(t, dir)
	var file answers.File
	must(t, json.Unmarshal(now[answers.FileName], &file))
	for path, data := range now {
		_, theirs := own[path]
		switch {
		case path == ".gitignore" && theirs:
			if !bytes.HasPrefix(data, own[path]) {
				t.Errorf(".gitignore: adopt changed the project's lines; it may only add some")
			}
		case theirs && !bytes.Equal(data, own[path]):
			t.Errorf("adopt changed %s, the project's own file", path)
		case !theirs && (!answers.Adopted.Owns(path) || !slices.Contains(file.Manages, path)):
			t.Errorf("adopt wrote %s, which .gonix.json's manages %v does not list or it does not manage", path, file.Manages)
		}
	}
	for _, want := range []string{"flake.nix", "flake.lock", ".envrc", "Taskfile.yaml", "nix/image.sh", "nix/vendor-hash.nix", answers.FileName} {
		if _, ok := now[want]; !ok {
			t.Errorf("adopt did not write %s", want)
		}
	}
}

// checkVendorHash checks nix/vendor-hash.nix: null for a vendored
// project, else the hash of what go mod vendor writes, as Nix computes it.
func checkVendorHash(t *testing.T, n *nixtest.Nix, dir string, p realProject) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "nix", "vendor-hash.nix"))
	must(t, err)
	want := "null"
	if !p.vendored {
		want = n.VendorHash(t, dir, p.goEnv("GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"))
	}
	if got := strings.TrimSpace(string(data)); got != want {
		t.Errorf("nix/vendor-hash.nix = %s, want %s", got, want)
	}
}

// tree reads every regular file under dir, by slash path, but Nix's
// result links and git's own files.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	must(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == ".git" {
			return fs.SkipDir
		}
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = data
		return err
	}))
	return files
}

// TestAdoptMainBehindATag adopts golang.org/x/crypto, whose one main
// package besides a helper (acme/internal/acmeprobe) is one only with the
// build tag generate (x509roots, a code generator): without the tag, the
// plan names it, and asking for it is refused, naming the tag; with it,
// the helper is left out, and the build runs the
// tests of every package of the module, and a library's that needs the
// network (acme's, which fetches a module) fails there, named with its
// tests, and the --skip-tests the failure gives skips those; --tests off,
// the last resort, turns the tests off in the build, which then passes,
// and the program runs.
func TestAdoptMainBehindATag(t *testing.T) {
	testenv.Slow(t, "fetches modules and runs Nix builds")
	n := nixtest.New(t)
	p := realProject{
		module: "golang.org/x/crypto", version: "v0.59.0",
		flags: map[string]string{"systems": n.System, "tools": "none"},
	}
	dir := fetch(t, p)
	var plan bytes.Buffer
	s, err := session.Adopt(env(&plan), &session.Options{Dir: dir, DryRun: true, Yes: true, Flags: p.flags})
	must(t, err)
	_, err = s.Run(context.Background())
	must(t, err)
	if want := "x509roots is a main package only with the build tags generate: --tags generate builds it"; !strings.Contains(plan.String(), want) {
		t.Errorf("adopt without the tag: the plan does not say %q:\n%s", want, plan.String())
	}
	flags := maps.Clone(p.flags)
	flags["packages"] = "x509roots"
	s, err = session.Adopt(env(io.Discard), &session.Options{Dir: dir, Yes: true, Flags: flags})
	if err == nil {
		_, err = s.Run(context.Background())
	}
	if err == nil || !strings.Contains(err.Error(), "x509roots is a main package only with the build tags generate: give --tags generate") {
		t.Fatalf("adopt --packages x509roots without the tag: %v", err)
	}
	p.flags["tags"] = "generate"
	a, report := adopt(t, dir, p)
	if !slices.Equal(a.Packages, []string{"x509roots"}) || !slices.Equal(a.Tags, []string{"generate"}) {
		t.Fatalf("adopt --tags generate recorded packages %v, tags %v", a.Packages, a.Tags)
	}
	if !strings.Contains(report, "leaves out acme/internal/acmeprobe: helpers") {
		t.Errorf("adopt --tags generate does not say it left the helper out:\n%s", report)
	}
	_, err = n.Flake(dir, "build")
	for _, want := range []string{"x509roots: go test failed in the Nix build:\n", "  golang.org/x/crypto/acme: Test", "gonix-init update --skip-tests '", "gonix-init update --tests off"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("nix build of a module whose library test needs the network: want a failure saying %q; got %v", want, err)
		}
	}
	checkTested(t, n, dir, p, a)
	// The command the failure gives skips the tests it named, acme's, and no
	// others (TestAdoptSkipsTestsByName builds with such a command).
	skip := regexp.MustCompile(`--skip-tests '([^']*)'`).FindStringSubmatch(fmt.Sprint(err))
	failed := regexp.MustCompile(`(?m)  golang\.org/x/crypto/acme: (.*)$`).FindStringSubmatch(fmt.Sprint(err))
	if skip == nil || failed == nil || skip[1] != strings.ReplaceAll(failed[1], " ", "|") {
		t.Errorf("the failure's --skip-tests is not the tests it names in acme:\n%v", err)
	}
	// --tests off stays the last resort: the build runs no test, and says so.
	runSession(t)(session.UpdateProject(env(io.Discard), &session.Options{Dir: dir, Yes: true, Flags: map[string]string{"tests": answers.NoSandboxTests}}))
	bin := filepath.Join(n.BuildOut(t, dir, ".#default"), "bin", a.Name)
	checkRuns(t, bin, dir, realProject{run: []string{"-help"}, output: "-certdata-path"})
	readme, err := os.ReadFile(filepath.Join(dir, "nix", "README.md"))
	must(t, err)
	if !strings.Contains(string(readme), "The build does not run the tests") {
		t.Errorf("nix/README.md does not say the build runs no tests:\n%s", readme)
	}
}

// TestAdoptRefusesAnOutsideReplace adopts gron whose jsoncolor is replaced
// by a copy beside the project (=> ../jsoncolor), which a Nix build cannot
// see: refused, naming the replace and what to do, nothing written.
func TestAdoptRefusesAnOutsideReplace(t *testing.T) {
	testenv.Slow(t, "fetches modules")
	p := projects["root"]
	dir := fetch(t, p)
	copyModule(t, p, "github.com/nwidger/jsoncolor", "v0.0.0-20170215171346-75a6de4340e5", filepath.Join(filepath.Dir(dir), "jsoncolor"))
	testenv.Run(t, dir, p.goEnv("GOFLAGS=-mod=mod", "GOPROXY=off"), "go", "mod", "edit", "-replace=github.com/nwidger/jsoncolor=../jsoncolor")
	own := tree(t, dir)
	_, err := session.Adopt(env(io.Discard), &session.Options{Dir: dir, Yes: true, Flags: map[string]string{}})
	if err == nil || !strings.Contains(err.Error(), "replace github.com/nwidger/jsoncolor => ../jsoncolor points outside the project") {
		t.Errorf("adopt with a replace outside the project: %v", err)
	}
	if now := tree(t, dir); !maps.EqualFunc(now, own, bytes.Equal) {
		t.Error("a refused adopt changed the project")
	}
}

// TestAdoptSkipsTestsByName adopts a module whose package net has a test
// that writes to $HOME and one that dials the network, beside one that
// passes, and builds it in Nix's sandbox: the build fails, naming both
// tests and their package, and prints the command that skips exactly
// those; run, that command makes the next build pass, in which the
// package's other test still runs.
func TestAdoptSkipsTestsByName(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	n := nixtest.New(t)
	dir := filepath.Join(t.TempDir(), "skippy")
	for name, src := range map[string]string{
		"go.mod":          "module example.com/skippy\n\ngo 1.22\n",
		"main.go":         "package main\n\nfunc main() {}\n",
		"net/net.go":      "// Package net dials.\npackage net\n",
		"net/net_test.go": strings.Replace(sandboxTests, "package main", "package net", 1),
	} {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644))
	}
	p := realProject{flags: map[string]string{"systems": n.System, "tools": "none"}}
	adopt(t, dir, p)
	_, err := n.Flake(dir, "build")
	if err == nil {
		t.Fatal("the build passed: its tests had a HOME or the network")
	}
	for _, want := range []string{"  example.com/skippy/net: TestWritesHome TestDials\n",
		"To skip those and run every other test: gonix-init update --skip-tests 'TestWritesHome|TestDials'\n"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the failure does not say %q:\n%v", want, err)
		}
	}
	skip := regexp.MustCompile(`--skip-tests '([^']*)'`).FindStringSubmatch(err.Error())
	if skip == nil {
		t.Fatalf("the failure gives no --skip-tests:\n%v", err)
	}
	runSession(t)(session.UpdateProject(env(io.Discard), &session.Options{Dir: dir, Yes: true, Flags: map[string]string{"skip-tests": skip[1]}}))
	n.BuildOut(t, dir, ".#default")
	log := n.MustFlake(t, dir, "log", ".#default")
	if !regexp.MustCompile(`(?m)^ok\s+example\.com/skippy/net\s+[0-9.]+s$`).MatchString(log) {
		t.Errorf("the build after --skip-tests did not run the package's other test:\n%s", log)
	}
	flake, err := os.ReadFile(filepath.Join(dir, "flake.nix"))
	must(t, err)
	if !strings.Contains(string(flake), "skipTests = [\n            \"TestWritesHome\"\n            \"TestDials\"\n          ];") {
		t.Errorf("flake.nix does not list the tests it skips:\n%s", flake)
	}
}

// sandboxTests are tests of what a build's sandbox lacks: one writes to
// $HOME, one dials the network, one needs neither.
const sandboxTests = `package main

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWritesHome(t *testing.T) {
	if err := os.WriteFile(filepath.Join(os.Getenv("HOME"), "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDials(t *testing.T) {
	c, err := net.DialTimeout("tcp", "proxy.golang.org:443", 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

func TestPasses(t *testing.T) {}
`
