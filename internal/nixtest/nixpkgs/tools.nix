# The packages of nixpkgs that gonix-init's templates name besides Go, each
# following the nixpkgs file named beside it in what the templates use. All
# are made by runCommand: no fixup runs on them, which changes nothing the
# tests compare (none reaches an image).
{
  runCommand,
  host,
}:
let
  # tool is a stand-in for a program the dev shell holds: a script.
  tool =
    pname: mainProgram: body:
    runCommand "${pname}-0-standin"
      {
        inherit pname body;
        version = "0-standin";
        meta.mainProgram = mainProgram;
      }
      ''
        mkdir -p "$out/bin"
        printf '#!/bin/sh\n%s\n' "$body" > "$out/bin/${mainProgram}"
        chmod +x "$out/bin/${mainProgram}"
      '';

  # built is a package of a real program the tests built (host.nix names
  # it), at the version internal/nixtest/tools/go.mod pins.
  built =
    pname: program: path:
    runCommand "${pname}-standin" { meta.mainProgram = program; } ''
      mkdir -p "$out/bin"
      cp ${path} "$out/bin/${program}"
    '';

  # Data packages nixpkgs' Go points into: this machine's files, at
  # nixpkgs' paths inside each output. A sandboxed build sees no /etc of the
  # machine: nixtest.Prepare copies its files into machine/.
  data = pname: runCommand "${pname}-standin" { };
in
rec {
  # pkgs/by-name/ia/iana-etc, pkgs/by-name/ma/mailcap, pkgs/by-name/tz/tzdata.
  iana-etc = data "iana-etc" ''
    mkdir -p "$out/etc"
    cp ${./machine/services} "$out/etc/services"
    cp ${./machine/protocols} "$out/etc/protocols"
  '';
  mailcap = data "mailcap" ''
    mkdir -p "$out/etc"
    cp ${./machine/mime.types} "$out/etc/mime.types"
  '';
  tzdata = data "tzdata" ''
    mkdir -p "$out/share"
    cp -r /usr/share/zoneinfo "$out/share/zoneinfo"
  '';

  # pkgs/by-name/cy/cyclonedx-gomod.
  cyclonedx-gomod = built "cyclonedx-gomod" "cyclonedx-gomod" host.cyclonedxGomod;
  # pkgs/by-name/re/regclient: regctl (its regsync and regbot are left out).
  regclient = built "regclient" "regctl" host.regctl;

  # pkgs/by-name/zi/zip (Info-ZIP's zip 3.0) and pkgs/by-name/jq/jq: this
  # machine's (Debian's zip 3.0 and jq 1.6; nixpkgs has a newer jq, whose
  # output for what the templates ask of it, a field deleted and the JSON
  # pretty-printed, is the same).
  zip = tool "zip" "zip" ''exec /usr/bin/zip "$@"'';
  jq = tool "jq" "jq" ''exec /usr/bin/jq "$@"'';

  gopls = tool "gopls" "gopls" "echo gopls stand-in";
  # Runs go vet, the closest thing this machine has, with the caller's
  # GOCACHE, as golangci-lint loads packages through go list. Its
  # --build-tags are go vet's -tags.
  golangci-lint = tool "golangci-lint" "golangci-lint" ''
    [ "$1" = run ] && shift
    case "$1" in --build-tags=*) tags="-tags=''${1#--build-tags=}"; shift; set -- "$tags" "$@";; esac
    exec go vet "$@"
  '';
  delve = tool "delve" "dlv" "echo delve stand-in";
  go-task = tool "go-task" "task" "echo go-task stand-in";
  tmux = tool "tmux" "tmux" "echo tmux stand-in";
  git = tool "git" "git" "echo git stand-in";

  # pkgs/shells/bash: the interactive bash `nix develop` starts, this
  # machine's.
  bashInteractive = runCommand "bash-interactive-standin" { meta.mainProgram = "bash"; } ''
    mkdir -p "$out/bin"
    ln -s /bin/bash "$out/bin/bash"
  '';

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
}
