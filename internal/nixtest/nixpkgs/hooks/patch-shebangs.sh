# shellcheck shell=bash disable=SC2154
# pkgs/build-support/setup-hooks/patch-shebangs.sh: in every fixupOutput,
# unless dontPatchShebangs, rewrite the `#!` line of each executable script
# of the output to the interpreter of that name found on HOST_PATH (so the
# runtime inputs, and with strictDeps nothing else), `#!/usr/bin/env X` to
# X itself; an interpreter already in the store, or not found, stays. Its
# time stamp is kept.
fixupOutputHooks+=(patchShebangsAuto)

patchShebangs() {
    local f line old arg0 args new
    [ "$1" = --host ] && shift
    while IFS= read -r -d '' f; do
        isScript "$f" || continue
        read -r line <"$f"
        read -r old arg0 args <<<"${line:2}"
        if [[ $old == */bin/env ]]; then
            new=$(PATH=$HOST_PATH command -v "$arg0" || true)
            args=$args
        else
            [ -n "$old" ] || old=/bin/sh
            new=$(PATH=$HOST_PATH command -v "$(basename "$old")" || true)
            args="$arg0${args:+ $args}"
        fi
        if [[ -n $new && $new != "$old" && $old != "$NIX_STORE"/* ]]; then
            echo "$f: interpreter directive changed from \"$line\" to \"#!$new${args:+ $args}\""
            local stamp
            stamp=$(stat --printf %y "$f")
            sed -i -e "1 s|.*|#!$new${args:+ $args}|" "$f"
            touch --date "$stamp" "$f"
        fi
    done < <(find "$@" -type f -perm -0100 -print0)
}

patchShebangsAuto() {
    if [ -z "${dontPatchShebangs-}" ] && [ -e "$prefix" ]; then
        patchShebangs --host "$prefix"
    fi
}
