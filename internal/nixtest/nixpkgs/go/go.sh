#!/bin/sh
# The stand-in's pkgs.go (pkgs.nix): this machine's Go, run as Go @version@,
# the pinned nixpkgs' Go, on the GOROOT with nixpkgs' patches. Under GOTOOLCHAIN=local, which buildGoModule sets,
# Go refuses a main module whose go line asks for a newer Go, with this
# message (cmd/go/internal/toolchain/select.go); the machine's newer Go would
# not, so the stand-in refuses in its place. Only the go line is a
# requirement: a toolchain line is a preference, which local ignores.
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
exec "$real" "$@"
