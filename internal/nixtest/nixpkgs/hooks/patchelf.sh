# shellcheck shell=bash
# The setup hook of nixpkgs' patchelf (pkgs/by-name/pa/patchelf/setup-hook.sh),
# which every Linux stdenv has: in every fixupOutput, unless dontPatchELF,
# `patchelf --shrink-rpath` each ELF file of the output. On a static ELF
# (no .dynamic section) patchelf refuses and the file stays as it was; the
# failure is ignored.
fixupOutputHooks+=('if [ -z "${dontPatchELF-}" ]; then patchELF "$prefix"; fi')

patchELF() {
    local dir=$1 i
    [ -e "$dir" ] || return 0
    echo "shrinking RPATHs of ELF executables and libraries in $dir"
    while IFS= read -r -d '' i; do
        [[ $i =~ \.build-id ]] && continue
        isELF "$i" || continue
        echo "shrinking $i"
        patchelf --shrink-rpath "$i" || true
    done < <(find "$dir" -type f -print0)
}
