package adopttest_test

import (
	"bytes"
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/nixtest/adopting"
	"github.com/gonix-init/gonix-init/internal/session"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

var must = nixtest.Must

// projects are one of each layout: one under cmd/NAME with a dependency
// tree of some size, several (the image runs the one chosen), a vendored
// copy, a module nested in the project, a go.work. (A main at the root,
// the image's case, is adoptimagetest's; a go line newer than pkgs.go, a
// main behind a build tag and helpers with an embed are adoptgotest's.)
var projects = map[string]adopting.Project{
	"cmd-name": {
		Module: "github.com/itchyny/gojq", Version: "v0.12.17", Mains: []string{"cmd/gojq"},
		Run: []string{"--version"}, Output: "gojq 0.12.17", Edit: "cmd/gojq/main.go",
	}, "several-mains": {
		Module: "github.com/BurntSushi/toml", Version: "v1.4.0",
		Mains: []string{"cmd/toml-test-decoder", "cmd/toml-test-encoder", "cmd/tomlv"},
		Flags: map[string]string{"main": "cmd/tomlv"},
		Run:   []string{"-types", "{dir}/_example/example.toml"}, Output: "servers.alpha.hostname",
	}, // gron again, with its modules in vendor/: the same compiled packages
	// as the root case's (buildGoModule vendors them there too), so that
	// this case costs the suite its Nix builds alone.
	"vendored": {
		Module: "github.com/tomnomnom/gron", Version: "v0.7.1", Mains: []string{"."}, Vendored: true,
		Run: []string{"--version"}, Output: "gron version",
	}, // gron with its dependency jsoncolor kept in the project as a module of
	// its own (a fork with a go.mod, replace => ./third_party/jsoncolor):
	// nixpkgs must not look for packages in it.
	"nested": {
		Module: "github.com/tomnomnom/gron", Version: "v0.7.1", Mains: []string{"."}, Layout: adopting.NestedFork,
		Run: []string{"--version"}, Output: "gron version",
	}, // gron with a go.work in it, as a workspace of one: the build leaves it
	// out (GOWORK=off), and go mod vendor works.
	"go-work": {
		Module: "github.com/tomnomnom/gron", Version: "v0.7.1", Mains: []string{"."}, Layout: adopting.Workspace,
		Run: []string{"--version"}, Output: "gron version",
		Notes: []string{"go.work puts this module in a Go workspace: the flake builds it alone (GOWORK=off)"},
	}}

// TestAdoptRealProjects adopts each project with --yes and checks what a
// user relies on (adopting.Check).
func TestAdoptRealProjects(t *testing.T) {
	testenv.Slow(t, "fetches modules and runs Nix builds")
	n := nixtest.New(t)
	for _, name := range nixtest.SortedKeys(projects) {
		t.Run(name, func(t *testing.T) { adopting.Check(t, n, projects[name]) })
	}
}

// TestAdoptRefusesAnOutsideReplace adopts gron whose jsoncolor is replaced
// by a copy beside the project (=> ../jsoncolor), which a Nix build cannot
// see: refused, naming the replace and what to do, nothing written.
func TestAdoptRefusesAnOutsideReplace(t *testing.T) {
	testenv.Slow(t, "fetches modules")
	p := adopting.Project{Module: "github.com/tomnomnom/gron", Version: "v0.7.1", Mains: []string{"."}}
	dir := adopting.Fetch(t, p)
	adopting.CopyModule(t, p, "github.com/nwidger/jsoncolor", "v0.0.0-20170215171346-75a6de4340e5", filepath.Join(filepath.Dir(dir), "jsoncolor"))
	testenv.Run(t, dir, p.GoEnv("GOFLAGS=-mod=mod", "GOPROXY=off"), "go", "mod", "edit", "-replace=github.com/nwidger/jsoncolor=../jsoncolor")
	own := adopting.Tree(t, dir)
	_, err := session.Adopt(context.Background(), adopting.Env(io.Discard), &session.AdoptOptions{Run: session.Run{Dir: dir, Yes: true, Flags: map[string]string{}}})
	if err == nil || !strings.Contains(err.Error(), "replace github.com/nwidger/jsoncolor => ../jsoncolor points outside the project") {
		t.Errorf("adopt with a replace outside the project: %v", err)
	}
	if now := adopting.Tree(t, dir); !maps.EqualFunc(now, own, bytes.Equal) {
		t.Error("a refused adopt changed the project")
	}
}

// TestAdoptSkipsTestsByName adopts a module whose package net has a test
// that writes to $HOME and one that dials the network, beside ones that
// pass (nixtest.SandboxTests), and builds it in Nix's sandbox: the build fails, naming both
// tests and their package, and prints the command that skips exactly
// those; run, that command makes the next build pass, in which the
// package's other test still runs.
func TestAdoptSkipsTestsByName(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	n := nixtest.New(t)
	dir := filepath.Join(t.TempDir(), "skippy")
	for name, src := range map[string]string{
		"go.mod":          "module example.com/skippy\n\ngo 1.22\n",
		"main.go":         "package main\n\nfunc main() {}\n",
		"net/net.go":      "// Package net dials.\npackage net\n",
		"net/net_test.go": strings.Replace(nixtest.SandboxTests, "package main", "package net", 1),
	} {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644))
	}
	p := adopting.Project{Flags: map[string]string{"systems": n.System, "tools": "none"}}
	adopting.Adopt(t, dir, p)
	_, err := n.Flake(dir, "build")
	if err == nil {
		t.Fatal("the build passed: its tests had a HOME or the network")
	}
	for _, want := range []string{"  example.com/skippy/net: TestWritesHome TestDials\n",
		"To skip those and run every other test: gonix-init update --skip-tests 'TestWritesHome|TestDials'\n"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the failure does not say %q:\n%v", want, err)
		}
	}
	skip := regexp.MustCompile(`--skip-tests '([^']*)'`).FindStringSubmatch(err.Error())
	if skip == nil {
		t.Fatalf("the failure gives no --skip-tests:\n%v", err)
	}
	adopting.RunSession(t)(session.UpdateProject(context.Background(), adopting.Env(io.Discard), &session.UpdateOptions{Run: session.Run{Dir: dir, Yes: true, Flags: map[string]string{"skip-tests": skip[1]}}}))
	n.BuildOut(t, dir, ".#default")
	log := n.MustFlake(t, dir, "log", ".#default")
	if !regexp.MustCompile(`(?m)^ok\s+example\.com/skippy/net\s+[0-9.]+s$`).MatchString(log) {
		t.Errorf("the build after --skip-tests did not run the package's other test:\n%s", log)
	}
	flake, err := os.ReadFile(filepath.Join(dir, "flake.nix"))
	must(t, err)
	if !strings.Contains(string(flake), "skipTests = [\n            \"TestWritesHome\"\n            \"TestDials\"\n          ];") {
		t.Errorf("flake.nix does not list the tests it skips:\n%s", flake)
	}
}
