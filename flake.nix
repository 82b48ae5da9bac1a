{
  description = "gonix-init: start a Go project that is reproducible from the first commit";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs =
    { self, nixpkgs }:
    let
      # Kept equal to internal/version's Version by internal/nixtest's tests.
      version = "0.1.0";

      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];
      forAllSystems = nixpkgs.lib.genAttrs systems;

      src = nixpkgs.lib.cleanSource ./.;

      # gonix-init itself, built the way it builds the projects it generates.
      gonix-init =
        pkgs:
        pkgs.buildGoModule {
          pname = "gonix-init";
          inherit version src;
          # The NAR hash of the vendor/ directory `go mod vendor` writes.
          # internal/nixtest recomputes it and fails, with the new value,
          # when go.mod or go.sum change without it.
          vendorHash = "sha256-jovDxfX7jpOwJx0xgdHrrWSw456ILJxLk4mWfatCXpE=";
          subPackages = [ "cmd/gonix-init" ];
          env.CGO_ENABLED = 0;
          ldflags = [
            "-s"
            "-w"
            "-X github.com/gonix-init/gonix-init/internal/version.Version=${version}"
          ];
          # Tests that need nix, go-task or tmux skip inside the build; -short
          # skips those that build and run whole projects.
          checkFlags = [ "-short" ];
          # Some tests bind 127.0.0.1, which macOS's sandbox allows only so.
          __darwinAllowLocalNetworking = true;
          meta.mainProgram = "gonix-init";
        };
    in
    {
      packages = forAllSystems (system: {
        default = gonix-init nixpkgs.legacyPackages.${system};
      });

      # nix run .#init (or nix run <this flake>#init) in an empty directory.
      apps = forAllSystems (
        system:
        let
          app = {
            type = "app";
            program = nixpkgs.lib.getExe self.packages.${system}.default;
            meta.description = "Start a Go project that is reproducible from the first commit";
          };
        in
        {
          default = app;
          init = app;
        }
      );

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
              # The terminal tests drive the form in tmux; gitstage's use git.
              tmux
              git
            ];
          };
        }
      );

      checks = forAllSystems (system: {
        # Every package's tests, not only the command's.
        test = self.packages.${system}.default.overrideAttrs { subPackages = [ "./..." ]; };
      });

      # `nix fmt` formats every .nix file of the work tree.
      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt-tree);
    };
}
