# Go's build cache that every build of this project starts from: what a
# build compiles before the project's own packages, compiled once and kept
# in the Nix store. nixpkgs' buildGoModule starts each build from an empty
# cache (GOCACHE=$TMPDIR/go-cache), so an edit of one line compiled Go's
# standard library and every module again, for every platform; from these,
# a build compiles the packages the edit touched.
#
# The bytes built are the same either way: Go takes an entry only for the
# very action the build would run, named by a hash of all its inputs (the
# sources, the Go, the platform, the flags). flake.nix's useGoCache = false
# builds without these, from an empty cache, as nixpkgs does.
#
# For a build (its final attributes, however its platform, flags and tags
# were overridden), two layers, each a derivation of its own:
# - std: Go's standard library (every package of it a program can import,
#   and what those import), compiled by the build's Go with its environment
#   (GOOS, GOARCH, CGO_ENABLED, ...), GOFLAGS and tags. Nothing of the
#   project: every project that builds so shares it.
# - deps: every package of the vendored modules (vendor/modules.txt lists
#   them), compiled as the build compiles them, on top of std. Its inputs:
#   go.mod and the vendored modules (the build's vendor derivation, or the
#   project's vendor/): an edit of the project's own code leaves it as it was.
#   A build with proxyVendor (an adopted program built as go install
#   MODULE@VERSION builds it, for its build info) has no deps layer.
# A build that runs its tests (doCheck) gets both again as go test compiles
# them (without -trimpath, in the build's folder), in two more layers.
#
# In flake.nix: withGoCache = import ./nix/go-cache.nix { inherit pkgs; goMod = ./go.mod; ... };
# then withGoCache drv is drv starting from its layers.
{
  pkgs,
  # The project's go.mod, and its vendor/ when it keeps its modules there.
  goMod,
  vendor ? null,
}:
let
  # The variables of the build's environment that decide what Go compiles,
  # or whether it compiles: others (GOWORK, say) would only make another
  # layer of the same bytes.
  compiling = [
    "GOOS"
    "GOARCH"
    "GOAMD64"
    "GOARM64"
    "GOARM"
    "GO386"
    "CGO_ENABLED"
    "GOEXPERIMENT"
    "GO111MODULE"
    "GOTOOLCHAIN"
  ];

  # The build tags that change what Go's standard library compiles (the
  # //go:build lines of its files, Go 1.26; goexperiment.* too): the
  # standard library's layer keeps only these of a build's tags, so that a
  # project's own (integration, say) share the layer of every project
  # without them. Go's build cache names a package by its files, not by the
  # tags that chose them. For a GOOS not read here the layer keeps them all.
  stdTags = [
    "asan"
    "boringcrypto"
    "cgo"
    "compiler_bootstrap"
    "debuglog"
    "faketime"
    "fips140v1.0"
    "ignore"
    "libfuzzer"
    "math_big_pure_go"
    "msan"
    "netcgo"
    "netgo"
    "nethttpomithttp2"
    "noopt"
    "osusergo"
    "purego"
    "race"
    "timetzdata"
    "valgrind"
  ];
  stdTagsOn = {
    windows = [ "generate" ];
  };
  stdTagsRead = [ "darwin" "linux" "windows" ];
  # tagsOf is the tags a layer of kind compiles with: the build's, but for
  # the standard library's those alone that change it.
  tagsOf =
    build: kind:
    let
      goos = build.env.GOOS;
      changesStd =
        tag: builtins.elem tag (stdTags ++ stdTagsOn.${goos} or [ ]) || builtins.substring 0 13 tag == "goexperiment.";
    in
    if kind == "std" && builtins.elem goos stdTagsRead then
      builtins.filter changesStd (build.tags or [ ])
    else
      build.tags or [ ];

  # layer compiles packages into Go's build cache as the build whose final
  # attributes are `build` compiles them (test: as its go test does, without
  # -trimpath), and keeps what it added to the cache of its base layers: the
  # entries alone (not Go's README or trim.txt), each with the time Go
  # records in it fixed (Go reads it only for test results, which no layer
  # holds), so that a layer is the same bytes from every build.
  layer =
    build: kind: test: src: base: packages:
    pkgs.stdenv.mkDerivation {
      name = "go-${build.passthru.go.version}-${kind}${if test then "-test" else ""}-cache-${build.env.GOOS}-${build.env.GOARCH}";
      inherit src base packages;
      dontUnpack = src == null;
      nativeBuildInputs = [ build.passthru.go ];
      # The build's own Go environment, flags and tags.
      env = builtins.intersectAttrs (builtins.listToAttrs (map (name: { inherit name; value = null; }) compiling)) build.env;
      # -mod= says where modules come from, which the standard library's
      # layer does not read: a build of its vendor/ and one of a module
      # proxy (proxyVendor) share it.
      GOFLAGS = builtins.filter (
        flag: !(test && flag == "-trimpath") && !(kind == "std" && builtins.substring 0 5 flag == "-mod=")
      ) build.GOFLAGS;
      tags = tagsOf build kind;
      inherit test;
      dontConfigure = true;
      buildPhase = ''
        runHook preBuild
        export GOCACHE="$TMPDIR/go-cache" GOPATH="$TMPDIR/go" GOPROXY=off GOSUMDB=off
        mkdir -p "$GOCACHE"
        for b in $base; do
          cp -r --no-preserve=mode "$b/." "$GOCACHE"
        done
        (cd "$GOCACHE" && find . -type f | sort) > "$TMPDIR/before"
        # The packages of the arguments that build for this platform: not
        # main ones, not one its build constraints leave out.
        buildable() {
          go list -e -f '{{if not (or .Error .DepsErrors)}}{{if ne .Name "main"}}{{.ImportPath}}{{end}}{{end}}' "$@"
        }
        case "$packages" in
          # Every package of the standard library a program can import
          # (and so what they import), and what go test links in.
          std)
            mapfile -t list < <(buildable std | grep -vE '(^|/)internal(/|$)|^vendor/'; [ -z "$test" ] || echo testing/internal/testdeps)
            ;;
          # Every package of the vendored modules.
          vendor) mapfile -t list < <(buildable $(grep -v '^#' vendor/modules.txt)) ;;
        esac
        if [ "''${#list[@]}" -gt 0 ]; then
          # A package that does not compile here is one the build does not
          # import for this platform: it would fail the build otherwise.
          go build ''${tags:+-tags=''${tags// /,}} -p "$NIX_BUILD_CORES" "''${list[@]}" ||
            echo "Not all of them compiled for $GOOS/$GOARCH: the build compiles what it needs itself."
        fi
        runHook postBuild
      '';
      installPhase = ''
        runHook preInstall
        cd "$GOCACHE"
        find . -type f -name '*-[ad]' | sort | comm -13 "$TMPDIR/before" - > "$TMPDIR/added"
        mkdir -p "$out"
        while read -r f; do
          mkdir -p "$out/$(dirname "$f")"
          cp "$f" "$out/$f"
        done < "$TMPDIR/added"
        # "v1 <action> <output> <size> <time>": the time, 20 digits at the end.
        find "$out" -type f -name '*-a' -exec sed -i -E 's/.{20}$/                   0/' {} +
        runHook postInstall
      '';
      dontFixup = true;
      # What the build may refer to, and its Go: the standard library's
      # index, and what go test compiles without -trimpath, name its files.
      allowedReferences = if build ? allowedReferences then build.allowedReferences ++ [ build.passthru.go ] else null;
    };

  # The layers of a build: the standard library's, then the vendored
  # modules' on top; each again as go test compiles it, for a build that
  # runs its tests.
  layers =
    build:
    let
      # A build with proxyVendor reads its modules from a module proxy, as
      # go install MODULE@VERSION does: it gets no layer of them.
      vendored =
        if build.proxyVendor or false then
          null
        else if build.goModules != "" then
          build.goModules
        else
          vendor;
      # A folder named as the build's source, so that the packages go test
      # compiles without -trimpath are in the same place: source/vendor/.
      depsSource = pkgs.runCommand "source" { } ''
        mkdir -p "$out"
        cp ${goMod} "$out/go.mod"
        cp -r ${vendored} "$out/vendor"
      '';
      stack =
        test:
        let
          std = layer build "std" test null [ ] "std";
        in
        [ std ] ++ (if vendored == null then [ ] else [ (layer build "deps" test depsSource [ std ] "vendor") ]);
    in
    stack false ++ (if build.doCheck or false then stack true else [ ]);
in
drv:
drv.overrideAttrs (
  final: prev: {
    goCache = layers final;
    # configurePhase has set GOCACHE to an empty folder.
    postConfigure = ''
      for layer in $goCache; do
        cp -r --no-preserve=mode "$layer/." "$GOCACHE"
      done
    ''
    + (prev.postConfigure or "");
  }
)
