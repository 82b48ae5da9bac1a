{
  description = "gonix-init: start a Go project that is reproducible from the first commit";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs =
    { self, nixpkgs }:
    let
      # Kept equal to internal/version's Version by internal/nixtest's tests.
      version = "0.13.0";

      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];
      forAllSystems = nixpkgs.lib.genAttrs systems;

      src = nixpkgs.lib.cleanSource ./.;

      # The Go that go.mod's go line asks for, chosen as in the projects
      # gonix-init generates (the file they get as nix/go.nix): pkgs.go while
      # it is new enough, and a message saying what to do when no Go of the
      # pinned nixpkgs is.
      goFor = pkgs: import ./templates/nix/go.nix.tmpl pkgs ./go.mod;

      # gonix-init itself, built the way it builds the projects it generates.
      gonix-init =
        pkgs:
        (pkgs.buildGoModule.override { go = goFor pkgs; }) {
          pname = "gonix-init";
          inherit version src;
          # The NAR hash of the modules `go mod vendor` writes: after a change
          # to go.mod or go.sum, `nix run .#vendor-hash` (task vendor-hash)
          # writes it, as in the projects gonix-init generates.
          vendorHash = import ./nix/vendor-hash.nix;
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

      # The same vendor-hash command generated projects get (one script, in templates/).
      vendorHashApp =
        pkgs:
        pkgs.writeShellApplication {
          name = "vendor-hash";
          runtimeInputs = [ (goFor pkgs) ];
          text = builtins.readFile ./templates/nix/vendor-hash.sh.tmpl;
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
          vendor-hash = {
            type = "app";
            program = nixpkgs.lib.getExe (vendorHashApp nixpkgs.legacyPackages.${system});
            meta.description = "Write nix/vendor-hash.nix after a change to go.mod (--check: only check it)";
          };
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
              (goFor pkgs)
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
