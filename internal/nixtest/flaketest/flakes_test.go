package flaketest_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// must fails t on err.
var must = nixtest.Must

// flakeCase is one set of answers whose flake is checked with real Nix.
type flakeCase struct {
	name    string
	answers answers.Answers
	// rebuild: also build the package, the layout and the docker-archive
	// again from scratch, which must give the same bytes. It is the
	// templates' property, whatever the answers: one case proves it.
	rebuild bool
}

// cases are the examples and a matrix in which each system stands alone
// and with the others, there are one and several ports, and each tool is
// both chosen and not.
func cases(t *testing.T) []flakeCase {
	t.Helper()
	mk := func(module string, systems []string, ports []int, tools ...string) answers.Answers {
		a := answers.Answers{Module: module, Systems: systems, Ports: ports, Tools: append([]string{}, tools...)}
		a.Name, _ = answers.DefaultName(module)
		return a
	}
	out := []flakeCase{
		{"aarch64-linux-alone", mk("example.com/aone", []string{"aarch64-linux"}, []int{8080, 9090}, "gopls"), false},
		{"aarch64-darwin-alone", mk("example.com/done", []string{"aarch64-darwin"}, []int{8080}, "golangci-lint", "go-task"), false},
		{"all-systems-three-ports", mk("example.com/three", answers.Values(answers.AllSystems), []int{8080, 9090, 9100}, "delve", "go-task"), true},
	}
	for _, ex := range testenv.Examples(t, "../../../examples") {
		out = append(out, flakeCase{"example-" + ex.Name, ex.Answers, false})
	}
	return out
}

func evalJSON(t *testing.T, n *nixtest.Nix, dir, attr, apply string, v any) {
	t.Helper()
	out := n.MustFlake(t, dir, "eval", "--json", ".#"+attr, "--apply", apply)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("nix eval .#%s: %v\n%s", attr, err, out)
	}
}

// TestGeneratedFlakes evaluates every output of each case's flake for every
// chosen system with real Nix, checks the lock offline, and on this
// machine's system builds the package and the image, runs the server, and
// runs the generated verify task.
func TestGeneratedFlakes(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	n := nixtest.New(t)
	for _, c := range cases(t) {
		t.Run(c.name, func(t *testing.T) {
			a := c.answers
			dir := nixtest.Generate(t, a)

			t.Logf("%s: nix flake show, eval of every output", c.name)
			checkFlakeShow(t, n, dir, a)
			defaults := checkPackages(t, n, dir, a)
			checkShells(t, n, dir, a)
			checkAppsAndChecks(t, n, dir, a, defaults)

			// Nix's own check of every output's shape (apps, formatter, checks,
			// ...) for every system, with no warning (n.Run fails on one).
			n.MustFlake(t, dir, "flake", "check", "--no-build", "--all-systems")

			// The lock matches flake.nix: checked offline against the real pin, no stand-in.
			n.MustRun(t, dir, "flake", "metadata", "--offline", "--no-update-lock-file", "--json")

			if a.Targets(n.System) {
				t.Logf("%s: nix build, the server, --rebuild, nix flake check, task verify", c.name)
				buildAndRun(t, n, dir, a, c.rebuild)
			} else if a.Targets("aarch64-darwin") {
				t.Logf("%s: the darwin cross-build and its image", c.name)
				checkCrossImage(t, n, dir, a)
			}
		})
	}
}

// checkFlakeShow checks that nix flake show, which evaluates every output
// of every system, finds each kind of output for exactly the chosen ones.
func checkFlakeShow(t *testing.T, n *nixtest.Nix, dir string, a answers.Answers) {
	t.Helper()
	want := slices.Clone(a.Systems)
	slices.Sort(want)
	var show map[string]map[string]any
	if err := json.Unmarshal([]byte(n.MustFlake(t, dir, "flake", "show", "--json", "--all-systems")), &show); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{"packages", "devShells", "apps", "checks", "formatter"} {
		if got := nixtest.SortedKeys(show[out]); !slices.Equal(got, want) {
			t.Errorf("%s has systems %v, want exactly %v", out, got, want)
		}
	}
}

