# pkgs/build-support/trivial-builders/default.nix (runCommand,
# writeShellApplication) and pkgs/build-support/mkshell/default.nix
# (mkShell), over the stand-in's stdenv.
{
  lib,
  stdenv,
}:
let
  binPath = inputs: builtins.concatStringsSep ":" (map (p: "${p}/bin") inputs);
in
rec {
  # runCommand name env script: a derivation whose buildCommand is script
  # (passed as a file), so genericBuild runs it alone: no phase, no fixup.
  runCommand =
    name: env: buildCommand:
    stdenv.mkDerivation (
      {
        inherit name buildCommand;
        passAsFile = [ "buildCommand" ];
      }
      // env
    );

  # writeShellApplication writes bin/<name>: bash with its bashOptions
  # (errexit, nounset, pipefail), runtimeEnv's variables exported,
  # runtimeInputs first in PATH, then text. A runtimeEnv value is turned
  # into a plain string (lib.toShellVar): a path there is a string without
  # context, whose file is not in the script's closure. Its check runs
  # bash -n and shellcheck, as nixpkgs does wherever shellcheck builds, so
  # a script that shellcheck flags does not build (the stand-in uses the
  # machine's bash and shellcheck, and fails when shellcheck is missing).
  # Made by runCommand (writeTextFile), it goes through no fixup.
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
    runCommand name
      {
        inherit passthru;
        meta = {
          mainProgram = name;
        }
        // meta;
        text =
          "#!/bin/bash\n"
          + builtins.concatStringsSep "" (map (o: "set -o ${o}\n") bashOptions)
          + lib.optionalString (runtimeEnv != null) (
            builtins.concatStringsSep "" (
              map (
                n: "${n}=${lib.escapeShellArg (toString runtimeEnv.${n})}\nexport ${n}\n"
              ) (builtins.attrNames runtimeEnv)
            )
          )
          + lib.optionalString (runtimeInputs != [ ]) ''

            export PATH="${binPath runtimeInputs}${lib.optionalString inheritPath ":$PATH"}"
          ''
          + "\n"
          + text;
        shellcheckFlags = map (c: "--exclude=${c}") excludeShellChecks ++ extraShellCheckFlags;
      }
      ''
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

  # mkShell: packages join nativeBuildInputs; its one phase records the
  # environment, so building it succeeds, as in nixpkgs; `nix develop`
  # enters it.
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
    stdenv.mkDerivation (
      removeAttrs args [
        "packages"
        "inputsFrom"
      ]
      // {
        inherit name;
        nativeBuildInputs = packages ++ nativeBuildInputs;
        phases = [ "buildPhase" ];
        buildPhase = ''
          { echo "------------------------------------------------------------";
            echo " WARNING: the existence of this path is not guaranteed.";
            echo " It is an internal implementation detail for pkgs.mkShell.";
            echo "------------------------------------------------------------";
            echo;
            export;
          } >> "$out"
        '';
        preferLocalBuild = true;
      }
    );
}
