package fixuptest_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/nixtest/machosign"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// must fails t on err.
var must = nixtest.Must

// stripFlake is a flake that installs a program built with -s -w, as
// nixpkgs' buildGoModule builds it, for each of the release's platforms
// (bin-<goos>-<arch>/hello, built by the test), with each system's
// stdenv, whose fixup phase then runs as that system's builder runs it.
// Its outputs are <system>-<goos>-<arch>, and the same with dontStrip as
// nostrip-<system>-<goos>-<arch>; x86_64-linux's linux/amd64 once more with
// stripDebugList naming only lib (listed) and with dontFixup (nofixup).
// The program is built outside Nix, once per platform: what is tested is
// the fixup, and a Go build per system would compile the standard library
// three times over.
const stripFlake = `{
  inputs.nixpkgs.url = "path:STANDIN";
  outputs = { self, nixpkgs }:
    let
      build = dontStrip: system: platform: nixpkgs.legacyPackages.${system}.stdenv.mkDerivation {
        pname = "hello"; version = "1"; src = ./bin-${platform};
        inherit dontStrip;
        installPhase = "install -D -m 0755 hello $out/bin/hello";
      };
      each = dontStrip: prefix: builtins.listToAttrs (builtins.concatMap (system: map (platform: {
        name = "${prefix}${system}-${platform}";
        value = build dontStrip system platform;
      }) PLATFORMS) [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ]);
    in each false "" // each true "nostrip-" // {
      listed = (build false "x86_64-linux" "linux-amd64").overrideAttrs { stripDebugList = [ "lib" ]; };
      nofixup = (build false "x86_64-linux" "linux-amd64").overrideAttrs { dontFixup = true; };
    };
}
`

// buildStripFlake builds every output of stripFlake, with programs built
// here, and returns each one's bin/hello by output name.
func buildStripFlake(t *testing.T, n *nixtest.Nix) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	flake := strings.Replace(stripFlake, "STANDIN", n.Standin, 1)
	flake = strings.Replace(flake, "PLATFORMS", `[ "`+strings.Join(stripPlatforms, `" "`)+`" ]`, 1)
	must(t, os.WriteFile(filepath.Join(dir, "flake.nix"), []byte(flake), 0o644))
	for _, p := range stripPlatforms {
		goos, arch, _ := strings.Cut(p, "-")
		// A program of the runtime alone: what is stripped is any Go
		// binary's, and a fresh run compiles no more for six platforms.
		nixtest.BuildFor(t, "package main\n\nfunc main() { println(\"hello\") }\n",
			goos, arch, filepath.Join(dir, "bin-"+p, "hello"), "-ldflags=-s -w")
	}
	var attrs []string
	for _, prefix := range []string{"", "nostrip-"} {
		for _, sys := range []string{"x86_64-linux", "aarch64-linux", "aarch64-darwin"} {
			for _, p := range stripPlatforms {
				attrs = append(attrs, ".#"+prefix+sys+"-"+p)
			}
		}
	}
	attrs = append(attrs, ".#listed", ".#nofixup")
	paths := strings.Fields(n.MustRun(t, dir, append([]string{"build", "--no-link", "--print-out-paths", "--no-write-lock-file"}, attrs...)...))
	if len(paths) != len(attrs) {
		t.Fatalf("built %d outputs for %d attributes", len(paths), len(attrs))
	}
	bins := map[string][]byte{}
	for i, a := range attrs {
		data, err := os.ReadFile(filepath.Join(paths[i], "bin", "hello"))
		must(t, err)
		bins[strings.TrimPrefix(a, ".#")] = data
	}
	return bins
}

// stripPlatforms are the platforms stripFlake installs a program of.
var stripPlatforms = []string{"linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64", "windows-arm64"}

