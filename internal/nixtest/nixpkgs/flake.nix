# A stand-in for nixpkgs, for gonix-init's offline tests only.
#
# It has just the attributes gonix-init's templates use, enforces the
# argument rules of nixpkgs that they depend on, and really builds: Go with
# the machine's toolchain, images in dockerTools' layout. host.nix, written
# by the tests (internal/nixtest), says where the machine's Go is.
{
  description = "gonix-init's stand-in for nixpkgs (tests only)";

  outputs =
    { self }:
    let
      lib = import ./lib.nix;
      host =
        if builtins.pathExists ./host.nix then
          import ./host.nix
        else
          throw "stand-in nixpkgs: host.nix is missing (internal/nixtest writes it)";
    in
    {
      inherit lib;
      legacyPackages = lib.genAttrs [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ] (system: import ./pkgs.nix { inherit lib system host; });
    };
}
