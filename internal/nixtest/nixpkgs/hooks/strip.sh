# shellcheck shell=bash disable=SC2154
# pkgs/build-support/setup-hooks/strip.sh: in every fixupOutput, strip the
# files under stripDebugList (default lib lib32 lib64 libexec bin sbin) with
# the builder's own $STRIP and stripDebugFlags (default -S -p), one file a
# call; a file that strip cannot read is left as it is, silently (xargs'
# exit 123 is ignored). dontStrip turns it off. Each system's $STRIP comes
# from its bintools (stdenv/default.nix): so a binary is stripped only by
# a builder whose strip reads its format.
fixupOutputHooks+=(_doStrip)

_doStrip() {
    if [ -n "${dontStrip-}" ] || [ -n "${dontStripHost-}" ] || ! type -f "${STRIP-}" >/dev/null 2>&1; then
        return 0
    fi
    stripDebugList=${stripDebugList[*]:-lib lib32 lib64 libexec bin sbin}
    stripDirs "$STRIP" "$stripDebugList" "${stripDebugFlags[*]:--S -p}"
    stripDirs "$STRIP" "${stripAllList[*]:-}" "${stripAllFlags[*]:--s -p}"
}

stripDirs() {
    local cmd=$1 dirs=$2 flags=$3 paths="" p code=0
    for p in $dirs; do
        if [ -e "$prefix/$p" ]; then paths="$paths $prefix/$p"; fi
    done
    [ -n "$paths" ] || return 0
    echo "stripping (with command $cmd and flags $flags) in $paths"
    # shellcheck disable=SC2086
    find $paths -type f -print0 | xargs -r -0 -n1 -- realpath -z | sort -u -z |
        xargs -r -0 -n1 -P "$NIX_BUILD_CORES" -- $cmd $flags 2>"$TMPDIR/striperr" || code=$?
    if [ "$code" != 0 ] && [ "$code" != 123 ]; then
        cat "$TMPDIR/striperr" >&2
        exit 1
    fi
    rm -f "$TMPDIR/striperr"
}
