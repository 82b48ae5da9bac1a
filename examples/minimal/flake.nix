{
  description = "tiny: a reproducible Go project";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs =
    { self, nixpkgs }:
    let
      # Every name (binary, pname, mainProgram, image, its Cmd) comes from this one value.
      name = "tiny";
      version = "0.1.0";

      systems = [
        "x86_64-linux"
      ];
      forAllSystems = nixpkgs.lib.genAttrs systems;

      # The project's files without VCS folders and nix build's result links,
      # so that out links left in the project never change the build.
      src = nixpkgs.lib.cleanSource ./.;

      # The GOARCH of the Linux binary in each system's image.
      goArch = {
        "x86_64-linux" = "amd64";
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
    in
    {
      packages = forAllSystems (
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
          app = goModule pkgs;
        in
        {
          default = app;
          docker = pkgs.dockerTools.buildLayeredImage {
            inherit name;
            tag = "latest";
            # The image holds packages.default itself, the same derivation,
            # so its binary is byte-identical to `nix build`'s.
            contents = [ app ];
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
            ];
          };
        }
      );

      checks = forAllSystems (
        system:
        {
          # Building the package runs `go test ./...` (buildGoModule's checkPhase).
          test = self.packages.${system}.default;
        }
      );

      # `nix fmt` formats every .nix file of the work tree.
      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt-tree);
    };
}
