// Command imagetool writes a docker-archive .tar.gz laid out as nixpkgs'
// dockerTools.buildLayeredImage writes it (stream_layered_image.py): one
// <sha256>/layer.tar per store path, with absolute member names and /nix and
// /nix/store first; a last (customisation) layer that links every file of
// the contents into the image root; a config <sha256>.json; manifest.json.
// The stand-in nixpkgs (internal/nixtest/nixpkgs) builds images with it.
// Everything is sorted and time-stamped with -mtime, so the output is
// reproducible.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
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
	if err != nil {
		log.Fatal(err)
	}
	contents := flag.Args()
	paths := closure(contents, strings.Fields(*closures))

	var layers [][]byte
	for _, p := range paths {
		layers = append(layers, storeLayer(p, mtime))
	}
	layers = append(layers, customisationLayer(contents, mtime))

	var cfg any
	if err := json.Unmarshal([]byte(*config), &cfg); err != nil {
		log.Fatal(err)
	}
	var layerPaths, diffIDs []string
	var history []map[string]string
	for _, l := range layers {
		sum := hexSum(l)
		layerPaths = append(layerPaths, sum+"/layer.tar")
		diffIDs = append(diffIDs, "sha256:"+sum)
		history = append(history, map[string]string{"created": *created})
	}
	image := mustJSON(map[string]any{
		"created": *created, "architecture": *arch, "os": "linux", "config": cfg,
		"rootfs": map[string]any{"type": "layers", "diff_ids": diffIDs}, "history": history,
	})
	imagePath := hexSum(image) + ".json"
	manifest := mustJSON([]map[string]any{{
		"Config": imagePath, "RepoTags": []string{*name + ":" + *tag}, "Layers": layerPaths,
	}})

	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(gz)
	add := func(name string, data []byte) {
		must(tw.WriteHeader(&tar.Header{Name: name, Mode: 0o444, Size: int64(len(data)), ModTime: mtime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}))
		_, err := tw.Write(data)
		must(err)
	}
	for i, l := range layers {
		add(layerPaths[i], l)
	}
	add(imagePath, image)
	add("manifest.json", manifest)
	must(tw.Close())
	must(gz.Close())
	must(os.WriteFile(*out, buf.Bytes(), 0o444))
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

// storeLayer archives one store path, with /nix and /nix/store first.
func storeLayer(storePath string, mtime time.Time) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	hdr := func(h *tar.Header) {
		h.ModTime, h.Format = mtime, tar.FormatPAX
		must(tw.WriteHeader(h))
	}
	hdr(&tar.Header{Name: "/nix", Mode: 0o755, Typeflag: tar.TypeDir})
	hdr(&tar.Header{Name: "/nix/store", Mode: 0o755, Typeflag: tar.TypeDir})
	err := filepath.WalkDir(storePath, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		h := &tar.Header{Name: p, Mode: int64(info.Mode().Perm())}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			h.Typeflag = tar.TypeSymlink
			h.Linkname, err = os.Readlink(p)
			hdr(h)
		case info.IsDir():
			h.Typeflag = tar.TypeDir
			hdr(h)
		default:
			data, rerr := os.ReadFile(p)
			if rerr != nil {
				return rerr
			}
			h.Typeflag, h.Size = tar.TypeReg, int64(len(data))
			hdr(h)
			_, err = tw.Write(data)
		}
		return err
	})
	must(err)
	must(tw.Close())
	return buf.Bytes()
}

// customisationLayer links every file of the contents into the image root,
// in real folders, as symlinkJoin does.
func customisationLayer(contents []string, mtime time.Time) []byte {
	entries := map[string]string{} // relative path -> link target ("" for a folder)
	for _, c := range contents {
		err := filepath.WalkDir(c, func(p string, d fs.DirEntry, err error) error {
			if err != nil || p == c {
				return err
			}
			rel, _ := filepath.Rel(c, p)
			if d.IsDir() {
				entries[rel] = ""
			} else {
				entries[rel] = p
			}
			return nil
		})
		must(err)
	}
	var names []string
	for n := range entries {
		names = append(names, n)
	}
	slices.Sort(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		h := &tar.Header{Name: n, ModTime: mtime, Format: tar.FormatPAX, Mode: 0o755, Typeflag: tar.TypeDir}
		if target := entries[n]; target != "" {
			h.Typeflag, h.Linkname, h.Mode = tar.TypeSymlink, target, 0o777
		}
		must(tw.WriteHeader(h))
	}
	must(tw.Close())
	return buf.Bytes()
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func mustJSON(v any) []byte {
	b, err := json.MarshalIndent(v, "", "    ")
	must(err)
	return b
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
