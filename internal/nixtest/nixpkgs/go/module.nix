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
#   from this machine's module cache), with outputHashAlgo sha256 for "",
#   and no fixup; with proxyVendor = true it runs `go mod download` and
#   keeps the module cache's cache/download, less sumdb (a module proxy's
#   layout), and the build reads it as GOPROXY=file://$goModules, with no
#   -mod=vendor and no vendor/. Nix itself checks its hash: "" and lib.fakeHash fail with
#   "hash mismatch in fixed-output derivation" and the true hash after
#   "got:". It reads this machine's module cache, which the tests give the
#   sandbox (nixtest.Host), where nixpkgs' reads the network;
# - go (pkgs.go: the pin's Go, see go.nix) comes first in the build's
#   nativeBuildInputs, and after the package's own in goModules', which also
#   inherits preBuild and runs it before `go mod vendor`;
# - the package is a stdenv derivation with strictDeps and module.nix's
#   configurePhase (GOCACHE=$TMPDIR/go-cache: every build starts from an
#   empty build cache; HOME is left as Nix sets it, /homeless-shelter),
#   buildPhase (go install of each package: subPackages, or
#   every directory with Go files but vendor and testdata; one for
#   another platform than the builder's lands in bin/<GOOS>_<GOARCH>/, as
#   go.sh places it), checkPhase (go test without -trimpath,
#   when doCheck, which defaults to true) and installPhase (bin/ into $out).
#   The stdenv's fixupPhase follows, with its hooks: strip among them.
{
  lib,
  stdenv,
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
          (stdenv.mkDerivation {
            name = "${finalAttrs.name or "${finalAttrs.pname}-${finalAttrs.version}"}-go-modules";
            inherit (finalAttrs) src modRoot;
            nativeBuildInputs = (finalAttrs.nativeBuildInputs or [ ]) ++ [ go ];
            preBuild = finalAttrs.preBuild or "";
            env = finalAttrs.env or { };
            configurePhase = ''
              runHook preConfigure
              export GOCACHE="$TMPDIR/go-cache" GOPATH="$TMPDIR/go"
              export GOPROXY="file://${host.gomodcache}/cache/download" GOSUMDB=off
              cd "$modRoot"
              runHook postConfigure
            '';
            buildPhase = ''
              runHook preBuild
              if [ -d vendor ]; then
                echo "vendor folder exists, please set 'vendorHash = null;' in your expression"
                exit 10
              fi
              ${
                if finalAttrs.proxyVendor then
                  ''
                    mkdir -p "$GOPATH/pkg/mod/cache/download"
                    go mod download
                  ''
                else
                  ''
                    go mod vendor
                  ''
              }
              mkdir -p vendor
              runHook postBuild
            '';
            installPhase = ''
              runHook preInstall
              ${
                if finalAttrs.proxyVendor then
                  ''
                    rm -rf "$GOPATH/pkg/mod/cache/download/sumdb"
                    cp -r --reflink=auto "$GOPATH/pkg/mod/cache/download" "$out"
                  ''
                else
                  ''
                    cp -r --reflink=auto vendor "$out"
                  ''
              }
              if ! [ "$(ls -A "$out")" ]; then
                echo "vendor folder is empty, please set 'vendorHash = null;' in your expression"
                exit 10
              fi
              runHook postInstall
            '';
            dontFixup = true;
            outputHashMode = "recursive";
            outputHash = finalAttrs.vendorHash;
            outputHashAlgo = if finalAttrs.vendorHash == "" then "sha256" else null;
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

      strictDeps = true;
      doCheck = args.doCheck or true;
      disallowedReferences = lib.optional (!finalAttrs.allowGoReference) go;

      # Every build starts from an empty build cache, as in nixpkgs: the
      # standard library and every module are compiled again, unless a
      # postConfigure fills $GOCACHE first.
      configurePhase =
        args.configurePhase or ''
          runHook preConfigure
          export GOCACHE="$TMPDIR/go-cache" GOPATH="$TMPDIR/go" GOPROXY=off GOSUMDB=off
          cd "$modRoot"
          if [ -n "$goModules" ]; then
            ${
              if finalAttrs.proxyVendor then
                ''
                  export GOPROXY="file://$goModules"
                ''
              else
                ''
                  rm -rf vendor
                  cp -r --reflink=auto "$goModules" vendor
                ''
            }
          fi
          runHook postConfigure
        '';

      # nixpkgs warns in buildPhase.
      buildPhase =
        args.buildPhase or (lib.warnIf (builtins.elem "-buildid=" ldflags)
          "`-buildid=` is set by default as ldflag by buildGoModule"
          ''
            runHook preBuild
            # getGoDirs: subPackages (relative to modRoot), or every
            # directory with Go files but vendor/, testdata/, _* and examples.
            getGoDirs() {
              if [ -n "''${subPackages:-}" ]; then
                echo "$subPackages" | sed 's,\(^\| \),\1./,g'
              else
                find . -type f -name "*$1.go" -exec dirname {} \; | grep -v "/vendor/" | sort --unique |
                  grep -v '\(/_\|examples\|Godeps\|testdata\)' || true
              fi
            }
            buildGoDir() {
              local cmd=$1 dir=$2 out
              local -a flags=(''${tags:+-tags=''${tags// /,}} ''${ldflags:+-ldflags="$ldflags"} -p "$NIX_BUILD_CORES")
              if [ "$cmd" = test ]; then
                flags+=(-vet=off ''${checkFlags:-})
              fi
              if ! out=$(go "$cmd" "''${flags[@]}" "$dir" 2>&1); then
                if ! echo "$out" | grep -qE '(no( buildable| non-test)?|build constraints exclude all) Go (source )?files'; then
                  echo "$out" >&2
                  return 1
                fi
              fi
              [ -z "$out" ] || echo "$out" >&2
            }
            for pkg in $(getGoDirs ""); do
              echo "Building subPackage $pkg"
              buildGoDir install "$pkg"
            done
            runHook postBuild
          ''
        );

      checkPhase =
        args.checkPhase or ''
          runHook preCheck
          # As nixpkgs: tests run without -trimpath. (Another system's tests,
          # which this machine cannot run, the stand-in's go skips: go.sh.)
          export GOFLAGS=''${GOFLAGS//-trimpath/}
          for pkg in $(getGoDirs test); do
            buildGoDir test "$pkg"
          done
          runHook postCheck
        '';

      installPhase =
        args.installPhase or ''
          runHook preInstall
          mkdir -p "$out"
          dir="$GOPATH/bin"
          [ -e "$dir" ] && cp -r "$dir" "$out"
          runHook postInstall
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
stdenv.mkDerivation (
  lib.extends (
    finalAttrs: args: removeAttrs args [ "overrideModAttrs" ] // extendDrvArgs finalAttrs args
  ) (lib.toFunction fpargs)
)
