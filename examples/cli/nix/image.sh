# image.sh writes and reads the project's container image. flake.nix runs it
# to build the image, and `task verify` to check it:
#
#   bash nix/image.sh oci             # in a Nix build: $out becomes the OCI layout
#   bash nix/image.sh docker-archive  # in a Nix build: $out becomes a docker-archive of one arch
#   bash nix/image.sh verify OCI BIN_AMD64 BIN_ARM64
#   bash nix/image.sh digest OCI [ARCH]   # the index's digest, or ARCH's manifest's
#   bash nix/image.sh check OCI           # every blob matches its digest
#
# The image is built from nothing of the machine that builds it: the Linux
# binaries (which hold no store path), and as plain files /etc/services,
# /etc/protocols, /etc/mime.types and the CA bundle
# /etc/ssl/certs/ca-certificates.crt, with /etc/passwd and /etc/group naming
# root and the user the image runs as, nonroot (65532:65532, as distroless's
# :nonroot), its home /home/nonroot, and /tmp. Its files have fixed owners,
# modes and times, its JSON is written field by field, and gzip records no
# name or time (level 6, its default), so every system writes the same
# bytes; sha256 digests name them.

# In a Nix build, flake.nix sets out, imageName, ports, args, amd64, arm64, iana,
# mailcap, cacert, labels, created (oci) and oci, arch (docker-archive).
# shellcheck disable=SC2154
set -euo pipefail

archs="amd64 arm64"
# The user the image runs as, and its home: distroless's nonroot.
uid=65532
home=home/nonroot
# A program without a port has no health check: the image sets none.
healthcheck() { :; }

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d ' ' -f 1
}

size() { wc -c <"$1" | tr -d ' '; }

# tarball TAR OWNER DIR FILE... writes FILEs under DIR to the tar TAR, a
# new one, or appended with --append before TAR, owned by the uid and gid
# OWNER, with fixed times and in the order given.
tarball() {
  local mode=--create
  if [ "$1" = --append ]; then
    mode=--append
    shift
  fi
  local tar=$1 owner=$2 dir=$3
  shift 3
  tar "$mode" --file="$tar" --directory="$dir" --no-recursion --format=ustar \
    --owner="$owner" --group="$owner" --numeric-owner --mtime=@1 "$@"
}

# layer ROOT TAR writes the image's files under ROOT to TAR: owned by root,
# but the user's home, owned by the user.
layer() {
  local root=$1 tar=$2
  tarball "$tar" 0 "$root" bin "bin/$imageName" etc etc/group etc/mime.types etc/passwd etc/protocols etc/services \
    etc/ssl etc/ssl/certs etc/ssl/certs/ca-certificates.crt home
  tarball --append "$tar" "$uid" "$root" "$home"
  tarball --append "$tar" 0 "$root" tmp
}

# rootfs ROOT BIN lays out the image's files under ROOT, with BIN as
# /bin/$imageName.
rootfs() {
  local root=$1
  mkdir -p "$root/bin" "$root/etc/ssl/certs" "$root/$home" "$root/tmp"
  cp "$2" "$root/bin/$imageName"
  cp "$iana/etc/services" "$iana/etc/protocols" "$mailcap/etc/mime.types" "$root/etc/"
  # Go reads this path; cacert's bundle is the same bytes on every system.
  cp "$cacert/etc/ssl/certs/ca-bundle.crt" "$root/etc/ssl/certs/ca-certificates.crt"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:%s:%s:nonroot:/%s:/sbin/nologin\n' \
    "$uid" "$uid" "$home" >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:%s:\n' "$uid" >"$root/etc/group"
  chmod 0755 "$root/bin" "$root/etc" "$root/etc/ssl" "$root/etc/ssl/certs" "$root/home"
  chmod 0700 "$root/$home"
  chmod 1777 "$root/tmp"
  chmod 0555 "$root/bin/$imageName"
  chmod 0444 "$root/etc/group" "$root/etc/mime.types" "$root/etc/passwd" "$root/etc/protocols" "$root/etc/services" \
    "$root/etc/ssl/certs/ca-certificates.crt"
}

