package standintest_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
	"github.com/gonix-init/gonix-init/internal/vendorhash"
)

// must fails t on err.
var must = nixtest.Must

// standinFlake writes a flake whose nixpkgs is the stand-in and whose
// output x is expr (with pkgs and lib in scope), beside a Go module, and
// returns its directory.
func standinFlake(t *testing.T, n *nixtest.Nix, expr string) string {
	t.Helper()
	dir := t.TempDir()
	flake := `{
  inputs.nixpkgs.url = "path:` + n.Standin + `";
  outputs = { self, nixpkgs }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      lib = nixpkgs.lib;
    in { x = ` + expr + `; };
}
`
	must(t, os.WriteFile(filepath.Join(dir, "flake.nix"), []byte(flake), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo 1.25\n"), 0o644))
	return dir
}

// evalWithStandin evaluates expr in a flake whose nixpkgs is the stand-in.
func evalWithStandin(t *testing.T, n *nixtest.Nix, expr string) (string, error) {
	t.Helper()
	return n.Run(standinFlake(t, n, expr), "eval", "--json", ".#x", "--no-write-lock-file")
}

// goModule is a buildGoModule call with args merged in.
func goModule(args string) string {
	return `(pkgs.buildGoModule ({ pname = "x"; version = "1"; src = ./.; vendorHash = null; env.CGO_ENABLED = 0; } // ` + args + `))`
}

// TestStandinEnforcesNixpkgsRules feeds the stand-in each argument that
// nixpkgs refuses at evaluation and expects nixpkgs' error, so that a
// flake it accepts is not accepted by accident. Each rule names the nixpkgs
// file it follows in the stand-in's source.
func TestStandinEnforcesNixpkgsRules(t *testing.T) {
	n := nixtest.New(t)
	const overlap = "The following attributes are overlapping: "
	for _, tc := range []struct{ name, expr, want string }{
		// pkgs/build-support/go/module.nix
		{"vendorHash missing", `(pkgs.buildGoModule { pname = "x"; version = "1"; src = ./.; }).drvPath`, "buildGoModule: vendorHash is missing"},
		// pkgs/stdenv/generic/make-derivation.nix: name from pname and version.
		{"pname missing", `(pkgs.buildGoModule { version = "1"; src = ./.; vendorHash = null; }).drvPath`, "attribute 'pname' missing"},
		// make-derivation.nix's env check, against module.nix's env and GOFLAGS.
		{"top-level CGO_ENABLED", goModule(`{ CGO_ENABLED = 0; }`) + ".drvPath", overlap + "CGO_ENABLED"},
		{"top-level GOOS", goModule(`{ GOOS = "linux"; }`) + ".drvPath", overlap + "GOOS"},
		{"top-level GOARCH", goModule(`{ GOARCH = "arm64"; }`) + ".drvPath", overlap + "GOARCH"},
		{"top-level GOTOOLCHAIN", goModule(`{ GOTOOLCHAIN = "auto"; }`) + ".drvPath", overlap + "GOTOOLCHAIN"},
		{"env.GOFLAGS", goModule(`{ env.GOFLAGS = "-v"; }`) + ".drvPath", overlap + "GOFLAGS"},
		{"env overlaps an argument", goModule(`{ env.FOO = "a"; FOO = "b"; }`) + ".drvPath", overlap + "FOO"},
		{"env holds a list", goModule(`{ env.FOO = [ "a" ]; }`) + ".drvPath", "The ‘FOO’ attribute is of type list"},
		{"attribute nixpkgs lacks", `pkgs.notAPackage.drvPath`, "attribute 'notAPackage' missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := evalWithStandin(t, n, tc.expr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("nix eval accepted it or failed otherwise, want %q:\n%v", tc.want, err)
			}
		})
	}

	// Controls: correct calls evaluate, so the failures above are the rules.
	for _, expr := range []string{goModule(`{ }`) + ".drvPath"} {
		if out, err := evalWithStandin(t, n, expr); err != nil || !strings.Contains(out, "/nix/store/") {
			t.Errorf("a correct call failed: %v %s", err, out)
		}
	}
}

