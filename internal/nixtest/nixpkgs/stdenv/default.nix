# The stand-in's stdenv for one system: pkgs/stdenv/generic/default.nix
# (the stdenv derivation, its $out/setup, its default setup hooks) and
# make-derivation.nix (mkDerivation), with each system's own tools where
# they change an output's bytes: its bintools' strip (pkgs/stdenv/linux,
# pkgs/stdenv/darwin), and patchelf's setup hook on Linux only.
#
# Every derivation builds on this machine (host.buildSystem: the tests run
# Nix without a sandbox), and records the system it stands for
# (nixpkgsSystem), so the same package has another store path on each
# system, as nixpkgs' packages have.
{
  lib,
  system,
  host,
}:
let
  linux = builtins.match ".*-linux" system != null;

  # bootstrap is a derivation built before the stdenv exists, as nixpkgs'
  # bootstrap stages are: a /bin/sh script with this machine's tools.
  bootstrap =
    name: script: args:
    builtins.derivation (
      {
        inherit name;
        system = host.buildSystem;
        nixpkgsSystem = system;
        builder = "/bin/sh";
        PATH = "/usr/bin:/bin";
        args = [
          "-e"
          "-c"
          script
        ];
      }
      // args
    );

  # The builder's strip and ranlib, as its bintools-wrapper exports them
  # ($STRIP, $RANLIB): on x86_64-linux binutils for x86-64 (this machine's:
  # ELF and x86 PE), on aarch64-linux binutils for arm64 (Debian's
  # binutils-aarch64-linux-gnu: ELF and arm64 PE), on aarch64-darwin LLVM's
  # (Mach-O, ELF and PE) in the wrapper that signs what it strips again
  # (./darwin-strip.sh), with darwin's stripDebugFlags, -S.
  tools =
    {
      x86_64-linux = {
        strip = "/usr/bin/strip";
        ranlib = "/usr/bin/ranlib";
      };
      aarch64-linux = {
        strip = "/usr/bin/aarch64-linux-gnu-strip";
        ranlib = "/usr/bin/aarch64-linux-gnu-ranlib";
      };
      aarch64-darwin = {
        strip = ./darwin-strip.sh;
        ranlib = "/usr/bin/llvm-ranlib";
        stripDebugFlags = "-S";
      };
    }
    .${system};
  bintools = bootstrap "bintools-${system}" ''
    for tool in "$strip" "$ranlib" /usr/bin/llvm-strip "$codesign"; do
      if [ ! -x "$tool" ]; then
        echo "stand-in stdenv: $tool is missing (apt-get install binutils binutils-aarch64-linux-gnu llvm)" >&2
        exit 1
      fi
    done
    mkdir -p "$out/bin" "$out/nix-support"
    case "$strip" in
      *.sh) sed -e "s|@llvmstrip@|/usr/bin/llvm-strip|" -e "s|@codesign@|$codesign|" "$strip" > "$out/bin/strip" ;;
      *) cp "$strip" "$out/bin/strip" ;;
    esac
    cp "$ranlib" "$out/bin/ranlib"
    chmod +x "$out/bin/strip" "$out/bin/ranlib"
    echo 'export STRIP=strip RANLIB=ranlib' > "$out/nix-support/setup-hook"
    if [ -n "$stripDebugFlags" ]; then
      echo "stripDebugFlags=\''${stripDebugFlags:-$stripDebugFlags}" >> "$out/nix-support/setup-hook"
    fi
  '' {
    inherit (tools) strip ranlib;
    stripDebugFlags = tools.stripDebugFlags or "";
    inherit (host) codesign;
  };

  # patchelf, whose setup hook shrinks the RPATH of every ELF file.
  patchelf = bootstrap "patchelf" ''
    mkdir -p "$out/bin" "$out/nix-support"
    ln -s /usr/bin/patchelf "$out/bin/patchelf"
    cp "$hook" "$out/nix-support/setup-hook"
  '' { hook = ../hooks/patchelf.sh; };

  # The default setup hooks of pkgs/stdenv/generic/default.nix that the
  # stand-in models (docs/testing.md lists them all), then the bintools,
  # and patchelf on Linux (pkgs/stdenv/linux/default.nix).
  defaultNativeBuildInputs = [
    ../hooks/audit-tmpdir.sh
    ../hooks/compress-man-pages.sh
    ../hooks/move-paths.sh
    ../hooks/patch-shebangs.sh
    ../hooks/source-date-epoch.sh
    ../hooks/strip.sh
    ../hooks/symlinks.sh
    bintools
  ]
  ++ lib.optional linux patchelf;

  stdenv =
    bootstrap "stdenv-${if linux then "linux" else "darwin"}" "exec /bin/bash -e $builderScript" {
      builderScript = ./builder.sh;
      setup = ./setup.sh;
      shell = "/bin/bash";
      # This machine's coreutils, findutils, sed, grep, tar, gzip, ...
      initialPath = "/usr /";
      inherit defaultNativeBuildInputs;
      preHook = "";
    }
    // {
      inherit mkDerivation;
      isLinux = linux;
      isDarwin = !linux;
    };

  # mkDerivation: pkgs/stdenv/generic/make-derivation.nix, reduced to what
  # the stand-in needs:
  # - attributes, or a function of the final attributes (finalAttrs);
  # - `env` joins the derivation's environment after the same checks: no
  #   name both in env and a derivation argument, and only strings,
  #   booleans, integers and derivations (false becomes "");
  # - passthru and meta stay out of the derivation, on the result;
  # - overrideAttrs takes an attribute set, prev: { } or final: prev: { }
  #   (lib.toExtension) and applies to the final arguments;
  # - the builder is bash running default-builder.sh (or `builder`), which
  #   sources the stdenv's setup and runs genericBuild: the phases, or
  #   buildCommand. So `nix develop` works on any of these derivations;
  # - meta.mainProgram is also the environment's NIX_MAIN_PROGRAM (env');
  # - nativeInstallCheckInputs join nativeBuildInputs when doInstallCheck
  #   (the stand-in's build platform runs every host platform it builds for:
  #   Go builds of another platform check it in the hook, see
  #   hooks/version-check-hook.sh).
  mkDerivation =
    fpargs:
    let
      argsFun = lib.toFunction fpargs;
      final = argsFun final;
      doInstallCheck = final.doInstallCheck or false;
      env =
        (final.env or { })
        // lib.optionalAttrs ((final.meta.mainProgram or null) != null) { NIX_MAIN_PROGRAM = final.meta.mainProgram; };
      drvArgs =
        removeAttrs final [
          "env"
          "meta"
          "passthru"
          "builder"
          "nativeInstallCheckInputs"
        ]
        // lib.optionalAttrs (doInstallCheck && final ? nativeInstallCheckInputs) {
          nativeBuildInputs = (final.nativeBuildInputs or [ ]) ++ final.nativeInstallCheckInputs;
        };
      overlapping = builtins.attrNames (builtins.intersectAttrs env drvArgs);
      badEnv = builtins.filter (
        n:
        let
          v = env.${n};
        in
        !(builtins.isString v || builtins.isBool v || builtins.isInt v || (v.type or null) == "derivation")
      ) (builtins.attrNames env);
      checkedEnv =
        if overlapping != [ ] then
          throw "The ‘env’ attribute set cannot contain any attributes passed to derivation. The following attributes are overlapping: ${builtins.concatStringsSep ", " overlapping}"
        else if badEnv != [ ] then
          throw "The ‘env’ attribute set can only contain derivation, string, boolean or integer attributes. The ‘${builtins.head badEnv}’ attribute is of type ${builtins.typeOf env.${builtins.head badEnv}}."
        else
          env;
      drv = builtins.derivation (
        drvArgs
        // checkedEnv
        // {
          name = final.name or "${final.pname}-${final.version}";
          system = host.buildSystem;
          nixpkgsSystem = system;
          builder = "/bin/bash";
          args = [
            "-e"
            (final.builder or ./default-builder.sh)
          ];
          inherit stdenv;
          outputs = final.outputs or [ "out" ];
          strictDeps = final.strictDeps or false;
          doCheck = final.doCheck or false;
          inherit doInstallCheck;
          __ignoreNulls = true;
        }
      );
    in
    drv
    // (final.passthru or { })
    // {
      meta = final.meta or { };
      overrideAttrs = f: mkDerivation (lib.extends (lib.toExtension f) argsFun);
    };
in
stdenv
