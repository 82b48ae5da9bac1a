// Package adopting adopts real Go programs that no one here wrote, fetched
// from the Go module proxy into the module cache, and builds them with
// real Nix on the stand-in nixpkgs (internal/nixtest): the harness of the
// adopt suites (adopttest, adoptgotest, adoptimagetest), which split the
// programs by what each shows, so that they run side by side.
package adopting

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

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/session"
	"github.com/gonix-init/gonix-init/internal/testenv"
	"golang.org/x/mod/module"
)

var must = nixtest.Must

// Project is a program from the Go module proxy, and what adopting it
// must find and give.
type Project struct {
	Module, Version string
	Mains           []string          // the main packages adopt must build
	Flags           map[string]string // adopt's flags, besides --yes
	Vendored        bool              // adopt a copy with its modules vendored (go mod vendor)
	Run             []string          // the built program's arguments ({dir}: the project)...
	Output          string            // ...and what it prints
	// GoToolchain is the Go that builds it when its go line asks for a
	// newer Go than this machine's (nixtest.Toolchains): the test fetches
	// and vendors its modules with it, and the build's binary names it.
	GoToolchain string
	// Identical builds .#oci on two systems, which must give the same
	// bytes, and runs task verify: for the case about the image.
	Identical bool
	// Layout changes the fetched copy before adopt: a module nested in
	// it, a go.work, a git repository; After does what the plan says to
	// do before the build.
	Layout func(t testing.TB, p Project, dir string)
	After  func(t *testing.T, dir string)
	// Notes are what the plan must say, besides the Go it builds with.
	Notes []string
	// Force replaces the project's own files adopt writes (inbucket has an
	// .envrc of its own).
	Force bool
	// Edit is a Go file of a main package to edit by one line after the
	// build: the build's layers of Go's build cache stay as they were.
	Edit string
	// Docker runs the image on Docker with Run's arguments, as a user runs a
	// command-line program's image: it prints Output too.
	Docker bool
}

// Check adopts p with --yes and checks what a user relies on: only the
// files gonix-init manages are written, and none of the project's; the
// plan says where its defaults came from; the main packages are the ones
// to ship; nix/vendor-hash.nix is null for a vendored copy and the
// modules' true hash for the others; nix build makes the program, which
// runs, after running the tests of every package of the module (as many
// as go test ./... has); and update after a changed answer leaves every
// file of the project's own byte for byte as it was. With Edit, the build
// starts from Go's build cache, which outlives an edit; with Identical,
// .#oci is the same bytes from two systems and task verify passes; with
// Docker, the image runs on Docker with the program's arguments.
func Check(t *testing.T, n *nixtest.Nix, p Project) {
	t.Helper()
	dir := Fetch(t, p)
	own := Tree(t, dir)
	a, plan := Adopt(t, dir, p)
	if !slices.Equal(a.Packages, p.Mains) {
		t.Errorf("adopt built the main packages %v, want %v", a.Packages, p.Mains)
	}
	for _, note := range p.Notes {
		if !strings.Contains(plan, note) {
			t.Errorf("the plan does not say %q:\n%s", note, plan)
		}
	}
	CheckManaged(t, dir, own)
	CheckVendorHash(t, n, dir, p)
	if p.After != nil {
		p.After(t, dir)
	}
	bin := filepath.Join(n.BuildOut(t, dir, ".#default"), "bin", a.Name)
	CheckRuns(t, bin, dir, p)
	CheckTested(t, n, dir, p, a)
	if p.Edit != "" {
		CheckCacheOutlivesAnEdit(t, n, dir, p.Edit)
	}
	if p.Identical {
		CheckImage(t, n, dir)
	}
	if p.Docker {
		t.Run("docker", func(t *testing.T) {
			bin := testenv.Docker(t)
			if out := nixtest.RunImage(t, bin, n.BuildOut(t, dir, ".#docker"), a.Name+":latest", p.Run...); !strings.Contains(out, p.Output) {
				t.Errorf("docker run %s:latest %v printed %q, want %q in it", a.Name, p.Run, out, p.Output)
			}
		})
	}
	checkUpdateKeepsOwn(t, dir, own)
}

// checkUpdateKeepsOwn updates the project in dir with changed answers: the
// managed files change, the project's own files (own) do not.
func checkUpdateKeepsOwn(t *testing.T, dir string, own map[string][]byte) {
	t.Helper()
	before := Tree(t, dir)
	RunSession(t)(session.UpdateProject(context.Background(), Env(io.Discard), &session.UpdateOptions{Run: session.Run{Dir: dir, Yes: true, Flags: map[string]string{"ports": "8080", "tools": "go-task"}}}))
	after := Tree(t, dir)
	for _, path := range nixtest.SortedKeys(own) {
		if !bytes.Equal(before[path], after[path]) {
			t.Errorf("update changed %s, the project's own file", path)
		}
	}
	if bytes.Equal(before["flake.nix"], after["flake.nix"]) {
		t.Error("update --ports 8080 left flake.nix as it was")
	}
}

