# shellcheck shell=bash disable=SC2154
# The stand-in's stdenv setup script: pkgs/stdenv/generic/setup.sh, reduced
# to what a Go package, a runCommand and a dev shell go through, with its
# function names, its order and its switches. builder.sh writes it into the
# stdenv's $out/setup after the stdenv's own variables (initialPath,
# defaultNativeBuildInputs); every derivation's builder sources it, and so
# does `nix develop` (its get-env.sh). What it leaves out is listed in
# docs/testing.md's table of phases and hooks.

__nixpkgs_setup_set_original=$-
set -eu
set -o pipefail
shopt -s inherit_errexit

# --- Hooks: runHook NAME runs NAME (a function, or a string to eval) and
# then every entry of the array NAMEHooks (NAME without a trailing "Hook").
_eval() {
    if declare -F "$1" >/dev/null 2>&1; then
        "$@"
    else
        eval "$1"
    fi
}

_callImplicitHook() {
    local def=$1 hookName=$2
    if declare -F "$hookName" >/dev/null; then
        "$hookName"
    elif [ -n "${!hookName:-}" ]; then
        eval "${!hookName}"
    else
        return "$def"
    fi
}

runHook() {
    local hookName=$1
    shift
    local hooksSlice="${hookName%Hook}Hooks[@]"
    local hook
    for hook in "_callImplicitHook 0 $hookName" ${!hooksSlice+"${!hooksSlice}"}; do
        _eval "$hook" "$@"
    done
    return 0
}

# --- Helpers of setup.sh that the hooks use.
isELF() {
    local magic
    magic=$(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')
    [ "$magic" = 7f454c46 ]
}

isScript() {
    local magic
    magic=$(head -c 2 "$1" 2>/dev/null) || return 1
    [ "$magic" = '#!' ]
}

addToSearchPath() {
    local -n var=$1
    [ -d "$2" ] || return 0
    var="${var:+$var:}$2"
}

stripHash() {
    local base
    base=$(basename "$1")
    if [[ $base =~ ^[a-z0-9]{32}- ]]; then echo "${base:33}"; else echo "$base"; fi
}

getAllOutputNames() {
    echo "$outputs"
}

# --- The environment: initialPath, then each input's bin and setup hook.
# A file among the inputs is a setup hook and is sourced (the default
# hooks are such files); a package's nix-support/setup-hook is sourced
# too. With strictDeps (buildGoModule sets it) the initial path stays out
# of HOST_PATH, which patchShebangs reads.
: "${outputs:=out}"
: "${strictDeps:=}"
PATH=
HOST_PATH=
for i in $initialPath; do
    if [ "$i" = / ]; then i=; fi
    addToSearchPath PATH "$i/bin"
    [ -n "$strictDeps" ] || addToSearchPath HOST_PATH "$i/bin"
done
export PATH HOST_PATH

_inputPath=
activatePackage() {
    local pkg=$1 host=$2
    if [ -f "$pkg" ]; then
        # shellcheck disable=SC1090
        source "$pkg"
        return 0
    fi
    if [ "$host" = 1 ]; then
        addToSearchPath HOST_PATH "$pkg/bin"
        [ -n "$strictDeps" ] && return 0
    fi
    addToSearchPath _inputPath "$pkg/bin"
    if [ -f "$pkg/nix-support/setup-hook" ]; then
        # shellcheck disable=SC1091
        source "$pkg/nix-support/setup-hook"
    fi
}
for pkg in ${nativeBuildInputs:-} ${defaultNativeBuildInputs:-}; do
    activatePackage "$pkg" 0
done
for pkg in ${buildInputs:-}; do
    activatePackage "$pkg" 1
done
PATH="${_inputPath}${_inputPath:+${PATH:+:}}$PATH"
unset _inputPath

export SOURCE_DATE_EPOCH
: "${SOURCE_DATE_EPOCH:=315532800}"

# A glob that matches nothing is nothing, not itself.
shopt -s nullglob

# A build's time zone is UTC; and SSL libraries find no certificate in
# /etc/ssl unless one is named, but in an impure nix develop.
export TZ=UTC
if [[ -z "${NIX_SSL_CERT_FILE:-}" && "${IN_NIX_SHELL:-}" != "impure" ]]; then
    export NIX_SSL_CERT_FILE=/no-cert-file.crt
fi
if [[ -z "${SSL_CERT_FILE:-}" && "${IN_NIX_SHELL:-}" != "impure" ]]; then
    export SSL_CERT_FILE=/no-cert-file.crt
fi

: "${NIX_BUILD_CORES:=1}"
export TMP=${TMPDIR:-/tmp} TEMP=${TMPDIR:-/tmp}

# --- The phases.
_defaultUnpack() {
    local fn=$1
    if [ -d "$fn" ]; then
        cp -r --preserve=timestamps --reflink=auto -- "$fn" "$(stripHash "$fn")"
    else
        case "$fn" in
        *.tar | *.tar.* | *.tgz) tar xf "$fn" --mode=+w --warning=no-timestamp ;;
        *) return 1 ;;
        esac
    fi
}

unpackPhase() {
    runHook preUnpack
    local dirsBefore="" i
    for i in *; do
        if [ -d "$i" ]; then dirsBefore="$dirsBefore $i "; fi
    done
    for i in ${srcs:-$src}; do
        echo "unpacking source archive $i"
        _defaultUnpack "$i" || {
            echo "do not know how to unpack source archive $i"
            exit 1
        }
    done
    : "${sourceRoot=}"
    if [ -z "$sourceRoot" ]; then
        for i in *; do
            if [ -d "$i" ]; then
                case $dirsBefore in
                *" $i "*) ;;
                *)
                    if [ -n "$sourceRoot" ]; then
                        echo "unpacker produced multiple directories"
                        exit 1
                    fi
                    sourceRoot=$i
                    ;;
                esac
            fi
        done
    fi
    if [ -z "$sourceRoot" ]; then
        echo "unpacker appears to have produced no directories"
        exit 1
    fi
    echo "source root is $sourceRoot"
    [ "${dontMakeSourcesWritable:-0}" = 1 ] || chmod -R u+w -- "$sourceRoot"
    runHook postUnpack
}

