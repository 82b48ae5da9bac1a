# legacyPackages.<system> of the stand-in: only attributes nixpkgs has, each
# following the nixpkgs file named beside it in what gonix-init depends on.
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
    isBool
    isInt
    isList
    isString
    all
    match
    typeOf
    ;

  # The platform a system's own binaries are for (pkgs.go's GOOS and GOARCH).
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

  binPath = inputs: concatStringsSep ":" (map (p: "${p}/bin") inputs);

  # stdenv.mkDerivation (pkgs/stdenv/generic/make-derivation.nix), reduced
  # to what the stand-in needs:
  # - attributes, or a function of the final attributes (finalAttrs);
  # - `env` joins the derivation's environment after the same checks: no
  #   name both in env and a derivation argument, and only strings,
  #   booleans, integers and derivations (false becomes "");
  # - passthru and meta stay out of the derivation, on the result;
  # - overrideAttrs takes an attribute set, prev: { } or final: prev: { }
  #   (lib.toExtension) and applies to the final arguments.
  # The build is `script`, run by the machine's /bin/sh: the tests run Nix
  # without a sandbox. Every system's derivations build for this machine; a
  # system's platform shows in what its builds target, and in its store
  # paths: each derivation records its system (nixpkgsSystem), so the same
  # package has another store path on each system, as nixpkgs' packages
  # have (their `system` differs). A fixed-output derivation's path depends
  # on its name and hash alone, on every system alike.
  mkDerivation =
    fpargs:
    let
      argsFun = lib.toFunction fpargs;
      final = argsFun final;
      env = final.env or { };
      drvArgs = removeAttrs final [
        "env"
        "meta"
        "passthru"
        "script"
      ];
      overlapping = attrNames (builtins.intersectAttrs env drvArgs);
      badEnv = filter (
        n:
        let
          v = env.${n};
        in
        !(isString v || isBool v || isInt v || (v.type or null) == "derivation")
      ) (attrNames env);
      checkedEnv =
        if overlapping != [ ] then
          throw "The ‘env’ attribute set cannot contain any attributes passed to derivation. The following attributes are overlapping: ${concatStringsSep ", " overlapping}"
        else if badEnv != [ ] then
          throw "The ‘env’ attribute set can only contain derivation, string, boolean or integer attributes. The ‘${head badEnv}’ attribute is of type ${typeOf env.${head badEnv}}."
        else
          env;
      drv = builtins.derivation (
        drvArgs
        // checkedEnv
        // {
          name = final.name or "${final.pname}-${final.version}";
          system = host.buildSystem;
          nixpkgsSystem = system;
          builder = "/bin/sh";
          args = [
            "-e"
            "-c"
            final.script
          ];
          # As in nixpkgs, only the tools a derivation names are on its PATH.
          PATH = "${binPath (final.nativeBuildInputs or [ ])}:/usr/bin:/bin";
        }
      );
    in
    drv
    // (final.passthru or { })
    // {
      meta = final.meta or { };
      overrideAttrs = f: mkDerivation (lib.extends (lib.toExtension f) argsFun);
    };

  # tool is a stand-in for a program the dev shell holds: a script.
  tool =
    pname: mainProgram: body:
    mkDerivation {
      inherit pname body;
      version = "0-standin";
      meta.mainProgram = mainProgram;
      script = ''
        mkdir -p "$out/bin"
        printf '#!/bin/sh\n%s\n' "$body" > "$out/bin/${mainProgram}"
        chmod +x "$out/bin/${mainProgram}"
      '';
    };

  # The image builder (internal/nixtest/imagetool with internal/dockerarchive),
  # whose source internal/nixtest copies here.
  imagetool = mkDerivation {
    name = "standin-imagetool";
    src = ./imagetool-src;
    nativeBuildInputs = [ go ];
    script = ''
      export HOME="$TMPDIR" GOCACHE="${host.gocache}" GOTOOLCHAIN=local CGO_ENABLED=0 GOPROXY=off
      go telemetry off # see build-go-module.nix
      mkdir -p "$out/bin"
      cd "$src"
      go build -o "$out/bin/imagetool" ./internal/nixtest/imagetool
    '';
  };

  # Data packages nixpkgs' Go points into (pkgs/by-name/ia/iana-etc,
  # pkgs/by-name/ma/mailcap, pkgs/by-name/tz/tzdata): this machine's files,
  # at nixpkgs' paths inside each output. Like every derivation here, each
  # has another store path on each system.
  data =
    pname: script:
    mkDerivation {
      inherit pname script;
      version = "standin";
    };
  iana-etc = data "iana-etc" ''
    mkdir -p "$out/etc"
    cp /etc/services /etc/protocols "$out/etc/"
  '';
  mailcap = data "mailcap" ''
    mkdir -p "$out/etc"
    cp /etc/mime.types "$out/etc/"
  '';
  tzdata = data "tzdata" ''
    mkdir -p "$out/share"
    cp -r /usr/share/zoneinfo "$out/share/zoneinfo"
  '';

  # pkgs/development/compilers/go/1.26.nix: the machine's Go under nixpkgs'
  # name, with the GOOS/GOARCH/CGO_ENABLED that buildGoModule reads, as the
  # pinned nixpkgs' Go:
  # - its version is the pin's (internal/nixpin's Go, which the tests write
  #   into host.nix), not the machine's;
  # - under GOTOOLCHAIN=local it refuses a go.mod whose go line asks for
  #   more, with Go's own message (./go.sh);
  # - its GOROOT ($out/share/go) has nixpkgs' three patches, with this
  #   system's store paths: iana-etc-1.25.patch (net opens
  #   ${iana-etc}/etc/protocols and /etc/services instead of /etc's),
  #   mailcap-1.17.patch (mime reads ${mailcap}/etc/mime.types first) and
  #   tzdata-1.19.patch (time looks in ${tzdata}/share/zoneinfo/ first).
  #   So a server's binary holds those paths, and references them;
  # - src is the fixed-output source tarball (fetchurl of
  #   go<version>.src.tar.gz), the same store path on every system. The
  #   stand-in's holds only the unpatched files of those three packages,
  #   from the machine's Go (the tests write it, and its hash into host.nix).
  go = mkDerivation {
    pname = "go";
    version = host.goVersion;
    meta.mainProgram = "go";
    passthru = platform // {
      CGO_ENABLED = 1;
      src = mkDerivation {
        name = "go${host.goVersion}.src.tar.gz";
        tarball = ./go-src.tar.gz;
        outputHashMode = "flat";
        outputHashAlgo = "sha256";
        outputHash = host.goSrcHash;
        script = ''cp "$tarball" "$out"'';
      };
    };
    wrapper = ./go.sh;
    script = ''
      mkdir -p "$out/bin" "$out/share/go"
      for f in ${host.goroot}/*; do
        [ "$(basename "$f")" = src ] || ln -s "$f" "$out/share/go/"
      done
      cp -rs ${host.goroot}/src "$out/share/go/src"
      patch() {
        rm "$out/share/go/src/$1"
        sed -e "$2" "${host.goroot}/src/$1" > "$out/share/go/src/$1"
        if cmp -s "${host.goroot}/src/$1" "$out/share/go/src/$1"; then
          echo "stand-in go: the patch of $1 no longer applies" >&2
          exit 1
        fi
      }
      patch net/lookup_unix.go 's|open("/etc/protocols")|open("${iana-etc}/etc/protocols")|'
      patch net/port_unix.go 's|open("/etc/services")|open("${iana-etc}/etc/services")|'
      patch mime/type_unix.go 's|^var typeFiles = \[\]string{$|&\n\t"${mailcap}/etc/mime.types",|'
      patch time/zoneinfo_unix.go 's|^var platformZoneSources = \[\]string{$|&\n\t"${tzdata}/share/zoneinfo/",|'
      ln -s ${host.goroot}/bin/gofmt "$out/bin/"
      sed -e "s|@goroot@|$out/share/go|" -e "s|@realgo@|${host.goroot}/bin/go|" -e "s|@version@|$version|" "$wrapper" > "$out/bin/go"
      chmod +x "$out/bin/go"
    '';
  };

  # built is a package of a real program the tests built (host.nix names
  # it), at the version internal/nixtest/tools/go.mod pins.
  built =
    pname: program: path:
    mkDerivation {
      inherit pname;
      version = "standin";
      meta.mainProgram = program;
      script = ''
        mkdir -p "$out/bin"
        cp ${path} "$out/bin/${program}"
      '';
    };
  # pkgs/by-name/cy/cyclonedx-gomod.
  cyclonedx-gomod = built "cyclonedx-gomod" "cyclonedx-gomod" host.cyclonedxGomod;
  # pkgs/by-name/re/regclient: regctl (its regsync and regbot are left out).
  regclient = built "regclient" "regctl" host.regctl;

  # nixfmt (pkgs/by-name/ni/nixfmt): with files, formats them in place; with
  # none, formats stdin to stdout. The stand-in formats only what this
  # machine can without nixfmt: no trailing white space, a final newline.
  nixfmt = tool "nixfmt" "nixfmt" ''
    fmt() { awk '{ sub(/[ \t]+$/, ""); print }'; }
    [ $# -eq 0 ] && { fmt; exit; }
    for f; do
      fmt < "$f" > "$f.nixfmt-tmp"
      if cmp -s "$f" "$f.nixfmt-tmp"; then rm "$f.nixfmt-tmp"; else mv "$f.nixfmt-tmp" "$f"; fi
    done
  '';
in
{
  inherit
    cyclonedx-gomod
    go
    nixfmt
    regclient
    iana-etc
    mailcap
    tzdata
    ;

  buildGoModule = import ./build-go-module.nix {
    inherit
      lib
      mkDerivation
      go
      host
      ;
  };

  gopls = tool "gopls" "gopls" "echo gopls stand-in";
  # Runs go vet, the closest thing this machine has.
  golangci-lint = tool "golangci-lint" "golangci-lint" ''[ "$1" = run ] && shift; exec go vet "$@"'';
  delve = tool "delve" "dlv" "echo delve stand-in";
  go-task = tool "go-task" "task" "echo go-task stand-in";
  tmux = tool "tmux" "tmux" "echo tmux stand-in";
  git = tool "git" "git" "echo git stand-in";

  # nixfmt-tree (pkgs/by-name/ni/nixfmt-tree): treefmt configured to run
  # nixfmt on *.nix. With paths, it formats those; with none (as `nix fmt`
  # runs it) the whole tree, whose root is the git work tree around the
  # current directory (nixfmt-tree assumes git and fails without it).
  nixfmt-tree = tool "nixfmt-tree" "treefmt" ''
    set -e
    if [ $# -eq 0 ]; then
      root=$PWD
      while [ ! -e "$root/.git" ]; do
        if [ "$root" = / ]; then
          echo "treefmt: could not find the tree root (.git) from $PWD" >&2
          exit 1
        fi
        root=$(dirname "$root")
      done
      set -- "$root"
    fi
    find "$@" -name .git -prune -o -type f -name '*.nix' -print | while read -r f; do
      ${nixfmt}/bin/nixfmt "$f"
    done
  '';

  # pkgs/build-support/trivial-builders/default.nix: writeShellApplication
  # writes bin/<name>: bash with its bashOptions (errexit, nounset,
  # pipefail), runtimeEnv's variables exported, runtimeInputs first in PATH,
  # then text. Its check runs bash -n
  # and shellcheck, as nixpkgs does wherever shellcheck builds, so a script
  # that shellcheck flags does not build (the stand-in uses the machine's
  # bash and shellcheck, and fails when shellcheck is missing).
  writeShellApplication =
    {
      name,
      text,
      runtimeInputs ? [ ],
      runtimeEnv ? null,
      meta ? { },
      passthru ? { },
      checkPhase ? null,
      excludeShellChecks ? [ ],
      extraShellCheckFlags ? [ ],
      bashOptions ? [
        "errexit"
        "nounset"
        "pipefail"
      ],
      inheritPath ? true,
      derivationArgs ? { },
    }:
    mkDerivation {
      inherit name passthru;
      meta = {
        mainProgram = name;
      }
      // meta;
      text =
        "#!/bin/bash\n"
        + concatStringsSep "" (map (o: "set -o ${o}\n") bashOptions)
        + lib.optionalString (runtimeEnv != null) (
          concatStringsSep "" (
            map (
              n: "${n}=${lib.escapeShellArg (toString runtimeEnv.${n})}\nexport ${n}\n"
            ) (attrNames runtimeEnv)
          )
        )
        + lib.optionalString (runtimeInputs != [ ]) ''

          export PATH="${binPath runtimeInputs}${lib.optionalString inheritPath ":$PATH"}"
        ''
        + "\n"
        + text;
      shellcheckFlags = map (c: "--exclude=${c}") excludeShellChecks ++ extraShellCheckFlags;
      script = ''
        mkdir -p "$out/bin"
        printf '%s' "$text" > "$out/bin/${name}"
        chmod +x "$out/bin/${name}"
        /bin/bash -n "$out/bin/${name}"
        if ! command -v shellcheck >/dev/null; then
          echo "stand-in writeShellApplication: shellcheck is not installed (apt-get install shellcheck); nixpkgs runs it on every script" >&2
          exit 1
        fi
        shellcheck $shellcheckFlags "$out/bin/${name}"
      '';
    };

  # pkgs/build-support/mkshell: packages join nativeBuildInputs; building
  # it fails, as nixpkgs' does.
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
    mkDerivation (
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

  # pkgs/build-support/trivial-builders: runCommand name env script.
  runCommand =
    name: env: script:
    mkDerivation (
      env
      // {
        inherit name script;
      }
    );

  # pkgs/build-support/docker/default.nix: buildLayeredImage's arguments
  # (no `...`: an unknown one is an error), with created and mtime fixed by
  # default; the stand-in writes its layout (internal/dockerarchive).
  dockerTools.buildLayeredImage =
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
    mkDerivation {
      name = "${name}.tar.gz";
      imageName = name;
      imageTag = if tag == null then "latest" else tag;
      inherit
        architecture
        created
        mtime
        passthru
        meta
        ;
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
