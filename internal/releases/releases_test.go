package releases

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/nixpin"
	"github.com/gonix-init/gonix-init/internal/render"
	"github.com/gonix-init/gonix-init/internal/version"
	"github.com/gonix-init/gonix-init/templates"
)

var update = flag.Bool("update", false, "write the current version's archive from templates/ (task release)")

// TestCurrentRelease keeps the current version's archive equal to
// templates/ and its pin to internal/nixpin's: a template or pin change
// without a new archive would make updates of projects of this version
// merge against the wrong base. After changing either, bump the version and
// run `task release`.
func TestCurrentRelease(t *testing.T) {
	want, err := Archive(templates.FS, nixpin.Nixpkgs)
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
	_, err := Set("9.9.9")
	if err == nil {
		t.Fatal("Set(9.9.9) found a set")
	}
	// Known versions in the order they came: 0.2.0 before 0.10.0.
	if !strings.Contains(err.Error(), "0.1.0, 0.2.0, 0.3.0") || !strings.Contains(err.Error(), "0.9.0, 0.10.0, 0.11.0") {
		t.Errorf("the error lists the known versions out of order: %v", err)
	}
}

// TestPins reads every release's pin: versions up to 0.6.0 locked nixpkgs
// 767b0d3e with go 1.25 in go.mod; the current one locks internal/nixpin's.
func TestPins(t *testing.T) {
	for _, v := range Versions() {
		p, err := Pin(v)
		if err != nil || p.Rev == "" || p.NarHash == "" || p.LastModified == 0 || p.GoLine == "" || p.URL() != nixpin.Nixpkgs.URL() {
			t.Errorf("%s: pin %+v, %v", v, p, err)
		}
	}
	old, _ := Pin("0.6.0")
	if old.Rev != "767b0d3ec98a143ad9ed7dfc0d5553510ac27133" || old.GoLine != "1.25" {
		t.Errorf("0.6.0's pin: %+v", old)
	}
	if now, _ := Pin(version.Version); now.Rev != nixpin.Nixpkgs.Rev {
		t.Errorf("%s's pin is %s, want internal/nixpin's %s", version.Version, now.Rev, nixpin.Nixpkgs.Rev)
	}
}
