package nixtest

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"testing"
	"time"
)

// caSeed is the seed of the test CA's Ed25519 key: a fixed key, fixed
// dates and a fixed serial make the same certificate on every run, so the
// stand-in's cacert, and every image built with it, keep their bytes.
var caSeed = []byte("gonix-init nixtest certificate a")

// testCA returns the CA the tests make, its key, and its certificate as PEM.
func testCA() (*x509.Certificate, ed25519.PrivateKey, []byte, error) {
	key := ed25519.NewKeyFromSeed(caSeed)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "gonix-init nixtest CA"},
		NotBefore:             time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2125, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, nil, err
	}
	return cert, key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// TestCAPEM is the certificate of the CA the tests make, which the stand-in's
// cacert holds beside this machine's bundle.
func TestCAPEM(t testing.TB) []byte {
	t.Helper()
	_, _, pemBytes, err := testCA()
	if err != nil {
		t.Fatal(err)
	}
	return pemBytes
}

// ServerCert returns a certificate for 127.0.0.1 and localhost that the
// test CA signed, for a TLS server that an image built with the stand-in
// trusts.
func ServerCert(t testing.TB) tls.Certificate {
	t.Helper()
	ca, caKey, _, err := testCA()
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
