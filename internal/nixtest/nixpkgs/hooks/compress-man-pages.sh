# shellcheck shell=bash
# pkgs/build-support/setup-hooks/compress-man-pages.sh: unless dontGzipMan,
# gzip -n every manual page under share/man that is not compressed yet.
fixupOutputHooks+=('if [ -z "${dontGzipMan-}" ]; then compressManPages "$prefix"; fi')

compressManPages() {
    local f
    [ -d "$1/share/man" ] || return 0
    echo "gzipping man pages under $1/share/man/"
    while IFS= read -r -d '' f; do
        gzip -c -n "$f" >"$f.gz" && rm "$f"
    done < <(find "$1/share/man" -type f -not -name '*.gz' -print0)
}