// CheckRuns runs the program built with p's arguments, and checks what it
// prints, and the Go that built it when that is not this machine's.
func CheckRuns(t *testing.T, bin, dir string, p Project) {
	t.Helper()
	run := slices.Clone(p.Run)
	for i := range run {
		run[i] = strings.ReplaceAll(run[i], "{dir}", dir)
	}
	out, err := exec.Command(bin, run...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), p.Output) {
		t.Errorf("%s %v: %v, printed %q; want %q in it", filepath.Base(bin), run, err, out, p.Output)
	}
	if p.GoToolchain != "" {
		if info := testenv.Run(t, dir, os.Environ(), "go", "version", "-m", bin); !strings.HasPrefix(info, bin+": "+p.GoToolchain+"\n") {
			t.Errorf("go version -m %s: want it built with %s:\n%s", filepath.Base(bin), p.GoToolchain, info)
		}
	}
}

// testedLine is go test ./...'s line for a package whose tests ran:
// passed or failed.
var testedLine = regexp.MustCompile(`(?m)^(?:ok|FAIL)\s+(\S+)\s+(?:[0-9.]+s|\(cached\))`)

// CheckTested finds in the log of the build of .#default that its tests
// ran for every package of the module that has tests, as go test ./...
// lists them with the project's tags, and not only for the main packages
// built.
func CheckTested(t *testing.T, n *nixtest.Nix, dir string, p Project, a answers.Answers) {
	t.Helper()
	format := `{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}`
	list := testenv.Run(t, dir, p.GoEnv("GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"), "go", "list", "-tags="+strings.Join(a.Tags, ","), "-f", format, "./...")
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

// CheckCacheOutlivesAnEdit finds that the build of .#default started from
// layers of Go's build cache: the standard library's, and the modules',
// each also as go test compiles it, each with compiled packages; after a one-line edit of the Go file edit,
// the layers are the same store paths and Nix would build the package
// alone. The edit is undone.
func CheckCacheOutlivesAnEdit(t *testing.T, n *nixtest.Nix, dir, edit string) {
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

// CheckImage builds .#oci from the three systems, which must be the same
// bytes, and runs task verify.
func CheckImage(t *testing.T, n *nixtest.Nix, dir string) {
	t.Helper()
	// Two systems that build each Linux arch differently: x86_64-linux
	// amd64 natively, aarch64-darwin both cross.
	systems := []string{"x86_64-linux", "aarch64-darwin"}
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

// Fetch copies the project's module from the module cache (go mod
// download fetches it from the proxy, with its dependencies) into a
// writable directory of the test's, vendored when p says so, laid out as
// p says.
func Fetch(t testing.TB, p Project) string {
	t.Helper()
	prefix, _, _ := module.SplitPathVersion(p.Module)
	dir := filepath.Join(t.TempDir(), path.Base(prefix))
	CopyModule(t, p, p.Module, p.Version, dir)
	goEnv := p.GoEnv("GOFLAGS=-mod=mod", "GOWORK=off")
	if p.Vendored {
		testenv.Run(t, dir, goEnv, "go", "mod", "vendor")
	} else {
		testenv.Run(t, dir, goEnv, "go", "mod", "download")
	}
	if p.Layout != nil {
		p.Layout(t, p, dir)
	}
	return dir
}

// CopyModule copies module@version from the module cache (go mod download
// fetches it) into dir, writable.
func CopyModule(t testing.TB, p Project, module, version, dir string) {
	t.Helper()
	var info struct{ Dir string }
	out := testenv.Run(t, t.TempDir(), p.GoEnv("GOFLAGS=-mod=mod"), "go", "mod", "download", "-json", module+"@"+version)
	must(t, json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &info))
	must(t, os.CopyFS(dir, os.DirFS(info.Dir)))
	must(t, filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chmod(path, map[bool]fs.FileMode{true: 0o755, false: 0o644}[d.IsDir()])
	}))
}

// UntrackedAssets makes the project a git repository that tracks all but
// the assets lib/plot embeds, as if a build step made them, and
// .gitignore listed them.
func UntrackedAssets(t testing.TB, _ Project, dir string) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("lib/plot/assets/\n"), 0o644))
	Git(t, dir, "init", "-q")
	Git(t, dir, "add", "-A")
}

