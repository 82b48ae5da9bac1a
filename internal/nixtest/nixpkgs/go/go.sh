#!/bin/sh
# The stand-in's pkgs.go (pkgs.nix): this machine's Go, run as Go @version@,
# the pinned nixpkgs' Go, on the GOROOT with nixpkgs' patches. Under GOTOOLCHAIN=local, which buildGoModule sets,
# Go refuses a main module whose go line asks for a newer Go, with this
# message (cmd/go/internal/toolchain/select.go); the machine's newer Go would
# not, so the stand-in refuses in its place. Only the go line is a
# requirement: a toolchain line is a preference, which local ignores.
#
# And go install places a binary as the system's builder would: Go puts one
# for its own platform (runtime.GOOS/GOARCH: the builder's, @goos@_@goarch@)
# in GOBIN or GOPATH's bin/, and one for another in bin/<GOOS>_<GOARCH>/,
# refusing that while GOBIN is set (cmd/go/internal/load/pkg.go,
# internal/work/build.go). This machine's Go judges by this machine's
# platform, so where the two differ the stand-in moves what it installed.
real=@realgo@
version=@version@
export GOROOT=@goroot@
if [ "${GOTOOLCHAIN:-}" = local ]; then
  # The main module's go.mod, found as go finds it: here or in a parent.
  # (Not by running go env GOMOD: that go would write telemetry counters
  # before a build's `go telemetry off`.)
  gomod=''
  dir=$PWD
  while [ -z "$gomod" ]; do
    if [ -f "$dir/go.mod" ]; then
      gomod=$dir/go.mod
    elif [ "$dir" = / ]; then
      break
    fi
    dir=$(dirname "$dir")
  done
  if [ -n "$gomod" ]; then
    want=$(sed -n 's/^go[[:space:]][[:space:]]*\([0-9][^[:space:]]*\).*/\1/p' "$gomod" | head -n 1)
    if [ -n "$want" ] && [ "$want" != "$version" ] &&
      [ "$(printf '%s\n%s\n' "$version" "$want" | sort -V | tail -n 1)" = "$want" ]; then
      echo "go: go.mod requires go >= $want (running go $version; GOTOOLCHAIN=local)" >&2
      exit 1
    fi
  fi
fi

builder=@goos@_@goarch@
# Beside nixpkgs: the stand-in runs every system's builds on this machine,
# whose platform is one. go test of the builder's own platform runs there;
# here, another platform's tests (aarch64-linux's linux/arm64 ones) are
# neither built nor run, which changes no output. Of a platform not the
# builder's, the builder could not run them either: they fail, as there.
if [ "${1:-}" = test ]; then
  vars=$("$real" env GOOS GOARCH GOHOSTOS GOHOSTARCH) || exit
  target=$(echo "$vars" | sed -n 1p)_$(echo "$vars" | sed -n 2p)
  host=$(echo "$vars" | sed -n 3p)_$(echo "$vars" | sed -n 4p)
  if [ "$target" != "$host" ] && [ "$target" = "$builder" ]; then
    echo "stand-in: the tests of ${target%_*}/${target#*_} run on that system's builder, not here"
    exit 0
  fi
  if [ "$target" != "$builder" ]; then
    echo "stand-in: go test of ${target%_*}/${target#*_} on a ${builder%_*}/${builder#*_} builder: its test binaries cannot run there (exec format error)" >&2
    exit 1
  fi
fi
if [ "${1:-}" = install ]; then
  vars=$("$real" env GOOS GOARCH GOHOSTOS GOHOSTARCH GOPATH) || exit
  line() { echo "$vars" | sed -n "$1p"; }
  # GOBIN as set (since Go 1.27, go env GOBIN prints GOPATH's bin/ when unset).
  target=$(line 1)_$(line 2) host=$(line 3)_$(line 4) gopath=$(line 5) gobin=${GOBIN:-}
  bin=${gopath%%:*}/bin
  if [ "$target" = "$host" ] && [ "$target" != "$builder" ]; then
    # This machine's Go installs in GOBIN or bin/; the builder's in bin/<target>/.
    stage=$(mktemp -d)
    GOBIN=$stage "$real" "$@" || { rm -rf "$stage"; exit 1; }
    if [ -n "$(ls -A "$stage")" ]; then
      if [ -n "$gobin" ]; then
        rm -rf "$stage"
        echo "go: cannot install cross-compiled binaries when GOBIN is set" >&2
        exit 1
      fi
      mkdir -p "$bin/$target"
      mv "$stage"/* "$bin/$target/"
    fi
    rm -rf "$stage"
    exit 0
  fi
  if [ "$target" != "$host" ] && [ "$target" = "$builder" ]; then
    # This machine's Go installs in bin/<target>/; the builder's in GOBIN or bin/.
    GOBIN= "$real" "$@" || exit
    if [ -d "$bin/$target" ]; then
      mkdir -p "${gobin:-$bin}"
      mv "$bin/$target"/* "${gobin:-$bin}/"
      rmdir "$bin/$target"
    fi
    exit 0
  fi
fi
exec "$real" "$@"