// TestStandinComputesArgumentsAsNixpkgs checks what buildGoModule makes of
// its arguments, and how overrideAttrs applies after it
// (pkgs/build-support/go/module.nix with lib.extendMkDerivation,
// lib/fixed-points.nix's toExtension).
func TestStandinComputesArgumentsAsNixpkgs(t *testing.T) {
	n := nixtest.New(t)
	for _, tc := range []struct{ name, expr, want string }{
		{"GOFLAGS is a list that gets -mod=vendor and -trimpath", goModule(`{ GOFLAGS = [ "-v" ]; }`) + ".GOFLAGS", `["-v","-mod=vendor","-trimpath"]`},
		{"proxyVendor drops -mod=vendor", goModule(`{ proxyVendor = true; }`) + ".GOFLAGS", `["-trimpath"]`},
		{"ldflags get -buildid=", goModule(`{ ldflags = [ "-s" ]; }`) + ".ldflags", `["-s","-buildid="]`},
		{"env.GOOS and env.GOARCH are overwritten", goModule(`{ env.GOOS = "windows"; env.GOARCH = "386"; }`) + `.GOOS + "/" + ` + goModule(`{ env.GOARCH = "386"; }`) + ".GOARCH", `"linux/amd64"`},
		{"env.CGO_ENABLED is kept", goModule(`{ }`) + ".CGO_ENABLED", `0`},
		{"env.CGO_ENABLED = false evaluates (and means cgo on)", goModule(`{ env.CGO_ENABLED = false; }`) + ".CGO_ENABLED", `false`},
		{"vendorHash null: no vendor derivation", goModule(`{ }`) + ".goModules", `""`},
		{"overrideAttrs with a set", "(" + goModule(`{ }`) + ".overrideAttrs { doCheck = false; }).doCheck", `false`},
		{"overrideAttrs with prev:", "(" + goModule(`{ ldflags = [ "-s" ]; }`) + `.overrideAttrs (prev: { ldflags = prev.ldflags ++ [ "-w" ]; })).ldflags`, `["-s","-buildid=","-w"]`},
		{"overrideAttrs with final: prev:", "(" + goModule(`{ }`) + `.overrideAttrs (final: prev: { version = "2"; })).name`, `"x-2"`},
		{"overriding ldflags drops -buildid=", "(" + goModule(`{ }`) + `.overrideAttrs { ldflags = [ "-s" ]; }).ldflags`, `["-s"]`},
		{"overriding env drops the Go environment", "(" + goModule(`{ }`) + `.overrideAttrs { env.FOO = "1"; }) ? GOTOOLCHAIN`, `false`},
		{"overriding vendorHash reaches goModules", "(" + goModule(`{ }`) + `.overrideAttrs { vendorHash = lib.fakeHash; }).goModules.outputHash`, `"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="`},
		{"pkgs.go has the pin's version, not the machine's", `pkgs.go.version`, `"` + nixpin.Nixpkgs.Go().Version + `"`},
		{"pkgs.go is go_1_26", `pkgs.go.drvPath == pkgs.go_1_26.drvPath`, `true`},
		{"buildGoModule builds with pkgs.go", goModule(`{ }`) + ".go.drvPath == pkgs.go.drvPath", `true`},
		{"buildGoModule.override { go } builds with that Go", "((pkgs.buildGoModule.override { go = pkgs.go_1_27; }) { pname = \"x\"; version = \"1\"; src = ./.; vendorHash = null; }).go.version", `"` + nixpin.Nixpkgs.Gos[1].Version + `"`},
		{"buildGoModule.override takes a function of the old arguments", "((pkgs.buildGoModule.override (old: { go = old.go; })) { pname = \"x\"; version = \"1\"; src = ./.; vendorHash = null; }).go.version", `"` + nixpin.Nixpkgs.Go().Version + `"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := n.Run(standinFlake(t, n, tc.expr), "eval", "--json", ".#x", "--no-write-lock-file")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(out); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestStandinWarnsAsNixpkgs checks that buildGoModule's warnings reach
// Nix's stderr as evaluation warnings, which the tests treat as failures.
func TestStandinWarnsAsNixpkgs(t *testing.T) {
	n := nixtest.New(t)
	for _, tc := range []struct{ args, want string }{
		{`{ GOFLAGS = [ "-mod=mod" ]; }`, "use `proxyVendor` to control Go module/vendor behavior"},
		{`{ GOFLAGS = [ "-trimpath" ]; }`, "`-trimpath` is added by default to GOFLAGS"},
		{`{ ldflags = [ "-buildid=" ]; }`, "`-buildid=` is set by default as ldflag"},
	} {
		_, err := evalWithStandin(t, n, goModule(tc.args)+".drvPath")
		if err == nil || !strings.Contains(err.Error(), "evaluation warning: "+tc.want) {
			t.Errorf("%s: want the evaluation warning %q, got %v", tc.args, tc.want, err)
		}
	}
}

// TestStandinGoRefusesANewerGoLine builds, with each Go of the pin, a
// module whose go line is newer than that Go, which the machine's Go (or
// the toolchain that stands in for it) would build: the stand-in's Go
// refuses it under buildGoModule's GOTOOLCHAIN=local with Go's own
// message, as the pinned nixpkgs' Go does; at the pin's version it builds.
func TestStandinGoRefusesANewerGoLine(t *testing.T) {
	n := nixtest.New(t)
	for _, g := range nixpin.Nixpkgs.Gos {
		t.Run(g.Attr, func(t *testing.T) {
			dir := standinFlake(t, n, "(pkgs.buildGoModule.override { go = pkgs."+g.Attr+"; }) { pname = \"x\"; version = \"1\"; src = ./.; vendorHash = null; env.CGO_ENABLED = 0; }")
			newer := g.Version[:strings.LastIndex(g.Version, ".")] + ".99"
			must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo "+newer+"\n"), 0o644))
			_, err := n.Run(dir, "build", ".#x", "--no-link", "--no-write-lock-file")
			if want := "go: go.mod requires go >= " + newer + " (running go " + g.Version + "; GOTOOLCHAIN=local)"; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("a go line above the pin's %s: want %q, got %v", g, want, err)
			}
			must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo "+g.Version+"\n"), 0o644))
			n.MustRun(t, dir, "build", ".#x", "--no-link", "--no-write-lock-file")
		})
	}
}

// TestStandinGoReleases checks the pin's two Go releases in the stand-in
// (pkgs/top-level/all-packages.nix, go/1.26.nix, go/1.27.nix): each is its
// own store path on each system, and its src, a fixed output, the same path
// on every system; a module whose go line is 1.26.11, newer than pkgs.go,
// built with go_1_27 is a Go 1.27 binary: `go version -m` reads the
// toolchain that stands in for it (nixtest.Toolchains) in its build info.
func TestStandinGoReleases(t *testing.T) {
	n := nixtest.New(t)
	out, err := evalWithStandin(t, n, `builtins.listToAttrs (map (attr: { name = attr; value = {
		linux = pkgs.${attr}.drvPath; darwin = nixpkgs.legacyPackages.aarch64-darwin.${attr}.drvPath;
		linuxSrc = pkgs.${attr}.src.outPath; darwinSrc = nixpkgs.legacyPackages.aarch64-darwin.${attr}.src.outPath;
	}; }) [ "go" "go_1_27" ])`)
	must(t, err)
	var paths map[string]struct{ Linux, Darwin, LinuxSrc, DarwinSrc string }
	must(t, json.Unmarshal([]byte(out), &paths))
	if paths["go"].Linux == paths["go_1_27"].Linux || paths["go"].LinuxSrc == paths["go_1_27"].LinuxSrc {
		t.Errorf("go and go_1_27 share a store path: %+v", paths)
	}
	for attr, p := range paths {
		if p.Linux == p.Darwin || p.LinuxSrc != p.DarwinSrc {
			t.Errorf("%s: want a store path per system and one src for all: %+v", attr, p)
		}
	}

	dir := standinFlake(t, n, "(pkgs.buildGoModule.override { go = pkgs.go_1_27; }) { pname = \"x\"; version = \"1\"; src = ./.; vendorHash = null; env.CGO_ENABLED = 0; }")
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo 1.26.11\n"), 0o644))
	built := strings.TrimSpace(n.MustRun(t, dir, "build", ".#x", "--no-link", "--print-out-paths", "--no-write-lock-file"))
	info := testenv.Run(t, dir, os.Environ(), "go", "version", "-m", filepath.Join(built, "bin", "x"))
	if want := ": " + nixtest.Toolchains["go_1_27"] + "\n"; !strings.Contains(info, want) {
		t.Errorf("go version -m of the go_1_27 build: want %q in it:\n%s", want, info)
	}
}

// TestStandinGoPatchesAsNixpkgs builds a program that looks up a port and
// a protocol, a MIME type and a time zone (what a net/http server does), for
// linux/arm64 the way a flake without care does, buildGoModule with GOOS and GOARCH
// exported, from packages.aarch64-linux and packages.aarch64-darwin: as
// with nixpkgs' patched Go, the two binaries differ, each holds its
// system's iana-etc, mailcap and tzdata store paths, and references them.
func TestStandinGoPatchesAsNixpkgs(t *testing.T) {
	n := nixtest.New(t)
	dir := t.TempDir()
	flake := `{
  inputs.nixpkgs.url = "path:` + n.Standin + `";
  outputs = { self, nixpkgs }:
    let
      arm64 = system: (nixpkgs.legacyPackages.${system}.buildGoModule {
        pname = "srv"; version = "1"; src = ./.; vendorHash = null;
        env.CGO_ENABLED = 0; ldflags = [ "-s" "-w" ]; doCheck = false;
        preBuild = "export GOOS=linux GOARCH=arm64";
        postInstall = "if [ -d $out/bin/linux_arm64 ]; then mv $out/bin/linux_arm64/srv $out/bin/srv; rmdir $out/bin/linux_arm64; fi";
      });
    in {
      linux = arm64 "aarch64-linux";
      darwin = arm64 "aarch64-darwin";
      data = nixpkgs.lib.genAttrs [ "aarch64-linux" "aarch64-darwin" ] (system: {
        inherit (nixpkgs.legacyPackages.${system}) iana-etc mailcap tzdata;
      });
    };
}
`
	must(t, os.WriteFile(filepath.Join(dir, "flake.nix"), []byte(flake), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/srv\n\ngo 1.25\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(`package main

import (
	"mime"
	"net"
	"time"
)

func main() {
	_, _ = net.LookupPort("tcp", "http")
	_, _ = net.Dial("ip:icmp", "127.0.0.1")
	_ = mime.TypeByExtension(".css")
	_, _ = time.LoadLocation("Europe/Paris")
}
`), 0o644))
	bins := map[string][]byte{}
	for _, out := range []string{"linux", "darwin"} {
		path := strings.TrimSpace(n.MustRun(t, dir, "build", ".#"+out, "--no-link", "--print-out-paths", "--no-write-lock-file"))
		data, err := os.ReadFile(filepath.Join(path, "bin", "srv"))
		must(t, err)
		bins[out] = data
		refs := n.MustRun(t, dir, "path-info", "--json", path) // its references among the rest
		system := map[string]string{"linux": "aarch64-linux", "darwin": "aarch64-darwin"}[out]
		for _, pkg := range []string{"iana-etc", "mailcap", "tzdata"} {
			p := strings.TrimSpace(n.MustRun(t, dir, "eval", "--raw", ".#data."+system+"."+pkg+".outPath", "--no-write-lock-file"))
			if !strings.Contains(string(data), p) || !strings.Contains(refs, p) {
				t.Errorf("%s: the binary does not hold and reference %s's %s", out, system, p)
			}
		}
	}
	if string(bins["linux"]) == string(bins["darwin"]) {
		t.Error("the linux/arm64 binaries of aarch64-linux and aarch64-darwin are identical; with nixpkgs' patched Go they differ")
	}
}

// TestStandinVendorHash builds a module with a requirement against each
// vendorHash nixpkgs knows, and expects nixpkgs' outcome: Nix's own hash
// mismatch, whose got: is the NAR hash of what `go mod vendor` writes, for
// "", lib.fakeHash and a wrong hash; Go's vendoring error for null; a build
// for the true hash.
func TestStandinVendorHash(t *testing.T) {
	env := nixtest.Offline(t)
	n := nixtest.New(t)
	module := t.TempDir()
	nixtest.UseGreet(t, module, env, "v1.0.0")
	truth := strings.Trim(n.VendorHash(t, module, env), `"`)

	build := func(vendorHash string, extra ...string) (string, error) {
		dir := standinFlake(t, n, `pkgs.buildGoModule { pname = "x"; version = "1"; src = ./.; vendorHash = `+vendorHash+`; env.CGO_ENABLED = 0; `+strings.Join(extra, " ")+` }`)
		for _, f := range []string{"go.mod", "go.sum", "main.go"} {
			data, err := os.ReadFile(filepath.Join(module, f))
			must(t, err)
			must(t, os.WriteFile(filepath.Join(dir, f), data, 0o644))
		}
		return n.Run(dir, "build", ".#x", "--no-link", "--no-write-lock-file")
	}
	got := regexp.MustCompile(`got: +(sha256-\S+)`)
	for _, h := range []string{`"sha256-0000000000000000000000000000000000000000000="`, `lib.fakeHash`} {
		_, err := build(h)
		if err == nil || !strings.Contains(err.Error(), "hash mismatch in fixed-output derivation") {
			t.Fatalf("vendorHash = %s: want Nix's hash mismatch, got %v", h, err)
		}
		if m := got.FindStringSubmatch(err.Error()); m == nil || m[1] != truth {
			t.Errorf("vendorHash = %s: mismatch names %v, want got: %s", h, m, truth)
		}
	}
	// "" is the same, after Nix's own warning that it assumes a fake hash.
	if _, err := build(`""`); err == nil || !strings.Contains(err.Error(), "got:    "+truth) {
		t.Errorf(`vendorHash = "": want a mismatch naming %s, got %v`, truth, err)
	}
	if _, err := build("null"); err == nil || !strings.Contains(err.Error(), "inconsistent vendoring") {
		t.Errorf("vendorHash = null with a requirement: want Go's vendoring error, got %v", err)
	}
	if _, err := build(`"` + truth + `"`); err != nil {
		t.Errorf("vendorHash = the true hash: %v", err)
	}

	// With proxyVendor: go mod download's module cache, less sumdb, as
	// gonix-init adopt computes it for a build-info build; the build reads
	// it as a file:// GOPROXY.
	proxy, err := vendorhash.Compute(context.Background(), "go", module, "", vendorhash.Proxy)
	must(t, err)
	if _, err := build("lib.fakeHash", "proxyVendor = true;"); err == nil || !strings.Contains(err.Error(), "got:    "+strings.Trim(proxy, `"`)) {
		t.Errorf("proxyVendor, a fake hash: want a mismatch naming %s, got %v", proxy, err)
	}
	if _, err := build(proxy, "proxyVendor = true;"); err != nil {
		t.Errorf("proxyVendor, the hash vendorhash computes: %v", err)
	}
}

// TestStandinFormatters runs both nixfmt stand-ins as `nix fmt` runs a
// formatter (no arguments, stdin at its end): nixfmt-tree formats the
// work tree's .nix files, plain nixfmt reads stdin and formats nothing.
func TestStandinFormatters(t *testing.T) {
	n := nixtest.New(t)
	for _, tc := range []struct {
		formatter string
		formats   bool
	}{{"nixfmt-tree", true}, {"nixfmt", false}} {
		t.Run(tc.formatter, func(t *testing.T) {
			dir := standinFlake(t, n, "null")
			flake := filepath.Join(dir, "flake.nix")
			data, _ := os.ReadFile(flake)
			data = []byte(strings.Replace(string(data), "in { x = null; };", "in { x = null; formatter.x86_64-linux = pkgs."+tc.formatter+"; };", 1))
			must(t, os.WriteFile(flake, data, 0o644))
			must(t, os.MkdirAll(filepath.Join(dir, "nix"), 0o755))
			messy := filepath.Join(dir, "nix", "messy.nix")
			must(t, os.WriteFile(messy, []byte("{ a = 1; }   \n"), 0o644))
			testenv.Run(t, dir, os.Environ(), "git", "init", "-q")
			testenv.Run(t, dir, os.Environ(), "git", "add", "-A")
			n.MustRun(t, dir, "fmt", "--no-write-lock-file")
			got, _ := os.ReadFile(messy)
			if formatted := string(got) == "{ a = 1; }\n"; formatted != tc.formats {
				t.Errorf("nix fmt with %s: nix/messy.nix is %q", tc.formatter, got)
			}
		})
	}
}

// TestStandinHasOnlyNixpkgsAttributes checks that every attribute of the
// stand-in exists in nixpkgs too, with the same name, so that a template
// cannot come to depend on something only the stand-in has.
func TestStandinHasOnlyNixpkgsAttributes(t *testing.T) {
	n := nixtest.New(t)
	// Each of these is an attribute of nixpkgs (pkgs/top-level, lib/default.nix).
	nixpkgsPkgs := []string{"bashInteractive", "buildGoModule", "cacert", "cyclonedx-gomod", "delve", "git", "go", "go-task", "go_1_26", "go_1_27", "golangci-lint", "gopls", "iana-etc", "mailcap", "mkShell", "regclient", "nixfmt", "nixfmt-tree", "runCommand", "stdenv", "tmux", "tzdata", "writeShellApplication", "zip", "jq", "versionCheckHook"}
	nixpkgsLib := []string{"any", "cleanSource", "cleanSourceFilter", "escapeShellArg", "extends", "fakeHash", "fileContents", "genAttrs", "getExe", "getName", "hasPrefix", "hasSuffix", "optional", "optionalAttrs", "optionalString", "removeSuffix", "toExtension", "toFunction", "warn", "warnIf"}
	out, err := evalWithStandin(t, n, `{ pkgs = builtins.attrNames pkgs; lib = builtins.attrNames lib; }`)
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Pkgs, Lib []string }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what      string
		got, real []string
	}{{"pkgs", got.Pkgs, nixpkgsPkgs}, {"lib", got.Lib, nixpkgsLib}} {
		for _, name := range c.got {
			if !slices.Contains(c.real, name) {
				t.Errorf("the stand-in's %s has %q, which is not known to be in nixpkgs", c.what, name)
			}
		}
	}
}

