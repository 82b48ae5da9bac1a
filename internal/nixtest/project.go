package nixtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/afero"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/testenv"
	"github.com/gonix-init/gonix-init/templates"
)

// Generate renders the answers a with the embedded templates into a new
// directory, outside any git work tree, and returns it.
func Generate(t testing.TB, a answers.Answers) string {
	t.Helper()
	files, err := render.Render(a, templates.FS)
	Must(t, err)
	dir := filepath.Join(t.TempDir(), a.Name)
	Must(t, scaffold.Write(context.Background(), afero.NewOsFs(), dir, files))
	return dir
}

// WithoutGoCache turns off the layers of Go's build cache in the flake of
// the project in dir (useGoCache = false): its builds start from an empty
// one, as nixpkgs' do.
func WithoutGoCache(t testing.TB, dir string) {
	t.Helper()
	file := filepath.Join(dir, "flake.nix")
	flake, err := os.ReadFile(file)
	Must(t, err)
	off := bytes.Replace(flake, []byte("useGoCache = true;"), []byte("useGoCache = false;"), 1)
	if bytes.Equal(off, flake) {
		t.Fatalf("%s has no useGoCache = true;", file)
	}
	Must(t, os.WriteFile(file, off, 0o644))
}

// Must fails t on err.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// SortedKeys are m's keys, sorted.
func SortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// BuildOut builds attr of the flake in dir and returns its output path.
func (n *Nix) BuildOut(t testing.TB, dir, attr string) string {
	t.Helper()
	return n.BuildOuts(t, dir, attr)[0]
}

// BuildOuts builds the attrs of the flake in dir in one nix build, whose
// independent derivations Nix builds side by side (testenv.NixConfig's
// max-jobs), and returns their output paths in the same order.
func (n *Nix) BuildOuts(t testing.TB, dir string, attrs ...string) []string {
	t.Helper()
	out := strings.Fields(n.MustFlake(t, dir, append(append([]string{"build"}, attrs...), "--no-link", "--print-out-paths")...))
	if len(out) != len(attrs) {
		t.Fatalf("nix build of %v printed %d paths: %v", attrs, len(out), out)
	}
	return out
}

// Greet is the module the dependency tests add: two versions, served by a
// module proxy the test writes (GOPROXY=file://...), so nothing is fetched.
const Greet = "example.com/gonixtest/greet"

// Offline gives the test a module proxy holding Greet v1.0.0 and v1.1.0,
// and a module cache of its own (which the stand-in's vendor derivation
// then reads, as New takes it from go env). It returns the environment in
// which go fetches from that proxy only. Call it before New.
func Offline(t testing.TB) []string {
	t.Helper()
	proxy := t.TempDir()
	for _, v := range []string{"v1.0.0", "v1.1.0"} {
		PublishGreet(t, proxy, v)
	}
	modcache := t.TempDir()
	// The stand-in's vendor derivations read it as a build user does.
	Must(t, os.Chmod(modcache, 0o755))
	t.Setenv("GOMODCACHE", modcache)
	t.Cleanup(func() { exec.Command("go", "clean", "-modcache").Run() }) //nolint:errcheck // its folders are read-only: best effort
	return append(os.Environ(), "GOPROXY=file://"+proxy, "GOSUMDB=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off")
}

// PublishGreet adds version of Greet to the module proxy in the folder
// proxy, whose Hello says so.
func PublishGreet(t testing.TB, proxy, version string) {
	t.Helper()
	src := t.TempDir()
	Must(t, os.WriteFile(filepath.Join(src, "go.mod"), []byte("module "+Greet+"\n\ngo 1.21\n"), 0o644))
	Must(t, os.WriteFile(filepath.Join(src, "greet.go"), []byte("// Package greet greets.\npackage greet\n\n// Hello says hello.\nfunc Hello() string { return \"hello from "+version+"\" }\n"), 0o644))
	PublishModule(t, proxy, Greet, version, src)
}

