# legacyPackages.<system> of the stand-in: only attributes nixpkgs has.
{
  lib,
  system,
  host,
}:
let
  inherit (builtins)
    attrNames
    concatStringsSep
    filter
    head
    isFunction
    isList
    isString
    all
    match
    ;

  # The platform a system's own binaries are for.
  platform =
    {
      "x86_64-linux" = {
        GOOS = "linux";
        GOARCH = "amd64";
      };
      "aarch64-linux" = {
        GOOS = "linux";
        GOARCH = "arm64";
      };
      "aarch64-darwin" = {
        GOOS = "darwin";
        GOARCH = "arm64";
      };
    }
    .${system};

  # mkDrv builds with the machine's /bin/sh and tools (the tests run Nix
  # without a sandbox). Every system's derivations are built for this
  # machine; a system's platform only shows in what its builds target.
  mkDrv =
    {
      name,
      script,
      meta ? { },
      passthru ? { },
      ...
    }@args:
    let
      drv = builtins.derivation (
        removeAttrs args [
          "meta"
          "passthru"
          "script"
        ]
        // {
          inherit name;
          system = host.buildSystem;
          builder = "/bin/sh";
          args = [
            "-e"
            "-c"
            script
          ];
          PATH = "${host.goroot}/bin:/usr/bin:/bin";
        }
      );
    in
    drv // passthru // { inherit meta; };

  # tool is a stand-in for a program the dev shell holds.
  tool =
    pname: mainProgram: body:
    mkDrv {
      name = "${pname}-standin";
      inherit pname;
      version = "0-standin";
      meta.mainProgram = mainProgram;
      script = ''
        mkdir -p "$out/bin"
        printf '#!/bin/sh\n%s\n' ${builtins.toJSON body} > "$out/bin/${mainProgram}"
        chmod +x "$out/bin/${mainProgram}"
      '';
    };

  binPath = inputs: concatStringsSep ":" (map (p: "${p}/bin") inputs);

  imagetool = mkDrv {
    name = "standin-imagetool";
    src = ./imagetool;
    script = ''
      export HOME="$TMPDIR" GOCACHE="${host.gocache}" GOTOOLCHAIN=local CGO_ENABLED=0
      mkdir -p "$out/bin"
      go build -o "$out/bin/imagetool" "$src/main.go"
    '';
  };

  buildGoModule = import ./build-go-module.nix {
    inherit mkDrv platform host;
  };
in
{
  inherit buildGoModule;

  go = mkDrv {
    name = "go-standin";
    pname = "go";
    version = "0-standin";
    meta.mainProgram = "go";
    script = ''
      mkdir -p "$out/bin"
      ln -s ${host.goroot}/bin/go ${host.goroot}/bin/gofmt "$out/bin/"
    '';
  };
  gopls = tool "gopls" "gopls" "echo gopls stand-in";
  # Runs go vet, the closest thing this machine has.
  golangci-lint = tool "golangci-lint" "golangci-lint" ''[ "$1" = run ] && shift; exec go vet "$@"'';
  delve = tool "delve" "dlv" "echo delve stand-in";
  go-task = tool "go-task" "task" "echo go-task stand-in";
  nixfmt = tool "nixfmt" "nixfmt" "echo nixfmt stand-in";
  tmux = tool "tmux" "tmux" "echo tmux stand-in";
  git = tool "git" "git" "echo git stand-in";

  mkShell =
    {
      name ? "nix-shell",
      packages ? [ ],
      nativeBuildInputs ? [ ],
      buildInputs ? [ ],
      inputsFrom ? [ ],
      shellHook ? "",
      ...
    }@args:
    mkDrv (
      removeAttrs args [
        "packages"
        "inputsFrom"
      ]
      // {
        inherit name;
        nativeBuildInputs = packages ++ nativeBuildInputs;
        script = ''
          echo "This derivation is not meant to be built, unless you want to capture the dependency closure." >&2
          exit 1
        '';
      }
    );

  runCommand =
    name: env: script:
    mkDrv (
      env
      // {
        inherit name;
        script = ''
          export PATH="${binPath (env.nativeBuildInputs or [ ])}:$PATH"
          ${script}
        '';
      }
    );

  dockerTools.buildLayeredImage =
    # No `...`: like nixpkgs, an unknown argument is an error.
    {
      name,
      tag ? null,
      fromImage ? null,
      contents ? [ ],
      config ? { },
      architecture ? platform.GOARCH,
      created ? "1970-01-01T00:00:01Z",
      mtime ? "1970-01-01T00:00:01Z",
      uid ? 0,
      gid ? 0,
      uname ? "root",
      gname ? "root",
      maxLayers ? 100,
      extraCommands ? "",
      fakeRootCommands ? "",
      enableFakechroot ? false,
      includeStorePaths ? true,
      includeNixDB ? false,
      passthru ? { },
      meta ? { },
      compressor ? "gz",
    }:
    let
      ports = attrNames (config.ExposedPorts or { });
      badPorts = filter (p: match "[0-9]+/(tcp|udp)" p == null) ports;
      cmd = config.Cmd or [ ];
      contentsList = if isList contents then contents else [ contents ];
      checked =
        if created == "now" || mtime == "now" then
          throw "buildLayeredImage: created = \"now\" makes the image differ on every build"
        else if !(isList cmd && all isString cmd) then
          throw "buildLayeredImage: config.Cmd must be a list of strings"
        else if badPorts != [ ] then
          throw "buildLayeredImage: ExposedPorts key \"${head badPorts}\" must look like \"8080/tcp\""
        else if fromImage != null || extraCommands != "" || fakeRootCommands != "" || includeNixDB then
          throw "buildLayeredImage: the stand-in does not implement fromImage, extraCommands, fakeRootCommands or includeNixDB"
        else if compressor != "gz" then
          throw "buildLayeredImage: the stand-in writes only gz"
        else
          true;
    in
    assert checked;
    mkDrv {
      name = "${name}.tar.gz";
      imageName = name;
      imageTag = if tag == null then "latest" else tag;
      inherit architecture created mtime passthru meta;
      contents = contentsList;
      conf = builtins.toJSON config;
      exportReferencesGraph = builtins.concatLists (
        builtins.genList (i: [
          "closure-${toString i}"
          (builtins.elemAt contentsList i)
        ]) (builtins.length contentsList)
      );
      script = ''
        ${imagetool}/bin/imagetool -name "$imageName" -tag "$imageTag" -arch "$architecture" \
          -created "$created" -mtime "$mtime" -config "$conf" -out "$out" \
          -closures "$(ls -d closure-* 2>/dev/null | tr '\n' ' ')" $contents
      '';
    };
}
