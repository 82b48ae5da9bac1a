package imagetest_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// imageAnswers is a project with every system and two ports.
func imageAnswers() answers.Answers {
	a := answers.Default()
	a.Module, a.Name, a.Ports = "example.com/same", "same", []int{8080, 9090}
	return a
}

// tree reads every file under root, by relative path.
func tree(t *testing.T, root string) map[string][]byte {
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

// layerFiles reads the files of a gzip'd tar layer.
func layerFiles(t *testing.T, layer v1.Layer) map[string]*tar.Header {
	t.Helper()
	rc, err := layer.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close() //nolint:errcheck // read-only
	out := map[string]*tar.Header{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("/nix/store/")) {
			t.Errorf("the image's %s holds a store path", h.Name)
		}
		h.Size = int64(len(data))
		out[h.Name] = h
	}
}

// TestImageSameFromEveryHost builds packages.<system>.oci for all three
// systems here, and once more as another machine would (Go elsewhere, its
// own build cache and build directory): the four layouts are byte for byte
// one, with an image index of linux/amd64 and linux/arm64, each image
// holding that system's packages.linux-<arch> binary, with no store path in
// any file; ggcr validates the layout; and each system's .#docker is a view
// of the same image: its config is the one of its arch in the index.
func TestImageSameFromEveryHost(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	n := nixtest.New(t)
	a := imageAnswers()
	dir := nixtest.Generate(t, a)
	systems := answers.Values(answers.AllSystems)

	layouts := map[string]map[string][]byte{}
	var attrs []string
	for _, sys := range systems {
		attrs = append(attrs, ".#packages."+sys+".oci")
	}
	t.Logf("%v, built together", attrs)
	for i, out := range n.BuildOuts(t, dir, attrs...) {
		layouts[systems[i]] = tree(t, out)
	}
	t.Log("packages.x86_64-linux.oci on another host")
	other := nixtest.NewOtherHost(t)
	layouts["another x86_64-linux host"] = tree(t, other.BuildOut(t, dir, ".#packages.x86_64-linux.oci"))
	first := layouts[systems[0]]
	for from, files := range layouts {
		if !maps.EqualFunc(first, files, bytes.Equal) {
			t.Errorf("the OCI layout built by %s differs from %s's: %v", from, systems[0], diffNames(first, files))
		}
	}

	oci := n.BuildOut(t, dir, ".#packages.x86_64-linux.oci")
	desc, idx := layoutIndex(t, oci)
	if desc.Annotations["org.opencontainers.image.ref.name"] != "latest" {
		t.Errorf("index.json names the image index %v, want latest", desc.Annotations)
	}
	if err := validate.Index(idx); err != nil {
		t.Errorf("ggcr does not validate the image index: %v", err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	var platforms []string
	for _, m := range im.Manifests {
		platforms = append(platforms, m.Platform.OS+"/"+m.Platform.Architecture)
		checkPlatformImage(t, n, dir, a, idx, m, systems)
	}
	if !slices.Equal(platforms, []string{"linux/amd64", "linux/arm64"}) {
		t.Errorf("the image index holds %v", platforms)
	}
}

// checkPlatformImage checks the image m of the index: its config, its one
// layer, that each system's binary for the arch is the one in it, and that
// the arch's .#docker holds its config.
func checkPlatformImage(t *testing.T, n *nixtest.Nix, dir string, a answers.Answers, idx v1.ImageIndex, m v1.Descriptor, systems []string) {
	t.Helper()
	img := platformImage(t, idx, m)
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	var ports []string
	for _, port := range a.Ports {
		ports = append(ports, strconv.Itoa(port)+"/tcp")
	}
	if got := nixtest.SortedKeys(cfg.Config.ExposedPorts); !slices.Equal(got, ports) || !slices.Equal(cfg.Config.Cmd, []string{"/bin/" + a.Name}) ||
		cfg.Architecture != m.Platform.Architecture || cfg.OS != "linux" {
		t.Errorf("%s config: Cmd %v, ports %v, %s/%s", m.Platform.Architecture, cfg.Config.Cmd, got, cfg.OS, cfg.Architecture)
	}
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("%s: %d layers, %v", m.Platform.Architecture, len(layers), err)
	}
	files := layerFiles(t, layers[0])
	if got := nixtest.SortedKeys(files); !slices.Equal(got, []string{"bin/", "bin/" + a.Name, "etc/", "etc/mime.types", "etc/protocols", "etc/services"}) {
		t.Errorf("%s layer holds %v", m.Platform.Architecture, got)
	}
	if h := files["bin/"+a.Name]; h == nil || h.Mode != 0o555 || h.Uid != 0 || h.ModTime.Unix() != 1 {
		t.Errorf("%s: bin/%s header %+v", m.Platform.Architecture, a.Name, h)
	}

	// Each system's binary for the arch is the one in the image.
	for _, sys := range systems {
		bin := filepath.Join(n.BuildOut(t, dir, ".#packages."+sys+".linux-"+m.Platform.Architecture), "bin", a.Name)
		data, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(data)) != files["bin/"+a.Name].Size || bytes.Contains(data, []byte("/nix/store/")) {
			t.Errorf("packages.%s.linux-%s is not the image's binary, or holds a store path", sys, m.Platform.Architecture)
		}
	}

	// .#docker of a system of this arch holds this image's config.
	sys := map[string]string{"amd64": "x86_64-linux", "arm64": "aarch64-linux"}[m.Platform.Architecture]
	archive := n.BuildOut(t, dir, ".#packages."+sys+".docker")
	cfgName, _ := img.ConfigName()
	if got := dockerArchiveConfig(t, archive); got != cfgName.Hex+".json" {
		t.Errorf("packages.%s.docker has the config %s, want the index's %s", sys, got, cfgName.Hex)
	}
}

