# pkgs/by-name/ca/cacert/package.nix: nss-cacert, of which the stand-in
# models the out output, etc/ssl/certs/ca-bundle.crt and
# ca-no-trust-rules-bundle.crt (the unbundled, p11kit and hashed outputs are
# left out). nixpkgs writes both with buildcatrust from the certdata.txt of
# a fixed NSS release, so the bundle is the same bytes on every system; it
# is a stdenv.mkDerivation, so the fixup phase runs on it (and changes no
# .crt file). The stand-in's certdata is this machine's bundle (Debian's
# ca-certificates, Mozilla's roots too) and the CA the tests make
# (test-ca.pem, which nixtest.Prepare writes beside it): also the same on every
# system, and a CA that a test's TLS server can chain to.
{
  stdenv,
  runCommand,
}:
let
  version = "3.119.1";
  # machine/ca-certs.pem: this machine's bundle, which nixtest.Prepare
  # copies into the stand-in (a sandboxed build sees no /etc of the machine).
  certdata = runCommand "nss-cacert-certdata-${version}" { } ''
    mkdir "$out"
    cat ${./machine/ca-certs.pem} ${./test-ca.pem} > "$out/certdata.pem"
  '';
in
stdenv.mkDerivation {
  pname = "nss-cacert";
  inherit version;
  src = certdata;
  buildPhase = ''
    cp certdata.pem ca-bundle.crt
    cp certdata.pem ca-no-trust-rules-bundle.crt
  '';
  installPhase = ''
    install -D -t "$out/etc/ssl/certs" ca-bundle.crt
    install -D -t "$out/etc/ssl/certs" ca-no-trust-rules-bundle.crt
  '';
  meta.description = "Bundle of X.509 certificates of public Certificate Authorities (CA)";
}
