# The Go that builds this project, chosen from go.mod at every evaluation:
# pkgs.go when it is at least go.mod's go line, else the oldest newer Go of
# nixpkgs (go_1_27, go_1_28, ...). buildGoModule sets GOTOOLCHAIN=local, so
# the go line is what a build needs; the toolchain line is only a preference,
# which a local Go ignores. flake.nix gives the Go this returns to the build,
# the dev shell, the vendor-hash app and the upstream files:
#   go = import ./nix/go.nix pkgs ./go.mod;
# When nixpkgs has no Go new enough, evaluation stops and says what to do.
pkgs: goMod:
let
  lines = builtins.filter builtins.isString (builtins.split "\n" (builtins.readFile goMod));
  goLines = builtins.concatMap (
    line:
    let
      m = builtins.match "go[[:space:]]+([0-9][^[:space:]]*)[[:space:]]*(//.*)?" line;
    in
    if m == null then [ ] else [ (builtins.head m) ]
  ) lines;
  # Go takes a go.mod without a go line as go 1.16.
  want = if goLines == [ ] then "1.16" else builtins.head goLines;
  fits = go: builtins.compareVersions go.version want >= 0;
  minor = v: builtins.fromJSON (builtins.elemAt (builtins.splitVersion v) 1);

  # go_1_<N> of nixpkgs for N after pkgs.go's minor, up to one after the go
  # line's: those that exist, oldest first. A removed one throws, and is
  # left out.
  newer = builtins.concatMap (
    n:
    let
      tried = builtins.tryEval (pkgs."go_1_${toString n}" or null);
    in
    if tried.success && tried.value != null then [ tried.value ] else [ ]
  ) (builtins.genList (i: minor pkgs.go.version + 1 + i) (minor want - minor pkgs.go.version + 1));
  fitting = builtins.filter fits newer;
  have = builtins.concatStringsSep ", " (map (go: go.version) ([ pkgs.go ] ++ newer));
in
if fits pkgs.go then
  pkgs.go
else if fitting != [ ] then
  builtins.head fitting
else
  throw ''
    go.mod's go line asks for Go ${want}, newer than every Go of the pinned nixpkgs (${have}).
    Once nixpkgs has Go ${want}, update it: nix flake update nixpkgs, then nix run .#vendor-hash.
  ''
