package dependencytest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// must fails t on err.
var must = nixtest.Must

func readTrim(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	must(t, err)
	return strings.TrimSpace(string(data))
}

// TestDependencyLifecycle follows a generated project through its first
// dependencies, as its README tells: go get, then `nix run .#vendor-hash`.
// It checks the failure a user meets first and that the README quotes it;
// that the command writes the true hash, prints old and new, and is a no-op
// the second time; that the project then builds, checks and serves; that
// --check catches a changed go.sum and names the new value; and that
// removing the dependency writes null again.
func TestDependencyLifecycle(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	testenv.Require(t, "shellcheck", "apt-get install -y shellcheck")
	env := nixtest.Offline(t)
	n := nixtest.New(t)
	n.Env = n.EnvWith(env) // the command's go fetches from the test's proxy
	a := answers.Answers{Module: "example.com/withdep", Name: "withdep", Systems: []string{n.System},
		Ports: []int{8080}, Tools: []string{"golangci-lint", "go-task"}}
	dir := nixtest.Generate(t, a)
	if got := readTrim(t, filepath.Join(dir, "nix", "vendor-hash.nix")); got != "null" {
		t.Fatalf("a new project's nix/vendor-hash.nix is %q, want null", got)
	}
	if out, err := n.App(dir, ".#vendor-hash", "--check"); err != nil || !strings.Contains(out, "is current: null") {
		t.Fatalf("--check on a new project: %v\n%s", err, out)
	}

	want := checkFirstDependency(t, n, dir, env)

	t.Log("nix flake check and nix build with the written hash")
	// Nix checks the hash itself: the build, the tests and the lint check pass.
	n.MustFlake(t, dir, "flake", "check")
	n.MustFlake(t, dir, "build")
	testenv.CheckServer(t, filepath.Join(dir, "result", "bin", a.Name), a.Name, a.Ports)

	bumped := checkBump(t, n, dir, env, want)

	// The dependency goes: null again.
	mainGo := filepath.Join(dir, "main.go")
	src, _ := os.ReadFile(mainGo)
	src = []byte(strings.Replace(strings.Replace(string(src), "import \""+nixtest.Greet+"\"\n", "", 1), "\n// A dependency, as a project soon has one.\nvar _ = greet.Hello\n", "", 1))
	must(t, os.WriteFile(mainGo, src, 0o644))
	testenv.Run(t, dir, env, "go", "mod", "tidy")
	if out, err := n.App(dir, ".#vendor-hash"); err != nil || !strings.Contains(out, bumped+" -> null") {
		t.Errorf("nix run .#vendor-hash after removing the dependency: %v\n%s", err, out)
	}
	n.MustFlake(t, dir, "build")
}

// checkFirstDependency is the first go get: the failure a user meets
// first, quoted in the README, then --check and the command that writes
// the hash, a no-op the second time. It returns the hash.
func checkFirstDependency(t *testing.T, n *nixtest.Nix, dir string, env []string) (want string) {
	t.Helper()
	hashFile := filepath.Join(dir, "nix", "vendor-hash.nix")
	readme := readTrim(t, filepath.Join(dir, "README.md"))
	t.Log("go get, then nix build with a stale vendorHash")
	// The first go get: nix build fails with Go's vendoring error, quoted
	// in the README next to the command.
	nixtest.UseGreet(t, dir, env, "v1.0.0")
	_, err := n.Flake(dir, "build")
	if err == nil || !strings.Contains(err.Error(), "inconsistent vendoring") {
		t.Fatalf("nix build with a stale null: want Go's vendoring error, got %v", err)
	}
	// Go's own advice (go mod vendor) is not the last word: the command is.
	if i, j := strings.LastIndex(err.Error(), "go mod vendor"), strings.LastIndex(err.Error(), "run nix run .#vendor-hash, then build again"); j < 0 || j < i {
		t.Errorf("nix build with a stale null does not end by naming nix run .#vendor-hash:\n%v", err)
	}
	for _, want := range []string{"go: inconsistent vendoring in /build/source:", "hash mismatch in fixed-output derivation", "nix run .#vendor-hash"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README does not quote %q", want)
		}
	}

	// --check fails and names the value; the command writes it.
	want = n.VendorHash(t, dir, env)
	out, err := n.App(dir, ".#vendor-hash", "--check")
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "nix run .#vendor-hash") {
		t.Errorf("--check with a stale hash: want exit 1 naming %s and the command, got %v\n%s", want, err, out)
	}
	if got := readTrim(t, hashFile); got != "null" {
		t.Errorf("--check wrote %s", got)
	}
	out, err = n.App(dir, ".#vendor-hash")
	if err != nil || !strings.Contains(out, "null -> "+want) {
		t.Fatalf("nix run .#vendor-hash: want null -> %s: %v\n%s", want, err, out)
	}
	if got := readTrim(t, hashFile); got != want {
		t.Fatalf("nix/vendor-hash.nix = %s, want %s", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "vendor")); err == nil {
		t.Error("the command left vendor/ behind")
	}
	before, _ := os.Stat(hashFile)
	if out, err := n.App(dir, ".#vendor-hash"); err != nil || !strings.Contains(out, "is current") {
		t.Errorf("a second run: %v\n%s", err, out)
	}
	if after, _ := os.Stat(hashFile); !after.ModTime().Equal(before.ModTime()) {
		t.Error("a second run rewrote nix/vendor-hash.nix")
	}
	return want
}

