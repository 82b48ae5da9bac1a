package imagetest_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

// must fails t on err.
var must = nixtest.Must

// layerFiles reads the files of a gzip'd tar layer: their headers, and
// their contents.
func layerFiles(t *testing.T, layer v1.Layer) (map[string]*tar.Header, map[string][]byte) {
	t.Helper()
	rc, err := layer.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close() //nolint:errcheck // read-only
	out, contents := map[string]*tar.Header{}, map[string][]byte{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, contents
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
		out[h.Name], contents[h.Name] = h, data
	}
}

// TestImageSameFromEveryHost builds packages.<system>.oci for all three
// systems here: the three layouts are byte for byte one (and another
// host's too: TestImageSameFromAnotherHost), with an image index of
// linux/amd64 and linux/arm64, each image holding that system's packages.linux-<arch> binary, with no store path in
// any file; ggcr validates the layout; and each system's .#docker is a view
// of the same image: its config is the one of its arch in the index.
func TestImageSameFromEveryHost(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	n := nixtest.New(t)
	a := nixtest.ImageAnswers()
	dir := nixtest.Generate(t, a)
	systems := answers.Values(answers.AllSystems)

	layouts := map[string]map[string][]byte{}
	var attrs []string
	for _, sys := range systems {
		attrs = append(attrs, ".#packages."+sys+".oci")
	}
	t.Logf("%v, built together", attrs)
	for i, out := range n.BuildOuts(t, dir, attrs...) {
		layouts[systems[i]] = nixtest.Tree(t, out)
	}
	first := layouts[systems[0]]
	for from, files := range layouts {
		if !maps.EqualFunc(first, files, bytes.Equal) {
			t.Errorf("the OCI layout built by %s differs from %s's: %v", from, systems[0], nixtest.DiffNames(first, files))
		}
	}

	oci := n.BuildOut(t, dir, ".#packages.x86_64-linux.oci")
	desc, idx := nixtest.LayoutIndex(t, oci)
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
	img := nixtest.PlatformImage(t, idx, m)
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	var ports []string
	for _, port := range a.Ports {
		ports = append(ports, strconv.Itoa(port)+"/tcp")
	}
	if got := nixtest.SortedKeys(cfg.Config.ExposedPorts); !slices.Equal(got, ports) || !slices.Equal(cfg.Config.Entrypoint, []string{"/bin/" + a.Name}) || len(cfg.Config.Cmd) != 0 ||
		cfg.Architecture != m.Platform.Architecture || cfg.OS != "linux" {
		t.Errorf("%s config: Entrypoint %v, Cmd %v, ports %v, %s/%s", m.Platform.Architecture, cfg.Config.Entrypoint, cfg.Config.Cmd, got, cfg.OS, cfg.Architecture)
	}
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("%s: %d layers, %v", m.Platform.Architecture, len(layers), err)
	}
	if c := cfg.Config; c.User != "65532:65532" || c.WorkingDir != "/home/nonroot" || c.Healthcheck == nil ||
		!slices.Equal(c.Healthcheck.Test, []string{"CMD", "/bin/" + a.Name, "-healthcheck"}) {
		t.Errorf("%s config: User %q, WorkingDir %q, Healthcheck %+v", m.Platform.Architecture, c.User, c.WorkingDir, c.Healthcheck)
	}
	files, contents := checkLayer(t, layers[0], a.Name, m.Platform.Architecture)
	cacert := n.BuildOut(t, dir, ".#packages."+systems[0]+".oci.cacert")
	if bundle, err := os.ReadFile(filepath.Join(cacert, "etc", "ssl", "certs", "ca-bundle.crt")); err != nil ||
		!bytes.Equal(contents["etc/ssl/certs/ca-certificates.crt"], bundle) {
		t.Errorf("%s: /etc/ssl/certs/ca-certificates.crt is not cacert's ca-bundle.crt (%v)", m.Platform.Architecture, err)
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

// checkLayer checks the image's one layer: its files, their modes, owners
// and times, and the users /etc names. It returns its files' headers and
// contents.
func checkLayer(t *testing.T, layer v1.Layer, name, arch string) (map[string]*tar.Header, map[string][]byte) {
	t.Helper()
	files, contents := layerFiles(t, layer)
	want := []string{"bin/", "bin/" + name, "etc/", "etc/group", "etc/mime.types", "etc/passwd", "etc/protocols", "etc/services",
		"etc/ssl/", "etc/ssl/certs/", "etc/ssl/certs/ca-certificates.crt", "home/", "home/nonroot/", "tmp/"}
	if got := nixtest.SortedKeys(files); !slices.Equal(got, want) {
		t.Errorf("%s layer holds %v, want %v", arch, got, want)
	}
	for name, h := range map[string]struct {
		mode     int64
		uid, gid int
	}{
		"bin/" + name:                       {0o555, 0, 0},
		"home/nonroot/":                     {0o700, 65532, 65532},
		"tmp/":                              {0o1777, 0, 0},
		"etc/ssl/certs/ca-certificates.crt": {0o444, 0, 0},
		"etc/passwd":                        {0o444, 0, 0},
	} {
		if f := files[name]; f == nil || f.Mode != h.mode || f.Uid != h.uid || f.Gid != h.gid || f.ModTime.Unix() != 1 {
			t.Errorf("%s: %s header %+v, want mode %o, owner %d:%d, time 1", arch, name, f, h.mode, h.uid, h.gid)
		}
	}
	if !strings.Contains(string(contents["etc/passwd"]), "\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n") ||
		!strings.HasPrefix(string(contents["etc/passwd"]), "root:x:0:0:") || !strings.Contains(string(contents["etc/group"]), "\nnonroot:x:65532:\n") {
		t.Errorf("%s: /etc/passwd and /etc/group do not name root and nonroot:\n%s%s", arch, contents["etc/passwd"], contents["etc/group"])
	}
	return files, contents
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

// imageSize04 is the size of the default example's image as gonix-init
// 0.4.0 generated it, before the CA bundle, the user's files and the health
// check: the docker-archive .#docker writes, built with the stand-in on the
// machine CI runs on (docs/project.md).
const imageSize04 = 2_571_176

// TestImageSize compares the default example's image, the docker-archive
// .#docker writes, with 0.4.0's recorded size: at most 1.25 times it, the
// CA bundle counted.
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
	t.Logf("the default example's image, compressed: %d bytes, against %d with gonix-init 0.4.0 (%.2fx)", after, imageSize04, float64(after)/imageSize04)
	if float64(after) > 1.25*imageSize04 {
		t.Errorf("the image is %d bytes, over 1.25 times 0.4.0's %d", after, imageSize04)
	}
}

// BenchmarkImage times what .#oci adds to the two Linux binaries, built
// once before: nix build --rebuild of the layout alone (the script, and
// Nix's evaluation and bookkeeping around it).
func BenchmarkImage(b *testing.B) {
	n := nixtest.New(b)
	dir := nixtest.Generate(b, nixtest.ImageAnswers())
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
	n.Env = n.EnvWith(env)

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

// TestImageLabels builds .#oci of a project in a git repository. Committed,
// its labels (in each config, and as annotations of the image index and of
// each manifest) give the title, version, source, the commit as revision
// and the commit's time as created, which is also the config's date. With a
// change not yet committed, revision is gone, and the digest changes; a new
// commit gives another digest again.
func TestImageLabels(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	gitBin := testenv.Require(t, "git", "apt-get install -y git")
	n := nixtest.New(t)
	a := nixtest.ImageAnswers()
	dir := nixtest.Generate(t, a)
	git := func(date string, args ...string) string {
		t.Helper()
		env := append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date, "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		return strings.TrimSpace(testenv.Run(t, dir, env, gitBin, args...))
	}
	const first, second = "2026-01-02T03:04:05Z", "2026-02-03T04:05:06Z"
	// The stand-in is locked as nixpkgs and committed: with
	// --override-input, the lock differs from the commit's, and Nix gives
	// the flake no self.rev.
	n.LockStandin(t, dir)
	git(first, "init", "-q")
	git(first, "add", "-A")
	git(first, "commit", "-q", "-m", "first")

	labelsOf := func() (map[string]string, string) { return ociLabels(t, n, dir) }
	const p = "org.opencontainers.image."
	labels, committed := labelsOf()
	rev := git(first, "rev-parse", "HEAD")
	want := map[string]string{p + "title": a.Name, p + "version": "0.1.0", p + "source": "https://github.com/example/same",
		p + "revision": rev, p + "created": first}
	if !maps.Equal(labels, want) {
		t.Errorf("labels of a committed tree: %v, want %v", labels, want)
	}

	must(t, os.WriteFile(filepath.Join(dir, "NOTES.md"), []byte("not committed\n"), 0o644))
	git(first, "add", "NOTES.md")
	labels, dirty := labelsOf()
	delete(want, p+"revision")
	if !maps.Equal(labels, want) || dirty == committed {
		t.Errorf("labels of a tree with changes: %v (digest %s, committed %s), want %v and another digest", labels, dirty, committed, want)
	}

	git(second, "commit", "-q", "-m", "second")
	labels, next := labelsOf()
	want[p+"revision"], want[p+"created"] = git(second, "rev-parse", "HEAD"), second
	if !maps.Equal(labels, want) || next == committed || next == dirty {
		t.Errorf("labels of the next commit: %v (digest %s), want %v and a digest of its own", labels, next, want)
	}
}

// ociLabels builds .#oci and returns the labels of each image's config,
// checking they are the annotations of the index and each manifest, and
// that the config's date is created; and the index's digest.
func ociLabels(t *testing.T, n *nixtest.Nix, dir string) (map[string]string, string) {
	t.Helper()
	out := strings.TrimSpace(n.MustRun(t, dir, "build", ".#oci", "--no-link", "--print-out-paths"))
	desc, idx := nixtest.LayoutIndex(t, out)
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	labels := im.Annotations
	for _, m := range im.Manifests {
		img := nixtest.PlatformImage(t, idx, m)
		cfg, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		manifest, err := img.Manifest()
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(cfg.Config.Labels, labels) || !maps.Equal(manifest.Annotations, labels) {
			t.Errorf("%s: config labels %v and manifest annotations %v are not the index's annotations %v",
				m.Platform.Architecture, cfg.Config.Labels, manifest.Annotations, labels)
		}
		if got := cfg.Created.UTC().Format(time.RFC3339); got != labels["org.opencontainers.image.created"] {
			t.Errorf("%s: the config's date %s is not the created label", m.Platform.Architecture, got)
		}
	}
	return labels, desc.Digest.String()
}

// TestImageSameFromAnotherHost builds packages.aarch64-darwin.linux-arm64,
// the image's arm64 binary, here, and once more as another Mac would (Go
// elsewhere, so that every store path built from it is another): the two
// are byte for byte one. The layout around the binaries is the same from
// every system (TestImageSameFromEveryHost). (A Mac's, which runs no
// tests of a Linux binary: the other host compiles the least; one arch,
// since the other would compile the standard library once more for the
// same finding.)
func TestImageSameFromAnotherHost(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	n := nixtest.New(t)
	dir := nixtest.Generate(t, nixtest.ImageAnswers())
	const attr = ".#packages.aarch64-darwin.linux-arm64"
	here := nixtest.Tree(t, n.BuildOut(t, dir, attr))
	other := nixtest.Tree(t, nixtest.NewOtherHost(t).BuildOut(t, dir, attr))
	if !maps.EqualFunc(here, other, bytes.Equal) {
		t.Errorf("the binary built by another host differs from this one's: %v", nixtest.DiffNames(here, other))
	}
}