// PublishModule adds version of the module path, whose files are those of
// the folder src (its go.mod among them), to the module proxy in the folder
// proxy, as a proxy serves it (GOPROXY=file://...): its .mod, .info (a
// fixed time), .zip, and its line in list.
func PublishModule(t testing.TB, proxy, path, version, src string) {
	t.Helper()
	dir := filepath.Join(proxy, path, "@v")
	Must(t, os.MkdirAll(dir, 0o755))
	mod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	Must(t, err)
	Must(t, os.WriteFile(filepath.Join(dir, version+".mod"), mod, 0o644))
	Must(t, os.WriteFile(filepath.Join(dir, version+".info"), []byte(`{"Version":"`+version+`","Time":"2026-01-01T00:00:00Z"}`), 0o644))
	f, err := os.Create(filepath.Join(dir, version+".zip"))
	Must(t, err)
	Must(t, modzip.CreateFromDir(f, module.Version{Path: path, Version: version}, src))
	Must(t, f.Close())
	list, err := os.OpenFile(filepath.Join(dir, "list"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	Must(t, err)
	_, err = list.WriteString(version + "\n")
	Must(t, errors.Join(err, list.Close()))
}

// UseGreet makes the module in dir import Greet (a main.go is written
// when dir has none) and require version.
func UseGreet(t testing.TB, dir string, env []string, version string) {
	t.Helper()
	mainGo := filepath.Join(dir, "main.go")
	src, err := os.ReadFile(mainGo)
	if err != nil {
		src = []byte("package main\n\nfunc main() {}\n")
		Must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo 1.25\n"), 0o644))
	}
	if !strings.Contains(string(src), Greet) {
		src = []byte(strings.Replace(string(src), "package main\n", "package main\n\nimport \""+Greet+"\"\n", 1))
		src = append(src, "\n// A dependency, as a project soon has one.\nvar _ = greet.Hello\n"...)
		Must(t, os.WriteFile(mainGo, src, 0o644))
	}
	testenv.Run(t, dir, env, "go", "get", Greet+"@"+version)
}

// VendorHash is what the vendor-hash command must find for the module in
// dir: the NAR hash of what `go mod vendor` writes, computed here
// independently, as a Nix string; null when it writes nothing.
func (n *Nix) VendorHash(t *testing.T, dir string, env []string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "vendor")
	testenv.Run(t, dir, env, "go", "mod", "vendor", "-o", out)
	if _, err := os.Stat(out); os.IsNotExist(err) {
		return "null" // go.mod requires no module
	}
	return `"` + strings.TrimSpace(n.MustRun(t, dir, "hash", "path", out)) + `"`
}

// BuildLinux builds mainGo, a program of one file, for linux/arch with this
// machine's Go, static (CGO_ENABLED=0) and with -trimpath, into out, with
// the go build flags given besides.
func BuildLinux(t testing.TB, mainGo, arch, out string, flags ...string) {
	t.Helper()
	BuildFor(t, mainGo, "linux", arch, out, flags...)
}

// BuildFor is BuildLinux for goos/arch.
func BuildFor(t testing.TB, mainGo, goos, arch, out string, flags ...string) {
	t.Helper()
	src := t.TempDir()
	Must(t, os.WriteFile(filepath.Join(src, "go.mod"), []byte("module example.com/prog\n\ngo 1.25\n"), 0o644))
	Must(t, os.WriteFile(filepath.Join(src, "main.go"), []byte(mainGo), 0o644))
	cmd := exec.Command("go", append(append([]string{"build", "-trimpath"}, flags...), "-o", out, ".")...)
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+arch, "GOFLAGS=", "GOWORK=off")
	if o, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build for %s/%s: %v\n%s", goos, arch, err, o)
	}
}

// Layer is one derivation of Go's build cache that a build starts from
// (nix/go-cache.nix).
type Layer struct {
	Drv string `json:"drv"`
	Out string `json:"out"`
}

// GoCache evaluates the layers of Go's build cache that the package attr
// (.#packages.x86_64-linux.default) of the flake in dir starts from.
func (n *Nix) GoCache(t testing.TB, dir, attr string) []Layer {
	t.Helper()
	out := n.MustFlake(t, dir, "eval", "--json", attr, "--apply", "d: map (l: { drv = l.drvPath; out = l.outPath; }) (d.goCache or [ ])")
	var layers []Layer
	Must(t, json.Unmarshal([]byte(out), &layers))
	return layers
}

// WouldBuild is what `nix build --dry-run` of attrs says it would build:
// the derivations, none when everything is in the store.
func (n *Nix) WouldBuild(t testing.TB, dir string, attrs ...string) []string {
	t.Helper()
	cmd := exec.Command(n.Bin, append(append([]string{"build", "--dry-run"}, attrs...), n.Override()...)...)
	cmd.Dir, cmd.Env = dir, n.Env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("nix build --dry-run %v: %v\n%s", attrs, err, out)
	}
	var drvs []string
	building := false
	for _, l := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasSuffix(l, "will be built:"):
			building = true
		case building && strings.HasPrefix(l, "  /nix/store/"):
			drvs = append(drvs, strings.TrimSpace(l))
		default:
			building = false
		}
	}
	return drvs
}

// Compiled counts the compiled packages in a layer of Go's build cache
// (the outputs that are archives, !<arch>) whose bytes hold importPath, or
// all of them for "".
func Compiled(t testing.TB, layer, importPath string) int {
	t.Helper()
	outputs, err := filepath.Glob(filepath.Join(layer, "*", "*-d"))
	Must(t, err)
	n := 0
	for _, f := range outputs {
		data, err := os.ReadFile(f)
		Must(t, err)
		if bytes.HasPrefix(data, []byte("!<arch>\n")) && bytes.Contains(data, []byte(importPath)) {
			n++
		}
	}
	return n
}
