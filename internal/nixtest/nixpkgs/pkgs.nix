# legacyPackages.<system> of the stand-in (pkgs/top-level/all-packages.nix):
# only attributes nixpkgs has, each from a file named for the nixpkgs file
# it follows:
#   stdenv/             pkgs/stdenv/generic (setup.sh, make-derivation.nix)
#   hooks/              pkgs/build-support/setup-hooks, patchelf's hook
#   trivial-builders.nix  runCommand, writeShellApplication, mkShell
#   go/                 pkgs/development/compilers/go, build-support/go
#   cacert.nix          pkgs/by-name/ca/cacert
#   tools.nix           the other packages the templates name
{
  lib,
  system,
  host,
}:
let
  stdenv = import ./stdenv { inherit lib system host; };
  trivial = import ./trivial-builders.nix { inherit lib stdenv; };
  tools = import ./tools.nix {
    inherit host;
    inherit (trivial) runCommand;
  };
  go = import ./go/go.nix {
    inherit stdenv host system;
    inherit (tools) iana-etc mailcap tzdata;
  };
in
tools
// {
  inherit stdenv go;
  cacert = import ./cacert.nix {
    inherit stdenv;
    inherit (trivial) runCommand;
  };
  inherit (trivial) runCommand writeShellApplication mkShell;
  buildGoModule = import ./go/module.nix {
    inherit
      lib
      stdenv
      go
      host
      ;
  };
}
