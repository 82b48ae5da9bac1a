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

	mainGo := filepath.Join(dir, "main.go")
	src, _ := os.ReadFile(mainGo)
	src = []byte(strings.Replace(string(src), "\t\"time\"\n)", "\t\"time\"\n\n\t\"golang.org/x/mod/semver\"\n)", 1))
	src = append(src, "\n// A dependency, as a project soon has one.\nvar _ = semver.IsValid\n"...)
	if err := os.WriteFile(mainGo, src, 0o644); err != nil {
		t.Fatal(err)
	}
	modcache := strings.TrimSpace(testenv.Run(t, dir, os.Environ(), "go", "env", "GOMODCACHE"))
	goEnv := append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=file://"+modcache+"/cache/download",
		"GOSUMDB=off", "GOTOOLCHAIN=local", "GOWORK=off")
	testenv.Run(t, dir, goEnv, "go", "get", "golang.org/x/mod@v0.40.0")
	testenv.Run(t, dir, goEnv, "go", "mod", "vendor")
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
