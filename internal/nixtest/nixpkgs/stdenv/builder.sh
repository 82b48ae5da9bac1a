# shellcheck shell=bash disable=SC2154
# The stdenv's own builder (pkgs/stdenv/generic/builder.sh): $out/setup is
# the stdenv's variables followed by setup.sh.
mkdir -p "$out"
{
    echo "export SHELL=$shell"
    echo "initialPath=\"$initialPath\""
    echo "defaultNativeBuildInputs=\"$defaultNativeBuildInputs\""
    echo "$preHook"
    cat "$setup"
} >"$out/setup"
