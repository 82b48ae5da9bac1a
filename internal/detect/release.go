package detect

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Release is what a GoReleaser config builds: the directories of its
// builds' main packages and their build tags, as adopt takes them for its
// defaults.
type Release struct {
	File  string   // the config's name: .goreleaser.yaml
	Mains []string // its builds' main packages that are the project's, in its order
	Tags  []string // its builds' tags (tags:, or -tags in flags:), in order
	// Ldflags are its builds' ldflags, as written (templates and all),
	// read from LdflagsFrom: the config, or a file it includes.
	Ldflags     []string
	LdflagsFrom string
	// Defaults reports a Go build that sets no ldflags, which GoReleaser
	// builds with its default ones.
	Defaults bool
	// Unread are the includes adopt cannot read (from_url: offline), as
	// the notes name them.
	Unread []string
}

// ReleaseFiles are the names GoReleaser reads its config from, in its
// order.
var ReleaseFiles = []string{".goreleaser.yml", ".goreleaser.yaml", "goreleaser.yml", "goreleaser.yaml"}

// goreleaser is the part of a GoReleaser config adopt reads.
type goreleaser struct {
	Builds []struct {
		Main    string   `yaml:"main"`
		Tags    []string `yaml:"tags"`
		Flags   any      `yaml:"flags"`   // a string or a list
		Ldflags any      `yaml:"ldflags"` // a string or a list
		Skip    any      `yaml:"skip"`    // a bool or a template
		Builder string   `yaml:"builder"`
	} `yaml:"builds"`
	Includes []struct {
		FromFile struct{ Path string } `yaml:"from_file"`
		FromURL  struct{ URL string }  `yaml:"from_url"`
	} `yaml:"includes"`
}

// readRelease reads the project's GoReleaser config, nil for none. Its
// builds that GoReleaser skips, or that are not Go's, are left out, and
// so is any value it fills in from a template ({{ ... }}).
func readRelease(fsys fs.FS) (*Release, error) {
	for _, name := range ReleaseFiles {
		data, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var cfg goreleaser
		if err := yaml.Unmarshal(data, &cfg); err != nil {
			return nil, fmt.Errorf("%s: %w (adopt reads its builds' main and tags)", name, err)
		}
		r := &Release{File: name, LdflagsFrom: name}
		if err := r.include(fsys, &cfg); err != nil {
			return nil, err
		}
		if len(cfg.Builds) == 0 {
			r.Mains = []string{"."} // GoReleaser's one default build
			r.Defaults = true
		}
		for _, b := range cfg.Builds {
			if skip, _ := b.Skip.(bool); skip || b.Builder != "" && b.Builder != "go" {
				continue
			}
			dir := mainDir(b.Main)
			if dir != "" && !slices.Contains(r.Mains, dir) {
				r.Mains = append(r.Mains, dir)
			}
			tags := slices.Clone(b.Tags)
			for _, f := range list(b.Flags) {
				if t, ok := strings.CutPrefix(f, "-tags="); ok {
					tags = append(tags, strings.Split(t, ",")...)
				}
			}
			for _, t := range tags {
				if t = strings.TrimSpace(t); t != "" && !strings.Contains(t, "{{") && !slices.Contains(r.Tags, t) {
					r.Tags = append(r.Tags, t)
				}
			}
			r.Ldflags = append(r.Ldflags, list(tight(b.Ldflags))...)
			r.Defaults = r.Defaults || b.Ldflags == nil
		}
		return r, nil
	}
	return nil, nil
}

// include takes the builds of the files cfg includes (from_file) where it
// has none of its own, as GoReleaser's merge does, and names those of a
// URL, which adopt cannot read offline.
func (r *Release) include(fsys fs.FS, cfg *goreleaser) error {
	for _, inc := range cfg.Includes {
		if inc.FromURL.URL != "" {
			r.Unread = append(r.Unread, "the includes from_url "+inc.FromURL.URL+" (adopt reads no URL)")
		}
		file := path.Clean(strings.TrimPrefix(inc.FromFile.Path, "./"))
		if inc.FromFile.Path == "" || len(cfg.Builds) > 0 {
			continue
		}
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			return fmt.Errorf("%s: includes from_file %s: %w", r.File, inc.FromFile.Path, err)
		}
		var included goreleaser
		if err := yaml.Unmarshal(data, &included); err != nil {
			return fmt.Errorf("%s: %w (adopt reads its builds' main and tags)", file, err)
		}
		if len(included.Builds) > 0 {
			cfg.Builds, r.LdflagsFrom = included.Builds, file
		}
	}
	return nil
}

// mainDir is the directory of a build's main: a package directory or a
// Go file, "." when not given; "" for a template.
func mainDir(main string) string {
	main = strings.TrimSpace(main)
	switch {
	case strings.Contains(main, "{{"):
		return ""
	case main == "":
		return "."
	case strings.HasSuffix(main, ".go"):
		main = path.Dir(main)
	}
	return path.Clean(main)
}

// tight is a YAML value with the spaces inside its templates taken out
// ({{ .Version }} is {{.Version}}), so that splitting it at spaces keeps
// each template whole.
func tight(v any) any {
	switch v := v.(type) {
	case string:
		return templateSpaces().ReplaceAllString(v, "{{$1}}")
	case []any:
		out := make([]any, len(v))
		for i, s := range v {
			out[i] = tight(s)
		}
		return out
	}
	return v
}

// templateSpaces is a GoReleaser template, and what is inside it.
var templateSpaces = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\{\{\s*(.*?)\s*\}\}`) })

// list is a YAML value that is a string or a list of strings, as the list
// of their words.
func list(v any) []string {
	switch v := v.(type) {
	case string:
		return strings.Fields(v)
	case []any:
		var out []string
		for _, s := range v {
			if s, ok := s.(string); ok {
				out = append(out, strings.Fields(s)...)
			}
		}
		return out
	}
	return nil
}

// keepMains keeps the release's main packages that are the project's,
// with its tags.
func (r *Release) keepMains(p *Project) {
	available := p.MainsWith(r.Tags)
	r.Mains = slices.DeleteFunc(r.Mains, func(dir string) bool { return !slices.Contains(available, dir) })
}