// TestStandinStripsAsEachBuilder installs one program for each of the
// release's platforms with each system's stdenv, and finds the strip hook
// as nixpkgs runs it with each builder's own strip
// (pkgs/build-support/setup-hooks/strip.sh): x86_64-linux's binutils
// (`strip -S -p`) strips the linux/amd64 ELF and the windows/amd64 PE
// binaries alone, aarch64-linux's the linux/arm64 and windows/arm64 ones
// alone; aarch64-darwin's LLVM strip (`-S`, darwin's stripDebugFlags)
// strips every one, and its wrapper signs each Mach-O binary it stripped
// again, ad hoc, named as the file (signIfRequired, sigtool): Go's own
// signature of darwin/arm64 (identifier a.out, linker-signed) gives way to
// one of identifier hello, and darwin/amd64, which Go does not sign, gets
// one. A stripped binary is exactly what those tools make of the
// unstripped one; with dontStrip, dontFixup, or bin/ not in stripDebugList,
// the binary is not stripped, and every system builds the same bytes.
func TestStandinStripsAsEachBuilder(t *testing.T) {
	bins := buildStripFlake(t, nixtest.New(t))
	systems := []string{"x86_64-linux", "aarch64-linux", "aarch64-darwin"}

	// What a tool makes of the unstripped binary of a platform.
	unstripped := func(p string) []byte { return bins["nostrip-x86_64-linux-"+p] }
	tool := func(p string, cmd ...string) []byte {
		t.Helper()
		f := filepath.Join(t.TempDir(), "hello")
		must(t, os.WriteFile(f, unstripped(p), 0o755))
		if out, err := exec.Command(cmd[0], append(cmd[1:], f)...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(cmd, " "), err, out)
		}
		data, err := os.ReadFile(f)
		must(t, err)
		return data
	}
	gnu := testenv.Require(t, "strip", "apt-get install -y binutils")
	arm := testenv.Require(t, "aarch64-linux-gnu-strip", "apt-get install -y binutils-aarch64-linux-gnu")
	llvm := testenv.Require(t, "llvm-strip", "apt-get install -y llvm")
	darwin := func(p string) []byte {
		t.Helper()
		stripped := tool(p, llvm, "-S")
		if !strings.HasPrefix(p, "darwin-") {
			return stripped
		}
		signed, err := machosign.Sign(stripped, "hello")
		must(t, err)
		return signed
	}
	if bytes.Equal(tool("linux-amd64", gnu, "-S", "-p"), unstripped("linux-amd64")) {
		t.Fatal("strip -S -p left the -s -w binary as it was: nothing here can show the strip hook")
	}
	for _, p := range stripPlatforms {
		want := map[string][]byte{"x86_64-linux": unstripped(p), "aarch64-linux": unstripped(p), "aarch64-darwin": darwin(p)}
		switch p {
		case "linux-amd64", "windows-amd64":
			want["x86_64-linux"] = tool(p, gnu, "-S", "-p")
		case "linux-arm64", "windows-arm64":
			want["aarch64-linux"] = tool(p, arm, "-S", "-p")
		}
		for _, sys := range systems {
			if !bytes.Equal(bins[sys+"-"+p], want[sys]) {
				t.Errorf("%s's %s binary is not what that builder's strip makes of it", sys, p)
			}
			if !bytes.Equal(bins["nostrip-"+sys+"-"+p], unstripped(p)) {
				t.Errorf("with dontStrip, %s's %s binary differs from x86_64-linux's", sys, p)
			}
		}
	}
	checkSignatures(t, bins)
	for _, name := range []string{"listed", "nofixup"} {
		if !bytes.Equal(bins[name], unstripped("linux-amd64")) {
			t.Errorf("%s: the binary was stripped", name)
		}
	}
}

// checkSignatures checks the darwin binaries' signatures: Go's own on
// darwin/arm64, and aarch64-darwin's, made again ad hoc after its strip.
func checkSignatures(t *testing.T, bins map[string][]byte) {
	t.Helper()
	if id, linker, valid, _ := machosign.Signature(bins["nostrip-x86_64-linux-darwin-arm64"]); id != "a.out" || !linker || !valid {
		t.Errorf("Go's darwin/arm64 binary is signed %q (linker %v, valid %v), want a.out by the linker", id, linker, valid)
	}
	for _, p := range []string{"darwin-amd64", "darwin-arm64"} {
		if id, linker, valid, ok := machosign.Signature(bins["aarch64-darwin-"+p]); !ok || id != "hello" || linker || !valid {
			t.Errorf("aarch64-darwin's %s binary is signed %q (linker %v, valid %v), want hello, ad hoc, valid", p, id, linker, valid)
		}
	}
}

