{
  description = "shop-api: a reproducible Go project";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixpkgs-unstable";

  outputs =
    { self, nixpkgs }:
    let
      # Every name (binary, pname, mainProgram, image, its Cmd) comes from this one value.
      name = "shop-api";
      # The version: nix/version, which `task release -- X.Y.Z` writes.
      version = nixpkgs.lib.fileContents ./nix/version;

      # The commit the flake is built from, which the binary and the image
      # record: its hash ("dirty" while the tree has changes not committed,
      # or outside git), its first seven characters, and its time, RFC 3339
      # and Unix. Outside git there is no commit, and only the files' times,
      # which differ by machine: the time is then 1970.
      commit = self.rev or "dirty";
      shortCommit = self.shortRev or "dirty";
      committed = self ? rev || self ? dirtyRev;
      timestamp = if committed then toString self.lastModified else "1";
      date =
        let
          at = start: len: builtins.substring start len (if committed then self.lastModifiedDate else "19700101000001");
        in
        "${at 0 4}-${at 4 2}-${at 6 2}T${at 8 2}:${at 10 2}:${at 12 2}Z";

      # The ports the server listens on, and the image exposes; the first is the main one.
      ports = [
        8080
        9090
      ];

      # The arguments the image runs the program with, when docker run
      # gives none.
      args = [ ];

      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "aarch64-darwin"
      ];
      forAllSystems = nixpkgs.lib.genAttrs systems;

      # The project's files without VCS folders and nix build's result links,
      # so that out links left in the project never change the build.
      src = nixpkgs.lib.cleanSource ./.;

      # The Go that builds the project, everywhere (the build, the dev shell,
      # the vendor-hash app): pkgs.go when it is at least go.mod's go line, else
      # the oldest newer Go of nixpkgs; evaluation stops, saying what to do,
      # when nixpkgs has none (nix/go.nix).
      goFor = pkgs: import ./nix/go.nix pkgs ./go.mod;

      # Every build starts from Go's build cache of what it compiles before
      # the project's own packages: the standard library and the modules
      # (nix/go-cache.nix), kept in the Nix store. false builds every package
      # from nothing, as nixpkgs does: slower, and the same bytes.
      useGoCache = true;
      withGoCache =
        pkgs: drv:
        if useGoCache then
          import ./nix/go-cache.nix {
            inherit pkgs;
            goMod = ./go.mod;
            vendor = if builtins.pathExists ./vendor then ./vendor else null;
          } drv
        else
          drv;

      # The GOARCH of each system's own Linux: its Docker loads that image
      # (nix build .#docker).
      goArch = {
        "x86_64-linux" = "amd64";
        "aarch64-linux" = "arm64";
        "aarch64-darwin" = "arm64";
      };

      # goModule builds the server as a static binary with pkgs' Go.
      goModule =
        pkgs:
        (pkgs.buildGoModule.override { go = goFor pkgs; }) {
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
            "-X main.version=${version}"
            "-X main.commit=${commit}"
            "-X main.date=${date}"
          ];
          # go install names the binary after the module path (.exe on Windows).
          postInstall = ''
            for exe in "" .exe; do
              if [ -e "$out/bin/shop$exe" ]; then
                mv "$out/bin/shop$exe" "$out/bin/${name}$exe"
              fi
            done
          '';
          meta.mainProgram = name;
        };

      # vendorHashApp writes nix/vendor-hash.nix with the project's Go: see
      # nix/vendor-hash.sh.
      vendorHashApp =
        pkgs:
        pkgs.writeShellApplication {
          name = "vendor-hash";
          runtimeInputs = [ (goFor pkgs) ];
          # What the build's vendor derivation holds: go mod download's cache
          # (proxyVendor), or what go mod vendor writes.
          text = "PROXY_VENDOR=${if (goModule pkgs).proxyVendor then "true" else "false"}\n" + builtins.readFile ./nix/vendor-hash.sh;
        };

      # The files of Go's standard library that nixpkgs' Go patches to open
      # this system's iana-etc, mailcap and tzdata store paths.
      patchedFiles = [
        "src/net/lookup_unix.go"
        "src/net/port_unix.go"
        "src/mime/type_unix.go"
        "src/time/zoneinfo_unix.go"
      ];

      # upstream is those files as upstream Go has them, from the source of
      # the project's Go (go.src, a fixed output), with the overlay that has
      # `go build` compile them in place of the patched ones. Its own store
      # path differs by system, since it reads each system's Go; the binary's
      # bytes do not, since -trimpath keeps the overlay's paths out of it.
      upstream =
        pkgs:
        let
          go = goFor pkgs;
        in
        pkgs.runCommand "go-${go.version}-upstream-files"
          {
            goroot = "${go}/share/go";
            files = patchedFiles;
          }
          ''
            mkdir -p "$out"
            members=""
            replace=""
            for f in $files; do
              members="$members go/$f"
              replace="$replace''${replace:+,}\"$goroot/$f\":\"$out/$f\""
            done
            tar -xzf ${go.src} -C "$out" --strip-components=1 $members
            echo "{\"Replace\":{$replace}}" > "$out/overlay.json"
          '';

      # platformOf builds a module (goModule) for
      # <goos>/<arch> on any system, to the same bytes on every one: the
      # patched files are compiled as upstream has them (-overlay), so no
      # store path is left in the binary, which the build checks
      # (allowedReferences). Time zones are in the binary (timetzdata); the
      # image has /etc/services, /etc/protocols and /etc/mime.types as files.
      # It starts from Go's build cache of what it compiles before the
      # project's packages (withGoCache).
      platformOf =
        module: system: goos: arch:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        withGoCache pkgs (
          (module pkgs).overrideAttrs (prev: {
            tags = (prev.tags or [ ]) ++ [ "timetzdata" ];
            GOFLAGS = prev.GOFLAGS ++ [ "-overlay=${upstream pkgs}/overlay.json" ];
            env = prev.env // {
              GOOS = goos;
              GOARCH = arch;
              GOAMD64 = "v1";
              GOARM64 = "v8.0";
            };
            # Go installs a binary for another platform than the builder's in
            # bin/<goos>_<arch>/.
            postInstall = ''
              if [ -d "$out/bin/${goos}_${arch}" ]; then
                mv "$out/bin/${goos}_${arch}/"* "$out/bin/"
                rmdir "$out/bin/${goos}_${arch}"
              fi
            '' + (prev.postInstall or "");
            # The tests run where the binary can: on a system of its platform.
            doCheck = prev.doCheck && goos == (goFor pkgs).GOOS && arch == (goFor pkgs).GOARCH;
            # stdenv's fixupPhase strips with the builder's own strip (and on
            # a Mac signs again what it strips), which reads only some formats
            # and arches: each system would build other bytes. Go's linker
            # output is kept as it is: -s -w has left nothing worth stripping.
            dontStrip = true;
            allowedReferences = [ ];
          })
        );

      # goLinux builds the program for linux/<arch>.
      goLinux = system: platformOf goModule system "linux";

      # sbom is a CycloneDX SBOM of each Linux binary, from its build info:
      # the modules it holds, their purls for linux/<arch> (cyclonedx-gomod
      # takes goos and goarch from go env, not from the binary: they are set).
      # The same bytes on every build; it records the tool's own hashes, so
      # each system's differs in those.
      sbom =
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        pkgs.runCommand "${name}-sbom"
          {
            nativeBuildInputs = [
              pkgs.cyclonedx-gomod
              (goFor pkgs)
            ];
            amd64 = goLinux system "amd64";
            arm64 = goLinux system "arm64";
          }
          ''
            # cyclonedx-gomod runs go: no telemetry from it, which would write
            # into the build and may outlive it.
            export HOME="$TMPDIR"
            go telemetry off
            mkdir -p "$out"
            for arch in amd64 arm64; do
              bin=$amd64
              [ "$arch" = amd64 ] || bin=$arm64
              GOOS=linux GOARCH=$arch cyclonedx-gomod bin -json -noserial -notimestamp \
                -version v${version} -output "$out/linux-$arch.cdx.json" "$bin/bin/${name}"
            done
          '';
      # release is the release, the same bytes from every system
      # (nix/archive.sh): for each platform, NAME_VERSION_GOOS_ARCH.tar.gz
      # (.zip for Windows) with its program and the project's LICENSE*,
      # COPYING*, NOTICE* and README*; SHA256SUMS of the archives; a CycloneDX SBOM of each program.
      # Its binaries are as Go's linker wrote them (platformOf).
      release =
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        pkgs.runCommand "${name}-${version}-release"
          {
            nativeBuildInputs = [
              pkgs.zip
              pkgs.jq
              pkgs.cyclonedx-gomod
              (goFor pkgs)
            ];
            inherit name version timestamp src;
            platforms = [
              "linux/amd64"
              "linux/arm64"
              "darwin/amd64"
              "darwin/arm64"
              "windows/amd64"
              "windows/arm64"
            ];
            linux_amd64 = platformOf goModule system "linux" "amd64";
            linux_arm64 = platformOf goModule system "linux" "arm64";
            darwin_amd64 = platformOf goModule system "darwin" "amd64";
            darwin_arm64 = platformOf goModule system "darwin" "arm64";
            windows_amd64 = platformOf goModule system "windows" "amd64";
            windows_arm64 = platformOf goModule system "windows" "arm64";
            allowedReferences = [ ];
          }
          ''
            bash ${./nix/archive.sh}
          '';