patchPhase() {
    runHook prePatch
    local i
    for i in ${patches:-}; do
        echo "applying patch $i"
        patch ${patchFlags:--p1} <"$i"
    done
    runHook postPatch
}

configurePhase() {
    runHook preConfigure
    if [ -x "${configureScript:-./configure}" ]; then
        echo "stand-in stdenv: a configure script is not modelled" >&2
        exit 1
    fi
    echo "no configure script, doing nothing"
    runHook postConfigure
}

_hasMakefile() {
    [ -n "${makefile:-}" ] || [ -e Makefile ] || [ -e makefile ] || [ -e GNUmakefile ]
}

buildPhase() {
    runHook preBuild
    if _hasMakefile; then
        foundMakefile=1
        make ${makefile:+-f $makefile} ${makeFlags:-} ${buildFlags:-}
    else
        echo "no Makefile or custom buildPhase, doing nothing"
    fi
    runHook postBuild
}

checkPhase() {
    runHook preCheck
    if _hasMakefile; then
        make ${makefile:+-f $makefile} ${makeFlags:-} ${checkFlags:-VERBOSE=y} ${checkTarget:-check}
    else
        echo "no Makefile or custom checkPhase, doing nothing"
    fi
    runHook postCheck
}

installPhase() {
    runHook preInstall
    if _hasMakefile; then
        mkdir -p "$out"
        make ${makefile:+-f $makefile} ${makeFlags:-} ${installTargets:-install}
    else
        echo "no Makefile or custom installPhase, doing nothing"
    fi
    runHook postInstall
}

# fixupPhase makes each output writable, then runs preFixup, the
# fixupOutput hooks on each output with $prefix set to it (strip,
# patchShebangs, patchELF on Linux, ...: the hooks register themselves),
# and postFixup.
fixupPhase() {
    local output
    for output in $(getAllOutputNames); do
        if [ -e "${!output}" ]; then chmod -R u+w,u-s,g-s "${!output}"; fi
    done
    runHook preFixup
    for output in $(getAllOutputNames); do
        prefix="${!output}" runHook fixupOutput
    done
    runHook postFixup
}

_notModelled() {
    echo "stand-in stdenv: $1 is not modelled (see docs/testing.md)" >&2
    exit 1
}
# installCheckPhase runs preInstallCheck (versionCheckHook registers
# itself there) and postInstallCheck; make installcheck, after a buildPhase
# that ran make (foundMakefile: not buildGoModule's), is not modelled.
installCheckPhase() {
    runHook preInstallCheck
    if [ -n "${foundMakefile:-}" ]; then
        _notModelled "installCheckPhase after make"
    fi
    echo "no Makefile or custom installCheckPhase, doing nothing"
    runHook postInstallCheck
}
distPhase() { _notModelled distPhase; }

runPhase() {
    local curPhase=$1
    case "$curPhase" in
    unpackPhase) [ -z "${dontUnpack:-}" ] || return 0 ;;
    patchPhase) [ -z "${dontPatch:-}" ] || return 0 ;;
    configurePhase) [ -z "${dontConfigure:-}" ] || return 0 ;;
    buildPhase) [ -z "${dontBuild:-}" ] || return 0 ;;
    checkPhase) [ -n "${doCheck:-}" ] || return 0 ;;
    installPhase) [ -z "${dontInstall:-}" ] || return 0 ;;
    fixupPhase) [ -z "${dontFixup:-}" ] || return 0 ;;
    installCheckPhase) [ -n "${doInstallCheck:-}" ] || return 0 ;;
    distPhase) [ -n "${doDist:-}" ] || return 0 ;;
    esac
    echo "Running phase: $curPhase"
    eval "${!curPhase:-$curPhase}"
    if [ "$curPhase" = unpackPhase ]; then
        if [ -n "${sourceRoot:-}" ]; then chmod +x -- "$sourceRoot"; fi
        cd -- "${sourceRoot:-.}"
    fi
}

genericBuild() {
    export GZIP_NO_TIMESTAMPS=1
    if [ -f "${buildCommandPath:-}" ]; then
        # shellcheck disable=SC1090
        source "$buildCommandPath"
        return
    fi
    if [ -n "${buildCommand:-}" ]; then
        eval "$buildCommand"
        return
    fi
    if [ -z "${phases:-}" ]; then
        phases="unpackPhase patchPhase configurePhase buildPhase checkPhase installPhase fixupPhase installCheckPhase distPhase"
    fi
    local curPhase
    for curPhase in $phases; do
        runPhase "$curPhase"
    done
}

# --- Error handling: exitHandler, the EXIT trap, runs failureHook when the
# build fails and exitHook when it succeeds, as setup.sh's does (its
# showBuildStats and succeedOnFailure are not modelled).
exitHandler() {
    exitCode="$?"
    set +e
    if (( "$exitCode" != 0 )); then
        runHook failureHook
    else
        runHook exitHook
    fi
    return "$exitCode"
}

trap "exitHandler" EXIT

runHook postHook

[[ $__nixpkgs_setup_set_original == *e* ]] || set +e
[[ $__nixpkgs_setup_set_original == *u* ]] || set +u
unset -v __nixpkgs_setup_set_original
