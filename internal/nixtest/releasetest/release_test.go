package releasetest_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"encoding/json"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gonix-init/gonix-init/internal/answers"
	"github.com/gonix-init/gonix-init/internal/nixtest"
	"github.com/gonix-init/gonix-init/internal/testenv"
)

var must = nixtest.Must

// committed is the time of the commit the release is built from.
const committed = "2026-03-04T05:06:07Z"

// entry is what an archive says of one of its files.
type entry struct {
	name    string
	mode    os.FileMode
	uid     int
	modTime time.Time
}

// TestReleaseSameFromEverySystem builds the release of a command-line
// project at version 1.2.3, committed in git, for a platform of each
// archive and binary (linux/amd64, linux/arm64, darwin/arm64,
// windows/amd64), on the three systems, and checks what a user downloads:
// every system's release is the same bytes; sha256sum -c SHA256SUMS
// passes; each archive holds the program, LICENSE, NOTICE (which
// Apache-2.0 asks to ship) and README.md, sorted, owned by 0:0, with the
// modes 0755 and 0644 and the commit's time (a zip's to the two seconds
// its DOS time counts); the darwin program is Mach-O (GOOS=darwin in its
// build info) with Go's own signature, the windows one PE; each program
// has its SBOM; and the linux programs, run (arm64 under qemu), print the
// version and the commit. The project builds from an empty Go build cache
// (useGoCache = false), so that a cold store compiles what each platform's
// program needs alone: the bytes are the same with the cache
// (TestGoCacheChangesNoByte).
func TestReleaseSameFromEverySystem(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	gitBin := testenv.Require(t, "git", "apt-get install -y git")
	n := nixtest.New(t)
	a := answers.Default()
	a.Module, a.Name, a.Ports, a.Tools = "example.com/greet", "greet", nil, nil
	// A platform of each archive and each kind of binary: ELF for both
	// arches, Mach-O (signed again by aarch64-darwin), PE in a zip.
	a.Release = []string{"linux/amd64", "linux/arm64", "darwin/arm64", "windows/amd64"}
	dir := nixtest.Generate(t, a)
	nixtest.WithoutGoCache(t, dir)
	must(t, os.WriteFile(filepath.Join(dir, "LICENSE"), []byte("Apache License\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "NOTICE"), []byte("greet, by t\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "nix", "version"), []byte("1.2.3\n"), 0o644))
	n.LockStandin(t, dir)
	env := append(os.Environ(), "GIT_AUTHOR_DATE="+committed, "GIT_COMMITTER_DATE="+committed, "GIT_AUTHOR_NAME=t",
		"GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	testenv.Run(t, dir, env, gitBin, "init", "-q")
	testenv.Run(t, dir, env, gitBin, "add", "-A")
	testenv.Run(t, dir, env, gitBin, "commit", "-q", "-m", "v1.2.3")
	rev := strings.TrimSpace(testenv.Run(t, dir, env, gitBin, "rev-parse", "HEAD"))

	systems := answers.Values(answers.AllSystems)
	var attrs []string
	for _, s := range systems {
		attrs = append(attrs, ".#packages."+s+".release")
	}
	outs := strings.Fields(n.MustRun(t, dir, append(append([]string{"build"}, attrs...), "--no-link", "--print-out-paths")...))
	if len(outs) != len(systems) {
		t.Fatalf("nix build printed %v", outs)
	}
	release := nixtest.Tree(t, outs[0])
	for i, s := range systems[1:] {
		if diff := nixtest.DiffNames(release, nixtest.Tree(t, outs[i+1])); len(diff) > 0 {
			t.Errorf("the release of %s differs from %s's in %v", s, systems[0], diff)
		}
	}
	if out, err := exec.Command("sh", "-c", "cd "+outs[0]+" && sha256sum --check SHA256SUMS").CombinedOutput(); err != nil {
		t.Errorf("sha256sum --check SHA256SUMS: %v\n%s", err, out)
	}

	checkArchives(t, a.Release, release, rev)
}

// checkArchives checks the release's archive of each platform and its
// SBOM, and that it holds those and SHA256SUMS alone.
func checkArchives(t *testing.T, platforms []string, release map[string][]byte, rev string) {
	t.Helper()
	when, err := time.Parse(time.RFC3339, committed)
	must(t, err)
	var want []string
	for _, p := range platforms {
		goos, arch, _ := strings.Cut(p, "/")
		base := "greet_1.2.3_" + goos + "_" + arch
		program := map[bool]string{true: "greet.exe", false: "greet"}[goos == "windows"]
		archive := base + map[bool]string{true: ".zip", false: ".tar.gz"}[goos == "windows"]
		want = append(want, archive, base+".cdx.json")
		entries, files := readArchive(t, archive, release[archive])
		at := when
		if goos == "windows" {
			at = when.Add(time.Duration(when.Second()%2) * time.Second) // a zip's DOS time counts in 2 s, rounded up
		}
		wantEntries := []entry{{"LICENSE", 0o644, 0, at}, {"NOTICE", 0o644, 0, at}, {"README.md", 0o644, 0, at}, {program, 0o755, 0, at}}
		if !slices.Equal(entries, wantEntries) {
			t.Errorf("%s holds %v, want %v", archive, entries, wantEntries)
		}
		checkProgram(t, goos, arch, files[program], rev)
		if sbom := release[base+".cdx.json"]; !bytes.Contains(sbom, []byte(`"version": "v1.2.3"`)) || bytes.Contains(sbom, []byte(`"SHA-512"`)) {
			t.Errorf("%s.cdx.json: want the SBOM of v1.2.3, without cyclonedx-gomod's own hashes:\n%s", base, sbom)
		}
	}
	want = append(want, "SHA256SUMS")
	if got := slices.Sorted(maps.Keys(release)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("the release holds %v, want %v", got, want)
	}
}

// readArchive lists a tar.gz or zip archive's entries, in its order, and
// returns its files' contents.
func readArchive(t *testing.T, name string, data []byte) ([]entry, map[string][]byte) {
	t.Helper()
	var entries []entry
	files := map[string][]byte{}
	if strings.HasSuffix(name, ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		must(t, err)
		for _, f := range zr.File {
			entries = append(entries, entry{f.Name, f.Mode().Perm(), 0, f.Modified.UTC()})
			rc, err := f.Open()
			must(t, err)
			files[f.Name], err = io.ReadAll(rc)
			must(t, err)
		}
		return entries, files
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	must(t, err)
	if zr.Name != "" || !zr.ModTime.IsZero() {
		t.Errorf("%s: gzip records the name %q and the time %v", name, zr.Name, zr.ModTime)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		must(t, err)
		uid := h.Uid
		if h.Gid != h.Uid {
			uid = -1
		}
		entries = append(entries, entry{h.Name, os.FileMode(h.Mode).Perm(), uid, h.ModTime.UTC()})
		files[h.Name], err = io.ReadAll(tr)
		must(t, err)
	}
	return entries, files
}

// checkProgram checks one platform's program: Mach-O for darwin with Go's
// own signature (arm64's) or none (amd64's, which Go does not sign), PE
// for windows; a linux one runs and prints the version and the commit.
func checkProgram(t *testing.T, goos, arch string, program []byte, rev string) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "greet")
	must(t, os.WriteFile(bin, program, 0o755))
	switch goos {
	case "darwin":
		f, err := macho.NewFile(bytes.NewReader(program))
		if err != nil {
			t.Fatalf("darwin/%s: not Mach-O: %v", arch, err)
		}
		if cpu := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[arch]; f.Cpu != cpu {
			t.Errorf("darwin/%s: a Mach-O file for %v", arch, f.Cpu)
		}
		if info := testenv.Run(t, t.TempDir(), os.Environ(), "go", "version", "-m", bin); !strings.Contains(info, "\tbuild\tGOOS=darwin\n") {
			t.Errorf("darwin/%s: go version -m:\n%s", arch, info)
		}
		id, linker := codeSignature(t, program)
		if want := arch == "arm64"; (id == "a.out" && linker) != want || (id != "" && !want) {
			t.Errorf("darwin/%s: signed by %q (linker-signed %v): want Go's linker's own signature on arm64 alone", arch, id, linker)
		}
	case "windows":
		f, err := pe.NewFile(bytes.NewReader(program))
		if err != nil {
			t.Fatalf("windows/%s: not PE: %v", arch, err)
		}
		if m := map[string]uint16{"amd64": pe.IMAGE_FILE_MACHINE_AMD64, "arm64": pe.IMAGE_FILE_MACHINE_ARM64}[arch]; f.Machine != m {
			t.Errorf("windows/%s: a PE file for machine %#x", arch, f.Machine)
		}
	case "linux":
		cmd := exec.Command(bin, "-version")
		if arch == "arm64" {
			cmd = exec.Command(testenv.Require(t, "qemu-aarch64-static", "apt-get install -y qemu-user-static"), bin, "-version")
		}
		out, err := cmd.CombinedOutput()
		if want := "greet 1.2.3 (commit " + rev + ", " + committed + ")\n"; err != nil || string(out) != want {
			t.Errorf("linux/%s: greet -version: %v, printed %q, want %q", arch, err, out, want)
		}
	}
}

