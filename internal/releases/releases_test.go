package releases

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/version"
	"github.com/gonix-init/gonix-init/templates"
)

var update = flag.Bool("update", false, "write the current version's archive from templates/ (task release)")

// TestCurrentRelease keeps the current version's archive equal to
// templates/: a template change without a new archive would make updates
// of projects of this version merge against the wrong base. After changing
// templates/, bump the version and run `task release`.
func TestCurrentRelease(t *testing.T) {
	want, err := render.Archive(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	file := version.Version + ".txtar"
	if *update {
		if err := os.WriteFile(file, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(file)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("internal/releases/%s differs from templates/ (%v): bump internal/version and flake.nix, then run task release", file, err)
	}
	set, err := Set(version.Version)
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := render.Digest(set)
	d2, _ := render.Digest(templates.FS)
	if d1 != d2 {
		t.Errorf("the archive's digest %s differs from templates/' %s", d1, d2)
	}
}

func TestUnknownVersion(t *testing.T) {
	if _, err := Set("9.9.9"); err == nil {
		t.Error("Set(9.9.9) found a set")
	}
}
