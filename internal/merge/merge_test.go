package merge

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var cases = []struct {
	name, base, yours, new string
	conflicts              int
}{
	{"only yours changed", "a\nb\nc\n", "a\nB\nc\n", "a\nb\nc\n", 0},
	{"only new changed", "a\nb\nc\n", "a\nb\nc\n", "a\nb\nC\n", 0},
	{"both, apart", "a\nb\nc\nd\ne\nf\ng\n", "A\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nd\ne\nf\nG\n", 0},
	{"both alike", "a\nb\nc\n", "a\nX\nc\n", "a\nX\nc\n", 0},
	{"both, same line", "a\nb\nc\n", "a\nyours\nc\n", "a\nnew\nc\n", 1},
	{"yours adds, new deletes elsewhere", "a\nb\nc\nd\ne\nf\n", "a\nb\nc\nd\ne\nf\nadded\n", "b\nc\nd\ne\nf\n", 0},
	{"no final newline", "a\nb\nc", "a\nyours\nc", "a\nnew\nc", 1},
	{"empty base, both add", "", "yours\n", "new\n", 1},
	{"two conflicts", "1\n2\n3\n4\n5\n6\n7\n8\n", "1\nY\n3\n4\n5\n6\nY\n8\n", "1\nN\n3\n4\n5\n6\nN\n8\n", 2},
}

// TestMergeAgreesWithGit merges each case and, where git is installed,
// compares the result with `git merge-file` (labels yours and gonix-init).
func TestMergeAgreesWithGit(t *testing.T) {
	git, _ := exec.LookPath("git")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Files([]byte(c.base), []byte(c.yours), []byte(c.new), "gonix-init")
			if got.Conflicts != c.conflicts {
				t.Errorf("%d conflicts, want %d:\n%s", got.Conflicts, c.conflicts, got.Data)
			}
			if git == "" {
				return
			}
			dir := t.TempDir()
			for name, data := range map[string]string{"yours": c.yours, "base": c.base, "new": c.new} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command(git, "merge-file", "-p", "-L", "yours", "-L", "base", "-L", "gonix-init", "yours", "base", "new")
			cmd.Dir = dir
			want, err := cmd.Output()
			if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != c.conflicts) {
				t.Fatalf("git merge-file: %v", err)
			}
			if !bytes.Equal(got.Data, want) {
				t.Errorf("merge differs from git merge-file:\n%s\ngit:\n%s", got.Data, want)
			}
		})
	}
}

// FuzzMerge checks the identities of a merge on the line merge itself (not
// Files' shortcuts for them): with an unchanged side it returns the other
// side exactly, and a file merged with itself is itself.
func FuzzMerge(f *testing.F) {
	for _, c := range cases {
		f.Add(c.base, c.yours, c.new)
	}
	Files := diff3Lines
	f.Fuzz(func(t *testing.T, base, yours, new string) {
		if got := Files([]byte(base), []byte(base), []byte(new), "x"); string(got.Data) != new || got.Conflicts != 0 {
			t.Errorf("yours unchanged: got %q, want new %q", got.Data, new)
		}
		if got := Files([]byte(base), []byte(yours), []byte(base), "x"); string(got.Data) != yours || got.Conflicts != 0 {
			t.Errorf("new unchanged: got %q, want yours %q", got.Data, yours)
		}
		if got := Files([]byte(base), []byte(yours), []byte(yours), "x"); string(got.Data) != yours || got.Conflicts != 0 {
			t.Errorf("both alike: got %q, want %q", got.Data, yours)
		}
		got := Files([]byte(base), []byte(yours), []byte(new), "x")
		if got.Conflicts == 0 && strings.Contains(string(got.Data), "<<<<<<< yours\n") && !strings.Contains(yours+new, "<<<<<<< yours") {
			t.Errorf("markers without a conflict: %q", got.Data)
		}
	})
}

// TestHasConflict finds a conflict exactly where Files wrote one, and none
// once it is resolved, nor in a file that only quotes one marker.
func TestHasConflict(t *testing.T) {
	for _, c := range cases {
		got := Files([]byte(c.base), []byte(c.yours), []byte(c.new), "gonix-init 0.3.0")
		if has := HasConflict(got.Data, "gonix-init"); has != (c.conflicts > 0) {
			t.Errorf("%s: HasConflict = %v with %d conflicts:\n%s", c.name, has, c.conflicts, got.Data)
		}
	}
	for _, data := range []string{
		"a\nyours\nc\n",                         // resolved
		"// <<<<<<< yours is a marker\n",        // quoted
		"<<<<<<< yours\nx\n=======\n",           // opened, never closed
		"<<<<<<< yours\nx\n>>>>>>> other 1.0\n", // another program's label
	} {
		if HasConflict([]byte(data), "gonix-init") {
			t.Errorf("HasConflict(%q) = true", data)
		}
	}
}

// TestDependabot merges gonix-init's Dependabot updates into a project's
// configuration: an update of another ecosystem, a comment and the
// project's own formatting stay byte for byte, the updates it lacks (gomod
// and github-actions at /) are added after its last one with its
// indentation, one it has already (its github-actions) is not added again,
// and merging again changes nothing.
func TestDependabot(t *testing.T) {
	got, err := Dependabot([]byte(dependabotYours), []byte(dependabotOurs))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != dependabotWant {
		t.Errorf("merged:\n%s\nwant:\n%s", got, dependabotWant)
	}
	again, err := Dependabot(got, []byte(dependabotOurs))
	if err != nil || string(again) != string(got) {
		t.Errorf("merging again changed it (%v):\n%s", err, again)
	}
	if _, err := Dependabot([]byte("version: 2\n"), []byte(dependabotOurs)); err == nil {
		t.Error("a configuration without updates was merged into")
	}
	if _, err := Dependabot([]byte("updates: [\n"), []byte(dependabotOurs)); err == nil || !strings.Contains(err.Error(), "not YAML") {
		t.Errorf("a file that is not YAML: %v", err)
	}
}

// TestDependabot's configurations: the project's own, gonix-init's, and
// the merge of the two.
const (
	dependabotYours = `# Keep npm current.
version: 2
updates:
    - package-ecosystem: "npm"
      directory: "/web"
      schedule:
          interval: "daily"
    - package-ecosystem: github-actions
      directory: /
      schedule:
          interval: monthly
registries: {}
`
	dependabotOurs = `# Dependabot: a week's Go module bumps as one pull request.
version: 2
updates:
  - package-ecosystem: gomod
    directory: /
    schedule:
      interval: weekly
    groups:
      go-modules:
        patterns:
          - "*"
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
`
	dependabotWant = `# Keep npm current.
version: 2
updates:
    - package-ecosystem: "npm"
      directory: "/web"
      schedule:
          interval: "daily"
    - package-ecosystem: github-actions
      directory: /
      schedule:
          interval: monthly
    - package-ecosystem: gomod
      directory: /
      schedule:
        interval: weekly
      groups:
        go-modules:
          patterns:
            - "*"
registries: {}
`
)

// TestLines adds the lines of ours a .gitignore lacks, once, under a
// comment, and changes nothing when it lacks none.
func TestLines(t *testing.T) {
	got, _ := Lines([]byte("node_modules/\nresult\n"), []byte("# Nix out links\nresult\nresult-*\n.direnv/\n"))
	if want := "node_modules/\nresult\n\n# Added by gonix-init adopt\nresult-*\n.direnv/\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if again, _ := Lines(got, []byte("result\nresult-*\n")); string(again) != string(got) {
		t.Errorf("again: %q", again)
	}
}
