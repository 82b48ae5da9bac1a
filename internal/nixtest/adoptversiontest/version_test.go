package adoptversiontest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/nixtest/adopting"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// must fails t on err.
var must = nixtest.Must

// printsVersion is a program that prints the variables the build stamps,
// with -version (the flag package's), or a version command.
const printsVersion = `package main

import (
	"flag"
	"fmt"
	"os"
)

%s

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println("tool", version)
		return
	}
	v := flag.Bool("version", false, "print the version")
	flag.Parse()
	if *v {
		fmt.Println("tool", version)
	}
}
`

// versionPlaces are projects that keep their version stamp in each place
// adopt looks in (docs/adopt.md), each with the note adopt gives for it.
var versionPlaces = map[string]struct {
	vars, note string
	files      map[string]string
}{
	"goreleaser": {"var version, goVersion string", "stamps main.version=version, from .goreleaser.yaml",
		map[string]string{".goreleaser.yaml": "version: 2\nbuilds:\n  - main: .\n    ldflags:\n      - -s -w -X main.version={{.Version}} -X main.goVersion={{.Env.GOVERSION}}\n"}},
	"goreleaser-defaults": {"var version, commit, date string", "stamps main.version=version, from .goreleaser.yaml (GoReleaser's default ldflags: its builds set none)",
		map[string]string{".goreleaser.yaml": "version: 2\nbuilds:\n  - main: .\n    env: [CGO_ENABLED=0]\n"}},
	"goreleaser-includes": {"var version string", "stamps main.version=version, from build/goreleaser.yaml",
		map[string]string{".goreleaser.yaml": "version: 2\nincludes:\n  - from_file:\n      path: ./build/goreleaser.yaml\n",
			"build/goreleaser.yaml": "builds:\n  - ldflags:\n      - -s -w -X \"main.version={{ .Version }}\"\n"}},
	"ko":       {"var version string", "stamps main.version=version, from .ko.yaml:4", map[string]string{".ko.yaml": "builds:\n- id: tool\n  ldflags:\n  - -X main.version={{.Env.VERSION}}\n"}},
	"promu":    {"var version string", "stamps main.version=version, from .promu.yml:3", map[string]string{".promu.yml": "build:\n  ldflags: |\n    -X main.version={{.Version}}\n"}},
	"makefile": {"var version string", "stamps main.version=tag, from Makefile:4", map[string]string{"Makefile": "VERSION ?= $(shell git describe --tags)\n\nbuild:\n\tgo build -ldflags \"-X main.version=$(VERSION)\" .\n"}},
	"justfile": {"var version string", "stamps main.version=version, from justfile:4", map[string]string{"justfile": "version := `git describe --tags | sed 's/^v//'`\n\nbuild:\n    go build -ldflags \"-X main.version={{version}}\" .\n"}},
	"taskfile": {"var version string", "stamps main.version=tag, from Taskfile.yml:7", map[string]string{"Taskfile.yml": "version: '3'\nvars:\n  TAG: {sh: git describe --tags}\ntasks:\n  build:\n    cmds:\n      - go build -ldflags '-X main.version={{.TAG}}' .\n"}},
	"dockerfile": {"var version string", "stamps main.version=version, from Dockerfile:3",
		map[string]string{"Dockerfile": "FROM golang:1.26\nARG VERSION\nRUN go build -ldflags=\"-X main.version=${VERSION}\" -o /tool .\n"}},
	"script": {"var version string", "stamps main.version=version, from scripts/build.sh:3",
		map[string]string{"scripts/build.sh": "#!/bin/sh\nVERSION=$(git describe --tags)\ngo build -ldflags \"-X main.version=${VERSION#v}\" .\n"}},
	"workflow": {"var version string", "stamps main.version=tag, from .github/workflows/release.yml:7",
		map[string]string{".github/workflows/release.yml": "on: {push: {tags: ['v*']}}\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v5\n      - run: go build -ldflags \"-X main.version=${{ github.ref_name }}\" .\n"}},
	"doc-comment": {"// version is the release, set with\n//\n//\tgo build -ldflags '-X main.version=v1.2.3'\nvar version string", "stamps main.version=tag, from the doc comment at main.go:11", nil},
	"library-doc-comment": {"import v \"example.com/tool/internal/v\"\n\nvar version = v.CustomVersion", "stamps example.com/tool/internal/v.CustomVersion=tag, from the doc comment at internal/v/v.go:6",
		map[string]string{"internal/v/v.go": "// Package v holds the release.\npackage v\n\n// CustomVersion is the release, set with\n//\n//\tgo build -ldflags '-X example.com/tool/internal/v.CustomVersion=v2.6.0'\nvar CustomVersion string\n"}},
	"linker-var": {"var version = \"dev\" // set by the linker at release", "stamps main.version=version, from the comment of version at main.go:9", nil},
}

