# shellcheck shell=bash disable=SC2154
# pkgs/build-support/setup-hooks/move-docs.sh (preFixup: man, doc and info
# move under share/), move-lib64.sh (lib64 into lib, then a link), move-sbin.sh
# (sbin into bin, then a link) and move-systemd-user-units.sh (lib/systemd/user
# into share/systemd/user, then a link): files change place, not bytes.
preFixupHooks+=(_moveToShare)
fixupOutputHooks+=(_moveLib64 _moveSbin _moveSystemdUserUnits)

_moveToShare() {
    local d
    for d in man doc info; do
        if [ -d "$out/$d" ] && [ ! -L "$out/$d" ]; then
            mkdir -p "$out/share"
            mv "$out/$d" "$out/share/$d"
        fi
    done
}

_moveInto() {
    local from=$1 to=$2 link=$3
    [ -d "$prefix/$from" ] && [ ! -L "$prefix/$from" ] || return 0
    echo "moving $prefix/$from/* to $prefix/$to"
    mkdir -p "$prefix/$to"
    find "$prefix/$from" -mindepth 1 -maxdepth 1 -exec mv -t "$prefix/$to" {} +
    rmdir "$prefix/$from"
    ln -s "$link" "$prefix/$from"
}

_moveLib64() { [ -n "${dontMoveLib64-}" ] || _moveInto lib64 lib lib; }
_moveSbin() { [ -n "${dontMoveSbin-}" ] || _moveInto sbin bin bin; }
_moveSystemdUserUnits() { [ -n "${dontMoveSystemdUserUnits-}" ] || _moveInto lib/systemd/user share/systemd/user ../../share/systemd/user; }
