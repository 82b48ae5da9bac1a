package nixtest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"

	"github.com/gonix-init/gonix-init/internal/answers"
)

// ImageAnswers is a project with every system and two ports.
func ImageAnswers() answers.Answers {
	a := answers.Default()
	a.Module, a.Name, a.Ports = "github.com/example/same", "same", []int{8080, 9090}
	return a
}

// Tree reads every file under root, by relative path.
func Tree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[rel], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// LayoutIndex opens the image index that an OCI layout's index.json names,
// its one entry, and returns that entry and the index.
func LayoutIndex(t *testing.T, oci string) (v1.Descriptor, v1.ImageIndex) {
	t.Helper()
	p, err := layout.FromPath(oci)
	if err != nil {
		t.Fatal(err)
	}
	outer, err := p.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	om, err := outer.IndexManifest()
	if err != nil || len(om.Manifests) != 1 {
		t.Fatalf("%s/index.json: %+v, %v; want one image index", oci, om, err)
	}
	idx, err := outer.ImageIndex(om.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	return om.Manifests[0], idx
}

// PlatformImage is the image m of the index idx.
func PlatformImage(t *testing.T, idx v1.ImageIndex, m v1.Descriptor) v1.Image {
	t.Helper()
	img, err := idx.Image(m.Digest)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// DiffNames lists, sorted, the files whose bytes differ between two trees
// that Tree read, or that only one of them has.
func DiffNames(a, b map[string][]byte) []string {
	var out []string
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
