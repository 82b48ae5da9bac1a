// Package dockerarchive writes and reads docker-archive tarballs laid out as
// nixpkgs' dockerTools.buildLayeredImage writes them
// (pkgs/build-support/docker/stream_layered_image.py): one
// <sha256>/layer.tar per store path, with absolute member names and /nix and
// /nix/store first; a last (customisation) layer that links the contents'
// files into the image root; a config <sha256>.json; and manifest.json, all
// in one .tar.gz.
//
// It is the one place that knows that layout: the stand-in nixpkgs' image
// builder writes with it, the tests read images with it, and the generated
// `task verify` reads the same layout with tar.
package dockerarchive

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"
)

// Entry is one member of a layer.
type Entry struct {
	Name string // absolute for store layers, relative in the customisation layer
	Mode int64
	Type byte // tar.TypeDir, tar.TypeReg or tar.TypeSymlink
	Link string
	Data []byte
}

// Layer is the members of one layer.tar, in order.
type Layer []Entry

// StoreLayer is the layer of one store path: /nix and /nix/store first, then
// the path's own entries (which name the store path absolutely).
func StoreLayer(entries ...Entry) Layer {
	return append(Layer{
		{Name: "/nix", Mode: 0o755, Type: tar.TypeDir},
		{Name: "/nix/store", Mode: 0o755, Type: tar.TypeDir},
	}, entries...)
}

// CustomisationLayer links files into the image root: each name (relative,
// sorted by the caller) is a folder when its target is "", else a symlink to
// the target.
func CustomisationLayer(names []string, targets map[string]string) Layer {
	var l Layer
	for _, n := range names {
		if t := targets[n]; t != "" {
			l = append(l, Entry{Name: n, Mode: 0o777, Type: tar.TypeSymlink, Link: t})
		} else {
			l = append(l, Entry{Name: n, Mode: 0o755, Type: tar.TypeDir})
		}
	}
	return l
}

// Spec is an image to write.
type Spec struct {
	Name, Tag string
	Arch      string // GOARCH
	Created   string // RFC 3339
	MTime     time.Time
	Config    any // the image config (Cmd, ExposedPorts, ...)
	Layers    []Layer
}

// Write writes the image as a gzip'd docker-archive. Same spec, same bytes.
func Write(w io.Writer, s Spec) error {
	var layers [][]byte
	for _, l := range s.Layers {
		data, err := tarLayer(l, s.MTime)
		if err != nil {
			return err
		}
		layers = append(layers, data)
	}
	var layerPaths, diffIDs []string
	var history []map[string]string
	for _, l := range layers {
		sum := hexSum(l)
		layerPaths = append(layerPaths, sum+"/layer.tar")
		diffIDs = append(diffIDs, "sha256:"+sum)
		history = append(history, map[string]string{"created": s.Created})
	}
	config, err := json.MarshalIndent(map[string]any{
		"created": s.Created, "architecture": s.Arch, "os": "linux", "config": s.Config,
		"rootfs": map[string]any{"type": "layers", "diff_ids": diffIDs}, "history": history,
	}, "", "    ")
	if err != nil {
		return err
	}
	configPath := hexSum(config) + ".json"
	manifest, err := json.MarshalIndent([]map[string]any{{
		"Config": configPath, "RepoTags": []string{s.Name + ":" + s.Tag}, "Layers": layerPaths,
	}}, "", "    ")
	if err != nil {
		return err
	}

	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	add := func(name string, data []byte) error {
		h := &tar.Header{Name: name, Mode: 0o444, Size: int64(len(data)), ModTime: s.MTime, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	for i, l := range layers {
		if err := add(layerPaths[i], l); err != nil {
			return err
		}
	}
	if err := add(configPath, config); err != nil {
		return err
	}
	if err := add("manifest.json", manifest); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func tarLayer(l Layer, mtime time.Time) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range l {
		h := &tar.Header{Name: e.Name, Mode: e.Mode, Typeflag: e.Type, Linkname: e.Link, Size: int64(len(e.Data)), ModTime: mtime, Format: tar.FormatPAX}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.Data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Image is what a docker-archive holds, read without a Docker daemon.
type Image struct {
	RepoTags []string
	Config   struct {
		Architecture string
		OS           string
		Created      string
		Config       struct {
			Cmd          []string
			ExposedPorts map[string]struct{}
		}
	}
	// Files maps each path in the image's root (layers applied in order,
	// without a leading /) to its content; Links maps symlinks to targets.
	Files map[string][]byte
	Links map[string]string
}

// Read reads an image tarball (.tar.gz).
func Read(file string) (*Image, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close() //nolint:errcheck // read-only
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	outer := map[string][]byte{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if outer[h.Name], err = io.ReadAll(tr); err != nil {
			return nil, err
		}
	}
	var manifest []struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	if err := json.Unmarshal(outer["manifest.json"], &manifest); err != nil || len(manifest) != 1 {
		return nil, fmt.Errorf("%s: bad manifest.json: %v", file, err)
	}
	img := &Image{RepoTags: manifest[0].RepoTags, Files: map[string][]byte{}, Links: map[string]string{}}
	if err := json.Unmarshal(outer[manifest[0].Config], &img.Config); err != nil {
		return nil, fmt.Errorf("%s: bad config: %v", file, err)
	}
	for _, l := range manifest[0].Layers {
		layer, ok := outer[l]
		if !ok {
			return nil, fmt.Errorf("%s: layer %s missing", file, l)
		}
		tr := tar.NewReader(bytes.NewReader(layer))
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			name := strings.TrimPrefix(path.Clean("/"+h.Name), "/")
			switch h.Typeflag {
			case tar.TypeSymlink:
				img.Links[name] = h.Linkname
			case tar.TypeReg:
				if img.Files[name], err = io.ReadAll(tr); err != nil {
					return nil, err
				}
			}
		}
	}
	return img, nil
}

// Binary follows bin/<name> to the store path it links to and returns that
// file, as the generated `task verify` does.
func (img *Image) Binary(name string) (target string, data []byte, err error) {
	target, ok := img.Links["bin/"+name]
	if !ok {
		return "", nil, fmt.Errorf("image has no bin/%s link", name)
	}
	data, ok = img.Files[strings.TrimPrefix(target, "/")]
	if !ok {
		return target, nil, fmt.Errorf("image has no %s", target)
	}
	return target, data, nil
}
