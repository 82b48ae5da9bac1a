# The stand-in's buildGoModule. It mirrors pkgs/build-support/go/module.nix
# (the lib.extendMkDerivation version) in every rule gonix-init depends on:
# - vendorHash is required (missing throws);
# - GOFLAGS is a top-level list; -mod=vendor (unless proxyVendor) and
#   -trimpath (unless allowGoReference) are appended, with nixpkgs' warnings
#   when GOFLAGS already has -mod= or -trimpath; ldflags get -buildid=
#   appended, with a warning when they already hold it;
# - env = args.env // { GOOS, GOARCH (pkgs.go's), GO111MODULE, GOTOOLCHAIN,
#   CGO_ENABLED = args.env.CGO_ENABLED or go.CGO_ENABLED }: env.GOOS and
#   env.GOARCH are overwritten, and a top-level CGO_ENABLED, GOOS, GOARCH,
#   GO111MODULE or GOTOOLCHAIN, like env.GOFLAGS, names something both in
#   env and a derivation argument, which mkDerivation refuses;
# - the arguments are computed first and overrideAttrs applies after
#   (extendMkDerivation): overriding ldflags drops the automatic -buildid=,
#   overriding env drops the Go environment, vendorHash is read from the
#   final attributes;
# - goModules is "" for vendorHash = null (Go then needs a vendor/ in src),
#   else a fixed-output derivation that runs `go mod vendor` (offline here:
#   from this machine's module cache), with outputHashAlgo sha256 for "".
#   Nix itself checks its hash: "" and lib.fakeHash fail with "hash mismatch
#   in fixed-output derivation" and the true hash after "got:".
# - go (pkgs.go: the pin's Go, see pkgs.nix) comes first in the build's
#   nativeBuildInputs, and after the package's own in goModules', which also
#   inherits preBuild and runs it before `go mod vendor`.
# The build runs go build on subPackages (default ./...) with tags, go test when
# doCheck, and the preBuild and postInstall hooks; a cross build lands in
# bin/<GOOS>_<GOARCH>/ as `go install` puts it.
{
  lib,
  mkDerivation,
  go,
  host,
}:
let
  extendDrvArgs =
    finalAttrs:
    {
      passthru ? { },
      overrideModAttrs ? (finalAttrs: previousAttrs: { }),
      modRoot ? "./",
      vendorHash ? throw "buildGoModule: vendorHash is missing",
      deleteVendor ? false,
      proxyVendor ? false,
      allowGoReference ? false,
      meta ? { },
      ldflags ? [ ],
      GOFLAGS ? [ ],
      ...
    }@args:
    {
      inherit
        modRoot
        vendorHash
        deleteVendor
        proxyVendor
        allowGoReference
        ;
      goModules =
        if finalAttrs.vendorHash == null then
          ""
        else
          (mkDerivation {
            name = "${finalAttrs.name or "${finalAttrs.pname}-${finalAttrs.version}"}-go-modules";
            inherit (finalAttrs) src modRoot;
            # As nixpkgs: go after the package's own tools; preBuild is
            # inherited and runs before `go mod vendor`.
            nativeBuildInputs = (finalAttrs.nativeBuildInputs or [ ]) ++ [ go ];
            preBuild = finalAttrs.preBuild or "";
            env = finalAttrs.env or { };
            outputHashMode = "recursive";
            outputHash = finalAttrs.vendorHash;
            outputHashAlgo = if finalAttrs.vendorHash == "" then "sha256" else null;
            script = ''
              # HOME is writable here, unlike nixpkgs' /homeless-shelter in a
              # sandbox: Go's telemetry goes off, or every go command writes
              # counters into the build and may leave a process writing there
              # while Nix deletes it.
              export HOME="$TMPDIR" GOCACHE="$TMPDIR/go-cache" GOPATH="$TMPDIR/go"
              go telemetry off
              export GOPROXY="file://${host.gomodcache}/cache/download" GOSUMDB=off
              cp -r "$src" source && chmod -R u+w source && cd "source/$modRoot"
              eval "$preBuild"
              if [ -d vendor ]; then
                echo "vendor folder exists, please set 'vendorHash = null;' in your expression"
                exit 10
              fi
              go mod vendor
              mkdir -p vendor
              cp -r vendor "$out"
              if [ -z "$(ls -A "$out")" ]; then
                echo "vendor folder is empty, please set 'vendorHash = null;' in your expression"
                exit 10
              fi
            '';
          }).overrideAttrs
            (finalAttrs.passthru.overrideModAttrs or overrideModAttrs);

      nativeBuildInputs = [ go ] ++ (args.nativeBuildInputs or [ ]);

      env = args.env or { } // {
        inherit (go) GOOS GOARCH;
        GO111MODULE = "on";
        GOTOOLCHAIN = "local";
        CGO_ENABLED = args.env.CGO_ENABLED or go.CGO_ENABLED;
      };

      GOFLAGS =
        GOFLAGS
        ++
          lib.warnIf (lib.any (lib.hasPrefix "-mod=") GOFLAGS)
            "use `proxyVendor` to control Go module/vendor behavior instead of setting `-mod=` in GOFLAGS"
            (lib.optional (!finalAttrs.proxyVendor) "-mod=vendor")
        ++
          lib.warnIf (builtins.elem "-trimpath" GOFLAGS)
            "`-trimpath` is added by default to GOFLAGS by buildGoModule when allowGoReference isn't set to true"
            (lib.optional (!finalAttrs.allowGoReference) "-trimpath");

      ldflags = ldflags ++ lib.optional (!lib.any (lib.hasPrefix "-buildid=") ldflags) "-buildid=";

      doCheck = args.doCheck or true;

      # nixpkgs warns in buildPhase; the stand-in's build is `script`.
      script =
        lib.warnIf (builtins.elem "-buildid=" ldflags) "`-buildid=` is set by default as ldflag by buildGoModule"
          ''
            # The machine's build cache: the bytes built do not depend on it
            # (-trimpath, -buildid=), and a fresh one would rebuild the
            # standard library in every build.
            export HOME="$TMPDIR" GOCACHE="${host.gocache}" GOPATH="$TMPDIR/go" GOPROXY=off GOSUMDB=off
            go telemetry off # as in the go-modules derivation above
            native="$GOOS/$GOARCH"
            cp -r "$src" source && chmod -R u+w source && cd "source/$modRoot"
            if [ -n "$goModules" ]; then
              rm -rf vendor
              cp -r "$goModules" vendor && chmod -R u+w vendor
            fi

            # As nixpkgs' getGoDirs: subPackages are relative to modRoot.
            pkgs=""
            for p in ''${subPackages:-./...}; do
              case "$p" in ./*) ;; *) p="./$p" ;; esac
              pkgs="$pkgs $p"
            done

            eval "$preBuild"
            bin="$GOPATH/bin"
            [ "$GOOS/$GOARCH" = "$native" ] || bin="$GOPATH/bin/''${GOOS}_$GOARCH"
            mkdir -p "$bin"
            # As nixpkgs' buildGoDir: tags joined with commas.
            tagflag=""
            [ -z "''${tags:-}" ] || tagflag="-tags=$(echo $tags | tr ' ' ',')"
            go build $tagflag -ldflags "$ldflags" -o "$bin/" $pkgs

            if [ -n "$doCheck" ]; then
              # As nixpkgs: tests run without -trimpath.
              GOFLAGS=$(echo " $GOFLAGS " | sed 's/ -trimpath / /')
              if [ "$GOOS/$GOARCH" = "$(go env GOHOSTOS)/$(go env GOHOSTARCH)" ]; then
                go test $tagflag -vet=off -count=1 $checkFlags $pkgs
              else
                go test $tagflag -vet=off -exec true $checkFlags $pkgs # cannot run here: compile only
              fi
            fi

            mkdir -p "$out"
            cp -r "$GOPATH/bin" "$out/bin"
            eval "$postInstall"
          '';

      passthru = {
        inherit go;
        overrideModAttrs = lib.toExtension overrideModAttrs;
      }
      // passthru;

      meta = meta;
    };
in
# lib.extendMkDerivation with excludeDrvArgNames = [ "overrideModAttrs" ].
fpargs:
mkDerivation (
  lib.extends (
    finalAttrs: args: removeAttrs args [ "overrideModAttrs" ] // extendDrvArgs finalAttrs args
  ) (lib.toFunction fpargs)
)
