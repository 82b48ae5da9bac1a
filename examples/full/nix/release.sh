# release.sh makes and publishes the project's releases:
#
#   bash nix/release.sh tag X.Y.Z          write X.Y.Z to nix/version, commit it, and tag vX.Y.Z (never pushes)
#   bash nix/release.sh check vX.Y.Z       fail unless the tag is the version nix/version holds
#   bash nix/release.sh publish vX.Y.Z DIR create the GitHub Release vX.Y.Z with DIR's archives,
#                                          SHA256SUMS and SBOMs (gh, with GH_TOKEN)
#
# task release -- X.Y.Z runs the first; the CI's release workflow runs the others.
set -euo pipefail
cd "$(dirname "$0")/.."

# semver is a version as Go and GitHub take it, without the v.
semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$'

version() { tr -d '\n' <nix/version; }

tag() {
  local v=${1#v}
  if ! [[ $v =~ $semver ]]; then
    echo "release: give the version as X.Y.Z, like 1.2.0 (got '${1:-}')" >&2
    exit 2
  fi
  if ! git diff --quiet || ! git diff --cached --quiet; then
    echo "release: commit or stash your changes first: the tag must name what was built" >&2
    exit 1
  fi
  if git rev-parse --quiet --verify "refs/tags/v$v" >/dev/null; then
    echo "release: v$v is tagged already" >&2
    exit 1
  fi
  if [ "$(version)" != "$v" ]; then
    printf '%s\n' "$v" >nix/version
    git add nix/version
    git commit --quiet -m "Release v$v"
  fi
  git tag -a "v$v" -m "v$v"
  echo "Tagged v$v. Publish it with: git push origin HEAD v$v"
}

check() {
  if [ "${1:-}" != "v$(version)" ]; then
    echo "release: the tag ${1:-(none)} is not the project's version, v$(version) (nix/version): tag releases with task release -- X.Y.Z" >&2
    exit 1
  fi
  echo "release: ${1} is the project's version"
}

publish() {
  local tag=$1 dir=$2
  check "$tag"
  (cd "$dir" && sha256sum --check --quiet SHA256SUMS)
  local files=("$dir"/*.tar.gz "$dir"/*.zip "$dir"/SHA256SUMS "$dir"/*.cdx.json)
  gh release create "$tag" --verify-tag --title "$tag" --notes "Built from $(git rev-parse HEAD) by nix build .#release: the same bytes on every system (SHA256SUMS)." "${files[@]}"
}

shopt -s nullglob
case "${1:-}" in
  tag) tag "${2:-}" ;;
  check) check "${2:-}" ;;
  publish) publish "${2:?give the tag}" "${3:?give the release directory}" ;;
  *)
    echo "usage: bash nix/release.sh tag X.Y.Z | check vX.Y.Z | publish vX.Y.Z DIR" >&2
    exit 2
    ;;
esac