# blob FILE moves FILE into the layout $out as a blob and prints its digest.
blob() {
  local digest
  digest=$(sha256 "$1")
  mv "$1" "$out/blobs/sha256/$digest"
  echo "$digest"
}

# command_ prints the config's command, the program's arguments ($args, a
# JSON list), when there are any.
command_() {
  [ "$args" = "[]" ] || printf '"Cmd":%s,' "$args"
}

# descriptor MEDIATYPE DIGEST points at a blob of the layout $out.
descriptor() {
  printf '{"mediaType":"%s","digest":"sha256:%s","size":%s' "$1" "$2" "$(size "$out/blobs/sha256/$2")"
}

# oci writes the OCI image layout $out: an image index (index.json names it
# "latest") holding one image per arch of $archs, each of the binary
# $<arch>/bin/$imageName, run with the arguments $args (a JSON list) by nonroot, exposing
# $ports, with the health check healthcheck prints, and the files rootfs
# lays out. $labels
# (a JSON object) are the config's labels and the annotations of the index
# and of each manifest; $created is the config's date.
oci() {
  local tmp arch root diffid layer exposed port config manifest manifests="" index
  tmp=$(mktemp -d)
  mkdir -p "$out/blobs/sha256"
  printf '{"imageLayoutVersion":"1.0.0"}\n' >"$out/oci-layout"
  exposed=""
  for port in $ports; do
    exposed="$exposed${exposed:+,}\"$port/tcp\":{}"
  done
  for arch in $archs; do
    root=$tmp/$arch
    rootfs "$root" "${!arch}/bin/$imageName"
    layer "$root" "$tmp/layer.tar"
    diffid=$(sha256 "$tmp/layer.tar")
    gzip -6 -n -c "$tmp/layer.tar" >"$tmp/layer"
    layer=$(blob "$tmp/layer")
    # The program is the entrypoint, its arguments the command: docker run
    # IMAGE ARGS runs the program with ARGS.
    printf '{"architecture":"%s","config":{%s"Entrypoint":["/bin/%s"],"ExposedPorts":{%s},%s"Labels":%s,"User":"%s:%s","WorkingDir":"/%s"},"created":"%s","history":[{"created":"%s","created_by":"nix/image.sh"}],"os":"linux","rootfs":{"diff_ids":["sha256:%s"],"type":"layers"}}' \
      "$arch" "$(command_)" "$imageName" "$exposed" "$(healthcheck)" "$labels" "$uid" "$uid" "$home" "$created" "$created" "$diffid" >"$tmp/config"
    config=$(blob "$tmp/config")
    {
      printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":'
      descriptor application/vnd.oci.image.config.v1+json "$config"
      printf '},"layers":['
      descriptor application/vnd.oci.image.layer.v1.tar+gzip "$layer"
      printf '}],"annotations":%s}' "$labels"
    } >"$tmp/manifest"
    manifest=$(blob "$tmp/manifest")
    manifests="$manifests${manifests:+,}$(descriptor application/vnd.oci.image.manifest.v1+json "$manifest"),\"platform\":{\"architecture\":\"$arch\",\"os\":\"linux\"}}"
  done
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s],"annotations":%s}' "$manifests" "$labels" >"$tmp/index"
  index=$(blob "$tmp/index")
  {
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":['
    descriptor application/vnd.oci.image.index.v1+json "$index"
    printf ',"annotations":{"org.opencontainers.image.ref.name":"latest"}}]}\n'
  } >"$out/index.json"
  rm -rf "$tmp"
}

# digest_of JSON-FILE prints the digest of the first descriptor in it.
digest_of() {
  sed -n 's/^[^@]*"digest":"sha256:\([0-9a-f]\{64\}\)".*$/\1/p' "$1"
}

# index_digest OCI prints the digest of the layout's image index.
index_digest() { digest_of "$1/index.json"; }

# manifest_of OCI ARCH prints the digest of ARCH's image manifest.
manifest_of() {
  local index
  index=$1/blobs/sha256/$(index_digest "$1")
  tr '{' '\n' <"$index" | grep -B1 "^\"architecture\":\"$2\"" | sed -n 's/.*"digest":"sha256:\([0-9a-f]\{64\}\)".*/\1/p'
}