// codeSignature is the identifier of a Mach-O file's code signature and
// whether the linker made it (its CodeDirectory's CS_LINKER_SIGNED flag);
// "" for a file without one.
func codeSignature(t *testing.T, program []byte) (string, bool) {
	t.Helper()
	f, err := macho.NewFile(bytes.NewReader(program))
	must(t, err)
	for _, l := range f.Loads {
		raw := l.Raw()
		if f.ByteOrder.Uint32(raw) != 0x1d { // LC_CODE_SIGNATURE
			continue
		}
		off, size := f.ByteOrder.Uint32(raw[8:]), f.ByteOrder.Uint32(raw[12:])
		blob := program[off : off+size]
		// A SuperBlob (big-endian): magic, length, count, then (type, offset)s.
		count := binary.BigEndian.Uint32(blob[8:])
		for i := range count {
			at := binary.BigEndian.Uint32(blob[12+8*i+4:])
			cd := blob[at:]
			if binary.BigEndian.Uint32(cd) != 0xfade0c02 { // CSMAGIC_CODEDIRECTORY
				continue
			}
			flags, identOffset := binary.BigEndian.Uint32(cd[12:]), binary.BigEndian.Uint32(cd[20:])
			ident := cd[identOffset:]
			return string(ident[:bytes.IndexByte(ident, 0)]), flags&0x20000 != 0
		}
	}
	return "", false
}