// Tagged makes the project a git repository whose one commit is tagged
// as the module's version.
func Tagged(t testing.TB, p Project, dir string) {
	t.Helper()
	Git(t, dir, "init", "-q")
	Git(t, dir, "add", "-A")
	Git(t, dir, "commit", "-q", "-m", p.Version)
	Git(t, dir, "tag", p.Version)
}

// Commit commits what adopt staged.
func Commit(t *testing.T, dir string) {
	t.Helper()
	Git(t, dir, "commit", "-q", "-m", "Build with Nix")
}

// NestedFork keeps gron's jsoncolor in the project, as a module of its own
// (the fork gains a go.mod), replacing the one of the proxy.
func NestedFork(t testing.TB, p Project, dir string) {
	t.Helper()
	fork := filepath.Join(dir, "third_party", "jsoncolor")
	CopyModule(t, p, "github.com/nwidger/jsoncolor", "v0.0.0-20170215171346-75a6de4340e5", fork)
	must(t, os.WriteFile(filepath.Join(fork, "go.mod"), []byte("module github.com/nwidger/jsoncolor\n\ngo 1.15\n"), 0o644))
	testenv.Run(t, dir, p.GoEnv("GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"), "go", "mod", "edit", "-replace=github.com/nwidger/jsoncolor=./third_party/jsoncolor")
}

// Workspace puts a go.work in the project, using it alone.
func Workspace(t testing.TB, _ Project, dir string) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(dir, "go.work"), []byte("go 1.22\n\nuse .\n"), 0o644))
}

// Git runs git in dir, as a user with a name.
func Git(t testing.TB, dir string, args ...string) {
	t.Helper()
	gitBin := testenv.Require(t, "git", "apt-get install -y git")
	testenv.Run(t, dir, append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t"), gitBin, args...)
}

// GoEnv is the environment of the go commands that fetch and vendor p:
// this machine's, with vars, and with p's Go toolchain or the local one.
func (p Project) GoEnv(vars ...string) []string {
	toolchain := "GOTOOLCHAIN=local"
	if p.GoToolchain != "" {
		toolchain = "GOTOOLCHAIN=" + p.GoToolchain
	}
	return append(append(os.Environ(), vars...), toolchain)
}

// Env is the Env of a run on this machine, with nothing to ask in, its
// report written to out.
func Env(out io.Writer) session.Env { return session.System(strings.NewReader(""), out, io.Discard) }

// Adopt runs gonix-init adopt --yes in dir with p's flags, and returns the
// answers it recorded and the report it printed.
func Adopt(t testing.TB, dir string, p Project) (answers.Answers, string) {
	t.Helper()
	flags := maps.Clone(p.Flags)
	if flags == nil {
		flags = map[string]string{}
	}
	var report bytes.Buffer
	RunSession(t)(session.Adopt(context.Background(), Env(&report), &session.AdoptOptions{Run: session.Run{Dir: dir, Yes: true, Flags: flags}, Force: p.Force}))
	var a answers.Answers
	data, err := os.ReadFile(filepath.Join(dir, answers.FileName))
	must(t, err)
	_, _, err = answers.Read(bytes.NewReader(data), &a)
	must(t, err)
	return a, report.String()
}

// RunSession runs a session, made as the call it is given makes it.
func RunSession(t testing.TB) func(session.Session, error) {
	return func(s session.Session, err error) {
		t.Helper()
		must(t, err)
		_, err = s.Run(context.Background())
		must(t, err)
	}
}

// CheckManaged checks that adopt wrote only files it manages, listed in
// .gonix.json, and left every file of the project as it was, but for
// .gitignore, to which it may only add lines.
func CheckManaged(t *testing.T, dir string, own map[string][]byte) {
	t.Helper()
	now := Tree(t, dir)
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

// CheckVendorHash checks nix/vendor-hash.nix: null for a vendored
// project, else the hash of what go mod vendor writes, as Nix computes it.
func CheckVendorHash(t *testing.T, n *nixtest.Nix, dir string, p Project) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "nix", "vendor-hash.nix"))
	must(t, err)
	want := "null"
	if !p.Vendored {
		want = n.VendorHash(t, dir, p.GoEnv("GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"))
	}
	if got := strings.TrimSpace(string(data)); got != want {
		t.Errorf("nix/vendor-hash.nix = %s, want %s", got, want)
	}
}

// Tree reads every regular file under dir, by slash path, but Nix's
// result links and git's own files.
func Tree(t *testing.T, dir string) map[string][]byte {
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
