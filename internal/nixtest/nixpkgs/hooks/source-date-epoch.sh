# shellcheck shell=bash disable=SC2154
# pkgs/build-support/setup-hooks/set-source-date-epoch-to-latest.sh
# (postUnpack: SOURCE_DATE_EPOCH becomes the newest time of a file in the
# source, when that is later than it) and reproducible-builds.sh (a C
# compiler's -frandom-seed from the output's name). Go reads neither: they
# reach no byte of a Go binary, but a build that does read them sees them.
postUnpackHooks+=(_updateSourceDateEpochFromSourceRoot)
NIX_CFLAGS_COMPILE="${NIX_CFLAGS_COMPILE:-} -frandom-seed=$(outbase=${out##*/} && echo "${outbase:0:10}")"
export NIX_CFLAGS_COMPILE

_updateSourceDateEpochFromSourceRoot() {
    local newest
    [ -n "${sourceRoot:-}" ] || return 0
    newest=$(find "$sourceRoot" -type f -printf '%T@\n' | sort -n | tail -n 1)
    newest=${newest%%.*}
    if [ "${newest:-0}" -gt "$SOURCE_DATE_EPOCH" ]; then
        echo "setting SOURCE_DATE_EPOCH to timestamp $newest"
        export SOURCE_DATE_EPOCH=$newest
    fi
}
