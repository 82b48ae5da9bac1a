#!/bin/sh
# aarch64-darwin's strip, as its bintools wrapper runs it
# (pkgs/build-support/bintools-wrapper/darwin-strip-wrapper.sh): the
# toolchain's strip, LLVM's, which reads Mach-O, ELF and PE (this machine's
# llvm-strip stands in for the pin's LLVM: which LLVM the pin's darwin
# stdenv has, and that it is LLVM's strip and not cctools', is read from
# a newer tree, not the pin's), then signIfRequired on each file it was
# given (pkgs/os-specific/darwin/signing-utils/utils.sh): every 64-bit
# Mach-O file is signed ad hoc again, named as the file (sigtool's
# codesign, as internal/nixtest/machosign models it).
set -eu
@llvmstrip@ "$@"
# The files: the arguments that are no flags (strip.sh passes -S, then one file).
for f; do
  case $f in -*) continue ;; esac
  @codesign@ -f -s - "$f"
done
