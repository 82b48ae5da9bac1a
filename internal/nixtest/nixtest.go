// Package nixtest runs real Nix offline in tests, on flakes whose nixpkgs
// input is replaced by a stand-in (the flake in ./nixpkgs): real nixpkgs
// cannot be fetched here. The stand-in implements the attributes gonix-init's
// templates use, with nixpkgs' argument rules, and builds for real with the
// machine's Go, so `nix build` of a generated project works offline.
package nixtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// Nix runs nix with the stand-in for nixpkgs.
type Nix struct {
	Bin     string   // the nix program
	Env     []string // an environment under which nix works offline, its NIX_CONFIG Config
	Config  string   // testenv.NixConfig, with the paths of this machine the stand-in's builds read
	Standin string   // the stand-in flake's directory
	System  string   // this machine's Nix system, which the stand-in builds for
}

// EnvWith is env with n's NIX_CONFIG: for a test that runs nix in an
// environment of its own (a module proxy of its own, say).
func (n *Nix) EnvWith(env []string) []string {
	return append(slices.Clone(env), "NIX_CONFIG="+n.Config)
}

// New finds nix (skipping t, or failing it under CI, when it is missing or
// too old), and lays out the stand-in in a temporary directory with a
// host.nix that names this machine's Go and the tools it packages.
func New(t testing.TB) *Nix {
	t.Helper()
	return newStandin(t, mustGoEnv(t, "GOROOT"))
}

// NewOtherHost is New as another machine of the same system: its Go at
// another path (this machine's GOROOT again, as links), so that every
// store path built from its Go is another. What it builds is what another
// developer's machine would.
//
// The links live in t's temporary directory. (Kept between runs, they
// could go while a store path of the other host's Go still pointed at them:
// a build from it then failed, its standard library missing.)
func NewOtherHost(t testing.TB) *Nix {
	t.Helper()
	here := mustGoEnv(t, "GOROOT")
	goroot := filepath.Join(t.TempDir(), "go")
	err := filepath.WalkDir(here, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(here, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(goroot, rel), 0o755)
		}
		return os.Symlink(p, filepath.Join(goroot, rel))
	})
	Must(t, err)
	return newStandin(t, goroot)
}

func newStandin(t testing.TB, goroot string) *Nix {
	t.Helper()
	bin, env := testenv.Nix(t)
	dir := filepath.Join(t.TempDir(), "nixpkgs")
	host, err := Prepare(dir, goroot)
	if errors.Is(err, errUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	n := &Nix{Bin: bin, Config: host.Config(), Standin: dir, System: host.System}
	n.Env = n.EnvWith(env)
	return n
}

var errUnsupported = errors.New("the stand-in builds only on Linux (this is " + runtime.GOOS + "/" + runtime.GOARCH + ")")

// Host is what Prepare found of this machine: its Nix system, and the
// paths outside the Nix store that the stand-in's builds read (the Go
// releases, the module cache its vendor derivations fetch from, the tools
// it packages), which Nix's sandbox must hold.
type Host struct {
	System       string
	SandboxPaths []string
}

// Config is testenv.NixConfig with the host's paths in the sandbox: the
// NIX_CONFIG of every nix command on the stand-in.
func (h Host) Config() string {
	return testenv.NixConfig + "\nextra-sandbox-paths = " + strings.Join(h.SandboxPaths, " ")
}

// machineFiles are the files of this machine that the stand-in's data
// packages hold (tools.nix, cacert.nix), copied into the stand-in by
// Prepare under machine/: a sandboxed build sees no /etc of the machine.
var machineFiles = map[string]string{
	"services":     "/etc/services",
	"protocols":    "/etc/protocols",
	"mime.types":   "/etc/mime.types",
	"ca-certs.pem": "/etc/ssl/certs/ca-certificates.crt",
}

// Prepare lays out the stand-in nixpkgs in dir, with a host.nix that names
// the Go at goroot and the tools the stand-in packages, which it builds the
// first time.
func Prepare(dir, goroot string) (Host, error) {
	system := map[string]string{"linux/amd64": "x86_64-linux", "linux/arm64": "aarch64-linux"}[runtime.GOOS+"/"+runtime.GOARCH]
	if system == "" {
		return Host{}, errUnsupported
	}
	_, self, _, _ := runtime.Caller(0)
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(filepath.Dir(self), "nixpkgs"))); err != nil {
		return Host{}, err
	}
	gos, roots, err := goReleases(dir, goroot)
	if err != nil {
		return Host{}, err
	}
	gomodcache, err := GoEnv("GOMODCACHE")
	if err != nil {
		return Host{}, err
	}
	// The CA the tests make, for the stand-in's cacert.
	_, _, ca, err := testCA()
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "test-ca.pem"), ca, 0o644)
	}
	if err != nil {
		return Host{}, err
	}
	if err := copyMachineFiles(filepath.Join(dir, "machine")); err != nil {
		return Host{}, err
	}
	built := map[string]string{}
	for _, name := range []string{"cyclonedx-gomod", "regctl"} {
		if built[name], err = tool(name, Tools[name]); err != nil {
			return Host{}, err
		}
	}
	// The aarch64-darwin builder's signing (sigtool's codesign, modelled).
	if built["codesign"], err = own("cmd/codesign"); err != nil {
		return Host{}, err
	}
	host := fmt.Sprintf("{\n  buildSystem = %q;\n  gos = {\n%s  };\n  gomodcache = %q;\n  cyclonedxGomod = %q;\n  regctl = %q;\n  codesign = %q;\n}\n",
		system, gos, gomodcache, built["cyclonedx-gomod"], built["regctl"], built["codesign"])
	paths := append(roots, gomodcache)
	for _, name := range slices.Sorted(maps.Keys(built)) {
		paths = append(paths, filepath.Dir(built[name]))
	}
	return Host{System: system, SandboxPaths: sandboxPaths(paths)}, os.WriteFile(filepath.Join(dir, "host.nix"), []byte(host), 0o644)
}