// TestAdoptFindsTheVersion adopts a program, tagged v1.2.3, that keeps its
// version stamp in each place adopt looks in: the plan names the stamp and
// where it was read, and the Nix build checks, as nixpkgs' versionCheckHook
// does, that the program prints 1.2.3, which it then does. A program with
// nothing to stamp gets the note "no version stamp", no check, and builds.
// A stamp made stale after adopt (the variable renamed) fails the build at
// the version check, naming the version and the command.
func TestAdoptFindsTheVersion(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	n := nixtest.New(t)
	var installables []string
	dirs := map[string]string{}
	for _, name := range nixtest.SortedKeys(versionPlaces) {
		c := versionPlaces[name]
		dir := tagged(t, name, c.vars, c.files)
		_, plan := adopting.Adopt(t, dir, adopting.Project{Flags: map[string]string{"systems": n.System, "tools": "none"}})
		if !strings.Contains(plan, "Note: "+c.note+".") {
			t.Errorf("%s: the plan does not say %q:\n%s", name, c.note, plan)
		}
		adopting.Commit(t, dir)
		dirs[name] = dir
		installables = append(installables, "git+file://"+dir+"#default")
	}
	outs := strings.Fields(n.MustRun(t, "", append(append([]string{"build"}, installables...), append(n.Override(), "--no-link", "--print-out-paths")...)...))
	for i, name := range nixtest.SortedKeys(versionPlaces) {
		if i >= len(outs) {
			break
		}
		out, err := exec.Command(filepath.Join(outs[i], "bin", "tool"), "-version").CombinedOutput()
		if want := "tool "; err != nil || !strings.HasPrefix(string(out), want) || !strings.Contains(string(out), "1.2.3") {
			t.Errorf("%s: tool -version printed %q (%v), want the tag's version", name, out, err)
		}
	}

	none := tagged(t, "none", "var version = \"1.0\"", nil)
	_, plan := adopting.Adopt(t, none, adopting.Project{Flags: map[string]string{"systems": n.System, "tools": "none"}})
	if !strings.Contains(plan, "Note: no version stamp: ") || strings.Contains(readFile(t, none, "flake.nix"), "versionCheck") {
		t.Errorf("nothing to stamp: the plan does not say no version stamp, or the flake checks a version:\n%s", plan)
	}
	adopting.Commit(t, none)
	n.BuildOut(t, none, ".#default")

	// The variable renamed: -X main.version sets nothing, and the build
	// says so.
	stale := dirs["linker-var"]
	renamed := strings.NewReplacer("var version", "var release", "\"tool\", version)", "\"tool\", release)").Replace(readFile(t, stale, "main.go"))
	must(t, os.WriteFile(filepath.Join(stale, "main.go"), []byte(renamed), 0o644))
	adopting.Git(t, stale, "commit", "-q", "-am", "Rename version")
	_, err := n.Flake(stale, "build", ".#default", "--no-link")
	if err == nil || !strings.Contains(err.Error(), "Did not find version 1.2.3 in the output of the command") || !strings.Contains(err.Error(), "/bin/tool --version") {
		t.Errorf("a stale stamp: the build %v, want it stopped by the version check", err)
	}
}

// tagged writes a module example.com/NAME whose program is tool, with the
// package-level declarations vars and the other files, commits it and
// tags it v1.2.3, as a clone of a release is.
func tagged(t *testing.T, name, vars string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	all := map[string]string{"go.mod": "module example.com/tool\n\ngo 1.22\n", "main.go": strings.Replace(printsVersion, "%s", vars, 1)}
	for f, src := range files {
		all[f] = src
	}
	for f, src := range all {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, f), []byte(src), 0o644))
	}
	adopting.Tagged(t, adopting.Project{Version: "v1.2.3"}, dir)
	return dir
}

