package render

import (
	"bytes"
	"encoding/json"
	"go/build"
	"io"
	"maps"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/detect"
)

// TestStdTags reads the standard library's TagSet from this machine's Go
// (the pin's Go line): for each GOOS a release can have an archive for and
// each of its arches, the packages a program can reach (go list -deps std),
// and the tags the //go:build lines of their files name, tests aside.
// StdTags must be it, so that the layer keeps every tag that changes it.
func TestStdTags(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list for six platforms")
	}
	if v := runtime.Version(); !strings.HasPrefix(v, "go"+StdTags.Go+".") {
		t.Skipf("this is %s; StdTags is Go %s's: read them with Go %s, or update StdTags.Go with the tags", v, StdTags.Go, StdTags.Go)
	}
	read := map[string]map[string]bool{}
	for _, p := range answers.Values(answers.AllPlatforms) {
		goos, arch, _ := strings.Cut(p, "/")
		if read[goos] == nil {
			read[goos] = map[string]bool{}
		}
		stdTagsOn(t, goos, arch, read[goos])
	}
	got := TagSet{Only: map[string][]string{}, GOOS: slices.Sorted(maps.Keys(read)), Go: StdTags.Go}
	for tag := range read[got.GOOS[0]] {
		if !slices.ContainsFunc(got.GOOS, func(goos string) bool { return !read[goos][tag] }) {
			got.Every = append(got.Every, tag)
		}
	}
	slices.Sort(got.Every)
	for _, goos := range got.GOOS {
		for _, tag := range slices.Sorted(maps.Keys(read[goos])) {
			if !slices.Contains(got.Every, tag) {
				got.Only[goos] = append(got.Only[goos], tag)
			}
		}
	}
	if !slices.Equal(got.Every, StdTags.Every) || !slices.Equal(got.GOOS, StdTags.GOOS) ||
		!maps.EqualFunc(got.Only, StdTags.Only, slices.Equal) {
		t.Errorf("this Go's standard library reads the tags\n%#v\nStdTags says\n%#v", got, StdTags)
	}
}

// stdTagsOn adds to tags those the files of the standard library name for
// goos/arch, but the platforms' own and goexperiment.*.
func stdTagsOn(t *testing.T, goos, arch string, tags map[string]bool) {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-json=Dir,GoFiles,CgoFiles,IgnoredGoFiles", "std")
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+arch, "CGO_ENABLED=0", "GOFLAGS=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list std for %s/%s: %v", goos, arch, err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			Dir                               string
			GoFiles, CgoFiles, IgnoredGoFiles []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		for _, f := range slices.Concat(p.GoFiles, p.CgoFiles, p.IgnoredGoFiles) {
			if strings.HasSuffix(f, "_test.go") || !namedFor(f, goos, arch) {
				continue
			}
			for _, tag := range buildTags(p.Dir, f) {
				if !platformTag(tag) && !strings.HasPrefix(tag, "goexperiment.") {
					tags[tag] = true
				}
			}
		}
	}
}

// gccgoArch are architectures gccgo builds for, which go/build does not
// know but the standard library's files name (encoding/binary's
// native_endian_big.go).
var gccgoArch = strings.Fields("alpha m68k nios2 sh shbe")

// platformTag reports whether tag is one Go sets for a platform (amd64.v3
// an arch's level), a compiler or a Go version.
func platformTag(tag string) bool {
	base, _, _ := strings.Cut(tag, ".")
	return detect.Platform(base) || slices.Contains(gccgoArch, base) || tag == "unix" || tag == "gc" || tag == "gccgo" ||
		strings.HasPrefix(tag, "go1.")
}

// namedFor reports whether a file's name (x_GOOS_GOARCH.go, x_GOOS.go,
// x_GOARCH.go) lets it build for goos/arch: go/build's own MatchFile, on a
// file that holds a package clause alone.
func namedFor(name, goos, arch string) bool {
	ctxt := build.Default
	ctxt.GOOS, ctxt.GOARCH = goos, arch
	ctxt.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("package p\n")), nil }
	ok, err := ctxt.MatchFile(".", name)
	return ok && err == nil
}

// buildTags are the tags a file's //go:build line names (detect.BuildLine).
func buildTags(dir, file string) []string {
	var tags []string
	if expr := detect.BuildLine(os.DirFS(dir), file); expr != nil {
		expr.Eval(func(tag string) bool { tags = append(tags, tag); return true })
	}
	return tags
}
