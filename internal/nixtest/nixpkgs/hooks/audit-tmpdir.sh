# shellcheck shell=bash disable=SC2154
# pkgs/build-support/setup-hooks/audit-tmpdir.sh: the build fails when an
# ELF file's RPATH names the build's $TMPDIR. It changes no bytes.
fixupOutputHooks+=('if [[ -z "${noAuditTmpdir-}" && -e "$prefix" ]]; then auditTmpdir "$prefix"; fi')

auditTmpdir() {
    local i
    echo "checking for references to $TMPDIR/ in $1..."
    while IFS= read -r -d '' i; do
        if isELF "$i" && { printf :; patchelf --print-rpath "$i" 2>/dev/null; } | grep -q -F ":$TMPDIR/"; then
            echo "RPATH of binary $i contains a forbidden reference to $TMPDIR/"
            exit 1
        fi
    done < <(find "$1" -type f -print0)
}
