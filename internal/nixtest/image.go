package nixtest

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// Image is what a docker-archive (dockerTools' .tar.gz) holds, read without
// a Docker daemon.
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

// ReadImage reads an image tarball.
func ReadImage(file string) (*Image, error) {
	outer := map[string][]byte{}
	if err := eachTarEntry(file, func(h *tar.Header, r io.Reader) error {
		data, err := io.ReadAll(r)
		outer[h.Name] = data
		return err
	}); err != nil {
		return nil, err
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
		tr := tar.NewReader(strings.NewReader(string(layer)))
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
				data, err := io.ReadAll(tr)
				if err != nil {
					return nil, err
				}
				img.Files[name] = data
			}
		}
	}
	return img, nil
}

// Binary follows bin/<name> to the store path it links to and returns that
// file, as `task verify` does.
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

// eachTarEntry calls f for each entry of a .tar.gz.
func eachTarEntry(file string, f func(*tar.Header, io.Reader) error) error {
	fh, err := os.Open(file)
	if err != nil {
		return err
	}
	defer fh.Close() //nolint:errcheck // read-only
	zr, err := gzip.NewReader(fh)
	if err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := f(h, tr); err != nil {
			return err
		}
	}
}
