package adopttagtest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/nixtest/adopting"
	"github.com/gonix-init/gonix-init/internal/session"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// must fails t on err.
var must = nixtest.Must

// checkStdLayersShared finds that the build of the project in dir, whose
// tags are generate and timetzdata, starts from the standard library's
// layers of a project without generate, which Go's standard library does
// not read on Linux: the same derivations, built once for both.
func checkStdLayersShared(t *testing.T, n *nixtest.Nix, dir string) {
	t.Helper()
	attr := ".#packages." + n.System + ".default"
	plain := nixtest.Generate(t, answers.Answers{Module: "example.com/plain", Name: "plain", Systems: []string{n.System}})
	std := func(dir string) []string {
		var drvs []string
		for _, l := range n.GoCache(t, dir, attr) {
			if strings.Contains(l.Drv, "-std-") {
				drvs = append(drvs, l.Drv)
			}
		}
		return drvs
	}
	if tagged, own := std(dir), std(plain); len(tagged) != 2 || !slices.Equal(tagged, own) {
		t.Errorf("with the tag generate the build starts from the standard library's layers %v; a project without it from %v: want the same two", tagged, own)
	}
}

// TestAdoptMainBehindATag adopts golang.org/x/crypto, whose one main
// package besides a helper (acme/internal/acmeprobe) is one only with the
// build tag generate (x509roots, a code generator): without the tag, the
// plan names it, and asking for it is refused, naming the tag; with it,
// the helper is left out, and the build runs the
// tests of every package of the module (from the standard library's
// layers of a project without the tag), and a library's that needs the
// network (acme's, which fetches a module) fails there, named with its
// tests, and the --skip-tests the failure gives skips those; --tests off,
// the last resort, turns the tests off in the build, which then passes,
// and the program runs.
func TestAdoptMainBehindATag(t *testing.T) {
	testenv.Slow(t, "fetches modules and runs Nix builds")
	n := nixtest.New(t)
	p := adopting.Project{
		Module: "golang.org/x/crypto", Version: "v0.59.0",
		Flags: map[string]string{"systems": n.System, "tools": "none"},
	}
	dir := adopting.Fetch(t, p)
	var plan bytes.Buffer
	s, err := session.Adopt(context.Background(), adopting.Env(&plan), &session.AdoptOptions{Run: session.Run{Dir: dir, DryRun: true, Yes: true, Flags: p.Flags}})
	must(t, err)
	_, err = s.Run(context.Background())
	must(t, err)
	if want := "x509roots is a main package only with the build tags generate: --tags generate builds it"; !strings.Contains(plan.String(), want) {
		t.Errorf("adopt without the tag: the plan does not say %q:\n%s", want, plan.String())
	}
	flags := maps.Clone(p.Flags)
	flags["packages"] = "x509roots"
	s, err = session.Adopt(context.Background(), adopting.Env(io.Discard), &session.AdoptOptions{Run: session.Run{Dir: dir, Yes: true, Flags: flags}})
	if err == nil {
		_, err = s.Run(context.Background())
	}
	if err == nil || !strings.Contains(err.Error(), "x509roots is a main package only with the build tags generate: give --tags generate") {
		t.Fatalf("adopt --packages x509roots without the tag: %v", err)
	}
	p.Flags["tags"] = "generate"
	a, report := adopting.Adopt(t, dir, p)
	if !slices.Equal(a.Packages, []string{"x509roots"}) || !slices.Equal(a.Tags, []string{"generate"}) {
		t.Fatalf("adopt --tags generate recorded packages %v, tags %v", a.Packages, a.Tags)
	}
	if !strings.Contains(report, "leaves out acme/internal/acmeprobe: helpers") {
		t.Errorf("adopt --tags generate does not say it left the helper out:\n%s", report)
	}
	checkStdLayersShared(t, n, dir)
	_, err = n.Flake(dir, "build")
	for _, want := range []string{"x509roots: go test failed in the Nix build:\n", "  golang.org/x/crypto/acme: Test", "gonix-init update --skip-tests '", "gonix-init update --tests off"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("nix build of a module whose library test needs the network: want a failure saying %q; got %v", want, err)
		}
	}
	adopting.CheckTested(t, n, dir, p, a)
	// The command the failure gives skips the tests it named, acme's, and no
	// others (TestAdoptSkipsTestsByName builds with such a command).
	skip := regexp.MustCompile(`--skip-tests '([^']*)'`).FindStringSubmatch(fmt.Sprint(err))
	failed := regexp.MustCompile(`(?m)  golang\.org/x/crypto/acme: (.*)$`).FindStringSubmatch(fmt.Sprint(err))
	if skip == nil || failed == nil || skip[1] != strings.ReplaceAll(failed[1], " ", "|") {
		t.Errorf("the failure's --skip-tests is not the tests it names in acme:\n%v", err)
	}
	// --tests off stays the last resort: the build runs no test, and says so.
	adopting.RunSession(t)(session.UpdateProject(context.Background(), adopting.Env(io.Discard), &session.UpdateOptions{Run: session.Run{Dir: dir, Yes: true, Flags: map[string]string{"tests": answers.NoSandboxTests}}}))
	bin := filepath.Join(n.BuildOut(t, dir, ".#default"), "bin", a.Name)
	adopting.CheckRuns(t, bin, dir, adopting.Project{Run: []string{"-help"}, Output: "-certdata-path"})
	readme, err := os.ReadFile(filepath.Join(dir, "nix", "README.md"))
	must(t, err)
	if !strings.Contains(string(readme), "The build does not run the tests") {
		t.Errorf("nix/README.md does not say the build runs no tests:\n%s", readme)
	}
}
