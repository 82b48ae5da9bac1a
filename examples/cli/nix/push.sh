# push copies the image (.#oci) to a registry, by digest, and proves it got
# there whole: nix run .#push -- REF, REF like ghcr.io/you/app:v1 (the tag
# defaults to latest). flake.nix runs it with regctl, and with OCI, SBOM and
# IMAGE_SH set to the image's layout, its SBOMs and nix/image.sh.
#
# 1. Every blob of the layout is checked against its digest, before anything
#    is sent: an altered layout is refused, and nothing is pushed.
# 2. regctl copies the image index, every platform's manifest and every blob
#    as they are (no recompression, so the digests stay), and moves the tag
#    last, once all of them are there.
# 3. Each platform's SBOM goes beside its manifest as an OCI referrer
#    (regctl uses the sha256-<digest> tag where the registry has no
#    referrers API); the image index itself stays the one built.
# 4. It reads the tag's digest back from the registry and fails unless it is
#    the image index's; then it prints REF@sha256:...
#
# Credentials come from the Docker config (docker login, or $DOCKER_CONFIG).
# A registry on this machine (localhost, 127.0.0.1, [::1]) is spoken to
# without TLS.
# In the Nix app, flake.nix sets OCI, SBOM and IMAGE_SH.
# shellcheck disable=SC2154

usage() {
  echo "usage: nix run .#push -- REGISTRY/REPOSITORY[:TAG], like ghcr.io/you/app:v1" >&2
  exit 2
}
[ $# -eq 1 ] || usage
ref=$1

# The reference: a registry (a host with a dot or a port, or localhost), a
# lowercase repository path, an optional tag.
component='[a-z0-9]+([._-]+[a-z0-9]+)*'
if ! [[ $ref =~ ^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]+)?|\[[0-9A-Fa-f:]+\](:[0-9]+)?)/$component(/$component)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$ ]]; then
  echo "push: \"$ref\" is not an image reference: give a registry, a lowercase repository and an optional tag, like ghcr.io/you/app:v1" >&2
  exit 2
fi
host=${ref%%/*}
if [[ $host != *.* && $host != *:* && $host != localhost ]]; then
  echo "push: \"$host\" is not a registry host (no dot, no port): give one like ghcr.io or localhost:5000" >&2
  exit 2
fi
path=${ref#*/}
repo=$host/${path%%:*}
if [[ $path != *:* ]]; then
  ref=$ref:latest
fi

# The layout's digests, read as task verify reads them.
image() { bash "$IMAGE_SH" "$@"; }

# 1. The layout is what it says it is.
if ! image check "$OCI"; then
  echo "push: nothing was pushed (build the image again: nix build .#oci)" >&2
  exit 1
fi
index=$(image digest "$OCI")

regctl=(regctl)
case $host in
  localhost | localhost:* | 127.* | "[::1]"*) regctl+=(--host "reg=$host,tls=disabled") ;;
esac

# 2. The image, as built; the tag moves last.
# (regctl's own output goes to stderr: stdout is the pushed reference alone.)
# regctl's own lines are shown only when it fails: the result is one line.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "${regctl[@]}" image copy "ocidir://$OCI:latest" "$ref" >"$log" 2>&1; then
  cat "$log" >&2
  echo "push: could not push $ref: see regctl's message above (is the registry up, and are you logged in to it?)" >&2
  exit 1
fi

# 3. An SBOM beside each platform's manifest.
for arch in amd64 arm64; do
  "${regctl[@]}" artifact put --subject "$repo@$(image digest "$OCI" "$arch")" \
    --artifact-type application/vnd.cyclonedx+json --file-media-type application/vnd.cyclonedx+json \
    --file "$SBOM/linux-$arch.cdx.json" >/dev/null
done

# 4. The registry holds the image index that was built.
remote=$("${regctl[@]}" image digest "$ref")
if [ "$remote" != "$index" ]; then
  echo "push: the registry holds $remote for $ref, not the image index $index that was built" >&2
  exit 1
fi
echo "$ref@$index"
