# shellcheck shell=bash disable=SC1091,SC2154
# pkgs/stdenv/generic/default-builder.sh: every stdenv.mkDerivation runs
# this with bash -e, unless it names a builder of its own.
source "$stdenv/setup"
genericBuild
