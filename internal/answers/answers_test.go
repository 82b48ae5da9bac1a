package answers

import (
	"encoding/json"
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
	if _, err := DefaultName("example.com/MyApp"); err == nil || !strings.Contains(err.Error(), "give --name myapp") {
		t.Errorf("DefaultName(example.com/MyApp) = %v, want it refused with a name to give", err)
	}
	for in, want := range map[string]string{"My_App": "my-app", "App2": "app2", "2Fast": "fast", "__": "", "ÄÖ": ""} {
		if got := suggestName(in); got != want {
			t.Errorf("suggestName(%q) = %q, want %q", in, got, want)
		}
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
	// A wrong answer of each question, of whatever type it is.
	var a Answers
	for _, q := range Questions {
		switch v := q.field(&a).(type) {
		case *string:
			*v = "BAD VALUE"
		case *[]string:
			*v = []string{"BAD VALUE"}
		case *[]int:
			*v = []int{0}
		default:
			t.Fatalf("%s: a field of type %T; give it a wrong answer here", q.Key, v)
		}
	}
	err := a.Validate()
	for _, q := range Questions {
		if q == argsQ {
			continue // any words are arguments
		}
		if err == nil || !strings.Contains(err.Error(), q.Key+": ") {
			t.Errorf("Validate() = %v, want an error for %s", err, q.Key)
		}
	}
}

// TestQuestionsRoundTrip checks every question of the table: Format writes
// what Parse reads back to the same answers, the default is default, and a
// bad answer is an *Error naming the question's key.
func TestQuestionsRoundTrip(t *testing.T) {
	a := Default()
	a.Module, a.Name, a.Systems = "github.com/acme/shop/v2", "shop-api", []string{"aarch64-linux"}
	a.Ports, a.Tools, a.CI = []int{9000, 7000}, []string{"go-task"}, GitHubActions
	a.Packages, a.Main, a.Args, a.Tests = []string{"cmd/shop", "."}, "cmd/shop", []string{"serve", "--quiet"}, NoSandboxTests
	a.BuildInfo = ModuleVersion
	a.Tags, a.Health = []string{"postgres", "go_json"}, "/healthz?full=1"
	a.Stamps, a.Release = []string{"main.version=version", "example.com/shop/internal/v.Built=goreleaser"}, []string{"linux/amd64", "windows/arm64"}
	for _, q := range Questions {
		var b Answers
		b.Tools, b.Packages = a.Tools, a.Packages
		if err := q.Parse(&b, q.Format(a)); err != nil || q.Format(b) != q.Format(a) {
			t.Errorf("%s: Parse(Format) = %q, %v; want %q", q.Key, q.Format(b), err, q.Format(a))
		}
		if q.Title == "" || q.Help == "" || (q.Default == "") != q.Required || q.Arg == "" {
			t.Errorf("%s: a question needs a title, help, flag argument, and a default unless it is required", q.Key)
		}
		var ae *Error
		// Any words are arguments, two words are two tags, and two are directories.
		if err := q.Parse(&b, "BAD VALUE"); q != argsQ && q != tagsQ && q != packagesQ && (!errors.As(err, &ae) || ae.Field != q.Key) {
			t.Errorf("%s: Parse(bad) = %v, want an error for %s", q.Key, err, q.Key)
		}
	}
	d := Default()
	d.Module, d.Name = "example.com/myapp", "myapp"
	for _, q := range Questions {
		if q.Key != "module" && New.Has(q) && !q.IsDefault(d, Default()) {
			t.Errorf("%s: the default answer is not IsDefault", q.Key)
		}
	}
	start := Adopting("example.com/myapp", []string{"cmd/myapp", "cmd/tool"}, nil)
	adopted := start
	if err := Derive(&adopted); err != nil || adopted.Main != "cmd/myapp" || adopted.Name != "myapp" {
		t.Fatalf("Adopting, Derive = main %q, name %q, %v; want cmd/myapp, myapp", adopted.Main, adopted.Name, err)
	}
	for _, q := range Questions {
		if q.Key != "module" && !q.IsDefault(adopted, start) {
			t.Errorf("%s: the default answer of an adopted project is not IsDefault", q.Key)
		}
	}
	adopted.Packages = []string{"cmd/myapp"}
	if packagesQ.IsDefault(adopted, start) {
		t.Error("packages: a subset of the main packages found is IsDefault")
	}
}

func TestReadNamesTheField(t *testing.T) {
	var a Answers
	_, _, err := Read(strings.NewReader(`{"module": "example.com/x", "prots": [1], "ports": "8080"}`), &a)
	if err == nil || !strings.Contains(err.Error(), "prots: unknown field") || !strings.Contains(err.Error(), `ports: want a list of port numbers like [8080], got "8080"`) {
		t.Errorf("Read = %v, want both fields named", err)
	}
	if strings.Contains(errString(err), "json:") {
		t.Errorf("Read shows Go's unmarshal text: %v", err)
	}
	a = Answers{}
	origin, answered, err := Read(strings.NewReader(`{"generator": "gonix-init 0.1.0", "module": "example.com/x", "name": "x", "systems": ["x86_64-linux"], "ports": [1], "tools": []}`), &a)
	if err != nil || a.Module != "example.com/x" || origin.Generator != "gonix-init 0.1.0" || !slices.Equal(answered, []string{"module", "name", "systems", "ports", "tools"}) {
		t.Errorf("Read = %+v, %q, %v, %v", a, origin.Generator, answered, err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestReadMigratesGitHubActionsTool reads a 0.1.0 answers file, which
// listed github-actions among the tools: it is the CI choice now.
func TestReadMigratesGitHubActionsTool(t *testing.T) {
	var a Answers
	_, answered, err := Read(strings.NewReader(`{"tools": ["go-task", "github-actions"]}`), &a)
	if err != nil || !slices.Equal(a.Tools, []string{"go-task"}) || a.CI != GitHubActions || !slices.Contains(answered, "ci") {
		t.Errorf("Read = %+v, %v, %v", a, answered, err)
	}
}

func TestGitHubActionsNeedsGoTask(t *testing.T) {
	a := Default()
	a.Module, a.Name, a.CI, a.Tools = "example.com/x", "x", GitHubActions, []string{"gopls"}
	if err := a.Validate(); err == nil || !strings.Contains(err.Error(), "ci: github-actions runs `task verify`: add go-task") {
		t.Errorf("Validate = %v, want a refusal naming go-task", err)
	}
	if Default().CI != NoCI {
		t.Error("the CI workflow is on by default")
	}
	if _, err := ParseTools("github-actions,go-task"); err == nil || !strings.Contains(err.Error(), "--ci github-actions") {
		t.Errorf("ParseTools(github-actions) = %v, want it pointed to --ci", err)
	}
	if _, err := ParseTools("none,gopls"); err == nil || !strings.Contains(err.Error(), "none alone") {
		t.Errorf("ParseTools(none,gopls) = %v, want none explained", err)
	}
}

// TestChoicesFitOneLine keeps every option of the form on one line at 80
// columns, so that no description wraps to the left edge.
func TestChoicesFitOneLine(t *testing.T) {
	for _, q := range Questions {
		for _, c := range q.Choices {
			if len(c.Value) > 15 || len(c.About) > MaxAbout {
				t.Errorf("%s: option %q (%q) is too long for one line", q.Key, c.Value, c.About)
			}
		}
	}
}

// TestListsReportEveryWrongItem: every wrong port is named once, and an
// empty item between commas is refused for every list, while spaces
// separate items.
func TestListsReportEveryWrongItem(t *testing.T) {
	_, err := ParsePorts("0,8080,8080,0,8080")
	if got := errString(err); strings.Count(got, "ports: ") != 2 || !strings.Contains(got, "0 is not a TCP port") || !strings.Contains(got, "port 8080 is listed twice") {
		t.Errorf("ParsePorts = %q, want the 0 and the duplicate, each once", got)
	}
	if _, err := ParsePorts("x,y"); strings.Count(errString(err), "is not a port number") != 2 {
		t.Errorf("ParsePorts(x,y) = %v, want both named", err)
	}
	for _, s := range []string{"8080,", ",8080", "8080,,9090", " , "} {
		if _, err := ParsePorts(s); !strings.Contains(errString(err), "has an empty item") {
			t.Errorf("ParsePorts(%q) = %v, want the empty item refused", s, err)
		}
	}
	if _, err := ParseSystems("x86_64-linux,"); !strings.Contains(errString(err), "systems: ") || !strings.Contains(errString(err), "empty item") {
		t.Errorf("ParseSystems(trailing comma) = %v", err)
	}
	if _, err := ParseTools(",gopls"); !strings.Contains(errString(err), "tools: ") {
		t.Errorf("ParseTools(leading comma) = %v", err)
	}
	if ports, err := ParsePorts(" 8080  9090 "); err != nil || !slices.Equal(ports, []int{8080, 9090}) {
		t.Errorf("ParsePorts with spaces = %v, %v", ports, err)
	}
}

// TestCrossRuleNamesBothAnswers: the one rule between two answers says
// which other answer it relates to, so the form can show it at either.
func TestCrossRuleNamesBothAnswers(t *testing.T) {
	a := Default()
	a.Module, a.Name, a.CI, a.Tools = "example.com/x", "x", GitHubActions, []string{}
	var ae *Error
	if err := CheckCI(a); !errors.As(err, &ae) || ae.Field != "ci" || ae.With != "tools" {
		t.Errorf("CheckCI = %#v, want a ci error with tools", err)
	}
	if q := Lookup("module"); !q.Required || New.DefaultText(q) != "(required)" {
		t.Errorf("module: Required %v, DefaultText %q", q.Required, New.DefaultText(q))
	}
	if q := Lookup("ports"); New.DefaultText(q) != "(default: 8080)" || Adopted.DefaultText(q) != "(default: none (a command-line program))" {
		t.Errorf("ports: DefaultText %q, adopted %q", New.DefaultText(q), Adopted.DefaultText(q))
	}
}

// TestInitialAnswersParse: every question has an initial answer that its
// own parser takes, or is required, or is derived from another.
func TestInitialAnswersParse(t *testing.T) {
	for _, q := range Questions {
		var a Answers
		switch {
		case q.Required && q.Example == "":
			t.Errorf("%s is required and has no example to show", q.Key)
		case q.Required || q.From != "":
			if q.Initial != "" {
				t.Errorf("%s is required or derived, and has the initial answer %q", q.Key, q.Initial)
			}
		case q == packagesQ || q == argsQ && q.Initial == "":
			// An adopted project's packages are found; its arguments are none.
		case q.Initial == "":
			t.Errorf("%s has no initial answer", q.Key)
		case q.Parse(&a, q.Initial) != nil:
			t.Errorf("%s: its initial answer %q does not parse: %v", q.Key, q.Initial, q.Parse(&a, q.Initial))
		}
	}
}

func TestSource(t *testing.T) {
	for module, want := range map[string]string{
		"github.com/you/myapp":         "https://github.com/you/myapp",
		"github.com/you/myapp/v2":      "https://github.com/you/myapp",
		"github.com/you/tools/cmd/app": "https://github.com/you/tools",
		"codeberg.org/you/app":         "https://codeberg.org/you/app",
		"bitbucket.org/you/app":        "https://bitbucket.org/you/app",
		"github.com/you":               "",
		"gitlab.com/group/sub/app":     "",
		"example.com/app":              "",
		"app":                          "",
	} {
		if got := Source(module); got != want {
			t.Errorf("Source(%q) = %q, want %q", module, got, want)
		}
	}
}

func TestLowPortNote(t *testing.T) {
	for _, c := range []struct {
		ports []int
		want  string
	}{
		{[]int{8080, 9090}, ""},
		{[]int{1024}, ""},
		{[]int{80, 8080}, "Port 80 is below 1024: "},
		{[]int{80, 443}, "Ports 80, 443 are below 1024: "},
	} {
		got := LowPortNote(c.ports)
		if c.want == "" && got != "" || !strings.HasPrefix(got, c.want) || c.want != "" && !strings.Contains(got, "Kubernetes") {
			t.Errorf("LowPortNote(%v) = %q, want it to start %q", c.ports, got, c.want)
		}
	}
}

// TestPortsReportEveryWrongItem: a list with a number out of range, a
// duplicate and a word reports all three, in the order given.
func TestPortsReportEveryWrongItem(t *testing.T) {
	_, err := ParsePorts("0,70000,80,80,x")
	var got []string
	for _, e := range Unjoin(err) {
		got = append(got, e.Error())
	}
	want := []string{
		"ports: 0 is not a TCP port; use 1 to 65535",
		"ports: 70000 is not a TCP port; use 1 to 65535",
		"ports: port 80 is listed twice",
		`ports: "x" is not a port number; give numbers from 1 to 65535 like 8080,9090`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("ParsePorts(0,70000,80,80,x) = %q, want %q", got, want)
	}
}

// TestStampTypos: a stamp's text that reads like a typo of a source (its
// case, its letters swapped, one letter off a long name) is refused,
// naming the source; a short word one letter off a source, or any other
// text, is stamped as it is.
func TestStampTypos(t *testing.T) {
	for stamp, typo := range map[string]string{
		"main.v=verison":    "version",
		"main.v=Version":    "version",
		"main.v=comit":      "commit",
		"main.v=timestmp":   "timestamp",
		"main.v=gat":        "tag",
		"main.v=data":       "",
		"main.v=tab":        "",
		"main.v=release":    "",
		"main.v=1.2.3":      "",
		"main.v=tag":        "",
		"main.v=goreleaser": "",
	} {
		_, _, err := ParseStamp(stamp)
		switch {
		case typo == "" && err != nil:
			t.Errorf("ParseStamp(%s): %v, want it taken", stamp, err)
		case typo != "" && (err == nil || !strings.Contains(err.Error(), "reads like a typo of "+typo+":")):
			t.Errorf("ParseStamp(%s): %v, want it refused as a typo of %s", stamp, err, typo)
		}
	}
}

// TestFileFieldsAreKeys writes answers with every answer given and reads
// the file's fields: each is a question's key (or a field of the file's
// own), as Read reads them, so that no answer is written under a name
// Read refuses.
func TestFileFieldsAreKeys(t *testing.T) {
	a := Adopting("example.com/tool", []string{"."}, []string{"netgo"})
	a.SkipTests, a.Stamps, a.VersionCheck, a.Args, a.Health = []string{"TestDials"}, []string{"main.version=version"}, "--version", []string{"serve"}, "/"
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatal(err)
	}
	for f := range fields {
		if f != "kind" && Lookup(f) == nil {
			t.Errorf("answers are written with the field %q, which is no question's key", f)
		}
	}
	if _, ok := fields["version-check"]; !ok {
		t.Errorf("the version check is not written: %s", data)
	}
}

// TestHealthPath checks the health path's rules: a URL path that starts
// with /, of at most maxHealthLen bytes, without spaces or quotes.
func TestHealthPath(t *testing.T) {
	long := "/" + strings.Repeat("a", maxHealthLen-1)
	for path, ok := range map[string]bool{
		"/healthz": true, "/healthz?full=1": true, long: true, long + "a": false,
		"healthz": false, "/health z": false, `/"x"`: false, "": false,
	} {
		var a Answers
		if err := healthQ.Parse(&a, path); (err == nil) != ok {
			t.Errorf("health %.20q (%d bytes): err = %v, want ok = %v", path, len(path), err, ok)
		}
	}
}

// TestProfileRefusesAnAnswerItHasNot gives a generated project the answer
// to each question only an adopted project has: the refusal names the
// answer in words that read ("has no project's tests", never "has no the
// project's tests").
func TestProfileRefusesAnAnswerItHasNot(t *testing.T) {
	a := Default()
	a.Module, a.Tests = "example.com/x", NoSandboxTests
	err := a.Validate()
	if err == nil || !strings.Contains(err.Error(), "a generated project has no project's tests: only a project gonix-init adopt took up has one") {
		t.Errorf("--tests off for a generated project: %v", err)
	}
	a.Tests, a.Args = "", []string{"serve"}
	if err := a.Validate(); err == nil || strings.Contains(err.Error(), "has no the ") || !strings.Contains(err.Error(), "has no image's arguments") {
		t.Errorf("--args for a generated project: %v", err)
	}
}

// TestAnswersAreText refuses an answer that is not UTF-8 text (what
// FuzzRender found: .gonix.json recorded U+FFFD in place of the byte, so the
// project recorded another answer than the one given), or that holds a
// control character (FuzzRender again: the Taskfile's YAML cannot hold it),
// and names the answer and why.
func TestAnswersAreText(t *testing.T) {
	for _, c := range []struct {
		key, why string
		set      func(*Answers)
	}{
		{"args", "is not valid UTF-8 text", func(a *Answers) { a.Args = []string{"se\x94ve"} }},
		{"name", "is not valid UTF-8 text", func(a *Answers) { a.Name = "my\xffapp" }},
		{"skip-tests", "is not valid UTF-8 text", func(a *Answers) { a.SkipTests = []string{"TestA\xc3"} }},
		{"args", "holds a control character (U+0010)", func(a *Answers) { a.Args = []string{"serve\x10--quiet"} }},
		{"args", "holds a control character (U+0085)", func(a *Answers) { a.Args = []string{"serve\u0085"} }},
		{"version-check", "holds a control character (U+007F)", func(a *Answers) { a.VersionCheck = "--version\x7f" }},
	} {
		a := Adopting("example.com/tool", []string{"."}, nil)
		a.Main, a.Name = ".", "tool"
		if err := a.Validate(); err != nil {
			t.Fatalf("the answers before %s changed: %v", c.key, err)
		}
		c.set(&a)
		err := a.Validate()
		if err == nil || !strings.Contains(err.Error(), c.key+": ") || !strings.Contains(err.Error(), c.why) {
			t.Errorf("%s: Validate() = %v, want it refused: %s", c.key, err, c.why)
		}
	}
}