// hooksFlake builds, with the stand-in's stdenv.mkDerivation, an output
// laid out to meet every default fixup hook: a script whose interpreter is
// /bin/sh, an sbin/, a lib64/, a manual page, docs at the top, a link by
// absolute path into the output; once as it is (fixed), and with each
// switch that turns a hook off.
const hooksFlake = `{
  inputs.nixpkgs.url = "path:STANDIN";
  outputs = { self, nixpkgs }:
    let
      pkgs = nixpkgs.legacyPackages.x86_64-linux;
      layout = args: pkgs.stdenv.mkDerivation ({
        name = "layout"; dontUnpack = true;
        installPhase = ''
          mkdir -p $out/bin $out/sbin $out/lib64 $out/share/man/man1 $out/doc
          printf '#!/bin/sh\necho hi\n' > $out/bin/hi
          chmod +x $out/bin/hi
          echo tool > $out/sbin/tool
          echo lib > $out/lib64/libx
          echo page > $out/share/man/man1/hi.1
          echo readme > $out/doc/README
          ln -s $out/bin/hi $out/bin/hello
        '';
      } // args);
    in {
      fixed = layout { };
      noshebangs = layout { dontPatchShebangs = true; };
      nofixup = layout { dontFixup = true; };
      broken = layout { preFixup = "ln -s $NIX_STORE/nothing-here $out/bin/broken"; };
    };
}
`

// TestStandinFixupHooks builds hooksFlake's outputs and finds what
// nixpkgs' fixupPhase and its default hooks do (pkgs/stdenv/generic/
// setup.sh, pkgs/build-support/setup-hooks): patch-shebangs.sh rewrites the
// interpreter to the one found on HOST_PATH, move-sbin.sh, move-lib64.sh
// and move-docs.sh move files and leave links, compress-man-pages.sh
// gzips the page, make-symlinks-relative.sh rewrites the link, and
// no-broken-symlinks.sh fails a build with a link into the store that
// leads nowhere; dontPatchShebangs and dontFixup turn them off.
func TestStandinFixupHooks(t *testing.T) {
	n := nixtest.New(t)
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "flake.nix"), []byte(strings.Replace(hooksFlake, "STANDIN", n.Standin, 1)), 0o644))
	build := func(attr string) (string, error) {
		out, err := n.Run(dir, "build", ".#"+attr, "--no-link", "--print-out-paths", "--no-write-lock-file")
		return strings.TrimSpace(out), err
	}
	read := func(p string) string {
		data, err := os.ReadFile(p)
		must(t, err)
		return string(data)
	}
	link := func(p string) string {
		target, err := os.Readlink(p)
		if err != nil {
			return ""
		}
		return target
	}
	sh, err := exec.LookPath("sh") // HOST_PATH holds the initial path here
	must(t, err)

	fixed, err := build("fixed")
	must(t, err)
	for _, c := range []struct{ what, got, want string }{
		{"the script's interpreter", strings.SplitN(read(fixed+"/bin/hi"), "\n", 2)[0], "#!" + sh},
		{"sbin", link(fixed + "/sbin"), "bin"},
		{"sbin's file", read(fixed + "/bin/tool"), "tool\n"},
		{"lib64", link(fixed + "/lib64"), "lib"},
		{"lib64's file", read(fixed + "/lib/libx"), "lib\n"},
		{"the docs", read(fixed + "/share/doc/README"), "readme\n"},
		{"the link", link(fixed + "/bin/hello"), "hi"},
	} {
		if c.got != c.want {
			t.Errorf("fixed: %s is %q, want %q", c.what, c.got, c.want)
		}
	}
	if _, err := os.Stat(fixed + "/share/man/man1/hi.1.gz"); err != nil {
		t.Errorf("fixed: the manual page is not gzipped: %v", err)
	}

	noshebangs, err := build("noshebangs")
	must(t, err)
	if got := read(noshebangs + "/bin/hi"); !strings.HasPrefix(got, "#!/bin/sh\n") {
		t.Errorf("dontPatchShebangs: the script starts %q", got)
	}
	nofixup, err := build("nofixup")
	must(t, err)
	if link(nofixup+"/sbin") != "" || link(nofixup+"/bin/hello") != nofixup+"/bin/hi" || !strings.HasPrefix(read(nofixup+"/bin/hi"), "#!/bin/sh\n") {
		t.Error("dontFixup: the output was fixed up")
	}
	if _, err := build("broken"); err == nil || !strings.Contains(err.Error(), "points to a missing target") {
		t.Errorf("a link into the store that leads nowhere: want the build to fail, got %v", err)
	}
}

