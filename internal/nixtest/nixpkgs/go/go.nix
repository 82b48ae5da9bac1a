# pkgs/development/compilers/go/1.26.nix and 1.27.nix: one Go release of
# the pin, as nixpkgs builds each (the two files differ only in version,
# src and the go_no_vendor_checks patch, which acts only under
# GO_NO_VENDOR_CHECKS, an environment buildGoModule does not set). A release
# of this machine stands in for it (host.nix's gos: pkgs.go is the
# machine's Go, go_1_27 the Go 1.27 toolchain the module proxy serves),
# with the GOOS/GOARCH/CGO_ENABLED that buildGoModule reads:
# - its version is the pin's (internal/nixpin's Gos, which the tests write
#   into host.nix), not the machine's;
# - under GOTOOLCHAIN=local it refuses a go.mod whose go line asks for
#   more, with Go's own message (./go.sh);
# - go install places a binary where the system's builder's Go would:
#   bin/ for the system's own platform, bin/<GOOS>_<GOARCH>/ for another
#   (./go.sh);
# - its GOROOT ($out/share/go) is links to the release's files, but files
#   where a package embeds some (Go embeds no link), and has nixpkgs' three
#   patches, with this
#   system's store paths: iana-etc-1.25.patch (net opens
#   ${iana-etc}/etc/protocols and /etc/services instead of /etc's),
#   mailcap-1.17.patch (mime reads ${mailcap}/etc/mime.types first) and
#   tzdata-1.19.patch (time looks in ${tzdata}/share/zoneinfo/ first).
#   So a server's binary holds those paths, and references them;
# - src is the fixed-output source tarball (fetchurl of
#   go<version>.src.tar.gz), the same store path on every system. The
#   stand-in's holds only the unpatched files of those three packages,
#   from the release's own GOROOT (the tests write it, and its hash into
#   host.nix).
# It is made by a buildCommand: no fixup runs on it, as none changes what
# a build with it writes. Each release, on each system, is its own store
# path, as in nixpkgs.
{
  stdenv,
  system,
  iana-etc,
  mailcap,
  tzdata,
  # host.nix's entry for the release: version, goroot, srcHash, src.
  release,
}:
let
  # The platform a system's own binaries are for (pkgs.go's GOOS and GOARCH).
  platform =
    {
      "x86_64-linux" = {
        GOOS = "linux";
        GOARCH = "amd64";
      };
      "aarch64-linux" = {
        GOOS = "linux";
        GOARCH = "arm64";
      };
      "aarch64-darwin" = {
        GOOS = "darwin";
        GOARCH = "arm64";
      };
    }
    .${system};
in
stdenv.mkDerivation {
  pname = "go";
  inherit (release) version;
  meta.mainProgram = "go";
  passthru = platform // {
    CGO_ENABLED = 1;
    src = stdenv.mkDerivation {
      name = "go${release.version}.src.tar.gz";
      tarball = release.src;
      outputHashMode = "flat";
      outputHashAlgo = "sha256";
      outputHash = release.srcHash;
      buildCommand = ''cp "$tarball" "$out"'';
    };
  };
  wrapper = ./go.sh;
  buildCommand = ''
    mkdir -p "$out/bin" "$out/share/go"
    for f in ${release.goroot}/*; do
      [ "$(basename "$f")" = src ] || ln -s "$f" "$out/share/go/"
    done
    cp -rs ${release.goroot}/src "$out/share/go/src"
    chmod -R u+w "$out/share/go/src"
    # nixpkgs' GOROOT holds files, and Go embeds no link ("cannot embed
    # irregular file"): each folder with a //go:embed, as files.
    grep -Rl --include='*.go' '^//go:embed' ${release.goroot}/src | sed "s|^${release.goroot}/src/||; s|/[^/]*$||" | sort -u |
      while read -r dir; do
        rm -rf "$out/share/go/src/$dir"
        cp -rL --no-preserve=mode "${release.goroot}/src/$dir" "$out/share/go/src/$dir"
      done
    patch() {
      rm "$out/share/go/src/$1"
      sed -e "$2" "${release.goroot}/src/$1" > "$out/share/go/src/$1"
      if cmp -s "${release.goroot}/src/$1" "$out/share/go/src/$1"; then
        echo "stand-in go: the patch of $1 no longer applies" >&2
        exit 1
      fi
    }
    patch net/lookup_unix.go 's|open("/etc/protocols")|open("${iana-etc}/etc/protocols")|'
    patch net/port_unix.go 's|open("/etc/services")|open("${iana-etc}/etc/services")|'
    patch mime/type_unix.go 's|^var typeFiles = \[\]string{$|&\n\t"${mailcap}/etc/mime.types",|'
    patch time/zoneinfo_unix.go 's|^var platformZoneSources = \[\]string{$|&\n\t"${tzdata}/share/zoneinfo/",|'
    ln -s ${release.goroot}/bin/gofmt "$out/bin/"
    sed -e "s|@goroot@|$out/share/go|" -e "s|@realgo@|${release.goroot}/bin/go|" -e "s|@version@|$version|" \
      -e "s|@goos@|${platform.GOOS}|" -e "s|@goarch@|${platform.GOARCH}|" "$wrapper" > "$out/bin/go"
    chmod +x "$out/bin/go"
  '';
}
