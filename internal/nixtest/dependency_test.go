package nixtest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// TestAddingADependency follows the generated README's Dependencies steps:
// go get a module, set vendorHash to what `go mod vendor && nix hash path
// vendor` gives, delete vendor/. Then nix flake check (the tests, and the
// lint check against the package's vendor/) and nix build pass, and the
// server still answers. Modules come from this machine's module cache.
func TestAddingADependency(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Nix builds; skipped with -short")
	}
	n := nixtest.New(t)
	a := answers.Answers{Module: "example.com/withdep", Name: "withdep", Systems: []string{n.System},
		Ports: []int{8080}, Tools: []string{"golangci-lint"}}
	dir := generate(t, a)

	addDependency(t, dir)
	testenv.Run(t, dir, goOffline(t), "go", "mod", "vendor")
	hash := strings.TrimSpace(n.MustRun(t, dir, "hash", "path", "vendor"))
	if err := os.RemoveAll(filepath.Join(dir, "vendor")); err != nil {
		t.Fatal(err)
	}

	flake := filepath.Join(dir, "flake.nix")
	data, _ := os.ReadFile(flake)
	if !strings.Contains(string(data), "vendorHash = null;") {
		t.Fatal("flake.nix has no vendorHash = null;")
	}
	data = []byte(strings.Replace(string(data), "vendorHash = null;", "vendorHash = \""+hash+"\";", 1))
	if err := os.WriteFile(flake, data, 0o644); err != nil {
		t.Fatal(err)
	}

	n.MustFlake(t, dir, "flake", "check")
	n.MustFlake(t, dir, "build")
	testenv.CheckServer(t, filepath.Join(dir, "result", "bin", a.Name), a.Name, a.Ports)
}

// dependency is a module this machine's module cache holds (gonix-init
// requires it), so a generated project can depend on it offline.
const dependency = "golang.org/x/mod@v0.40.0"

// addDependency makes the module in dir use and require dependency: a
// main.go that imports it (written when dir has none), and go get.
func addDependency(t *testing.T, dir string) {
	t.Helper()
	mainGo := filepath.Join(dir, "main.go")
	src, err := os.ReadFile(mainGo)
	if err != nil {
		src = []byte("package main\n\nfunc main() {}\n")
		must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo 1.25\n"), 0o644))
	}
	src = []byte(strings.Replace(string(src), "package main\n", "package main\n\nimport \"golang.org/x/mod/semver\"\n", 1))
	src = append(src, "\n// A dependency, as a project soon has one.\nvar _ = semver.IsValid\n"...)
	must(t, os.WriteFile(mainGo, src, 0o644))
	testenv.Run(t, dir, goOffline(t), "go", "get", dependency)
}

// goOffline is the environment in which go fetches modules from this
// machine's module cache only.
func goOffline(t *testing.T) []string {
	t.Helper()
	modcache := strings.TrimSpace(testenv.Run(t, ".", os.Environ(), "go", "env", "GOMODCACHE"))
	return append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=file://"+modcache+"/cache/download",
		"GOSUMDB=off", "GOTOOLCHAIN=local", "GOWORK=off")
}
