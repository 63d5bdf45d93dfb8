"""The cluster's certificate authority and the API server's serving certificate.

Like a real cluster, the simulator speaks HTTPS only: kubectl and client-go refuse to send
a bearer token over plain HTTP.  Each cluster gets its own CA (written into the
kubeconfig as certificate-authority-data) and a serving certificate for loopback and the
names pods use for the API (``kubernetes.default.svc``, 10.96.0.1).  Keys are ECDSA P-256:
generating one takes about a millisecond, so an ephemeral cluster still starts at once.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SERVING_NAMES = ("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                 "kubernetes.default.svc.cluster.local", "kit-control-plane")
SERVING_IPS = ("127.0.0.1", "::1", "10.96.0.1", "172.18.0.2")
VALIDITY = datetime.timedelta(days=3650)


@dataclass(frozen=True)
class Certificates:
    ca_pem: bytes
    cert_pem: bytes
    key_pem: bytes

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        # ssl wants files; they exist only for the call, in a private temporary folder.
        with tempfile.TemporaryDirectory(prefix="kit-tls-") as folder:
            cert, key = Path(folder) / "tls.crt", Path(folder) / "tls.key"
            cert.write_bytes(self.cert_pem + self.ca_pem)
            key.write_bytes(self.key_pem)
            key.chmod(0o600)
            context.load_cert_chain(cert, key)
        return context

    def to_meta(self) -> dict[str, str]:
        return {"ca.crt": self.ca_pem.decode(), "tls.crt": self.cert_pem.decode(),
                "tls.key": self.key_pem.decode()}

    @classmethod
    def from_meta(cls, meta: dict[str, str | None]) -> Certificates | None:
        values = [meta.get(k) for k in ("ca.crt", "tls.crt", "tls.key")]
        if not all(values):
            return None
        ca, cert, key = (str(v).encode() for v in values)
        return cls(ca_pem=ca, cert_pem=cert, key_pem=key)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def generate(*, now: datetime.datetime | None = None) -> Certificates:
    """A fresh CA and a serving certificate signed by it."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    start = now - datetime.timedelta(minutes=5)      # tolerate small clock skew
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (x509.CertificateBuilder()
               .subject_name(_name("kubernetes")).issuer_name(_name("kubernetes"))
               .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(start + VALIDITY)
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True,
                                            crl_sign=True, content_commitment=False,
                                            key_encipherment=False, data_encipherment=False,
                                            key_agreement=False, encipher_only=False,
                                            decipher_only=False), critical=True)
               .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName(n) for n in SERVING_NAMES]
    names += [x509.IPAddress(ipaddress.ip_address(ip)) for ip in SERVING_IPS]
    cert = (x509.CertificateBuilder()
            .subject_name(_name("kube-apiserver")).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + VALIDITY)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    return Certificates(ca_pem=ca_cert.public_bytes(serialization.Encoding.PEM),
                        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
                        key_pem=_pem_key(key))