// platformImage is the image m of the index idx.
func platformImage(t *testing.T, idx v1.ImageIndex, m v1.Descriptor) v1.Image {
	t.Helper()
	img, err := idx.Image(m.Digest)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// layoutIndex opens the image index that an OCI layout's index.json names,
// its one entry, and returns that entry and the index.
func layoutIndex(t *testing.T, oci string) (v1.Descriptor, v1.ImageIndex) {
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

// dockerArchiveConfig is the config file a gzip'd docker-archive names.
func dockerArchiveConfig(t *testing.T, file string) string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() //nolint:errcheck // read-only
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s: no manifest.json: %v", file, err)
		}
		if h.Name == "manifest.json" {
			var m []struct{ Config string }
			if err := json.NewDecoder(tr).Decode(&m); err != nil || len(m) != 1 {
				t.Fatalf("%s: manifest.json: %v", file, err)
			}
			return m[0].Config
		}
	}
}

func diffNames(a, b map[string][]byte) []string {
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

// imageSize02 is the size of the default example's image as gonix-init
// 0.2.0 generated it: dockerTools.buildLayeredImage of the patched Go's
// binary with the iana-etc, mailcap and tzdata it references, a
// docker-archive, as measured with the stand-in's model of that builder
// before it was retired (docs/project.md).
const imageSize02 = 2_863_411

// TestImageSize compares the default example's image, the docker-archive
// .#docker writes, with 0.2.0's recorded size: at most 1.1 times it.
func TestImageSize(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	n := nixtest.New(t)
	a := answers.Default()
	a.Module, a.Name = "example.com/myapp", "myapp"
	info, err := os.Stat(n.BuildOut(t, nixtest.Generate(t, a), ".#packages."+n.System+".docker"))
	if err != nil {
		t.Fatal(err)
	}
	after := info.Size()
	t.Logf("the default example's image, compressed: %d bytes, against %d with gonix-init 0.2.0 (%.2fx)", after, imageSize02, float64(after)/imageSize02)
	if float64(after) > 1.1*imageSize02 {
		t.Errorf("the image is %d bytes, over 1.1 times 0.2.0's %d", after, imageSize02)
	}
}

// BenchmarkImage times what .#oci adds to the two Linux binaries, built
// once before: nix build --rebuild of the layout alone (the script, and
// Nix's evaluation and bookkeeping around it).
func BenchmarkImage(b *testing.B) {
	n := nixtest.New(b)
	dir := nixtest.Generate(b, imageAnswers())
	attr := ".#packages." + n.System + ".oci"
	if _, err := n.Flake(dir, "build", attr, "--no-link"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := n.Flake(dir, "build", attr, "--no-link", "--rebuild"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSBOM builds .#sbom of a project with a dependency, twice: the two
// builds are byte-identical (--rebuild), and each platform's SBOM lists as
// components exactly the modules `go version -m` finds in that binary, each
// with a purl for linux/<arch>.
func TestSBOM(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	env := nixtest.Offline(t)
	n := nixtest.New(t)
	a := answers.Default()
	a.Module, a.Name, a.Systems = "example.com/sbom", "sbom", []string{n.System}
	dir := nixtest.Generate(t, a)
	nixtest.UseGreet(t, dir, env, "v1.0.0")
	must(t, os.WriteFile(filepath.Join(dir, "nix", "vendor-hash.nix"), []byte(n.VendorHash(t, dir, env)+"\n"), 0o644))
	n.Env = append(env, "NIX_CONFIG="+testenv.NixConfig)

	sbom := n.BuildOut(t, dir, ".#sbom")
	n.MustFlake(t, dir, "build", ".#sbom", "--no-link", "--rebuild")
	for _, arch := range []string{"amd64", "arm64"} {
		data, err := os.ReadFile(filepath.Join(sbom, "linux-"+arch+".cdx.json"))
		if err != nil {
			t.Fatal(err)
		}
		var bom struct {
			BOMFormat  string
			Components []struct{ Name, Version, Purl string }
		}
		if err := json.Unmarshal(data, &bom); err != nil || bom.BOMFormat != "CycloneDX" {
			t.Fatalf("linux-%s SBOM: %v", arch, err)
		}
		var got []string
		for _, c := range bom.Components {
			got = append(got, c.Name+"@"+c.Version)
			if !strings.Contains(c.Purl, "goarch="+arch) || !strings.Contains(c.Purl, "goos=linux") {
				t.Errorf("linux-%s SBOM: %s has the purl %s", arch, c.Name, c.Purl)
			}
		}
		bin := filepath.Join(n.BuildOut(t, dir, ".#linux-"+arch), "bin", a.Name)
		var want []string
		for _, l := range strings.Split(testenv.Run(t, dir, env, "go", "version", "-m", bin), "\n") {
			if f := strings.Fields(l); len(f) >= 3 && f[0] == "dep" {
				want = append(want, f[1]+"@"+f[2])
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("linux-%s SBOM components %v, want go version -m's %v", arch, got, want)
		}
	}
}
