# pkgs/development/compilers/go/1.26.nix: the machine's Go under nixpkgs'
# name, with the GOOS/GOARCH/CGO_ENABLED that buildGoModule reads, as the
# pinned nixpkgs' Go:
# - its version is the pin's (internal/nixpin's Go, which the tests write
#   into host.nix), not the machine's;
# - under GOTOOLCHAIN=local it refuses a go.mod whose go line asks for
#   more, with Go's own message (./go.sh);
# - its GOROOT ($out/share/go) has nixpkgs' three patches, with this
#   system's store paths: iana-etc-1.25.patch (net opens
#   ${iana-etc}/etc/protocols and /etc/services instead of /etc's),
#   mailcap-1.17.patch (mime reads ${mailcap}/etc/mime.types first) and
#   tzdata-1.19.patch (time looks in ${tzdata}/share/zoneinfo/ first).
#   So a server's binary holds those paths, and references them;
# - src is the fixed-output source tarball (fetchurl of
#   go<version>.src.tar.gz), the same store path on every system. The
#   stand-in's holds only the unpatched files of those three packages,
#   from the machine's Go (the tests write it, and its hash into host.nix).
# It is made by a buildCommand: no fixup runs on it, as none changes what
# a build with it writes.
{
  stdenv,
  host,
  system,
  iana-etc,
  mailcap,
  tzdata,
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
  version = host.goVersion;
  meta.mainProgram = "go";
  passthru = platform // {
    CGO_ENABLED = 1;
    src = stdenv.mkDerivation {
      name = "go${host.goVersion}.src.tar.gz";
      tarball = ../go-src.tar.gz;
      outputHashMode = "flat";
      outputHashAlgo = "sha256";
      outputHash = host.goSrcHash;
      buildCommand = ''cp "$tarball" "$out"'';
    };
  };
  wrapper = ./go.sh;
  buildCommand = ''
    mkdir -p "$out/bin" "$out/share/go"
    for f in ${host.goroot}/*; do
      [ "$(basename "$f")" = src ] || ln -s "$f" "$out/share/go/"
    done
    cp -rs ${host.goroot}/src "$out/share/go/src"
    patch() {
      rm "$out/share/go/src/$1"
      sed -e "$2" "${host.goroot}/src/$1" > "$out/share/go/src/$1"
      if cmp -s "${host.goroot}/src/$1" "$out/share/go/src/$1"; then
        echo "stand-in go: the patch of $1 no longer applies" >&2
        exit 1
      fi
    }
    patch net/lookup_unix.go 's|open("/etc/protocols")|open("${iana-etc}/etc/protocols")|'
    patch net/port_unix.go 's|open("/etc/services")|open("${iana-etc}/etc/services")|'
    patch mime/type_unix.go 's|^var typeFiles = \[\]string{$|&\n\t"${mailcap}/etc/mime.types",|'
    patch time/zoneinfo_unix.go 's|^var platformZoneSources = \[\]string{$|&\n\t"${tzdata}/share/zoneinfo/",|'
    ln -s ${host.goroot}/bin/gofmt "$out/bin/"
    sed -e "s|@goroot@|$out/share/go|" -e "s|@realgo@|${host.goroot}/bin/go|" -e "s|@version@|$version|" "$wrapper" > "$out/bin/go"
    chmod +x "$out/bin/go"
  '';
}
