# Refuses, at evaluation, a go.mod whose go or toolchain line asks for a
# newer Go than go, the pinned nixpkgs' pkgs.go: buildGoModule sets
# GOTOOLCHAIN=local, and the build would fail deep inside Go. flake.nix wraps
# its package in it: import ./nix/go-version.nix pkgs.go ./go.mod drv.
go: goMod: drv:
let
  lines = builtins.filter builtins.isString (builtins.split "\n" (builtins.readFile goMod));
  wants =
    key:
    builtins.concatMap (
      line:
      let
        m = builtins.match "${key} +(go)?([0-9][^ ]*) *" line;
      in
      if m == null then [ ] else [ (builtins.elemAt m 1) ]
    ) lines;
  tooNew = builtins.filter (v: builtins.compareVersions v go.version > 0) (
    wants "go" ++ wants "toolchain"
  );
in
if tooNew == [ ] then
  drv
else
  throw ''
    go.mod asks for Go ${builtins.head tooNew}, but the pinned nixpkgs has Go ${go.version}.
    Either update nixpkgs to a revision with a newer Go (nix flake update, then nix run .#vendor-hash),
    or lower the go (and toolchain) line of go.mod to ${go.version} or older.
  ''
