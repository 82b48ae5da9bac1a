{
  description = "shop-api: a reproducible Go project";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs =
    { self, nixpkgs }:
    let
      # Every name (binary, pname, mainProgram, image, its Cmd) comes from this one value.
      name = "shop-api";
      version = "0.1.0";

      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];
      forAllSystems = nixpkgs.lib.genAttrs systems;

      # The project's files without VCS folders and nix build's result links,
      # so that out links left in the project never change the build.
      src = nixpkgs.lib.cleanSource ./.;

      # go.mod may not ask for a newer Go than the pinned nixpkgs has: checked
      # at evaluation (nix/go-version.nix).
      checkGoVersion = pkgs: import ./nix/go-version.nix pkgs.go ./go.mod;

      # The GOARCH of the Linux binary in each system's image.
      goArch = {
        "x86_64-linux" = "amd64";
        "aarch64-linux" = "arm64";
        "aarch64-darwin" = "arm64";
      };

      # goModule builds the server as a static binary with pkgs' Go.
      goModule =
        pkgs:
        checkGoVersion pkgs (
          pkgs.buildGoModule {
            pname = name;
            inherit version src;
            # The NAR hash of the modules `go mod vendor` writes, or null while
            # go.mod requires none. `nix run .#vendor-hash` writes the file
            # after every go get; `nix run .#vendor-hash -- --check` checks it.
            vendorHash = import ./nix/vendor-hash.nix;
            env.CGO_ENABLED = 0; # static: no libc, runs anywhere
            # A stale nix/vendor-hash.nix reaches Go as "inconsistent vendoring"
            # (with null, or a vendor output Nix already had): say what fixes it.
            preBuild = ''
              case " $(go env GOFLAGS) " in
                *" -mod=vendor "*)
                  if ! go list ./... >/dev/null 2>"$TMPDIR/vendoring"; then
                    cat "$TMPDIR/vendoring" >&2
                    if grep -q "inconsistent vendoring" "$TMPDIR/vendoring"; then
                      echo "The vendored modules are not go.mod's: run nix run .#vendor-hash, then build again." >&2
                    fi
                    exit 1
                  fi
                  ;;
              esac
            '';
            # The tests bind 127.0.0.1, which macOS's sandbox allows only so.
            __darwinAllowLocalNetworking = true;
            ldflags = [
              "-s"
              "-w"
            ];
            # go install names the binary after the module path.
            postInstall = ''
              mv "$out/bin/shop" "$out/bin/${name}"
            '';
            meta.mainProgram = name;
          }
        );

      # vendorHashApp writes nix/vendor-hash.nix with pkgs' Go: see nix/vendor-hash.sh.
      vendorHashApp =
        pkgs:
        pkgs.writeShellApplication {
          name = "vendor-hash";
          runtimeInputs = [ pkgs.go ];
          text = builtins.readFile ./nix/vendor-hash.sh;
        };

      # goModuleLinux cross-compiles the same source for Linux, for the image on macOS.
      goModuleLinux =
        pkgs: arch:
        (goModule pkgs).overrideAttrs (prev: {
          preBuild = ''
            export GOOS=linux
            export GOARCH=${arch}
          '' + prev.preBuild;
          # Go installs cross-compiled binaries in bin/linux_<arch>/: flatten it.
          postInstall = ''
            mv "$out/bin/linux_${arch}/"* "$out/bin/"
            rmdir "$out/bin/linux_${arch}"
            mv "$out/bin/shop" "$out/bin/${name}"
          '';
          doCheck = false; # Linux test binaries cannot run on the macOS builder
        });
    in
    {
      packages = forAllSystems (
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
          app = goModule pkgs;
          # On Linux the image holds packages.default itself, the same derivation,
          # so its binary is byte-identical to `nix build`'s; on macOS, a cross-build.
          appLinux =
            if builtins.match ".*-linux" system != null then app else goModuleLinux pkgs goArch.${system};
        in
        {
          default = app;
          linux = appLinux;
          docker = pkgs.dockerTools.buildLayeredImage {
            inherit name;
            tag = "latest";
            contents = [ appLinux ];
            architecture = goArch.${system};
            # created is left at its fixed default: "now" would change the image on every build.
            config = {
              Cmd = [ "/bin/${name}" ];
              ExposedPorts = {
                "8080/tcp" = { };
                "9090/tcp" = { };
              };
            };
          };
        }
      );

      apps = forAllSystems (system: {
        default = {
          type = "app";
          program = nixpkgs.lib.getExe self.packages.${system}.default;
          meta.description = "Run the ${name} server";
        };
        vendor-hash = {
          type = "app";
          program = nixpkgs.lib.getExe (vendorHashApp nixpkgs.legacyPackages.${system});
          meta.description = "Write nix/vendor-hash.nix after a change to go.mod (--check: only check it)";
        };
      });

      devShells = forAllSystems (
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        {
          default = pkgs.mkShell {
            packages = with pkgs; [
              go
              gopls
              golangci-lint
              delve
              go-task
            ];
          };
        }
      );

      checks = forAllSystems (
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
          app = self.packages.${system}.default;
        in
        {
          # Building the package runs `go test ./...` (buildGoModule's checkPhase).
          test = self.packages.${system}.default;
          lint =
            pkgs.runCommand "${name}-lint"
              {
                nativeBuildInputs = [
                  pkgs.go
                  pkgs.golangci-lint
                ];
              }
              ''
                export HOME="$TMPDIR" GOCACHE="$TMPDIR/go" GOLANGCI_LINT_CACHE="$TMPDIR/lint"
                export CGO_ENABLED=0 GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=vendor
                # No telemetry from the go commands golangci-lint runs: it would
                # write into the build and may outlive it.
                go telemetry off
                cp -r ${src} source && chmod -R u+w source && cd source
                # With dependencies, lint against the vendor/ the package builds with.
                vendor="${app.goModules}"
                if [ -n "$vendor" ]; then cp -r "$vendor" vendor; fi
                golangci-lint run ./...
                touch "$out"
              '';
        }
      );

      # `nix fmt` formats every .nix file of the work tree.
      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt-tree);
    };
}
