package repotest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	gover "go/version"

	"golang.org/x/mod/modfile"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/testenv"
	"github.com/gonix-init/gonix-init/internal/version"
	"github.com/gonix-init/gonix-init/templates"
)

// must fails t on err.
var must = nixtest.Must

// repoRoot is this repository's root, where its own flake.nix is.
const repoRoot = "../../.."

func readRepo(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestRepoFlakeVersion keeps the version the flake stamps with -X equal to
// internal/version's, so a Nix-built gonix-init writes the same bytes.
func TestRepoFlakeVersion(t *testing.T) {
	m := regexp.MustCompile(`(?m)^\s*version = "([^"]+)";`).FindStringSubmatch(readRepo(t, "flake.nix"))
	if m == nil || m[1] != version.Version {
		t.Errorf("flake.nix version %v, internal/version.Version %q: keep them equal", m, version.Version)
	}
}

// TestRepoLockIsThePin checks that the repository's flake.lock pins the
// nixpkgs revision generated projects get, byte for byte.
func TestRepoLockIsThePin(t *testing.T) {
	a := answers.Default()
	a.Module, a.Name = "example.com/x", "x"
	files, err := render.Render(a, templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(files, func(f render.File) bool { return f.Path == "flake.lock" })
	if got := readRepo(t, "flake.lock"); got != string(files[i].Data) {
		t.Errorf("flake.lock differs from the generated one:\n%s\nwant:\n%s", got, files[i].Data)
	}
}

// goModGo is the go line of the repository's go.mod.
func goModGo(t *testing.T) string {
	t.Helper()
	f, err := modfile.ParseLax("go.mod", []byte(readRepo(t, "go.mod")), nil)
	if err != nil || f.Go == nil {
		t.Fatalf("go.mod: %v", err)
	}
	return f.Go.Version
}

// TestRepoGoLineFitsThePin keeps gonix-init's own go.mod at or below
// pkgs.go of the pinned nixpkgs: a newer line (a dependency's go line
// raises it) would build `nix run <flake>#init` with a newer Go of nixpkgs,
// which the flake picks (nix/go.nix), but gonix-init is then not built with
// the Go its own projects start on. Choose dependency versions whose go
// lines fit.
func TestRepoGoLineFitsThePin(t *testing.T) {
	pkgsGo := nixpin.Nixpkgs.Go()
	if got := goModGo(t); gover.Compare("go"+got, "go"+pkgsGo.Version) > 0 {
		t.Errorf("go.mod says go %s, newer than the pinned nixpkgs' %s (internal/nixpin): lower the dependency that needs it", got, pkgsGo)
	}
}

// TestRepoFlakeGuardsTheGoLine raises the repository's go line above every
// Go of the pin: `nix run .#init` stops at evaluation with the message
// generated projects get, not deep inside a Go build.
func TestRepoFlakeGuardsTheGoLine(t *testing.T) {
	n := nixtest.New(t)
	repo := copyRepo(t)
	goMod := filepath.Join(repo, "go.mod")
	src, err := os.ReadFile(goMod)
	if err != nil {
		t.Fatal(err)
	}
	line := "go " + goModGo(t)
	must(t, os.WriteFile(goMod, []byte(strings.Replace(string(src), "\n"+line+"\n", "\ngo 1.99.1\n", 1)), 0o644))
	_, err = n.App(t.TempDir(), "path:"+repo+"#init", "--module", "example.com/x", "--yes")
	msg := fmt.Sprint(err) // "<nil>" when it did not fail
	for _, want := range []string{"go.mod's go line asks for Go 1.99.1, newer than every Go of the pinned nixpkgs", "nix flake update nixpkgs, then nix run .#vendor-hash"} {
		if !strings.Contains(msg, want) {
			t.Errorf("nix run .#init with go 1.99.1 in go.mod: want %q, got %v", want, err)
		}
	}
	if strings.Contains(msg, "building") || strings.Contains(msg, "builder for") {
		t.Errorf("the guard let a build start: %v", err)
	}
}

// TestRepoVendorHash runs the repository's own `nix run .#vendor-hash --
// --check` (the script generated projects get) in a copy of the repository:
// it fails, naming the value to write, when go.mod or go.sum changed without
// nix/vendor-hash.nix.
func TestRepoVendorHash(t *testing.T) {
	testenv.Require(t, "shellcheck", "apt-get install -y shellcheck")
	n := nixtest.New(t)
	repo := copyRepo(t)
	out, err := n.App(repo, ".#vendor-hash", "--check")
	if err != nil {
		t.Fatalf("nix/vendor-hash.nix is stale: run `nix run .#vendor-hash` (or task vendor-hash)\n%v", err)
	}
	if !strings.Contains(out, "is current: \"sha256-") {
		t.Errorf("nix run .#vendor-hash -- --check: %s", out)
	}
}

// copyRepo copies the repository's source (not .git, not out links) to a
// temporary directory.
func copyRepo(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "repo")
	err := filepath.WalkDir(repoRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, p)
		if d.Name() == ".git" || d.Name() == ".direnv" || strings.HasPrefix(d.Name(), "result") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestRepoFlake builds gonix-init with its own flake (nixpkgs replaced by
// the stand-in, whose goModules fetches the vendor directory from this
// machine's module cache and checks it against vendorHash), runs
// `nix run .#init` in an empty directory, and checks the project it writes
// is byte for byte what go run's gonix-init renders.
func TestRepoFlake(t *testing.T) {
	testenv.Slow(t, "builds gonix-init with Nix")
	n := nixtest.New(t)
	repo := copyRepo(t)
	flake := "path:" + repo

	var show map[string]map[string]map[string]any
	if err := json.Unmarshal([]byte(n.MustFlake(t, repo, "flake", "show", "--json", "--all-systems")), &show); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{"packages", "apps", "devShells", "checks", "formatter"} {
		if got := nixtest.SortedKeys(show[out]); !slices.Equal(got, []string{"aarch64-darwin", "aarch64-linux", "x86_64-linux"}) {
			t.Errorf("%s has systems %v", out, got)
		}
	}
	if got := nixtest.SortedKeys(show["apps"][n.System]); !slices.Equal(got, []string{"default", "init", "vendor-hash"}) {
		t.Errorf("apps = %v, want default, init and vendor-hash", got)
	}
	var tools []string
	if err := json.Unmarshal([]byte(n.MustFlake(t, repo, "eval", "--json", ".#devShells."+n.System+".default.nativeBuildInputs",
		"--apply", "map (p: p.pname)")), &tools); err != nil {
		t.Fatal(err)
	}
	if want := []string{"go", "gopls", "golangci-lint", "delve", "go-task", "tmux", "git"}; !slices.Equal(tools, want) {
		t.Errorf("dev shell holds %v, want %v", tools, want)
	}
	n.MustRun(t, repo, "flake", "metadata", "--offline", "--no-update-lock-file")

	t.Log("nix run .#init in an empty directory (builds gonix-init)")
	empty := t.TempDir()
	if _, err := n.App(empty, flake+"#init", "--module", "example.com/hello", "--yes"); err != nil {
		t.Fatal(err)
	}

	checkSameAsGoRun(t, empty)

	// checks.test is the package with every package's tests (with -short)
	// instead of the command's: the build above ran the command's inside
	// Nix. Building it too would run again, in Nix, the tests that
	// `go test ./...` runs here, at a cost of minutes on a fresh machine.
	var check struct {
		SubPackages, CheckFlags []string
		DoCheck                 bool
	}
	if err := json.Unmarshal([]byte(n.MustFlake(t, repo, "eval", "--json", ".#checks."+n.System+".test",
		"--apply", "d: { SubPackages = d.subPackages; CheckFlags = d.checkFlags; DoCheck = d.doCheck; }")), &check); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(check.SubPackages, []string{"./..."}) || !slices.Contains(check.CheckFlags, "-short") || !check.DoCheck {
		t.Errorf("checks.test is %+v, want every package's tests, with -short", check)
	}
}

// checkSameAsGoRun checks that dir holds byte for byte what go run's
// gonix-init renders for example.com/hello, and nothing else.
func checkSameAsGoRun(t *testing.T, dir string) {
	t.Helper()
	a := answers.Default()
	a.Module, a.Name = "example.com/hello", "hello"
	files, err := render.Render(a, templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	var written int
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, _ error) error {
		if !d.IsDir() {
			written++
		}
		return nil
	})
	if written != len(files) {
		t.Errorf("nix run .#init wrote %d files, want %d", written, len(files))
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil || !bytes.Equal(got, f.Data) {
			t.Errorf("nix run .#init wrote %s differently from go run's gonix-init (%v)", f.Path, err)
		}
	}

}

// TestRepoTaskfile checks that go-task accepts the repository's Taskfile
// and lists its tasks.
func TestRepoTaskfile(t *testing.T) {
	task := testenv.Task(t)
	cmd := exec.Command(task, "--list-all", "--json")
	cmd.Dir = repoRoot
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("task --list-all: %v", err)
	}
	var listed struct{ Tasks []struct{ Name, Desc string } }
	if err := json.Unmarshal(out, &listed); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tk := range listed.Tasks {
		if tk.Desc == "" {
			t.Errorf("task %s has no desc", tk.Name)
		}
		names = append(names, tk.Name)
	}
	slices.Sort(names)
	if want := []string{"bench", "build", "docs", "examples", "lint", "release", "run", "test", "vendor-hash"}; !slices.Equal(names, want) {
		t.Errorf("tasks %v, want %v", names, want)
	}
}

// TestRepoTracksNoBinaries checks that git tracks no executable or object
// file (a test binary once slipped in and ended up in the flake's src), and
// that .gitignore keeps go test -c's binaries out.
func TestRepoTracksNoBinaries(t *testing.T) {
	git := testenv.Require(t, "git", "apt-get install -y git")
	cmd := exec.Command(git, "ls-files", "-z")
	cmd.Dir = repoRoot
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		fh, err := os.Open(filepath.Join(repoRoot, f))
		if err != nil {
			continue // deleted in the work tree
		}
		head := make([]byte, 4)
		n, _ := fh.Read(head)
		fh.Close()
		if n == 4 && string(head) == "\x7fELF" {
			t.Errorf("git tracks the binary %s", f)
		}
	}
	if !slices.Contains(strings.Split(readRepo(t, ".gitignore"), "\n"), "*.test") {
		t.Error(".gitignore does not ignore *.test")
	}
}

// TestRepoReadmeSaysWhatIsNeeded checks that gonix-init's README names the
// Nix it needs and how to enable flakes, as generated READMEs do.
func TestRepoReadmeSaysWhatIsNeeded(t *testing.T) {
	readme := readRepo(t, "README.md")
	// The Go it needs is go.mod's go line, major.minor.
	goLine := goModGo(t)
	minor := strings.Join(strings.Split(goLine, ".")[:2], ".")
	for _, want := range []string{"2.18 or later", "experimental-features = nix-command flakes", "Go " + minor + " or later"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md lacks %q", want)
		}
	}
	// The prerequisites say what a user needs; why is for docs/.
	_, prereq, _ := strings.Cut(readme, "**Prerequisites:**")
	prereq, _, _ = strings.Cut(prereq, "\n\n")
	for _, internal := range []string{"lib/", "minfeatures", "test", "pin"} {
		if strings.Contains(prereq, internal) {
			t.Errorf("README.md's prerequisites name %q, an internal: say why in docs/\n%s", internal, prereq)
		}
	}
}