// copyMachineFiles copies machineFiles into dir.
func copyMachineFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, from := range machineFiles {
		data, err := os.ReadFile(from)
		if err != nil {
			return fmt.Errorf("the stand-in needs this machine's %s (apt-get install netbase media-types ca-certificates): %w", from, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// sandboxPaths are the paths a sandboxed build must see, but those under a
// folder that testenv.NixConfig's sandbox-paths hold already, each without
// repeats. A build runs as a build user, not root: each must be readable
// by all (Offline opens its module cache so).
func sandboxPaths(paths []string) []string {
	var out []string
	for _, p := range paths {
		if slices.Contains(out, p) || strings.HasPrefix(p, "/usr/") || strings.HasPrefix(p, "/bin/") || strings.HasPrefix(p, "/lib/") {
			continue
		}
		out = append(out, p)
	}
	return out
}

// Toolchains are the Go releases of the module proxy that stand in for the
// pin's Go releases besides pkgs.go (nixpin's Gos), by attribute: each a
// toolchain module (golang.org/toolchain) that go fetches as GOTOOLCHAIN
// names it. pkgs.go is this machine's Go.
var Toolchains = map[string]string{"go_1_27": "go1.27.3"}

// goReleases writes the source tarball of each of the pin's Go releases
// into dir, and returns host.nix's gos: for each, the pin's version, the
// GOROOT that stands in for it (goroot for pkgs.go, a toolchain of
// Toolchains for the others) and its tarball's hash; and those GOROOTs.
func goReleases(dir, goroot string) (string, []string, error) {
	var b strings.Builder
	var roots []string
	for _, g := range nixpin.Nixpkgs.Gos {
		root := goroot
		if g.Attr != "go" {
			var err error
			if root, err = Toolchain(Toolchains[g.Attr]); err != nil {
				return "", nil, err
			}
		}
		src := g.Attr + "-src.tar.gz"
		hash, err := writeGoSrc(root, filepath.Join(dir, src))
		if err != nil {
			return "", nil, err
		}
		fmt.Fprintf(&b, "    %s = {\n      version = %q;\n      goroot = %q;\n      src = ./%s;\n      srcHash = %q;\n    };\n", g.Attr, g.Version, root, src, hash)
		roots = append(roots, root)
	}
	return b.String(), roots, nil
}

// Toolchain returns the GOROOT of the Go toolchain name (go1.27.3) for this
// machine's platform, from the module cache under GOPATH, where go puts
// the toolchains it switches to: fetched from the module proxy the first
// time (.ci/run fetches it beforehand, with cmd/standin -tools). The tests
// that give themselves a module cache of their own (Offline) still find it
// there.
func Toolchain(name string) (string, error) {
	gopath, err := GoEnv("GOPATH")
	if err != nil {
		return "", err
	}
	modcache := filepath.Join(filepath.SplitList(gopath)[0], "pkg", "mod")
	root := filepath.Join(modcache, "golang.org", "toolchain@v0.0.1-"+name+"."+runtime.GOOS+"-"+runtime.GOARCH)
	if _, err := os.Stat(filepath.Join(root, "bin", "go")); err == nil {
		return root, nil
	}
	cmd := exec.Command("go", "version")
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN="+name, "GOMODCACHE="+modcache, "GOFLAGS=", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("fetching the Go toolchain %s (GOTOOLCHAIN=%s go version): %v\n%s", name, name, err, out)
	}
	if _, err := os.Stat(filepath.Join(root, "bin", "go")); err != nil {
		return "", fmt.Errorf("GOTOOLCHAIN=%s go version left no toolchain at %s", name, root)
	}
	return root, nil
}

// tool builds a program that the stand-in packages as nixpkgs does, the
// real one at the version internal/nixtest/tools/go.mod pins as a tool
// dependency, and returns its path. It is built once per version, into a
// folder of the machine's temporary directory named after that go.sum, so
// that the stand-in's package of it keeps its store path across runs.
func tool(name, pkg string) (string, error) {
	_, self, _, _ := runtime.Caller(0)
	mod := filepath.Join(filepath.Dir(self), "tools")
	sum, err := os.ReadFile(filepath.Join(mod, "go.sum"))
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(sum)
	bin := filepath.Join(os.TempDir(), "gonix-init-nixtest-tools-"+hex.EncodeToString(h[:8]), name)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	tmp := bin + ".tmp"
	cmd := exec.Command("go", "build", "-o", tmp, pkg)
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building %s for the stand-in: %v\n%s", pkg, err, out)
	}
	return bin, os.Rename(tmp, bin)
}

// Own builds a command of internal/nixtest (cmd/gh, cmd/codesign), once
// for its sources, and returns its path.
func Own(t testing.TB, pkg string) string {
	t.Helper()
	bin, err := own(pkg)
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// own builds one of this package's own programs (a directory of it, like
// cmd/codesign) into a folder named by its sources, once.
func own(pkg string) (string, error) {
	_, self, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(self), pkg)
	h := sha256.New()
	for _, d := range []string{dir, filepath.Join(filepath.Dir(self), "machosign")} {
		entries, err := os.ReadDir(d)
		if err != nil {
			return "", err
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(d, e.Name()))
			if err != nil {
				return "", err
			}
			h.Write(data)
		}
	}
	bin := filepath.Join(os.TempDir(), "gonix-init-nixtest-own-"+hex.EncodeToString(h.Sum(nil)[:8]), filepath.Base(pkg))
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	tmp := bin + ".tmp"
	cmd := exec.Command("go", "build", "-o", tmp, "./"+pkg)
	cmd.Dir = filepath.Dir(self)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building %s for the stand-in: %v\n%s", pkg, err, out)
	}
	return bin, os.Rename(tmp, bin)
}