// TestStandinWriteShellApplication builds scripts as nixpkgs'
// writeShellApplication does: runtimeInputs on PATH, errexit/nounset/
// pipefail on, and shellcheck refusing a script it flags.
func TestStandinWriteShellApplication(t *testing.T) {
	testenv.Require(t, "shellcheck", "apt-get install -y shellcheck")
	n := nixtest.New(t)
	app := func(text string) string {
		return `pkgs.writeShellApplication { name = "hi"; runtimeInputs = [ pkgs.go ]; text = ` + text + `; }`
	}
	dir := standinFlake(t, n, app(`"go version; echo \"$UNSET\""`))
	out, err := n.Run(dir, "run", ".#x", "--no-write-lock-file")
	if err == nil || !strings.Contains(err.Error(), "UNSET: unbound variable") || !strings.Contains(out, "go version go") {
		t.Errorf("want go on PATH and nounset: %q, %v", out, err)
	}
	dir = standinFlake(t, n, app(`"echo $1"`))
	if _, err := n.Run(dir, "build", ".#x", "--no-link", "--no-write-lock-file"); err == nil || !strings.Contains(err.Error(), "SC2086") {
		t.Errorf("want shellcheck to refuse an unquoted $1, got %v", err)
	}
}

// TestStandinBuildsInTheSandbox builds a package whose tests need what a
// sandboxed build lacks, as nixpkgs builds it in Nix's sandbox: the test
// that writes to $HOME fails (HOME is /homeless-shelter), the one that
// expects a file of mode 000 to be unreadable passes (the build is not
// root), and the one that dials the network fails.
func TestStandinBuildsInTheSandbox(t *testing.T) {
	n := nixtest.New(t)
	dir := standinFlake(t, n, goModule(`{ checkFlags = [ "-v" ]; }`))
	must(t, os.WriteFile(filepath.Join(dir, "main_test.go"), []byte(nixtest.SandboxTests), 0o644))
	_, err := n.Run(dir, "build", ".#x", "--no-link", "--no-write-lock-file")
	if err == nil {
		t.Fatal("the build passed: its tests had a HOME, root or the network")
	}
	log := n.MustRun(t, dir, "log", ".#x", "--no-write-lock-file")
	for _, want := range []string{
		"--- FAIL: TestWritesHome", "/homeless-shelter/x",
		"--- PASS: TestModeZeroIsUnreadable",
		"--- FAIL: TestDials",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the build's log lacks %q:\n%s", want, log)
		}
	}
}

