# shellcheck shell=bash disable=SC2154
# pkgs/build-support/setup-hooks/make-symlinks-relative.sh (postFixup: an
# absolute link into its own output becomes relative, unless
# dontRewriteSymlinks) and no-broken-symlinks.sh (postFixup: a link into
# the store that leads nowhere, or to itself, fails the build, unless
# dontCheckForBrokenSymlinks).
postFixupHooks+=(_makeSymlinksRelative _noBrokenSymlinks)

_makeSymlinksRelative() {
    local link target
    [ -z "${dontRewriteSymlinks-}" ] || return 0
    while IFS= read -r -d '' link; do
        target=$(readlink "$link")
        [[ $target == "$out"/* ]] || continue
        echo "rewriting symlink $link to be relative to $out"
        ln -snrf "$target" "$link"
    done < <(find "$out" -type l -print0)
}

_noBrokenSymlinks() {
    local link target
    [ -z "${dontCheckForBrokenSymlinks-}" ] || return 0
    while IFS= read -r -d '' link; do
        target=$(readlink -m "$link")
        if [ "$target" = "$link" ]; then
            echo "the symlink $link points to itself" >&2
            exit 1
        fi
        if [[ $target == "$NIX_STORE"/* ]] && [ ! -e "$target" ]; then
            echo "the symlink $link points to a missing target: $target" >&2
            exit 1
        fi
    done < <(find "$out" -type l -print0)
}
