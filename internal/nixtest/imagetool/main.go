// Command imagetool is the stand-in nixpkgs' dockerTools.buildLayeredImage
// builder: it writes a docker-archive .tar.gz of the given store paths and
// their closure with internal/dockerarchive, as nixpkgs'
// stream_layered_image.py lays it out. Everything is sorted and time-stamped
// with -mtime, so the output is reproducible.
//
// internal/nixtest copies this file, internal/dockerarchive and a go.mod into
// the stand-in's imagetool-src, which the stand-in builds with the machine's Go.
package main

import (
	"archive/tar"
	"bufio"
	"encoding/json"
	"flag"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gonix-init/gonix-init/internal/dockerarchive"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("imagetool: ")
	name := flag.String("name", "", "image name")
	tag := flag.String("tag", "latest", "image tag")
	arch := flag.String("arch", "amd64", "GOARCH of the image")
	created := flag.String("created", "1970-01-01T00:00:01Z", "created time")
	mtimeFlag := flag.String("mtime", "1970-01-01T00:00:01Z", "time of every file")
	config := flag.String("config", "{}", "the image config, as JSON")
	out := flag.String("out", "", "output .tar.gz")
	closures := flag.String("closures", "", "space-separated exportReferencesGraph files")
	flag.Parse()

	mtime, err := time.Parse(time.RFC3339, *mtimeFlag)
	must(err)
	var cfg any
	must(json.Unmarshal([]byte(*config), &cfg))
	contents := flag.Args()

	spec := dockerarchive.Spec{Name: *name, Tag: *tag, Arch: *arch, Created: *created, MTime: mtime, Config: cfg}
	for _, p := range closure(contents, strings.Fields(*closures)) {
		spec.Layers = append(spec.Layers, dockerarchive.StoreLayer(walk(p)...))
	}
	spec.Layers = append(spec.Layers, customisationLayer(contents))

	f, err := os.OpenFile(*out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o444)
	must(err)
	must(dockerarchive.Write(f, spec))
	must(f.Close())
}

// closure returns the store paths of contents and of what they refer to,
// read from exportReferencesGraph files, sorted.
func closure(contents, graphs []string) []string {
	set := map[string]bool{}
	for _, c := range contents {
		set[c] = true
	}
	for _, g := range graphs {
		f, err := os.Open(g)
		must(err)
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if l := sc.Text(); strings.HasPrefix(l, "/nix/store/") && !strings.HasSuffix(l, ".drv") {
				set[l] = true
			}
		}
		f.Close() //nolint:errcheck // read-only
	}
	var out []string
	for p := range set {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// walk lists a store path's entries, absolutely named, in walk order.
func walk(storePath string) []dockerarchive.Entry {
	var entries []dockerarchive.Entry
	must(filepath.WalkDir(storePath, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		e := dockerarchive.Entry{Name: p, Mode: int64(info.Mode().Perm())}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			e.Type = tar.TypeSymlink
			e.Link, err = os.Readlink(p)
		case info.IsDir():
			e.Type = tar.TypeDir
		default:
			e.Type = tar.TypeReg
			e.Data, err = os.ReadFile(p)
		}
		entries = append(entries, e)
		return err
	}))
	return entries
}

// customisationLayer links every file of the contents into the image root,
// in real folders, as symlinkJoin does.
func customisationLayer(contents []string) dockerarchive.Layer {
	targets := map[string]string{} // relative path -> link target ("" for a folder)
	for _, c := range contents {
		must(filepath.WalkDir(c, func(p string, d fs.DirEntry, err error) error {
			if err != nil || p == c {
				return err
			}
			rel, _ := filepath.Rel(c, p)
			if d.IsDir() {
				targets[rel] = ""
			} else {
				targets[rel] = p
			}
			return nil
		}))
	}
	var names []string
	for n := range targets {
		names = append(names, n)
	}
	slices.Sort(names)
	return dockerarchive.CustomisationLayer(names, targets)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
