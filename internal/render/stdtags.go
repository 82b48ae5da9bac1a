package render

// TagSet is the build tags that change what Go's standard library
// compiles: nix/go-cache.nix keeps only these of a build's tags in the
// standard library's layer, so that a project's own tags (integration,
// generate, ...) share the layer of every project built without them. Go's
// build cache names a package by its files, not by the tags that chose
// them: a tag missing here would only leave a build to compile what the tag
// changes itself, never give other bytes.
type TagSet struct {
	// Every is the tags its //go:build lines name for each GOOS of GOOS
	// (goexperiment.* aside, which GOEXPERIMENT sets and the layer keeps).
	Every []string
	// Only is the tags it names for one GOOS alone.
	Only map[string][]string
	// GOOS is where they were read: for another, the layer keeps every tag.
	GOOS []string
	// Go is the Go line they were read from.
	Go string
}

// StdTags is the standard library's TagSet of Go 1.26 (the pin's Go line),
// for the operating systems a release can have an archive for
// (answers.AllPlatforms): the packages a program can reach there, their
// files but tests. TestStdTags reads it again from this machine's Go.
var StdTags = TagSet{
	Every: []string{
		"asan", "boringcrypto", "cgo", "compiler_bootstrap", "debuglog", "faketime", "fips140v1.0", "ignore", "libfuzzer",
		"math_big_pure_go", "msan", "netcgo", "netgo", "nethttpomithttp2", "noopt", "osusergo", "purego", "race", "timetzdata", "valgrind",
	},
	Only: map[string][]string{"windows": {"generate"}},
	GOOS: []string{"darwin", "linux", "windows"},
	Go:   "1.26",
}