// TestStandinShellAsNixpkgs builds, with the stand-in's stdenv, an output
// that records the shell a phase runs in, and finds what nixpkgs'
// pkgs/stdenv/generic/setup.sh sets for every build: TZ=UTC, no
// certificate file (NIX_SSL_CERT_FILE and SSL_CERT_FILE name
// /no-cert-file.crt), a glob that matches nothing expands to nothing
// (nullglob), and a failing command substitution stops the build
// (inherit_errexit) — each changes what a build's tests see or write.
func TestStandinShellAsNixpkgs(t *testing.T) {
	n := nixtest.New(t)
	dir := t.TempDir()
	flake := `{
  inputs.nixpkgs.url = "path:` + n.Standin + `";
  outputs = { self, nixpkgs }:
    let pkgs = nixpkgs.legacyPackages.x86_64-linux; in {
      shell = pkgs.stdenv.mkDerivation {
        name = "shell"; dontUnpack = true;
        installPhase = ''
          {
            echo "zone=$(date +%Z)"
            echo "nix=$NIX_SSL_CERT_FILE"
            echo "ssl=$SSL_CERT_FILE"
            echo "glob=" /nothing-here/*.go
            shopt -p nullglob inherit_errexit
          } > $out
        '';
      };
      substitution = pkgs.stdenv.mkDerivation {
        name = "substitution"; dontUnpack = true;
        installPhase = ''
          x=$(false; echo "went on")
          echo "$x" > $out
        '';
      };
    };
}
`
	must(t, os.WriteFile(filepath.Join(dir, "flake.nix"), []byte(flake), 0o644))
	out, err := n.Run(dir, "build", ".#shell", "--no-link", "--print-out-paths", "--no-write-lock-file")
	must(t, err)
	got, err := os.ReadFile(strings.TrimSpace(out))
	must(t, err)
	want := "zone=UTC\nnix=/no-cert-file.crt\nssl=/no-cert-file.crt\nglob=\nshopt -s nullglob\nshopt -s inherit_errexit\n"
	if string(got) != want {
		t.Errorf("a build's shell:\n%s\nwant\n%s", got, want)
	}
	if out, err := n.Run(dir, "build", ".#substitution", "--no-link", "--print-out-paths", "--no-write-lock-file"); err == nil {
		t.Errorf("a command substitution that fails did not stop the build: %s", out)
	}
}

// installFlake builds one program with each system's buildGoModule for
// each of three platforms (GOOS and GOARCH exported in preBuild, as a
// project's flake cross-compiles): outputs <system>-<goos>_<goarch>;
// go127, aarch64-linux's linux/amd64 with go_1_27; and gobin, the same
// with pkgs.go and GOBIN set.
const installFlake = `{
  inputs.nixpkgs.url = "path:STANDIN";
  outputs = { self, nixpkgs }:
    let
      build = system: target: buildWith nixpkgs.legacyPackages.${system}.buildGoModule target;
      buildWith = buildGoModule: target: buildGoModule {
        pname = "hello"; version = "1"; src = ./.; vendorHash = null;
        env.CGO_ENABLED = 0; doCheck = false; dontStrip = true;
        preBuild = "export GOOS=${builtins.head target} GOARCH=${builtins.elemAt target 1}";
      };
      targets = [ [ "linux" "amd64" ] [ "linux" "arm64" ] [ "darwin" "arm64" ] ];
    in builtins.listToAttrs (builtins.concatMap (system: map (target: {
      name = "${system}-${builtins.concatStringsSep "_" target}";
      value = build system target;
    }) targets) [ "x86_64-linux" "aarch64-linux" "aarch64-darwin" ]) // {
      go127 = let pkgs = nixpkgs.legacyPackages.aarch64-linux; in
        buildWith (pkgs.buildGoModule.override { go = pkgs.go_1_27; }) [ "linux" "amd64" ];
      gobin = (build "aarch64-linux" [ "linux" "amd64" ]).overrideAttrs (prev: {
        preBuild = prev.preBuild + "; export GOBIN=$TMPDIR/gobin";
      });
    };
}
`

