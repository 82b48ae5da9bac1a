package adopttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
	mains           []string          // the main packages adopt must find
	flags           map[string]string // adopt's flags, besides --yes
	vendored        bool              // adopt a copy with its modules vendored (go mod vendor)
	run             []string          // the built program's arguments ({dir}: the project)...
	output          string            // ...and what it prints
	// goToolchain is the Go that builds it when its go line asks for a
	// newer Go than this machine's (nixtest.Toolchains): the test fetches
	// and vendors its modules with it, and the build's binary names it.
	goToolchain string
}

// projects are one of each shape: a main package at the root, one under
// cmd/NAME with a dependency tree of some size, several (the image runs
// the one chosen), a go line newer than pkgs.go, and a vendored copy (of
// the first: go mod vendor in it).
var projects = map[string]realProject{
	"root": {
		module: "github.com/tomnomnom/gron", version: "v0.7.1", mains: []string{"."},
		run: []string{"--version"}, output: "gron version",
	},
	"cmd-name": {
		module: "github.com/itchyny/gojq", version: "v0.12.17", mains: []string{"cmd/gojq"},
		run: []string{"--version"}, output: "gojq 0.12.17",
	},
	"several-mains": {
		module: "github.com/BurntSushi/toml", version: "v1.4.0",
		mains: []string{"cmd/toml-test-decoder", "cmd/toml-test-encoder", "cmd/tomlv"},
		flags: map[string]string{"main": "cmd/tomlv"},
		run:   []string{"-types", "{dir}/_example/example.toml"}, output: "servers.alpha.hostname",
	},
	// A go line (1.26.11) newer than this machine's Go and than the pin's
	// pkgs.go: the flake builds it with the pin's go_1_27.
	"newer-go": {
		module: "github.com/goreleaser/chglog", version: "v0.7.5", mains: []string{"cmd/chglog"},
		run: []string{"version"}, output: "chglog", goToolchain: nixtest.Toolchains["go_1_27"],
	},
	// gron again, with its modules in vendor/: the same compiled packages
	// as the root case's (buildGoModule vendors them there too), so that
	// this case costs the suite its Nix builds alone.
	"vendored": {
		module: "github.com/tomnomnom/gron", version: "v0.7.1", mains: []string{"."}, vendored: true,
		run: []string{"--version"}, output: "gron version",
	},
}

