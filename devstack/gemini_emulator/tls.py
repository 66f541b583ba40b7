"""A local certificate authority and server certificate, so clients can reach the emulator over TLS.

google-genai always opens the Live API WebSocket with `wss://`, so the emulator must speak TLS, and the
client must trust it without disabling verification. At start the emulator creates (once) a private CA
and a server certificate for 127.0.0.1, ::1 and localhost signed by it, keeps both in the state
directory, and reuses them while they are valid, so a CA a developer already points a client at keeps
working across restarts. Clients trust `<state-dir>/ca.pem`; nothing is added to a system trust store.

EC P-256 keys keep start-up fast (key generation takes milliseconds, unlike RSA).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import os
import ssl
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
CERT_FILE = "server.pem"
KEY_FILE = "server-key.pem"
LOCK_FILE = ".tls.lock"

CA_VALIDITY = dt.timedelta(days=3650)
SERVER_VALIDITY = dt.timedelta(days=397)
RENEW_BEFORE = dt.timedelta(days=7)
DEFAULT_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class TlsFiles:
    """Paths of the material in the state directory."""

    ca: Path
    ca_key: Path
    cert: Path
    key: Path

    @classmethod
    def in_dir(cls, state_dir: Path) -> TlsFiles:
        return cls(state_dir / CA_FILE, state_dir / CA_KEY_FILE, state_dir / CERT_FILE, state_dir / KEY_FILE)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _san_entries(hosts: Iterable[str]) -> list[x509.GeneralName]:
    entries: list[x509.GeneralName] = []
    for host in dict.fromkeys(hosts):
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            entries.append(x509.DNSName(host))
    return entries


def _write(path: Path, data: bytes, private: bool) -> None:
    """Atomic write (temp file + rename) so a concurrent reader never sees half a PEM file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _new_ca() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "AI Interviewer local stack"),
            x509.NameAttribute(NameOID.COMMON_NAME, "AI Interviewer local Gemini emulator CA"),
        ]
    )
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _new_server_cert(
    ca_cert: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey, hosts: Iterable[str]
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(min(now + SERVER_VALIDITY, ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(_san_entries(hosts)), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def _load_pair(cert_path: Path, key_path: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    """A certificate and its matching EC key, or None when absent, unreadable or mismatched."""
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        return None
    same = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return (cert, key) if same else None


def _fresh(cert: x509.Certificate) -> bool:
    now = _now()
    return cert.not_valid_before_utc <= now and cert.not_valid_after_utc - RENEW_BEFORE > now


def _server_cert_usable(cert: x509.Certificate, ca_cert: x509.Certificate, hosts: Iterable[str]) -> bool:
    """Signed by this CA, not about to expire, and naming every host clients will use."""
    if not _fresh(cert) or cert.issuer != ca_cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(ca_cert)
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (InvalidSignature, ValueError, TypeError, x509.ExtensionNotFound):
        return False
    present = set(names)
    return all(entry in present for entry in _san_entries(hosts))


@contextlib.contextmanager
def _locked(state_dir: Path) -> Iterator[None]:
    """Serialise generation between emulators started at once on the same state directory."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no concurrent starts to guard against in practice
        yield
        return
    with open(state_dir / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def ensure_certificates(state_dir: Path, hosts: Iterable[str] = DEFAULT_HOSTS) -> TlsFiles:
    """Create or reuse the CA and server certificate in `state_dir`; returns their paths.

    A valid CA is always kept (clients may already trust it); only the server certificate is replaced
    when it expires soon, names other hosts, or was signed by another CA.
    """
    hosts = tuple(dict.fromkeys([*DEFAULT_HOSTS, *hosts]))
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    files = TlsFiles.in_dir(state_dir)
    with _locked(state_dir):
        ca = _load_pair(files.ca, files.ca_key)
        if ca is None or not _fresh(ca[0]):
            ca = _new_ca()
            _write(files.ca_key, _key_pem(ca[1]), private=True)
            _write(files.ca, ca[0].public_bytes(serialization.Encoding.PEM), private=False)
        server = _load_pair(files.cert, files.key)
        if server is None or not _server_cert_usable(server[0], ca[0], hosts):
            cert, key = _new_server_cert(ca[0], ca[1], hosts)
            _write(files.key, _key_pem(key), private=True)
            _write(files.cert, cert.public_bytes(serialization.Encoding.PEM), private=False)
    return files


def server_ssl_context(files: TlsFiles) -> ssl.SSLContext:
    """The listening side: TLS 1.2+, HTTP/1.1 only (aiohttp does not speak HTTP/2)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(files.cert, files.key)
    context.set_alpn_protocols(["http/1.1"])
    return context


def client_ssl_context(ca_file: str | os.PathLike[str]) -> ssl.SSLContext:
    """A client context that trusts the emulator's CA (and verifies hostnames as usual)."""
    return ssl.create_default_context(cafile=os.fspath(ca_file))