// readFile is the text of a project's file.
func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	must(t, err)
	return string(data)
}

// TestAdoptStampsADependency adopts a program, tagged v1.2.3, whose
// Makefile stamps a variable of a package of a required module, as an
// organisation's programs share one: adopt reads that package from the
// module cache, names the stamp, and the Nix build prints the version.
func TestAdoptStampsADependency(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	const common = "example.com/gonixtest/common"
	env := nixtest.Offline(t)
	proxy := ""
	for _, kv := range env {
		if p, ok := strings.CutPrefix(kv, "GOPROXY=file://"); ok {
			proxy = p
		}
	}
	src := t.TempDir()
	must(t, os.WriteFile(filepath.Join(src, "go.mod"), []byte("module "+common+"\n\ngo 1.21\n"), 0o644))
	must(t, os.MkdirAll(filepath.Join(src, "version"), 0o755))
	must(t, os.WriteFile(filepath.Join(src, "version", "version.go"), []byte("// Package version is the version every program of the organisation prints.\npackage version\n\n// Version is set at build time.\nvar Version = \"dev\"\n"), 0o644))
	nixtest.PublishModule(t, proxy, common, "v1.4.0", src)
	n := nixtest.New(t)
	n.Env = n.EnvWith(env)

	dir := filepath.Join(t.TempDir(), "dependency")
	must(t, os.MkdirAll(dir, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/tool\n\ngo 1.22\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(strings.Replace(printsVersion, "%s", "import common \""+common+"/version\"\n\nvar version = common.Version", 1)), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "Makefile"), []byte("VERSION ?= $(shell git describe --tags)\n\nbuild:\n\tgo build -ldflags \"-X "+common+"/version.Version=$(VERSION)\" .\n"), 0o644))
	testenv.Run(t, dir, env, "go", "get", common+"@v1.4.0")
	adopting.Tagged(t, adopting.Project{Version: "v1.2.3"}, dir)

	_, plan := adopting.Adopt(t, dir, adopting.Project{Flags: map[string]string{"systems": n.System, "tools": "none"}})
	if want := "Note: stamps " + common + "/version.Version=tag, from Makefile:4."; !strings.Contains(plan, want) {
		t.Errorf("the plan does not say %q:\n%s", want, plan)
	}
	adopting.Commit(t, dir)
	out := n.BuildOut(t, dir, ".#default")
	got, err := exec.Command(filepath.Join(out, "bin", "tool"), "-version").CombinedOutput()
	if err != nil || !strings.Contains(string(got), "1.2.3") {
		t.Errorf("tool -version printed %q (%v), want the tag's version", got, err)
	}
}

// readsBuildInfo is a program that prints its version from the build info
// alone, as more and more do, with a dependency (Greet).
const readsBuildInfo = `package main

import (
	"flag"
	"fmt"
	"runtime/debug"

	"example.com/gonixtest/greet"
)

func main() {
	v := flag.Bool("version", false, "print the version")
	flag.Parse()
	if *v {
		info, _ := debug.ReadBuildInfo()
		fmt.Println("tool", info.Main.Version)
		return
	}
	fmt.Println(greet.Hello())
}
`

