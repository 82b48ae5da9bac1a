package answers

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestCheckModuleMatchesGoModInit checks that CheckModule accepts exactly
// what `go mod init` accepts, by asking the real go command.
func TestCheckModuleMatchesGoModInit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go mod init; skipped with -short")
	}
	paths := []string{
		"example.com/myapp", "github.com/you/app/v2", "myapp", "a.b/c-d_e~f", "x/y+z",
		"gopkg.in/yaml.v3", "example.com/x/v1", "gopkg.in/yaml", "Foo Bar", "./local", "../up",
		"example.com/${x}", `a"b`, "a\\b", "/abs", "example.com//x", "example.com/x/",
		"-flag", "example.com/-x", "é.com/x", "example.com/x.", "a/.b", "con/x",
	}
	for _, p := range paths {
		dir := t.TempDir()
		cmd := exec.Command("go", "mod", "init", p)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		goOK := err == nil
		ours := CheckModule(p)
		if goOK != (ours == nil) {
			t.Errorf("%q: go mod init ok=%v (%s), CheckModule = %v", p, goOK, strings.TrimSpace(string(out)), ours)
		}
	}
}

func TestCheckModuleReasons(t *testing.T) {
	for p, want := range map[string]string{
		"":                       "module path is empty",
		"Foo Bar":                `invalid char ' '`,
		"./x":                    "is a local import path",
		"example.com/x/v1":       "major version suffix must look like /v2",
		"gopkg.in/yaml":          "gopkg.in/ need a major version suffix",
		strings.Repeat("a", 201): "use at most 200",
	} {
		err := CheckModule(p)
		var ae *Error
		if !errors.As(err, &ae) || ae.Field != "module" || !strings.Contains(ae.Reason, want) {
			t.Errorf("CheckModule(%q) = %v, want a module error containing %q", p, err, want)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"myapp", "my-app", "my_app", "app2", "a.b", "a"} {
		if err := CheckName(ok); err != nil {
			t.Errorf("CheckName(%q) = %v, want ok", ok, err)
		}
	}
	for _, bad := range []string{
		"", "MyApp", "my app", "-app", "app-", "2app", "a--b", "my\"app", "${x}", "a/b", "a\nb",
		"аpp", // Cyrillic а, a look-alike
		strings.Repeat("a", 64),
	} {
		if err := CheckName(bad); err == nil {
			t.Errorf("CheckName(%q) = nil, want an error", bad)
		}
	}
}

func TestDefaultName(t *testing.T) {
	for mod, want := range map[string]string{
		"example.com/myapp":       "myapp",
		"github.com/acme/shop/v2": "shop",
		"myapp":                   "myapp",
		"example.com/my-app.v2":   "my-app.v2",
		"example.com/x/v10":       "x",
	} {
		if got, err := DefaultName(mod); err != nil || got != want {
			t.Errorf("DefaultName(%q) = %q, %v; want %q", mod, got, err, want)
		}
	}
	if _, err := DefaultName("example.com/MyApp"); err == nil {
		t.Error("DefaultName(example.com/MyApp) accepted an upper-case name")
	}
}

func TestParseLists(t *testing.T) {
	ports, err := ParsePorts("9090, 8080 7000")
	if err != nil || !slices.Equal(ports, []int{9090, 8080, 7000}) {
		t.Errorf("ParsePorts keeps the user's order: got %v, %v", ports, err)
	}
	systems, err := ParseSystems("aarch64-darwin,x86_64-linux")
	if err != nil || !slices.Equal(systems, []string{"x86_64-linux", "aarch64-darwin"}) {
		t.Errorf("ParseSystems = %v, %v; want canonical order", systems, err)
	}
	tools, err := ParseTools("none")
	if err != nil || tools == nil || len(tools) != 0 {
		t.Errorf("ParseTools(none) = %#v, %v; want an empty list", tools, err)
	}
	for _, bad := range []string{"", "0", "65536", "-1", "80,80", "http", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17"} {
		if _, err := ParsePorts(bad); err == nil {
			t.Errorf("ParsePorts(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"", "x86_64-darwin", "x86_64-linux,x86_64-linux"} {
		if _, err := ParseSystems(bad); err == nil {
			t.Errorf("ParseSystems(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"vim", "gopls,gopls", "none,gopls"} {
		if _, err := ParseTools(bad); err == nil {
			t.Errorf("ParseTools(%q) accepted", bad)
		}
	}
}

func TestValidateReportsEveryAnswer(t *testing.T) {
	a := Answers{Module: "a b", Name: "A", Systems: nil, Ports: []int{0}, Tools: []string{"vim"}}
	err := a.Validate()
	for _, field := range []string{"module", "name", "systems", "ports", "tools"} {
		if err == nil || !strings.Contains(err.Error(), field+": ") {
			t.Errorf("Validate() = %v, want an error for %s", err, field)
		}
	}
}

func TestReadRefusesUnknownFields(t *testing.T) {
	if _, err := Read(strings.NewReader(`{"module": "example.com/x", "prots": [1]}`)); err == nil {
		t.Error("Read accepted a misspelt field")
	}
	f, err := Read(strings.NewReader(`{"generator": "gonix-init 0.1.0", "module": "example.com/x", "name": "x", "systems": ["x86_64-linux"], "ports": [1], "tools": []}`))
	if err != nil || f.Module != "example.com/x" || f.Generator != "gonix-init 0.1.0" {
		t.Errorf("Read = %+v, %v", f, err)
	}
}

func TestGitHubActionsNeedsGoTask(t *testing.T) {
	if _, err := ParseTools("github-actions"); err == nil || !strings.Contains(err.Error(), "choose go-task too") {
		t.Errorf("ParseTools(github-actions) = %v, want a refusal naming go-task", err)
	}
	if tools, err := ParseTools("github-actions,go-task"); err != nil || !slices.Equal(tools, []string{"go-task", GitHubActions}) {
		t.Errorf("ParseTools(github-actions,go-task) = %v, %v", tools, err)
	}
	if slices.Contains(Default().Tools, GitHubActions) {
		t.Error("the CI workflow is on by default")
	}
	a := Answers{Tools: []string{"gopls", GitHubActions, "go-task"}}
	if got := a.ShellTools(); !slices.Equal(got, []string{"gopls", "go-task"}) || len(a.Tools) != 3 {
		t.Errorf("ShellTools = %v (tools now %v)", got, a.Tools)
	}
}
