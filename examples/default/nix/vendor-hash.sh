# vendor-hash writes nix/vendor-hash.nix, which flake.nix reads as
# vendorHash: the NAR hash of the modules `go mod vendor` writes (with
# PROXY_VENDOR=true, which the app sets for a build with proxyVendor: of the
# module cache's cache/download `go mod download` leaves, less sumdb), or null when
# go.mod requires no module or the project keeps them in vendor/. It runs with the pinned nixpkgs' Go (the dev
# shell's), because vendor/modules.txt records the Go version, and leaves no
# vendor/ behind. With --check it writes nothing and exits 1 when the file is
# stale. Run it from the project's root: nix run .#vendor-hash [-- --check]

file=nix/vendor-hash.nix
check=false
case "${1:-}" in
  "") ;;
  --check) check=true ;;
  *)
    echo "usage: nix run .#vendor-hash [-- --check]" >&2
    exit 2
    ;;
esac
if [ ! -f go.mod ] || [ ! -f flake.nix ]; then
  echo "vendor-hash: no go.mod and flake.nix here: run it from the project's root" >&2
  exit 2
fi

old=missing
if [ -f "$file" ]; then
  old=$(tr -d '[:space:]' <"$file")
fi

new=null
mod=$(go mod edit -json)
if [ -f vendor/modules.txt ]; then
  : # The project keeps its modules in vendor/: buildGoModule builds with them.
elif [[ $mod == *'"Require": ['* ]]; then # "Require": null when there is none
  tmp=$(mktemp -d)
  trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
  if [ "${PROXY_VENDOR:-false}" = true ]; then
    # As buildGoModule's proxyVendor derivation: go mod download into an
    # empty module cache (from this machine's first, then GOPROXY), less sumdb.
    GOFLAGS=-modcacherw GOWORK=off GOTOOLCHAIN=local GOMODCACHE="$tmp/mod" \
      GOPROXY="file://$(go env GOMODCACHE)/cache/download,$(go env GOPROXY)" go mod download
    rm -rf "$tmp/mod/cache/download/sumdb"
    vendor=$tmp/mod/cache/download
  else
    GOFLAGS='' GOWORK=off GOTOOLCHAIN=local go mod vendor -o "$tmp/vendor"
    vendor=$tmp/vendor
  fi
  if [ -n "$(ls -A "$vendor" 2>/dev/null)" ]; then
    new="\"$(nix --extra-experimental-features nix-command hash path "$vendor")\""
  fi
fi

if [ "$old" = "$new" ]; then
  echo "vendor-hash: $file is current: $new"
  exit 0
fi
if [ "$check" = true ]; then
  echo "vendor-hash: $file is stale: it holds $old, but go.mod and go.sum need $new" >&2
  echo "vendor-hash: run \`nix run .#vendor-hash\` (or \`task vendor-hash\`) to write it" >&2
  exit 1
fi
mkdir -p "$(dirname "$file")"
printf '%s\n' "$new" >"$file.tmp"
mv "$file.tmp" "$file"
echo "vendor-hash: $file: $old -> $new"
