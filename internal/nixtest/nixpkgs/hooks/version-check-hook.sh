# shellcheck shell=bash disable=SC2154,SC2016,SC2076
# pkgs/by-name/ve/versionCheckHook/hook.sh, the setup hook of
# pkgs.versionCheckHook: in a derivation's nativeInstallCheckInputs with
# doInstallCheck, it runs before installCheckPhase (preInstallCheckHooks)
# and fails the build, exit 2, unless the installed program prints the
# derivation's $version. The program is $versionCheckProgram, else
# ${!outputBin}/bin/$NIX_MAIN_PROGRAM (meta.mainProgram), else
# ${!outputBin}/bin/$pname; it runs from / with argv[0] its base name, in
# an empty environment but the names of versionCheckKeepEnvironment ("*"
# keeps all), with $versionCheckProgramArg, or with --help and then
# --version when that is unset. Its output (stdout and stderr, store paths
# shortened to {{storeDir}}) must hold $version, as a plain substring. It
# changes no bytes.
#
# Beside nixpkgs: the stand-in runs every system's builds on this machine.
# A program of another platform than this machine's (GOOS, GOARCH of a Go
# build) is checked on that system's builder, not here, as go.sh's tests.

_versionCheckOutput() {
    local program=$1 arg=$2 keep=$3
    local vars=() name
    if [[ "$keep" != "*" ]]; then
        for name in $keep; do
            vars+=("$name=${!name}")
        done
    fi
    local env=(env)
    [[ "$keep" == "*" ]] || env+=(-i "${vars[@]}")
    (cd / && "${env[@]}" /bin/bash -c 'exec -a "$0" "$1" "$2"' "$(basename "$program")" "$program" "$arg" 2>&1 |
        sed -e 's|/nix/store/[^/ ]*/|{{storeDir}}/|g') || true
}

versionCheckHook() {
    runHook preVersionCheck
    echo Executing versionCheckPhase
    : "${versionCheckKeepEnvironment:=}"
    local bin=${outputBin:-out} program
    if [[ -n "${versionCheckProgram-}" ]]; then
        program=$versionCheckProgram
    elif [[ -n "${NIX_MAIN_PROGRAM-}" ]]; then
        program=${!bin}/bin/$NIX_MAIN_PROGRAM
    elif [[ -n "${pname-}" ]]; then
        program=${!bin}/bin/$pname
    else
        echo "versionCheckHook: \$NIX_MAIN_PROGRAM, \$versionCheckProgram and \$pname are all empty, so we don't know how to run the versionCheckPhase. To fix this, set one of \`meta.mainProgram\` or \`versionCheckProgram\`." >&2
        exit 2
    fi
    if [[ ! -x "$program" ]]; then
        echo "versionCheckHook: $program was not found, or is not an executable" >&2
        exit 2
    fi
    local machine
    machine=$(uname -s | tr '[:upper:]' '[:lower:]')_$(uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
    if [[ -n "${GOOS-}" && "${GOOS}_${GOARCH-}" != "$machine" ]]; then
        echo "stand-in: the version check of ${GOOS}/${GOARCH-} runs on that system's builder, not here"
        runHook postVersionCheck
        return 0
    fi
    local args=("${versionCheckProgramArg-}") arg output found=
    [[ -n "${versionCheckProgramArg-}" ]] || args=(--help --version)
    for arg in "${args[@]}"; do
        output=$(_versionCheckOutput "$program" "$arg" "$versionCheckKeepEnvironment")
        if [[ "$output" =~ "$version" ]]; then
            found=1
            echo "Successfully managed to find version $version in the output of the command $program $arg" >&2
            echo "$output" >&2
            break
        fi
        echo "Did not find version $version in the output of the command $program $arg" >&2
        echo "$output" >&2
    done
    [[ -n "$found" ]] || exit 2
    runHook postVersionCheck
    echo Finished versionCheckPhase
}

if [[ -z "${dontVersionCheck-}" ]]; then
    echo "Using versionCheckHook"
    preInstallCheckHooks+=(versionCheckHook)
fi