// Tools are the programs the stand-in packages, or the tests run, as
// built from their Go packages, at the versions that
// internal/nixtest/tools/go.mod pins as tool dependencies.
var Tools = map[string]string{
	"cyclonedx-gomod": "github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod",
	"regctl":          "github.com/regclient/regclient/cmd/regctl",
	"actionlint":      "github.com/rhysd/actionlint/cmd/actionlint",
}

// BuildTools builds every one of Tools that is not built yet, as Tool
// would, and fetches the Toolchains: .ci/run does it while it installs the
// rest.
func BuildTools() error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(Tools)) {
		_, err := tool(name, Tools[name])
		errs = append(errs, err)
	}
	for _, attr := range slices.Sorted(maps.Keys(Toolchains)) {
		_, err := Toolchain(Toolchains[attr])
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Tool returns the path of one of Tools, building it the first time.
func Tool(t testing.TB, name string) string {
	t.Helper()
	bin, err := tool(name, Tools[name])
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// PatchedFiles are the standard library files nixpkgs' Go patches to hold
// store paths (pkgs/development/compilers/go: iana-etc-1.25.patch,
// mailcap-1.17.patch, tzdata-1.19.patch), as paths under GOROOT.
var PatchedFiles = []string{"src/net/lookup_unix.go", "src/net/port_unix.go", "src/mime/type_unix.go", "src/time/zoneinfo_unix.go"}

// writeGoSrc writes the stand-in's go.src, a tarball laid out like
// go<version>.src.tar.gz (go/src/...) with the upstream PatchedFiles of the
// Go at goroot, and returns its sha256 as Nix's SRI hash.
func writeGoSrc(goroot, out string) (string, error) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range PatchedFiles {
		data, err := os.ReadFile(filepath.Join(goroot, f))
		if err == nil {
			err = tw.WriteHeader(&tar.Header{Name: "go/" + f, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		}
		if err == nil {
			_, err = tw.Write(data)
		}
		if err != nil {
			return "", err
		}
	}
	if err := errors.Join(tw.Close(), gz.Close(), os.WriteFile(out, buf.Bytes(), 0o644)); err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:]), nil
}

// GoEnv is `go env key`.
func GoEnv(key string) (string, error) {
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", key, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// mustGoEnv is GoEnv that fails t on error.
func mustGoEnv(t testing.TB, key string) string {
	t.Helper()
	v, err := GoEnv(key)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Override is the arguments that put the stand-in in place of nixpkgs.
func (n *Nix) Override() []string {
	return override(n.Standin)
}

func override(standin string) []string {
	return []string{"--override-input", "nixpkgs", "path:" + standin, "--no-write-lock-file"}
}

// Run runs nix args in dir and returns its stdout, or its error with
// stderr. A warning on stderr (testenv.NixWarnings) is an error too: users
// would see it.
func (n *Nix) Run(dir string, args ...string) (string, error) {
	cmd := exec.Command(n.Bin, args...)
	cmd.Dir = dir
	cmd.Env = n.Env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("nix %s: %v\n%s", strings.Join(args, " "), err, lastLines(stderr.String(), 30))
	}
	if w := testenv.NixWarnings(stderr.String()); len(w) > 0 {
		return stdout.String(), fmt.Errorf("nix %s warned:\n%s", strings.Join(args, " "), strings.Join(w, "\n"))
	}
	return stdout.String(), nil
}

// Flake runs a nix command on the flake in dir with the stand-in as nixpkgs:
// Flake(dir, "build", ".#docker") runs nix build .#docker --override-input ...
func (n *Nix) Flake(dir string, args ...string) (string, error) {
	return n.Run(dir, append(args, n.Override()...)...)
}

// App runs `nix run <flake>#<app> -- args` with the stand-in as nixpkgs,
// in dir: App(dir, ".#vendor-hash", "--check").
func (n *Nix) App(dir, app string, args ...string) (string, error) {
	return n.Run(dir, append(append([]string{"run", app}, n.Override()...), append([]string{"--"}, args...)...)...)
}

// Wrapper writes a nix program that adds the stand-in override to every
// build, eval and run, so that scripts calling plain `nix build` (the
// generated Taskfile) use the stand-in; it returns the folder to put first
// in PATH. With NIXTEST_IMAGE_FLAKE set in its environment, it builds
// .#oci from that flake instead: a way to hand a script an image whose
// binaries are not the project's.
func (n *Nix) Wrapper(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := WriteWrapper(dir, n.Bin, n.Standin); err != nil {
		t.Fatal(err)
	}
	return dir
}

// WriteWrapper writes dir/nix, a program that runs nix (the program bin)
// with the stand-in in standin as nixpkgs for every build, eval, run,
// develop, flake check and flake show (see Nix.Wrapper).
func WriteWrapper(dir, bin, standin string) error {
	script := fmt.Sprintf(`#!/bin/sh
case "$1 $2" in
  "flake check"*|"flake show"*)
    sub="$1 $2"
    shift 2
    exec %q $sub %s "$@" ;;
esac
case "$1" in
  build|eval|run|develop)
    sub=$1
    shift
    if [ -n "$NIXTEST_IMAGE_FLAKE" ]; then
      for a; do
        shift
        [ "$a" = .#oci ] && a="$NIXTEST_IMAGE_FLAKE#oci"
        set -- "$@" "$a"
      done
    fi
    exec %q "$sub" %s "$@" ;;
  *) exec %q "$@" ;;
esac
`, bin, strings.Join(quoteAll(override(standin)), " "), bin, strings.Join(quoteAll(override(standin)), " "), bin)
	return os.WriteFile(filepath.Join(dir, "nix"), []byte(script), 0o755)
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return out
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// LockStandin locks the stand-in into the flake.lock of the flake in dir,
// as nixpkgs: committed with it, the tree is clean for Nix, which gives
// the flake self.rev (with --override-input the lock differs from the
// commit's, and Nix gives none).
func (n *Nix) LockStandin(t testing.TB, dir string) {
	t.Helper()
	lock := exec.Command(n.Bin, append([]string{"flake", "lock"}, n.Override()[:3]...)...)
	lock.Dir, lock.Env = dir, n.Env
	if out, err := lock.CombinedOutput(); err != nil {
		t.Fatalf("nix flake lock: %v\n%s", err, out)
	}
}

// MustFlake is Flake that fails t on error.
func (n *Nix) MustFlake(t testing.TB, dir string, args ...string) string {
	t.Helper()
	return orFail(t)(n.Flake(dir, args...))
}

// MustRun is Run that fails t on error.
func (n *Nix) MustRun(t testing.TB, dir string, args ...string) string {
	t.Helper()
	return orFail(t)(n.Run(dir, args...))
}

// orFail returns a command's output, failing t on its error.
func orFail(t testing.TB) func(out string, err error) string {
	return func(out string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}