// TestGoCacheChangesNoByte builds every output of a command-line project
// on this machine's system twice: starting from Go's build cache
// (nix/go-cache.nix), and with useGoCache = false in flake.nix, from an
// empty one, as nixpkgs builds. Each output is the same bytes either way.
// (The project is outside git, so that both builds stamp the same commit,
// "dirty", and time. Its release is linux/amd64's alone: a layer of the
// standard library for macOS or Windows is built the same way, and would
// cost a fresh run a minute each; TestReleaseSameFromEverySystem builds
// those platforms, from nothing. The other systems' builds from the cache
// are TestImageSameFromEveryHost's.)
func TestGoCacheChangesNoByte(t *testing.T) {
	testenv.Slow(t, "runs Nix builds")
	n := nixtest.New(t)
	a := answers.Default()
	a.Module, a.Name, a.Ports, a.Tools = "example.com/greet", "greet", nil, nil
	a.Release = []string{"linux/amd64"}
	cached := nixtest.Generate(t, a)
	uncached := filepath.Join(t.TempDir(), "greet")
	must(t, os.CopyFS(uncached, os.DirFS(cached)))
	nixtest.WithoutGoCache(t, uncached)

	// Every output, by its out path (nix build prints one path for two
	// attributes of the same derivation: default is linux-<arch>).
	packages := ".#packages." + n.System
	outs := func(dir string) map[string]string {
		var paths map[string]string
		must(t, json.Unmarshal([]byte(n.MustFlake(t, dir, "eval", "--json", packages, "--apply",
			"builtins.mapAttrs (o: d: d.outPath)")), &paths))
		var attrs []string
		for _, o := range nixtest.SortedKeys(paths) {
			attrs = append(attrs, packages+"."+o)
		}
		n.MustFlake(t, dir, append([]string{"build", "--no-link"}, attrs...)...)
		return paths
	}
	with, without := outs(cached), outs(uncached)
	if got := nixtest.SortedKeys(with); !slices.Equal(got, []string{"default", "docker", "linux-amd64", "linux-arm64", "oci", "release", "sbom"}) {
		t.Fatalf("%s has the outputs %v", n.System, got)
	}
	for _, o := range nixtest.SortedKeys(with) {
		if with[o] == without[o] {
			t.Errorf("%s is the same store path with and without the cache: useGoCache changed nothing", o)
			continue
		}
		if diff := nixtest.DiffNames(nixtest.Tree(t, with[o]), nixtest.Tree(t, without[o])); len(diff) > 0 {
			t.Errorf("%s from Go's build cache differs from the one built from nothing in %v", o, diff)
		}
	}
	if len(n.GoCache(t, cached, packages+".default")) == 0 || len(n.GoCache(t, uncached, packages+".default")) != 0 {
		t.Error("the package starts from Go's build cache either both ways or neither")
	}
}