// checkPackages checks every system's packages: the outputs, the image's
// name and ports, and both Linux binaries built alike. It returns each
// system's packages.default out path.
func checkPackages(t *testing.T, n *nixtest.Nix, dir string, a answers.Answers) map[string]string {
	t.Helper()
	var pkgs map[string]struct {
		Default, DefaultOut, Oci, Docker string
		Outputs, Ports                   []string
		ImageName                        string
		Linux                            map[string]struct {
			Out, Goos, Goarch, Tags, Goflags string
			DoCheck                          bool
			Allowed, Cache                   []string
		}
	}
	evalJSON(t, n, dir, "packages", `ps: builtins.mapAttrs (s: p: {
		Default = p.default.drvPath; DefaultOut = p.default.outPath;
		Oci = p.oci.drvPath; Docker = p.docker.drvPath;
		Outputs = builtins.attrNames p;
		Ports = map toString p.oci.ports; ImageName = p.oci.imageName;
		Linux = builtins.listToAttrs (map (arch: { name = arch; value = let l = p."linux-${arch}"; in {
			Out = l.outPath; Goos = l.GOOS; Goarch = l.GOARCH; Tags = toString l.tags; Goflags = toString l.GOFLAGS;
			DoCheck = l.doCheck; Allowed = l.allowedReferences; Cache = map (c: c.name) l.goCache;
		}; }) [ "amd64" "arm64" ]);
	}) ps`, &pkgs)
	var wantPorts []string
	for _, port := range a.Ports {
		wantPorts = append(wantPorts, strconv.Itoa(port))
	}
	for _, sys := range a.Systems {
		p := pkgs[sys]
		want := []string{"default", "docker", "linux-amd64", "linux-arm64", "oci", "sbom"}
		if len(a.Release) > 0 {
			want = []string{"default", "docker", "linux-amd64", "linux-arm64", "oci", "release", "sbom"}
		}
		if !slices.Equal(p.Outputs, want) {
			t.Errorf("%s packages = %v", sys, p.Outputs)
		}
		if !slices.Equal(p.Ports, wantPorts) || p.ImageName != a.Name {
			t.Errorf("%s image %q exposes %v, want %q and %v", sys, p.ImageName, p.Ports, a.Name, wantPorts)
		}
		// Every system builds both Linux binaries the same way; the
		// tests run in the one of the system's own arch.
		for _, arch := range []string{"amd64", "arm64"} {
			l := p.Linux[arch]
			native := map[string]string{"x86_64-linux": "amd64", "aarch64-linux": "arm64"}[sys] == arch
			if l.Goos != "linux" || l.Goarch != arch || !strings.Contains(l.Goflags, "-mod=vendor -trimpath -overlay=/nix/store/") ||
				l.Tags != "timetzdata" || l.Allowed == nil || len(l.Allowed) != 0 || l.DoCheck != native ||
				!slices.Equal(l.Cache, cacheLayers(arch, native)) {
				t.Errorf("%s linux-%s: GOOS %q, GOARCH %q, GOFLAGS %q, tags %q, allowedReferences %v, doCheck %v, Go's build cache %v",
					sys, arch, l.Goos, l.Goarch, l.Goflags, l.Tags, l.Allowed, l.DoCheck, l.Cache)
			}
			if native && p.DefaultOut != l.Out {
				t.Errorf("%s packages.default is not packages.linux-%s: nix build would not make the image's binary", sys, arch)
			}
		}
	}
	defaults := map[string]string{}
	for sys, p := range pkgs {
		defaults[sys] = p.DefaultOut
	}
	return defaults
}

