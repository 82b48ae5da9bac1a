# legacyPackages.<system> of the stand-in (pkgs/top-level/all-packages.nix):
# only attributes nixpkgs has, each from a file named for the nixpkgs file
# it follows:
#   stdenv/             pkgs/stdenv/generic (setup.sh, make-derivation.nix)
#   hooks/              pkgs/build-support/setup-hooks, patchelf's hook,
#                       versionCheckHook's (pkgs/by-name/ve/versionCheckHook)
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
  # One Go release of the pin (go/go.nix), from host.nix's gos.
  goRelease =
    attr:
    import ./go/go.nix {
      inherit stdenv system;
      inherit (tools) iana-etc mailcap tzdata;
      release = host.gos.${attr};
    };

  # callPackage's result (lib/customisation.nix makeOverridable): a
  # function that is also an attribute set with override, which calls the
  # file again with other arguments (a set, or a function of the old ones).
  overridable =
    file: args:
    {
      __functor = _: import file args;
      override = new: overridable file (args // (if builtins.isFunction new then new args else new));
    };
in
tools
// rec {
  inherit stdenv;
  # all-packages.nix: go = go_1_26; go_1_27 beside it.
  go = go_1_26;
  go_1_26 = goRelease "go";
  go_1_27 = goRelease "go_1_27";
  cacert = import ./cacert.nix {
    inherit stdenv;
    inherit (trivial) runCommand;
  };
  inherit (trivial) runCommand writeShellApplication mkShell;
  # pkgs/by-name/ve/versionCheckHook (makeSetupHook of hook.sh, whose
  # @storeDir@ the model writes as /nix/store): hooks/version-check-hook.sh.
  versionCheckHook = trivial.runCommand "version-check-hook" { } ''
    mkdir -p "$out/nix-support"
    cp ${./hooks/version-check-hook.sh} "$out/nix-support/setup-hook"
  '';
  # all-packages.nix: buildGoModule = buildGo126Module, module.nix called
  # with go_1_26; .override { go = ...; } builds with another Go.
  buildGoModule = overridable ./go/module.nix {
    inherit
      lib
      stdenv
      go
      host
      ;
  };
}