# layer_of OCI ARCH and config_of OCI ARCH print ARCH's layer and config digests.
layer_of() {
  tr '{' '\n' <"$1/blobs/sha256/$(manifest_of "$1" "$2")" | grep 'tar+gzip' | sed -n 's/.*"digest":"sha256:\([0-9a-f]\{64\}\)".*/\1/p'
}
config_of() {
  tr '{' '\n' <"$1/blobs/sha256/$(manifest_of "$1" "$2")" | grep 'config.v1+json' | sed -n 's/.*"digest":"sha256:\([0-9a-f]\{64\}\)".*/\1/p'
}

# docker_archive writes $out, a gzip'd docker-archive of $arch's image of
# the layout $oci, for `docker load`: the same config (so the image ID that
# docker load reports is its digest) and the same layer, uncompressed.
docker_archive() {
  local tmp config layer diffid
  tmp=$(mktemp -d)
  config=$(config_of "$oci" "$arch")
  layer=$(layer_of "$oci" "$arch")
  cp "$oci/blobs/sha256/$config" "$tmp/$config.json"
  gzip -d -c "$oci/blobs/sha256/$layer" >"$tmp/layer.tar"
  diffid=$(sha256 "$tmp/layer.tar")
  mkdir "$tmp/$diffid"
  mv "$tmp/layer.tar" "$tmp/$diffid/layer.tar"
  printf '[{"Config":"%s.json","RepoTags":["%s:latest"],"Layers":["%s/layer.tar"]}]\n' "$config" "$imageName" "$diffid" >"$tmp/manifest.json"
  chmod 0444 "$tmp/manifest.json" "$tmp/$config.json" "$tmp/$diffid/layer.tar"
  chmod 0755 "$tmp/$diffid"
  tarball - 0 "$tmp" manifest.json "$config.json" "$diffid" "$diffid/layer.tar" | gzip -6 -n >"$out"
  rm -rf "$tmp"
}

# verify OCI BIN_AMD64 BIN_ARM64 checks that each arch's image in the layout
# holds the binary given for it, and prints the image index's digest.
verify() {
  local oci=$1 arch bin layer name image_sum local_sum failed=""
  shift
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  for arch in $archs; do
    bin=$1
    shift
    layer=$(layer_of "$oci" "$arch")
    if [ -z "$layer" ]; then
      echo "verify: the image index has no linux/$arch image" >&2
      exit 1
    fi
    gzip -d -c "$oci/blobs/sha256/$layer" >"$work/layer.tar"
    name=$(basename "$bin")
    tar -xf "$work/layer.tar" -C "$work" "bin/$name"
    image_sum=$(sha256 "$work/bin/$name")
    local_sum=$(sha256 "$bin")
    echo "linux/$arch  local  $local_sum  $bin"
    echo "linux/$arch  image  $image_sum  /bin/$name"
    [ "$local_sum" = "$image_sum" ] || failed="$failed linux/$arch"
    rm -rf "${work:?}/bin" "$work/layer.tar"
  done
  if [ -n "$failed" ]; then
    echo "verify: DIFFERENT:$failed: the image does not hold the binary that nix build made" >&2
    exit 1
  fi
  echo "verify: identical: each image holds the very binary that nix build made"
  echo "image index sha256:$(index_digest "$oci")"
}

case "${1:-}" in
  oci) oci ;;
  docker-archive) docker_archive ;;
  check)
    # check OCI: every blob is what its name says.
    for blob in "$2"/blobs/sha256/*; do
      if [ "$(sha256 "$blob")" != "$(basename "$blob")" ]; then
        echo "image.sh: $blob does not match its digest: the layout was altered" >&2
        exit 1
      fi
    done
    ;;
  digest)
    # digest OCI [ARCH]: the image index's digest, or ARCH's manifest's.
    if [ -n "${3:-}" ]; then echo "sha256:$(manifest_of "$2" "$3")"; else echo "sha256:$(index_digest "$2")"; fi
    ;;
  verify)
    shift
    verify "$@"
    ;;
  *)
    echo "usage: image.sh oci | docker-archive | verify OCI BIN_AMD64 BIN_ARM64 | digest OCI [ARCH] | check OCI" >&2
    exit 2
    ;;
esac