// cacheLayers are the names of the layers of Go's build cache a generated
// project's Linux binary for arch starts from (it requires no module): the
// standard library's, and again as go test compiles it where the tests run.
func cacheLayers(arch string, tested bool) []string {
	layers := []string{"go-" + nixpin.Nixpkgs.Go().Version + "-std-cache-linux-" + arch}
	if tested {
		layers = append(layers, "go-"+nixpin.Nixpkgs.Go().Version+"-std-test-cache-linux-"+arch)
	}
	return layers
}

// checkShells checks that every system's dev shell holds go and the tools.
func checkShells(t *testing.T, n *nixtest.Nix, dir string, a answers.Answers) {
	t.Helper()
	var shells map[string]struct {
		Drv   string
		Tools []string
	}
	evalJSON(t, n, dir, "devShells", `ds: builtins.mapAttrs (s: d: { Drv = d.default.drvPath; Tools = map (p: p.pname) d.default.nativeBuildInputs; }) ds`, &shells)
	wantTools := append([]string{"go"}, a.Tools...)
	for _, sys := range a.Systems {
		if got := shells[sys].Tools; !slices.Equal(got, wantTools) {
			t.Errorf("%s dev shell holds %v, want %v", sys, got, wantTools)
		}
	}

}

// checkAppsAndChecks checks every system's apps.default (the package's
// program, described), the loopback the darwin sandbox needs, and checks.
func checkAppsAndChecks(t *testing.T, n *nixtest.Nix, dir string, a answers.Answers, defaults map[string]string) {
	t.Helper()
	var apps map[string]struct{ Type, Program, Description string }
	evalJSON(t, n, dir, "apps", `as: builtins.mapAttrs (s: a: { Type = a.default.type; Program = a.default.program; Description = a.default.meta.description or ""; }) as`, &apps)
	var darwinLoopback map[string]bool
	evalJSON(t, n, dir, "packages", `ps: builtins.mapAttrs (s: p: p.default.__darwinAllowLocalNetworking or false) ps`, &darwinLoopback)
	var checks map[string]map[string]string
	evalJSON(t, n, dir, "checks", `cs: builtins.mapAttrs (s: c: builtins.mapAttrs (n: d: d.drvPath) c) cs`, &checks)
	for _, sys := range a.Systems {
		if app := apps[sys]; app.Type != "app" || app.Program != defaults[sys]+"/bin/"+a.Name || app.Description == "" {
			t.Errorf("%s apps.default = %+v, want a program and meta.description", sys, app)
		}
		// The tests bind 127.0.0.1: macOS's sandbox needs this to allow it.
		if !darwinLoopback[sys] {
			t.Errorf("%s packages.default lacks __darwinAllowLocalNetworking = true", sys)
		}
		wantChecks := []string{"test"}
		if a.Has("golangci-lint") {
			wantChecks = []string{"lint", "test"}
		}
		if got := nixtest.SortedKeys(checks[sys]); !slices.Equal(got, wantChecks) {
			t.Errorf("%s checks = %v, want %v", sys, got, wantChecks)
		}
	}
}