// TestStandinInstallsAsEachBuilder builds installFlake and finds each
// binary where that system's builder's go install puts it (cmd/go/
// internal/load/pkg.go): in bin/ for the builder's own platform, in
// bin/<GOOS>_<GOARCH>/ for another, and no install of another's while
// GOBIN is set. This machine is one platform; a flake that expects its
// placement on every system would build on it alone.
func TestStandinInstallsAsEachBuilder(t *testing.T) {
	n := nixtest.New(t)
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "flake.nix"), []byte(strings.Replace(installFlake, "STANDIN", n.Standin, 1)), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/hello\n\ngo 1.25\n"), 0o644))
	builders := map[string]string{"x86_64-linux": "linux_amd64", "aarch64-linux": "linux_arm64", "aarch64-darwin": "darwin_arm64"}
	type build struct{ sys, target string }
	var builds []build
	args := []string{"build", "--no-link", "--print-out-paths", "--no-write-lock-file"}
	for sys := range builders {
		for _, target := range []string{"linux_amd64", "linux_arm64", "darwin_arm64"} {
			builds = append(builds, build{sys, target})
			args = append(args, ".#"+sys+"-"+target)
		}
	}
	builds = append(builds, build{"aarch64-linux", "linux_amd64"})
	args = append(args, ".#go127")
	paths := strings.Fields(n.MustRun(t, dir, args...))
	if len(paths) != len(builds) {
		t.Fatalf("built %d outputs for %d attributes", len(paths), len(builds))
	}
	for i, b := range builds {
		sys, target := b.sys, b.target
		want := "bin/hello"
		if target != builders[sys] {
			want = "bin/" + target + "/hello"
		}
		var got []string
		must(t, filepath.WalkDir(paths[i], func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(paths[i], p)
				got = append(got, rel)
			}
			return err
		}))
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s, %s: the output holds %q, want %s", sys, target, got, want)
		}
	}
	if _, err := n.Run(dir, "build", "--no-link", "--no-write-lock-file", ".#gobin"); err == nil || !strings.Contains(err.Error(), "cannot install cross-compiled binaries when GOBIN is set") {
		t.Errorf("another platform's binary with GOBIN set: want Go's refusal, got %v", err)
	}
}

// TestStandinTestsAsEachBuilder builds one module whose test fails with
// each system's buildGoModule: x86_64-linux runs it (the build fails);
// aarch64-linux's linux/arm64 test would run on that system's builder, and
// here is skipped, saying so; aarch64-darwin's build of linux/amd64 with
// its tests fails, as the Mac could not run them.
func TestStandinTestsAsEachBuilder(t *testing.T) {
	n := nixtest.New(t)
	dir := t.TempDir()
	flake := `{
  inputs.nixpkgs.url = "path:` + n.Standin + `";
  outputs = { self, nixpkgs }:
    let
      build = system: preBuild: nixpkgs.legacyPackages.${system}.buildGoModule {
        pname = "failing"; version = "1"; src = ./.; vendorHash = null;
        env.CGO_ENABLED = 0; dontStrip = true; inherit preBuild;
      };
    in {
      native = build "x86_64-linux" "";
      arm = build "aarch64-linux" "";
      cross = build "aarch64-darwin" "export GOOS=linux GOARCH=amd64";
    };
}
`
	for name, src := range map[string]string{
		"flake.nix":    flake,
		"go.mod":       "module example.com/failing\n\ngo 1.25\n",
		"main.go":      "package main\n\nfunc main() {}\n",
		"main_test.go": "package main\n\nimport \"testing\"\n\nfunc TestFails(t *testing.T) { t.Fatal(\"ran and failed\") }\n\nfunc TestPasses(t *testing.T) {}\n",
	} {
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644))
	}
	build := func(attr string) (string, error) {
		return n.Run(dir, "build", ".#"+attr, "--no-link", "--no-write-lock-file")
	}
	if _, err := build("native"); err == nil || !strings.Contains(err.Error(), "ran and failed") {
		t.Errorf("x86_64-linux: want its test run and failing, got %v", err)
	}
	_, err := build("arm")
	log, _ := n.Run(dir, "log", ".#arm", "--no-write-lock-file")
	if err != nil || !strings.Contains(log, "stand-in: the tests of linux/arm64 run on that system's builder, not here") {
		t.Errorf("aarch64-linux: want its tests skipped here, saying so; got %v\n%s", err, log)
	}
	if _, err := build("cross"); err == nil || !strings.Contains(err.Error(), "exec format error") {
		t.Errorf("aarch64-darwin's linux/amd64 tests: want them failing as on a Mac, got %v", err)
	}
}