// TestStandinCacert builds pkgs.cacert as two systems: the bundle is the
// same bytes on both (the image's /etc/ssl/certs/ca-certificates.crt),
// from another store path each; it holds this machine's bundle and the
// test CA, which verifies a server certificate nixtest.ServerCert makes.
func TestStandinCacert(t *testing.T) {
	n := nixtest.New(t)
	dir := standinFlake(t, n, `{ linux = pkgs.cacert; darwin = nixpkgs.legacyPackages.aarch64-darwin.cacert; }`)
	paths := strings.Fields(n.MustRun(t, dir, "build", "--no-link", "--print-out-paths", "--no-write-lock-file", ".#x.linux", ".#x.darwin"))
	if len(paths) != 2 || paths[0] == paths[1] {
		t.Fatalf("want two store paths, one per system: %q", paths)
	}
	var bundles [2][]byte
	for i, p := range paths {
		var err error
		bundles[i], err = os.ReadFile(filepath.Join(p, "etc", "ssl", "certs", "ca-bundle.crt"))
		must(t, err)
	}
	if !bytes.Equal(bundles[0], bundles[1]) {
		t.Error("cacert's ca-bundle.crt differs between x86_64-linux and aarch64-darwin")
	}
	machine, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	must(t, err)
	if !bytes.HasPrefix(bundles[0], machine) || !bytes.HasSuffix(bundles[0], nixtest.TestCAPEM(t)) {
		t.Error("the bundle is not this machine's bundle and then the test CA")
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(bundles[0]) {
		t.Fatal("the bundle holds no certificate Go reads")
	}
	leaf, err := x509.ParseCertificate(nixtest.ServerCert(t).Certificate[0])
	must(t, err)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost"}); err != nil {
		t.Errorf("a server certificate of the test CA does not verify against the bundle: %v", err)
	}
	if !bytes.Equal(nixtest.TestCAPEM(t), nixtest.TestCAPEM(t)) {
		t.Error("the test CA is not the same certificate twice: the stand-in's cacert would change")
	}
}