// TestGeneratedFormatter runs `nix fmt` as a user does in a generated
// project, a git work tree, with stdin at its end: it exits 0, formats a
// messy .nix file anywhere in the tree, and leaves the generated flake.nix
// as it was (the templates are formatted).
func TestGeneratedFormatter(t *testing.T) {
	n := nixtest.New(t)
	a := answers.Answers{Module: "example.com/fmt", Name: "fmt", Systems: []string{n.System}, Ports: []int{8080}}
	dir := nixtest.Generate(t, a)
	messy := filepath.Join(dir, "nix", "extra.nix")
	must(t, os.MkdirAll(filepath.Dir(messy), 0o755))
	must(t, os.WriteFile(messy, []byte("{ a = 1; }  \n"), 0o644))
	testenv.Run(t, dir, os.Environ(), "git", "init", "-q")
	testenv.Run(t, dir, os.Environ(), "git", "add", "-A")
	flake, _ := os.ReadFile(filepath.Join(dir, "flake.nix"))

	n.MustFlake(t, dir, "fmt")
	if got, _ := os.ReadFile(messy); string(got) != "{ a = 1; }\n" {
		t.Errorf("nix fmt left nix/extra.nix as %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "flake.nix")); !bytes.Equal(got, flake) {
		t.Errorf("nix fmt changed the generated flake.nix:\n%s", got)
	}
}

// buildAndRun builds this machine's package and image, runs the server,
// with rebuild checks that building again gives the same bytes, and runs
// `task verify`.
func buildAndRun(t *testing.T, n *nixtest.Nix, dir string, a answers.Answers, rebuild bool) {
	t.Helper()
	// The image first: its two binaries build side by side.
	n.MustFlake(t, dir, "build", ".#docker", "-o", "result-docker")
	n.MustFlake(t, dir, "build")
	bin := filepath.Join(dir, "result", "bin", a.Name)
	testenv.CheckServer(t, bin, a.Name, a.Ports)

	img, tags, inImage := imageBinary(t, filepath.Join(dir, "result-docker"), a.Name)
	local, _ := os.ReadFile(bin)
	if !bytes.Equal(inImage, local) {
		t.Error("the image's binary differs from nix build's")
	}
	// The date is the commit's; outside git (here) there is none: 1970,
	// which the created label gives too.
	if created := img.Created.UTC().Format(time.RFC3339); len(tags) != 1 || tags[0] != a.Name+":latest" ||
		created != img.Config.Labels["org.opencontainers.image.created"] || created != "1970-01-01T00:00:01Z" {
		t.Errorf("image tags %v, created %q, labels %v", tags, created, img.Config.Labels)
	}

	n.MustFlake(t, dir, "build", ".#oci", "-o", "result-oci")
	if rebuild {
		// Building again from scratch gives the same bytes: --rebuild fails if not.
		n.MustFlake(t, dir, "build", "--rebuild")
		n.MustFlake(t, dir, "build", ".#oci", "-o", "result-oci", "--rebuild")
		n.MustFlake(t, dir, "build", ".#docker", "-o", "result-docker", "--rebuild")
	}

	// nix flake check builds this system's checks: the tests (and the lint
	// stand-in, go vet) pass in Nix.
	n.MustFlake(t, dir, "flake", "check")

	if a.Has("go-task") {
		checkVerify(t, n, dir)
	}
}

// checkVerify runs the generated `task verify`: it passes on the project,
// and fails on an image whose binaries were swapped.
func checkVerify(t *testing.T, n *nixtest.Nix, dir string) {
	t.Helper()
	task := testenv.Task(t)
	verify := func(env ...string) (string, error) {
		cmd := exec.Command(task, "verify")
		cmd.Dir = dir
		cmd.Env = append(append(n.Env, "PATH="+n.Wrapper(t)+string(os.PathListSeparator)+os.Getenv("PATH")), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := verify()
	if err != nil || !strings.Contains(out, "verify: identical") || !strings.Contains(out, "image index sha256:") {
		t.Fatalf("task verify: %v\n%s", err, out)
	}

	// An image whose binaries were swapped: the same project with a main.go
	// changed where its tests do not look, built into result-oci, fails verify.
	other := filepath.Join(t.TempDir(), "other")
	if err := os.CopyFS(other, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"result", "result-docker", "result-oci", "result-linux-amd64", "result-linux-arm64"} {
		os.Remove(filepath.Join(other, l))
	}
	mainGo := filepath.Join(other, "main.go")
	src, _ := os.ReadFile(mainGo)
	os.WriteFile(mainGo, bytes.Replace(src, []byte(`log.SetPrefix(name + ": ")`), []byte(`log.SetPrefix(name + ":: ")`), 1), 0o644)
	out, err = verify("NIXTEST_IMAGE_FLAKE=path:" + other)
	if err == nil || !strings.Contains(out, "verify: DIFFERENT: linux/amd64 linux/arm64:") {
		t.Fatalf("task verify with swapped binaries: %v\n%s", err, out)
	}
}

// checkCrossImage builds the aarch64-darwin image (the stand-in builds
// every system here) and checks that it holds the Linux cross-build.
func checkCrossImage(t *testing.T, n *nixtest.Nix, dir string, a answers.Answers) {
	t.Helper()
	n.MustFlake(t, dir, "build", ".#packages.aarch64-darwin.linux-arm64", "-o", "result-linux")
	n.MustFlake(t, dir, "build", ".#packages.aarch64-darwin.docker", "-o", "result-docker")
	img, _, inImage := imageBinary(t, filepath.Join(dir, "result-docker"), a.Name)
	linux, err := os.ReadFile(filepath.Join(dir, "result-linux", "bin", a.Name))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(inImage, linux) {
		t.Error("the darwin image's binary differs from packages.aarch64-darwin.linux-arm64")
	}
	if !bytes.HasPrefix(linux, []byte("\x7fELF")) || img.Architecture != "arm64" || img.OS != "linux" {
		t.Errorf("cross-build is not a Linux arm64 ELF image (arch %q, os %q)", img.Architecture, img.OS)
	}
}

// imageBinary reads a docker-archive (gzip'd, as .#docker writes it) with
// ggcr, and returns its config and the binary at its /bin/<name>.
func imageBinary(t *testing.T, archive, name string) (*v1.ConfigFile, []string, []byte) {
	t.Helper()
	opener := func() (io.ReadCloser, error) {
		f, err := os.Open(archive)
		if err != nil {
			return nil, err
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, errors.Join(err, f.Close())
		}
		return struct {
			io.Reader
			io.Closer
		}{zr, f}, nil
	}
	manifest, err := tarball.LoadManifest(opener)
	if err != nil || len(manifest) != 1 {
		t.Fatalf("%s: manifest.json: %v", archive, err)
	}
	img, err := tarball.Image(opener, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	rc := mutate.Extract(img)
	defer rc.Close() //nolint:errcheck // read-only; closing ends the extraction
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s has no /bin/%s: %v", archive, name, err)
		}
		if path.Clean("/"+h.Name) == "/bin/"+name {
			data, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return cfg, manifest[0].RepoTags, data
		}
	}
}

// TestExampleDevShells enters each example's dev shell with `nix develop
// -c` on the stand-in, whose builder is bash running the stdenv's setup as
// nixpkgs' is: go and every chosen tool's program (meta.mainProgram) are
// found first on PATH, from the store.
func TestExampleDevShells(t *testing.T) {
	n := nixtest.New(t)
	for _, ex := range testenv.Examples(t, "../../../examples") {
		t.Run(ex.Name, func(t *testing.T) {
			dir := nixtest.Generate(t, ex.Answers)
			var programs []string
			evalJSON(t, n, dir, "devShells."+n.System+".default.nativeBuildInputs", "map (p: p.meta.mainProgram)", &programs)
			if len(programs) != 1+len(ex.Answers.Tools) || programs[0] != "go" {
				t.Fatalf("the dev shell holds %v, want go and the %d tools %v", programs, len(ex.Answers.Tools), ex.Answers.Tools)
			}
			// The override comes before -c, which takes the rest as the command.
			args := append(append([]string{"develop"}, n.Override()...), "-c", "sh", "-c", `for p; do command -v "$p" || echo "missing $p"; done`, "sh")
			out := n.MustRun(t, dir, append(args, programs...)...)
			found := strings.Fields(out)
			for i, p := range programs {
				if i >= len(found) || !strings.HasPrefix(found[i], "/nix/store/") || filepath.Base(found[i]) != p {
					t.Errorf("in the dev shell, %s is %q, want the store's", p, out)
				}
			}
		})
	}
}