// checkBump is a dependency bump: --check names the new hash, a build
// fails with one of the README's messages, the command writes it. It
// returns the new hash.
func checkBump(t *testing.T, n *nixtest.Nix, dir string, env []string, want string) (bumped string) {
	t.Helper()
	t.Log("a dependency bump")
	// A bump, as a bot makes it: --check fails with the new value, and a
	// build fails with one of the two messages the README quotes: Nix's
	// hash mismatch where the old vendor derivation's output is not in the
	// store (a fresh machine, CI), Go's vendoring error where it is (Nix
	// reuses a fixed output whose hash it already has).
	nixtest.UseGreet(t, dir, env, "v1.1.0")
	bumped = n.VendorHash(t, dir, env)
	if bumped == want {
		t.Fatal("the bump did not change the vendored modules")
	}
	if _, err := n.App(dir, ".#vendor-hash", "--check"); err == nil || !strings.Contains(err.Error(), "need "+bumped) {
		t.Errorf("--check after a bump: want it to name %s, got %v", bumped, err)
	}
	_, err := n.Flake(dir, "build")
	if msg := errString(err); !strings.Contains(msg, "hash mismatch in fixed-output derivation") && !strings.Contains(msg, "inconsistent vendoring") {
		t.Errorf("nix build after a bump: want one of the README's two messages, got %v", err)
	}
	if out, err := n.App(dir, ".#vendor-hash"); err != nil || !strings.Contains(out, want+" -> "+bumped) {
		t.Errorf("nix run .#vendor-hash after a bump: %v\n%s", err, out)
	}
	return bumped
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestGoLineChoosesGo follows a generated project whose user raises
// go.mod's go line, with no gonix-init run (the flake reads go.mod): to
// 1.27, the flake builds with the pin's go_1_27 on every system, the
// binary's build info names the toolchain that stands in for it, the dev
// shell's go is that Go, and vendor-hash runs with it (adoptgotest's
// chglog builds a real program with it). A toolchain line newer than every Go of
// the pin changes nothing (Nix's builds ignore it); a go line newer than
// every Go of the pin stops evaluation, naming the pin's Go releases and
// the way forward.
func TestGoLineChoosesGo(t *testing.T) {
	testenv.Slow(t, "runs Nix builds with Go 1.27")
	n := nixtest.New(t)
	systems := answers.Values(answers.AllSystems)
	a := answers.Answers{Module: "example.com/newgo", Name: "newgo", Systems: systems, Ports: []int{8080}, Tools: []string{}}
	dir := nixtest.Generate(t, a)
	goMod := filepath.Join(dir, "go.mod")
	setLines := func(lines ...string) {
		t.Helper()
		src := "module " + a.Module + "\n\n" + strings.Join(lines, "\n") + "\n"
		must(t, os.WriteFile(goMod, []byte(src), 0o644))
	}
	goOf := func() (string, error) {
		return n.Flake(dir, "eval", "--raw", ".#packages."+n.System+".default.go.version")
	}

	if got, err := goOf(); err != nil || got != nixpin.Nixpkgs.Go().Version {
		t.Errorf("go %s (as generated): the package builds with Go %q (%v), want pkgs.go's %s", nixpin.Nixpkgs.GoLine, got, err, nixpin.Nixpkgs.Go().Version)
	}
	setLines("go "+nixpin.Nixpkgs.GoLine, "toolchain go1.99.1")
	if got, err := goOf(); err != nil || got != nixpin.Nixpkgs.Go().Version {
		t.Errorf("a toolchain line newer than every Go: the package builds with Go %q (%v), want pkgs.go's %s", got, err, nixpin.Nixpkgs.Go().Version)
	}
	setLines("go 1.99")
	_, err := goOf()
	for _, want := range []string{"go.mod's go line asks for Go 1.99, newer than every Go of the pinned nixpkgs (" + nixpin.Nixpkgs.Go().Version + ", " + nixpin.Nixpkgs.Gos[1].Version + ")",
		"Once nixpkgs has Go 1.99, update it: nix flake update nixpkgs, then nix run .#vendor-hash."} {
		if !strings.Contains(errString(err), want) {
			t.Errorf("go 1.99: evaluation error lacks %q:\n%v", want, err)
		}
	}

	setLines("go 1.27")
	// Every system's package builds with go_1_27 (evaluated: building
	// each would compile Go 1.27's standard library once a system, which
	// TestImageSameFromEveryHost already shows the same bytes for with
	// pkgs.go); this system's is built, and its binary says so.
	for _, s := range systems {
		if got, err := n.Flake(dir, "eval", "--raw", ".#packages."+s+".default.go.version"); err != nil || got != nixpin.Nixpkgs.Gos[1].Version {
			t.Errorf("go 1.27: %s's image builds with Go %q (%v)", s, got, err)
		}
	}
	outs := n.BuildOuts(t, dir, ".#default")
	info := testenv.Run(t, dir, os.Environ(), "go", "version", "-m", filepath.Join(outs[0], "bin", a.Name))
	if want := ": " + nixtest.Toolchains["go_1_27"] + "\n"; !strings.Contains(info, want) {
		t.Errorf("go 1.27: the binary's build info lacks %q:\n%s", want, info)
	}
	if out := n.MustRun(t, dir, append(append([]string{"develop"}, n.Override()...), "-c", "go", "version")...); !strings.Contains(out, "go version "+nixtest.Toolchains["go_1_27"]) {
		t.Errorf("go 1.27: the dev shell's go says %q", out)
	}
	if out, err := n.App(dir, ".#vendor-hash", "--check"); err != nil || !strings.Contains(out, "is current: null") {
		t.Errorf("go 1.27: nix run .#vendor-hash -- --check: %v\n%s", err, out)
	}
}

// TestRepairCommitsTheVendorHash runs nix/repair.sh as the Dependabot
// workflow does, in a real git repository of a generated project whose
// dependency a commit bumped as Dependabot does (go.mod and go.sum alone):
// it ends with one commit, of nix/vendor-hash.nix alone, after which
// vendor-hash --check passes; run again, it adds nothing.
func TestRepairCommitsTheVendorHash(t *testing.T) {
	testenv.Slow(t, "runs Nix")
	testenv.Require(t, "shellcheck", "apt-get install -y shellcheck")
	git := testenv.Require(t, "git", "apt-get install -y git")
	env := nixtest.Offline(t)
	n := nixtest.New(t)
	n.Env = n.EnvWith(env)
	a := answers.Answers{Module: "example.com/bot", Name: "bot", Systems: []string{n.System}, Ports: []int{8080},
		Tools: []string{"go-task"}, CI: answers.GitHubActions}
	dir := nixtest.Generate(t, a)
	nixtest.UseGreet(t, dir, env, "v1.0.0")
	must(t, os.WriteFile(filepath.Join(dir, "nix", "vendor-hash.nix"), []byte(n.VendorHash(t, dir, env)+"\n"), 0o644))
	gitEnv := append(slices.Clone(n.Env), "GIT_AUTHOR_NAME=bot", "GIT_AUTHOR_EMAIL=bot@example.com", "GIT_COMMITTER_NAME=bot",
		"GIT_COMMITTER_EMAIL=bot@example.com", "PATH="+n.Wrapper(t)+string(os.PathListSeparator)+os.Getenv("PATH"))
	testenv.Run(t, dir, gitEnv, git, "init", "-q")
	testenv.Run(t, dir, gitEnv, git, "add", "-A")
	testenv.Run(t, dir, gitEnv, git, "commit", "-q", "-m", "with nixtest.Greet v1.0.0")

	// Dependabot's pull request: go.mod and go.sum, nothing else.
	testenv.Run(t, dir, env, "go", "get", nixtest.Greet+"@v1.1.0")
	testenv.Run(t, dir, gitEnv, git, "commit", "-q", "-a", "-m", "Bump nixtest.Greet to v1.1.0")
	if changed := testenv.Run(t, dir, gitEnv, git, "show", "--name-only", "--format=", "HEAD"); strings.Fields(changed)[0] != "go.mod" || len(strings.Fields(changed)) != 2 {
		t.Fatalf("the bump changed %q", changed)
	}
	repair := func() string {
		t.Helper()
		return testenv.Run(t, dir, gitEnv, "bash", "nix/repair.sh")
	}
	out := repair()
	if !strings.Contains(out, "repair: committed nix/vendor-hash.nix") {
		t.Errorf("repair: %s", out)
	}
	if changed := strings.Fields(testenv.Run(t, dir, gitEnv, git, "show", "--name-only", "--format=", "HEAD")); !slices.Equal(changed, []string{"nix/vendor-hash.nix"}) {
		t.Errorf("the repair commit changed %v, want nix/vendor-hash.nix alone", changed)
	}
	if status := testenv.Run(t, dir, gitEnv, git, "status", "--porcelain"); status != "" {
		t.Errorf("the repair left %q", status)
	}
	if _, err := n.App(dir, ".#vendor-hash", "--check"); err != nil {
		t.Errorf("vendor-hash --check after the repair: %v", err)
	}
	count := testenv.Run(t, dir, gitEnv, git, "rev-list", "--count", "HEAD")
	if out := repair(); !strings.Contains(out, "repair: nothing to commit") {
		t.Errorf("a second repair: %s", out)
	}
	if again := testenv.Run(t, dir, gitEnv, git, "rev-list", "--count", "HEAD"); again != count {
		t.Errorf("a second repair added a commit: %s, then %s", count, again)
	}
}

// TestGoCacheOutlivesAnEdit builds a generated project that requires a
// module: its package starts from layers of Go's build cache
// (nix/go-cache.nix), the standard library's and the module's, each also
// as go test compiles it, each holding compiled packages, the module's its
// one package. After a one-line edit of
// main.go the layers are the same derivations, and Nix would build the
// package alone; after go get of another version of the module, its layer
// is another, and the standard library's is the same.
func TestGoCacheOutlivesAnEdit(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	env := nixtest.Offline(t)
	n := nixtest.New(t)
	n.Env = n.EnvWith(env)
	a := answers.Answers{Module: "example.com/cached", Name: "cached", Systems: []string{n.System}, Ports: []int{8080}}
	dir := nixtest.Generate(t, a)
	nixtest.UseGreet(t, dir, env, "v1.0.0")
	if out, err := n.App(dir, ".#vendor-hash"); err != nil {
		t.Fatalf("nix run .#vendor-hash: %v\n%s", err, out)
	}
	attr := ".#packages." + n.System + ".default"
	n.BuildOut(t, dir, attr)
	layers := n.GoCache(t, dir, attr)
	if len(layers) != 4 {
		t.Fatalf("the package starts from %d layers of Go's build cache, want the standard library's and the module's, each also as go test compiles it: %v", len(layers), layers)
	}
	// std, deps, then each again as go test compiles it.
	for i, want := range []string{"std", "deps", "std-test", "deps-test"} {
		if !strings.HasSuffix(layers[i].Out, "-"+want+"-cache-linux-amd64") {
			t.Errorf("layer %d is %s, want the %s layer", i, layers[i].Out, want)
		}
		all, greet := nixtest.Compiled(t, layers[i].Out, ""), nixtest.Compiled(t, layers[i].Out, nixtest.Greet)
		if std := i%2 == 0; std && (all < 300 || greet != 0) || !std && (all != 1 || greet != 1) {
			t.Errorf("the %s layer holds %d compiled packages, %d of them greet: want the standard library's (300 or more) or greet alone", want, all, greet)
		}
	}

	mainGo := filepath.Join(dir, "main.go")
	src, err := os.ReadFile(mainGo)
	must(t, err)
	// An edit no earlier run made, so that its package is not in the store.
	edit := fmt.Sprintf("\n// An edit of one line.\nvar edited = %d\n", time.Now().UnixNano())
	must(t, os.WriteFile(mainGo, append(src, edit...), 0o644))
	// The same store paths. (The module layer's .drv is another: it reads
	// the vendor derivation, whose own .drv reads the whole source, as
	// module.nix has it; its output is the same, a fixed output's.)
	for i, l := range n.GoCache(t, dir, attr) {
		if l.Out != layers[i].Out {
			t.Errorf("after an edit of main.go layer %d is %s, was %s", i, l.Out, layers[i].Out)
		}
	}
	if would := n.WouldBuild(t, dir, attr); len(would) != 1 || !strings.HasSuffix(would[0], "-cached-0.1.0.drv") {
		t.Errorf("after an edit of main.go, nix would build %v, want the package alone", would)
	}
	n.BuildOut(t, dir, attr)

	testenv.Run(t, dir, env, "go", "get", nixtest.Greet+"@v1.1.0")
	if out, err := n.App(dir, ".#vendor-hash"); err != nil {
		t.Fatalf("nix run .#vendor-hash: %v\n%s", err, out)
	}
	if bumped := n.GoCache(t, dir, attr); len(bumped) != 4 || bumped[0] != layers[0] || bumped[2] != layers[2] || bumped[1].Out == layers[1].Out || bumped[3].Out == layers[3].Out {
		t.Errorf("after go get, the layers are\n%v\nwere\n%v\nwant the standard library's the same, the module's others", bumped, layers)
	}
}