// TestGoNixFollowsNixpin evaluates the flake's nix/go.nix (the template,
// read as is, as gonix-init's own flake reads it) on the stand-in for go
// lines on both sides of each Go of the pin, and expects the Go that
// internal/nixpin's GoFor names, which the plan and nix/README.md state,
// or, where GoFor finds none, the evaluation error that says what to do.
// The two are one rule in two languages.
func TestGoNixFollowsNixpin(t *testing.T) {
	n := nixtest.New(t)
	_, self, _, _ := runtime.Caller(0)
	goNix := filepath.Join(filepath.Dir(self), "..", "..", "..", "templates", "nix", "go.nix.tmpl")
	dir := standinFlake(t, n, `let r = builtins.tryEval (import ./go.nix pkgs ./go.mod); in if r.success then r.value.version else "none"`)
	src, err := os.ReadFile(goNix)
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, "go.nix"), src, 0o644))
	for _, line := range []string{"", "1.16", "1.25", "1.26", "1.26.5", "1.26.6", "1.26.11", "1.27", "1.27rc1", "1.27.1", "1.27.2", "1.28", "1.99.9"} {
		mod := "module example.com/x\n"
		if line != "" {
			mod += "\ngo " + line + "\n"
		}
		must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644))
		out, err := n.Run(dir, "eval", "--raw", ".#x", "--no-write-lock-file")
		must(t, err)
		want := "none"
		if g, err := nixpin.Nixpkgs.GoFor(line); err == nil {
			want = g.Version
		}
		if out != want {
			t.Errorf("go %q: nix/go.nix picks %s, nixpin.GoFor %s", line, out, want)
		}
	}
}
