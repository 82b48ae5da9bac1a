# The stand-in's buildGoModule: nixpkgs' argument rules
# (pkgs/build-support/go/module.nix, 25.11) and a real build with the
# machine's Go: GOFLAGS -mod=vendor -trimpath, -buildid=, GOPROXY=off,
# GOTOOLCHAIN=local, go test when doCheck, preBuild and postInstall hooks,
# and cross builds into bin/<GOOS>_<GOARCH>/ as `go install` does.
{
  mkDrv,
  platform,
  host,
}:
let
  self =
    args:
    let
      env = args.env or { };
      topLevel = builtins.filter (n: args ? ${n}) [
        "CGO_ENABLED"
        "GOOS"
        "GOARCH"
        "GOFLAGS"
      ];
      overlap = builtins.filter (n: args ? ${n}) (builtins.attrNames env);
      name = args.name or "${args.pname}-${args.version}";
      checked =
        if !(args ? vendorHash) then
          throw "buildGoModule: vendorHash is missing"
        else if !(args ? pname || args ? name) then
          throw "buildGoModule: pname is missing"
        else if !(args ? version) then
          throw "buildGoModule: version is missing"
        else if !(args ? src) then
          throw "buildGoModule: src is missing"
        else if topLevel != [ ] then
          throw "buildGoModule: ${builtins.head topLevel} must not be a top-level argument; since 25.11 use env.${builtins.head topLevel} (stdenv: env and derivation arguments overlap)"
        else if overlap != [ ] then
          throw "mkDerivation: ${builtins.head overlap} is both in env and a derivation argument"
        else if (env.CGO_ENABLED or null) == false then
          throw "buildGoModule: env.CGO_ENABLED = false is unset (a dynamic binary); write 0"
        else
          true;

      # With dependencies: the vendor directory, as a fixed-output derivation
      # whose hash is vendorHash, fetched from the machine's module cache.
      # As in nixpkgs, "" without (passthru.goModules).
      goModules =
        if args.vendorHash == null then
          ""
        else
          mkDrv {
            name = "${name}-go-modules";
            inherit (args) src;
            modRoot = args.modRoot or ".";
            outputHashMode = "recursive";
            outputHashAlgo = null;
            outputHash = args.vendorHash;
            script = ''
              export HOME="$TMPDIR" GOCACHE="${host.gocache}" GOPATH="$TMPDIR/go" GOTOOLCHAIN=local
              export GOFLAGS=-mod=mod GOPROXY="file://${host.gomodcache}/cache/download" GONOSUMDB='*' GOSUMDB=off
              cp -r "$src" source && chmod -R u+w source && cd "source/$modRoot"
              go mod vendor
              cp -r vendor "$out"
            '';
          };
    in
    assert checked;
    mkDrv (
      removeAttrs args [
        "env"
        "vendorHash"
        "overrideModAttrs"
        "modRoot"
        "subPackages"
        "ldflags"
        "doCheck"
        "checkFlags"
      ]
      // env
      // {
        inherit name;
        inherit (platform) GOOS GOARCH;
        modRoot = args.modRoot or ".";
        subPackages = args.subPackages or [ "./..." ];
        ldflags = (args.ldflags or [ ]) ++ [ "-buildid=" ];
        doCheck = args.doCheck or true;
        checkFlags = args.checkFlags or [ ];
        vendor = goModules;
        preBuild = args.preBuild or "";
        postInstall = args.postInstall or "";
        meta = args.meta or { };
        passthru = (args.passthru or { }) // {
          inherit goModules;
          overrideAttrs =
            f: self (args // (if builtins.isFunction f then f args else f));
        };
        script = ''
          # The machine's build cache: the bytes built do not depend on it
          # (-trimpath, -buildid=), and a fresh one would rebuild the standard
          # library in every build.
          export HOME="$TMPDIR" GOCACHE="${host.gocache}" GOPATH="$TMPDIR/go"
          export GOPROXY=off GOTOOLCHAIN=local GOFLAGS="-mod=vendor -trimpath"
          native="$GOOS/$GOARCH"
          cp -r "$src" source && chmod -R u+w source && cd "source/$modRoot"
          if [ -n "$vendor" ]; then cp -r "$vendor" vendor && chmod -R u+w vendor; fi

          # As nixpkgs' getGoDirs: subPackages are relative to modRoot.
          pkgs=""
          for p in $subPackages; do
            case "$p" in ./*) ;; *) p="./$p" ;; esac
            pkgs="$pkgs $p"
          done

          eval "$preBuild"
          bin="$GOPATH/bin"
          [ "$GOOS/$GOARCH" = "$native" ] || bin="$GOPATH/bin/''${GOOS}_$GOARCH"
          mkdir -p "$bin"
          go build -ldflags "$ldflags" -o "$bin/" $pkgs

          if [ -n "$doCheck" ]; then
            if [ "$GOOS/$GOARCH" = "$(go env GOHOSTOS)/$(go env GOHOSTARCH)" ]; then
              go test -count=1 $checkFlags $pkgs
            else
              go test -exec true $checkFlags $pkgs # cannot run here: compile only
            fi
          fi

          mkdir -p "$out"
          cp -r "$GOPATH/bin" "$out/bin"
          eval "$postInstall"
        '';
      }
    );
in
self
