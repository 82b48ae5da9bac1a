{
  description = "myapp: a reproducible Go project";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs =
    { self, nixpkgs }:
    let
      # Every name (binary, pname, mainProgram, image, its Cmd) comes from this one value.
      name = "myapp";
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

      # The GOARCH of the Linux binary in each system's image.
      goArch = {
        "x86_64-linux" = "amd64";
        "aarch64-linux" = "arm64";
        "aarch64-darwin" = "arm64";
      };

      # goModule builds the server as a static binary with pkgs' Go.
      goModule =
        pkgs:
        pkgs.buildGoModule {
          pname = name;
          inherit version src;
          # null: go.mod requires nothing, so there is nothing to vendor. After
          # `go get`, set vendorHash = nixpkgs.lib.fakeHash; `nix build` then
          # fails with a hash mismatch whose `got:` is the value to set here.
          vendorHash = null;
          env.CGO_ENABLED = 0; # static: no libc, runs anywhere
          # The tests bind 127.0.0.1, which macOS's sandbox allows only so.
          __darwinAllowLocalNetworking = true;
          ldflags = [
            "-s"
            "-w"
          ];
          meta.mainProgram = name;
        };

      # goModuleLinux cross-compiles the same source for Linux, for the image on macOS.
      goModuleLinux =
        pkgs: arch:
        (goModule pkgs).overrideAttrs {
          preBuild = ''
            export GOOS=linux
            export GOARCH=${arch}
          '';
          # Go installs cross-compiled binaries in bin/linux_<arch>/: flatten it.
          postInstall = ''
            mv "$out/bin/linux_${arch}/"* "$out/bin/"
            rmdir "$out/bin/linux_${arch}"
          '';
          doCheck = false; # Linux test binaries cannot run on the macOS builder
        };
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
