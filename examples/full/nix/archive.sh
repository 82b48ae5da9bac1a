# archive.sh writes the project's release into $out, in a Nix build (flake.nix
# sets out, name, version, timestamp, src, platforms, and for each platform
# <goos>_<arch>, the program built for it):
#
#   NAME_VERSION_GOOS_ARCH.tar.gz (.zip for Windows)  the platform's programs, LICENSE*, COPYING*, NOTICE* and README*
#   SHA256SUMS                                        the sha256 of each archive, for sha256sum -c
#   PROGRAM_VERSION_GOOS_ARCH.cdx.json                a CycloneDX SBOM of each program
#
# Every system writes the same bytes: the entries of an archive are sorted,
# owned by 0:0, with the modes 0755 (a program) and 0644 and the commit's
# time ($timestamp); gzip records no name or time, zip no extra field, and
# the SBOMs leave out cyclonedx-gomod's own hashes, which are each system's.
# shellcheck disable=SC2154
set -euo pipefail
shopt -s nullglob
export TZ=UTC # zip records local times

mkdir -p "$out"
work=$(mktemp -d)
# cyclonedx-gomod runs go: no telemetry from it, which would write into the
# build and may outlive it.
export HOME="$work/home"
go telemetry off

docs=()
# The notices the licences ask to ship with the programs (Apache-2.0's
# NOTICE, the GPL's COPYING), and the README.
for f in "$src"/LICENSE* "$src"/COPYING* "$src"/NOTICE* "$src"/README*; do
  if [ -f "$f" ]; then
    docs+=("$(basename "$f")")
  fi
done

for platform in $platforms; do
  goos=${platform%/*}
  arch=${platform#*/}
  attr=${goos}_$arch
  build=${!attr}
  dir=$work/$attr
  mkdir -p "$dir"
  entries=()
  for program in "$build"/bin/*; do
    file=$(basename "$program")
    install -m 0755 "$program" "$dir/$file"
    entries+=("$file")
    GOOS=$goos GOARCH=$arch cyclonedx-gomod bin -json -noserial -notimestamp -version "v$version" \
      -output "$work/sbom.json" "$program"
    jq 'del(.metadata.tools | .. | objects | .hashes)' "$work/sbom.json" \
      >"$out/${file%.exe}_${version}_${goos}_$arch.cdx.json"
  done
  for doc in "${docs[@]}"; do
    install -m 0644 "$src/$doc" "$dir/$doc"
    entries+=("$doc")
  done
  mapfile -t entries < <(printf '%s\n' "${entries[@]}" | LC_ALL=C sort)
  touch -d "@$timestamp" "${entries[@]/#/$dir/}"
  archive=${name}_${version}_${goos}_$arch
  if [ "$goos" = windows ]; then
    (cd "$dir" && zip -q -X -D "$out/$archive.zip" "${entries[@]}")
  else
    tar --create --file=- --directory="$dir" --no-recursion --format=ustar \
      --owner=0 --group=0 --numeric-owner --mtime="@$timestamp" "${entries[@]}" |
      gzip -9 -n >"$out/$archive.tar.gz"
  fi
done

cd "$out"
sha256sum -- *.tar.gz *.zip >SHA256SUMS
rm -rf "$work"
