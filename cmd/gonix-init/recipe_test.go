package main

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"text/template"

	"github.com/gonix-init/gonix-init/internal/exit"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/form"
	"github.com/gonix-init/gonix-init/internal/plan"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/scaffold"
	"github.com/gonix-init/gonix-init/internal/session"
)

// TestRecipeNewCommand follows docs/hacking.md's recipe for a new command,
// with one of its own: a Command value in commands, its help file, and a
// session with its planner. Nothing else is touched, and the command runs,
// has its --help with its flags and exit codes, and is in the README's
// tables of flags and exit codes.
func TestRecipeNewCommand(t *testing.T) {
	// 1. Its help file (here parsed beside the embedded ones).
	template.Must(helpText().New("hello.txt").Parse("usage: gonix-init hello [flags] [DIR]\n\nHello writes hello.txt.\n\n{{.Answers}}\n{{.Flags}}\n{{.Exits}}\n"))
	// 2. Its value, in commands.
	// Its kind of project: here one that asks only the name.
	names := &answers.Profile{Kind: "names", Project: "a project of names"}
	for _, q := range answers.Questions {
		if q.Key != "name" {
			names.Skips = append(names.Skips, q.Key)
		}
	}
	hello := &Command{
		Name: "hello", Synopsis: "[flags] [DIR]", HelpFile: "hello.txt",
		Flags:   []commandFlag{yesFlag, dryRunFlag},
		Exits:   []exitCode{{exit.OK, "ok"}, failed, badUsage},
		Profile: names,
		Session: func(_ context.Context, e session.Env, o *options) (session.Session, error) {
			return session.Session{Env: e, DryRun: o.DryRun, Planner: helloPlanner{e, o.Dir}, Answers: answers.Answers{Name: o.Flags["name"]}}, nil
		},
	}
	saved := commands
	commands = append(commands, hello)
	t.Cleanup(func() { commands = saved })

	fsys := afero.NewMemMapFs()
	var stdout, stderr bytes.Buffer
	e := memEnv(fsys, &stdout, &stderr)
	if code := runIn(e, []string{"hello", "--yes", "--name", "world", "there"}); code != exit.OK {
		t.Fatalf("gonix-init hello: exit %d: %s", code, stderr.String())
	}
	if data, _ := afero.ReadFile(fsys, "there/hello.txt"); string(data) != "hello, world\n" {
		t.Errorf("gonix-init hello wrote %q, want hello, world", data)
	}
	if code := runIn(e, []string{"hello", "--module", "x"}); code != exit.Usage {
		t.Errorf("gonix-init hello --module: exit %d, want %d: it takes only the answers it says", code, exit.Usage)
	}
	help := usageText(hello)
	for _, want := range []string{"usage: gonix-init hello [flags] [DIR]", "  --name NAME", "  --yes", "  --dry-run", "  2    usage or bad input"} {
		if !strings.Contains(help, want) {
			t.Errorf("gonix-init hello --help lacks %q:\n%s", want, help)
		}
	}
	if !strings.Contains(flagTable(), "| `--dry-run` | all |") || !strings.Contains(flagTable(), "| `--name NAME` | all |") {
		t.Errorf("the README's flags table does not give --dry-run and --name to every command, hello among them:\n%s", flagTable())
	}
	if !strings.Contains(exitTable(), "| 0 | init, adopt, hello |") {
		t.Errorf("the README's exit codes do not name hello:\n%s", exitTable())
	}
	if !strings.Contains(usageText(initCmd), "       gonix-init hello [flags] [DIR]") {
		t.Errorf("gonix-init --help does not list hello:\n%s", usageText(initCmd))
	}
}

// helloPlanner is the new command's planner: hello.txt in dir.
type helloPlanner struct {
	e   session.Env
	dir string
}

func (h helloPlanner) Plan(_ context.Context, a answers.Answers) (plan.Plan, error) {
	writes, err := scaffold.NewPlan(h.e.FS, h.dir, []render.File{{Path: "hello.txt", Data: []byte("hello, " + a.Name + "\n"), Mode: 0o644}}, false)
	return plan.Plan{Writes: writes, Done: "Said hello in", Confirm: "Say hello?"}, err
}

// TestRecipeNewQuestion follows docs/hacking.md's recipe for a new
// question with adopt's last one, tests. Taken out of the table, nothing
// offers it; put back as the recipe says (its row in answers.Questions, and
// its key in the Skips of the profile that lacks it, New) with nothing else
// touched, adopt and update take it as a flag and state it in --help, the
// README's flags table gives it to both with its default, adopt's form
// asks it, the answers file reads it, and init refuses it.
func TestRecipeNewQuestion(t *testing.T) {
	tests := answers.Lookup("tests")
	savedQ, savedSkips := answers.Questions, answers.New.Skips
	t.Cleanup(func() { answers.Questions, answers.New.Skips = savedQ, savedSkips })
	answers.Questions = slices.DeleteFunc(slices.Clone(savedQ), func(q *answers.Question) bool { return q == tests })
	answers.New.Skips = slices.DeleteFunc(slices.Clone(savedSkips), func(k string) bool { return k == tests.Key })

	offered := func() (where []string) {
		for _, c := range []*Command{adoptCmd, updateCmd} {
			if strings.Contains(usageText(c), "  --tests WHERE") {
				where = append(where, c.Name+" --help")
			}
			if o, err := parseFlags([]string{"--tests", "off"}, io.Discard, c); err == nil && o.Flags["tests"] == "off" {
				where = append(where, c.Name+" --tests")
			}
		}
		if strings.Contains(flagTable(), "| `--tests WHERE` | adopt, update | "+tests.Help) {
			where = append(where, "the README's flags")
		}
		adopted := answers.Adopted.Start()
		adopted.Module, adopted.Packages, adopted.Main = "example.com/x", []string{"."}, "."
		var out bytes.Buffer
		a, err := form.Ask(context.Background(), adopted, form.Config{
			In: strings.NewReader(strings.Repeat("\n", len(answers.Questions))), Out: &out, Accessible: true,
			Given: map[string]bool{"module": true},
		})
		if err == nil && strings.Contains(out.String(), tests.Title) && a.Tests == answers.SandboxTests {
			where = append(where, "adopt's form")
		}
		var read answers.Answers
		if _, answered, err := answers.Read(strings.NewReader(`{"kind": "adopted", "tests": "off"}`), &read); err == nil && slices.Contains(answered, "tests") && read.Tests == "off" {
			where = append(where, "the answers file")
		}
		if _, err := parseFlags([]string{"--tests", "off"}, io.Discard, initCmd); err == nil {
			where = append(where, "init --tests")
		}
		return where
	}
	if got := offered(); len(got) > 0 {
		t.Fatalf("without its row, tests is still offered: %s", strings.Join(got, ", "))
	}

	// The recipe: 1. its row; 2. the profiles without it skip it.
	answers.Questions = append(answers.Questions, tests)
	answers.New.Skips = append(answers.New.Skips, tests.Key)
	want := []string{"adopt --help", "adopt --tests", "update --help", "update --tests", "the README's flags", "adopt's form", "the answers file"}
	if got := offered(); !slices.Equal(got, want) {
		t.Errorf("after the recipe, tests is offered in\n\t%s\nwant\n\t%s", strings.Join(got, ", "), strings.Join(want, ", "))
	}
}
