#!/bin/sh
# aarch64-darwin's strip and ranlib (cctools'), as far as the stand-in can
# play them: they read Mach-O files only, so any other file, an ELF binary
# among them, is refused. A Mach-O file is left as it is: the stand-in has
# no Mach-O strip (docs/testing.md, "What only real nixpkgs can prove").
for f; do :; done
case $(head -c 4 "$f" 2>/dev/null | od -An -tx1 | tr -d ' \n') in
cffaedfe | cefaedfe | feedfacf | feedface | cafebabe) exit 0 ;;
esac
echo "${0##*/}: $f: not a Mach-O file" >&2
exit 1