// TestAdoptRealProjects adopts each project with --yes and checks what a
// user relies on: only the files gonix-init manages are written, and none
// of the project's; nix/vendor-hash.nix is null for the vendored copy and
// the modules' true hash for the others; nix build makes the program, which
// runs; .#oci is the same bytes from the three systems; task verify passes;
// and update after a changed answer leaves every file of the project's own
// byte for byte as it was.
func TestAdoptRealProjects(t *testing.T) {
	testenv.Slow(t, "fetches modules and runs Nix builds")
	n := nixtest.New(t)
	task := testenv.Task(t)
	for _, name := range nixtest.SortedKeys(projects) {
		t.Run(name, func(t *testing.T) {
			p := projects[name]
			dir := fetch(t, p)
			own := tree(t, dir)
			a := adopt(t, dir, p)
			if !slices.Equal(a.Packages, p.mains) {
				t.Errorf("adopt found the main packages %v, want %v", a.Packages, p.mains)
			}
			checkManaged(t, dir, own)
			checkVendorHash(t, n, dir, p)

			systems := []string{"x86_64-linux", "aarch64-linux", "aarch64-darwin"}
			attrs := []string{".#default"}
			for _, s := range systems {
				attrs = append(attrs, ".#packages."+s+".oci")
			}
			outs := n.BuildOuts(t, dir, attrs...)
			run := slices.Clone(p.run)
			for i := range run {
				run[i] = strings.ReplaceAll(run[i], "{dir}", dir)
			}
			bin := filepath.Join(outs[0], "bin", a.Name)
			out, err := exec.Command(bin, run...).CombinedOutput()
			if err != nil || !strings.Contains(string(out), p.output) {
				t.Errorf("%s %v: %v, printed %q; want %q in it", a.Name, run, err, out, p.output)
			}
			if p.goToolchain != "" {
				if info := testenv.Run(t, dir, os.Environ(), "go", "version", "-m", bin); !strings.HasPrefix(info, bin+": "+p.goToolchain+"\n") {
					t.Errorf("go version -m %s: want it built with %s:\n%s", a.Name, p.goToolchain, info)
				}
			}
			first := nixtest.Tree(t, outs[1])
			for i, s := range systems[1:] {
				if diff := nixtest.DiffNames(first, nixtest.Tree(t, outs[i+2])); len(diff) > 0 {
					t.Errorf(".#oci of %s differs from %s's in %v", s, systems[0], diff)
				}
			}

			verify := exec.Command(task, "verify")
			verify.Dir = dir
			verify.Env = append(n.Env, "PATH="+n.Wrapper(t)+string(os.PathListSeparator)+os.Getenv("PATH"))
			if out, err := verify.CombinedOutput(); err != nil || !strings.Contains(string(out), "verify: identical") {
				t.Fatalf("task verify: %v\n%s", err, out)
			}

			// A changed answer: the managed files change, the project's own
			// files do not.
			before := tree(t, dir)
			runSession(t)(session.UpdateProject(env(), &session.Options{Dir: dir, Yes: true, Flags: map[string]string{"ports": "8080", "tools": "go-task"}}))
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

// fetch copies the project's module from the module cache (go mod
// download fetches it from the proxy, with its dependencies) into a
// writable directory of the test's, vendored when p says so.
func fetch(t *testing.T, p realProject) string {
	t.Helper()
	var info struct{ Dir string }
	out := testenv.Run(t, t.TempDir(), p.goEnv("GOFLAGS=-mod=mod"), "go", "mod", "download", "-json", p.module+"@"+p.version)
	must(t, json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &info))
	dir := filepath.Join(t.TempDir(), filepath.Base(p.module))
	must(t, os.CopyFS(dir, os.DirFS(info.Dir)))
	must(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chmod(path, map[bool]fs.FileMode{true: 0o755, false: 0o644}[d.IsDir()])
	}))
	goEnv := p.goEnv("GOFLAGS=-mod=mod", "GOWORK=off")
	if p.vendored {
		testenv.Run(t, dir, goEnv, "go", "mod", "vendor")
	} else {
		testenv.Run(t, dir, goEnv, "go", "mod", "download")
	}
	return dir
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

// env is the Env of a run on this machine, with nothing to ask in.
func env() session.Env { return session.System(strings.NewReader(""), io.Discard, io.Discard) }

// adopt runs gonix-init adopt --yes in dir with p's flags, and returns the
// answers it recorded.
func adopt(t *testing.T, dir string, p realProject) answers.Answers {
	t.Helper()
	flags := maps.Clone(p.flags)
	if flags == nil {
		flags = map[string]string{}
	}
	runSession(t)(session.Adopt(env(), &session.Options{Dir: dir, Yes: true, Flags: flags}))
	var a answers.Answers
	data, err := os.ReadFile(filepath.Join(dir, answers.FileName))
	must(t, err)
	_, _, err = answers.Read(bytes.NewReader(data), &a)
	must(t, err)
	return a
}

// runSession runs a session, made as the call it is given makes it.
func runSession(t *testing.T) func(session.Session, error) {
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
// result links.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	must(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
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

// TestAdoptTestsFailInSandbox adopts a project whose test needs what a Nix
// build lacks (here a file beside the project, as a database or the network
// would be): go test passes outside, nix build fails and says why and what
// to do; update --tests off turns the tests off in the build, which then
// passes.
func TestAdoptTestsFailInSandbox(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	n := nixtest.New(t)
	root := t.TempDir()
	dir := filepath.Join(root, "needsfixture")
	must(t, os.MkdirAll(dir, 0o755))
	for name, src := range map[string]string{
		"fixture.txt":          "shared by the projects of this folder\n",
		"needsfixture/go.mod":  "module example.com/needsfixture\n\ngo 1.22\n",
		"needsfixture/main.go": "// Command needsfixture prints hello.\npackage main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n",
		"needsfixture/main_test.go": "package main\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\n" +
			"func TestFixture(t *testing.T) {\n\tif _, err := os.ReadFile(\"../fixture.txt\"); err != nil {\n\t\tt.Fatal(\"needs the fixture:\", err)\n\t}\n}\n",
	} {
		must(t, os.WriteFile(filepath.Join(root, name), []byte(src), 0o644))
	}
	testenv.Run(t, dir, append(os.Environ(), "GOFLAGS=", "GOWORK=off"), "go", "test", "./...")
	p := realProject{flags: map[string]string{"systems": n.System, "tools": "none"}}
	if a := adopt(t, dir, p); a.Tests != answers.SandboxTests {
		t.Fatalf("adopt recorded tests %q, want %s by default", a.Tests, answers.SandboxTests)
	}
	_, err := n.Flake(dir, "build")
	for _, want := range []string{"needs the fixture", "go test ./... failed in the Nix build", "gonix-init update --tests off"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("nix build of a project whose test needs a file outside it: want a failure saying %q; got %v", want, err)
		}
	}
	runSession(t)(session.UpdateProject(env(), &session.Options{Dir: dir, Yes: true, Flags: map[string]string{"tests": answers.NoSandboxTests}}))
	n.MustFlake(t, dir, "build")
	readme, err := os.ReadFile(filepath.Join(dir, "nix", "README.md"))
	must(t, err)
	if !strings.Contains(string(readme), "The build does not run the tests") {
		t.Errorf("nix/README.md does not say the build runs no tests:\n%s", readme)
	}
}
