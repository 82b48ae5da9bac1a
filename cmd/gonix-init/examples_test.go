package main

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/spf13/afero"

	"github.com/gonix-init/gonix-init/internal/testenv"
)

// TestExamplesFromAnswersFiles renders every example again from its own
// answers file, through the command, and finds the same bytes.
func TestExamplesFromAnswersFiles(t *testing.T) {
	for _, ex := range testenv.Examples(t, "../../examples") {
		dir, answersFile := ex.Dir, filepath.Join(ex.Dir, ".gonix.json")
		t.Run(ex.Name, func(t *testing.T) {
			mem := afero.NewMemMapFs()
			recorded, err := os.ReadFile(answersFile)
			if err != nil {
				t.Fatal(err)
			}
			afero.WriteFile(mem, "in/.gonix.json", recorded, 0o644)
			var stderr bytes.Buffer
			e := memEnv(mem, io.Discard, &stderr)
			if code := runIn(e, []string{"--answers", "in/.gonix.json", "--yes", "out"}); code != 0 {
				t.Fatalf("exit %d: %s", code, &stderr)
			}
			n := 0
			err = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				n++
				want, _ := os.ReadFile(filepath.Join(dir, p))
				got, err := afero.ReadFile(mem, "out/"+p)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s differs when rendered from the answers file (%v)", p, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if files := readDir(t, mem, "out"); len(files) != n {
				t.Errorf("rendered %d files, the example has %d", len(files), n)
			}
		})
	}
}