# pushApp copies the image to a registry by digest, with its SBOMs, with
      # regctl: nix run .#push -- REF (see nix/push.sh).
      pushApp =
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        pkgs.writeShellApplication {
          name = "push";
          runtimeInputs = [ pkgs.regclient ];
          runtimeEnv = {
            OCI = image system;
            SBOM = sbom system;
            # Interpolated, so that the script is in the app's closure (a
            # bare path would reach it as a string without context).
            IMAGE_SH = "${./nix/image.sh}";
          };
          text = builtins.readFile ./nix/push.sh;
        };

      # labels are the image's org.opencontainers.image.* labels, also the
      # annotations of its index and manifests. revision is the commit, absent
      # while the tree has changes not committed; created is the commit's time,
      # not the build's: one commit gives one digest on every host, and a new
      # commit a new one.
      labels =
        {
          title = name;
          inherit version;
          created = date;
          source = "https://github.com/acme/shop";
        }
        // (if self ? rev then { revision = self.rev; } else { });

      # image is the image as an OCI layout: one image index holding
      # linux/amd64 and linux/arm64, which every system builds to the same
      # bytes (nix/image.sh).
      image =
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        pkgs.runCommand "${name}-oci"
          {
            imageName = name;
            inherit ports;
            # The image runs /bin/${name} with args, or with those docker run gives.
            args = builtins.toJSON args;
            amd64 = goLinux system "amd64";
            arm64 = goLinux system "arm64";
            iana = pkgs.iana-etc;
            inherit (pkgs) mailcap cacert;
            labels = builtins.toJSON (
              builtins.listToAttrs (
                map (key: {
                  name = "org.opencontainers.image.${key}";
                  value = labels.${key};
                }) (builtins.attrNames labels)
              )
            );
            inherit (labels) created;
            allowedReferences = [ ];
          }
          ''
            bash ${./nix/image.sh} oci
          '';
    in
    {
      packages = forAllSystems (
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
          go = goFor pkgs;
          # nix build makes the program for this system's own platform, as
          # every other is made: on Linux, the very binary of this arch's
          # image; on a Mac, the release's macOS one.
          app = platformOf goModule system go.GOOS go.GOARCH;
          oci = image system;
        in
        {
          default = app;
          linux-amd64 = goLinux system "amd64";
          linux-arm64 = goLinux system "arm64";
          inherit oci;
          sbom = sbom system;
          release = release system;
          # This system's Linux image of the same layout, for docker load: the
          # image ID it reports is that image's config digest in .#oci.
          docker =
            pkgs.runCommand "${name}-docker.tar.gz"
              {
                imageName = name;
                inherit oci;
                arch = goArch.${system};
                allowedReferences = [ ];
              }
              ''
                bash ${./nix/image.sh} docker-archive
              '';
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
        push = {
          type = "app";
          program = nixpkgs.lib.getExe (pushApp system);
          meta.description = "Push the image to a registry by digest, with its SBOMs: nix run .#push -- REF";
        };
      });

      devShells = forAllSystems (
        system:
        let
          pkgs = nixpkgs.legacyPackages.${system};
        in
        {
          default = pkgs.mkShell {
            packages = [
              (goFor pkgs)
            ]
            ++ (with pkgs; [
              gopls
              golangci-lint
              delve
              go-task
            ]);
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
          # The linters see the code as the build compiles it: the package's
          # own Go, environment, flags, tags, vendored modules and build cache.
          lint = app.overrideAttrs (prev: {
            pname = "${name}-lint";
            nativeBuildInputs = prev.nativeBuildInputs ++ [ pkgs.golangci-lint ];
            buildPhase = ''
              export HOME="$TMPDIR" GOLANGCI_LINT_CACHE="$TMPDIR/lint"
              # No telemetry from the go commands golangci-lint runs: it would
              # write into the build and may outlive it.
              go telemetry off
              golangci-lint run ''${tags:+--build-tags=''${tags// /,}} ./...
            '';
            doCheck = false;
            installPhase = "touch $out";
          });
        }
      );

      # `nix fmt` formats every .nix file of the work tree.
      formatter = forAllSystems (system: nixpkgs.legacyPackages.${system}.nixfmt-tree);
    };
}