// TestAdoptBuildInfo adopts a program, tagged v1.2.3, that prints its
// version from the build info: adopt says it builds as go install
// MODULE@VERSION does; the binary prints v1.2.3 and go version -m shows
// the module at v1.2.3 and no commit; .#release is the same bytes from
// every system. With a replace directive, which go install refuses, adopt
// says the build info stays (devel), and goes on without it.
func TestAdoptBuildInfo(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	env := nixtest.Offline(t)
	n := nixtest.New(t)
	n.Env = n.EnvWith(env)
	project := func(name, extra string) string {
		dir := filepath.Join(t.TempDir(), name)
		must(t, os.MkdirAll(dir, 0o755))
		must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/tool\n\ngo 1.22\n"+extra), 0o644))
		must(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(readsBuildInfo), 0o644))
		testenv.Run(t, dir, env, "go", "get", nixtest.Greet+"@v1.0.0")
		adopting.Tagged(t, adopting.Project{Version: "v1.2.3"}, dir)
		return dir
	}
	systems := answers.Values(answers.AllSystems)
	dir := project("buildinfo", "")
	a, plan := adopting.Adopt(t, dir, adopting.Project{Flags: map[string]string{"systems": strings.Join(systems, ","), "tools": "none", "release": "linux/amd64"}})
	if want := "Note: builds as go install example.com/tool@v1.2.3 does, for the version main.go:15 reads from the build info: go version -m shows mod example.com/tool v1.2.3."; !strings.Contains(plan, want) ||
		a.BuildInfo != answers.ModuleVersion || a.VersionCheck != "--version" {
		t.Errorf("build-info %q, version check %q; the plan does not say %q:\n%s", a.BuildInfo, a.VersionCheck, want, plan)
	}
	adopting.Commit(t, dir)
	var attrs []string
	for _, s := range systems {
		attrs = append(attrs, ".#packages."+s+".release")
	}
	outs := n.BuildOuts(t, dir, append([]string{".#default"}, attrs...)...)
	bin := filepath.Join(outs[0], "bin", "tool")
	if got, err := exec.Command(bin, "-version").CombinedOutput(); err != nil || strings.TrimSpace(string(got)) != "tool v1.2.3" {
		t.Errorf("tool -version printed %q (%v), want tool v1.2.3", got, err)
	}
	m := testenv.Run(t, dir, env, "go", "version", "-m", bin)
	if !strings.Contains(m, "\tmod\texample.com/tool\tv1.2.3\th1:") || !strings.Contains(m, "\tdep\t"+nixtest.Greet+"\tv1.0.0\t") || strings.Contains(m, "vcs.revision") {
		t.Errorf("go version -m: want mod example.com/tool v1.2.3, greet v1.0.0 and no vcs.revision:\n%s", m)
	}
	release := nixtest.Tree(t, outs[1])
	for i, s := range systems[2:] {
		if diff := nixtest.DiffNames(release, nixtest.Tree(t, outs[i+2])); len(diff) > 0 {
			t.Errorf("the release of %s differs from %s's in %v", s, systems[0], diff)
		}
	}

	replaced := project("replaced", "\nreplace "+nixtest.Greet+" v1.0.0 => "+nixtest.Greet+" v1.1.0\n")
	testenv.Run(t, replaced, env, "go", "mod", "tidy")
	adopting.Git(t, replaced, "commit", "-q", "-am", "Replace greet")
	b, plan := adopting.Adopt(t, replaced, adopting.Project{Flags: map[string]string{"systems": n.System, "tools": "none"}})
	if want := "Note: main.go:15 reads the version from the build info, which stays (devel): go.mod has replace directives, which go install MODULE@VERSION refuses."; !strings.Contains(plan, want) || b.BuildInfo != answers.NoBuildInfo {
		t.Errorf("with a replace: build-info %q; the plan does not say %q:\n%s", b.BuildInfo, want, plan)
	}
}

// TestAdoptShfmt adopts shfmt (mvdan.cc/sh/v3), a real program that prints
// its version from the build info alone, as a clone of its release v3.14.1:
// after adopt and nix build, shfmt --version prints v3.14.1, not (devel),
// and the build checked it; adopt wrote only the files it manages.
func TestAdoptShfmt(t *testing.T) {
	testenv.Slow(t, "fetches modules and runs Nix builds")
	n := nixtest.New(t)
	p := adopting.Project{Module: "mvdan.cc/sh/v3", Version: "v3.14.1", Layout: adopting.Tagged,
		// Its tests run bash and need a terminal: the sandbox has neither.
		Flags: map[string]string{"systems": n.System, "packages": "cmd/shfmt", "tests": "off"}}
	dir := adopting.Fetch(t, p)
	own := adopting.Tree(t, dir)
	a, plan := adopting.Adopt(t, dir, p)
	adopting.CheckManaged(t, dir, own) // its Go files, go.mod, go.sum and README as they were
	if a.BuildInfo != "module" || a.VersionCheck != "--version" || !strings.Contains(plan, "Note: builds as go install mvdan.cc/sh/v3@v3.14.1 does") {
		t.Errorf("build-info %q, version check %q; the plan:\n%s", a.BuildInfo, a.VersionCheck, plan)
	}
	adopting.Commit(t, dir)
	bin := filepath.Join(n.BuildOut(t, dir, ".#default"), "bin", a.Name)
	if out, err := exec.Command(bin, "--version").CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "v3.14.1" {
		t.Errorf("shfmt --version printed %q (%v), want v3.14.1", out, err)
	}
}
