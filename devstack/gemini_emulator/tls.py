"""The emulator's TLS: a local certificate authority kept in the state directory, and a server
certificate it signs, both made by trustme.

google-genai always opens the Live API WebSocket with `wss://`, so the emulator must speak TLS, and
clients must trust it without disabling verification. Clients trust `<state-dir>/ca.pem` (what
GEMINI_CA_FILE names); nothing is added to a system trust store.

The CA is created once per state directory and reused (its key beside it, readable by the owner only):
the agent builds its TLS context when it starts, and a developer may point a tool at the file, so a CA
that changed on each start would break every client that read the old one. The server certificate
(localhost, 127.0.0.1, ::1 and the listen host) is issued afresh at each start, in memory: no client
pins it, so it never needs renewing and always names the hosts of this start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import ssl
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

CA_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
LOCK_FILE = ".tls.lock"
DEFAULT_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
ORGANIZATION = "AI Interviewer local stack"


@dataclass(frozen=True)
class TlsFiles:
    """The CA's files in the state directory, and the server certificate issued for this start."""

    ca: Path
    ca_key: Path
    server: trustme.LeafCert


def ensure_certificates(state_dir: Path, hosts: Iterable[str] = ()) -> TlsFiles:
    """Reuse the state directory's CA (or create it), and issue a server certificate for `hosts` too."""
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    ca_file, key_file = state_dir / CA_FILE, state_dir / CA_KEY_FILE
    with _locked(state_dir / LOCK_FILE):  # emulators started at once on one state directory
        ca = _load_ca(ca_file, key_file) or _create_ca(ca_file, key_file)
    names = dict.fromkeys([*DEFAULT_HOSTS, *hosts])
    server = ca.issue_cert(*names, common_name="localhost", organization_name=ORGANIZATION)
    return TlsFiles(ca_file, key_file, server)


def _load_ca(ca_file: Path, key_file: Path) -> trustme.CA | None:
    """The kept CA, or None when it is missing, damaged, expired, or its key is not its own."""
    try:
        cert_pem, key_pem = ca_file.read_bytes(), key_file.read_bytes()
    except OSError:
        return None
    if not _usable(cert_pem, key_pem):
        return None
    return trustme.CA.from_pem(cert_pem, key_pem)


def _usable(cert_pem: bytes, key_pem: bytes) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        key = serialization.load_pem_private_key(key_pem, password=None)
    except ValueError:
        return False
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    now = dt.datetime.now(dt.UTC)
    return (
        cert.public_key().public_bytes(*spki) == key.public_key().public_bytes(*spki)
        and cert.not_valid_before_utc <= now < cert.not_valid_after_utc
    )


def _create_ca(ca_file: Path, key_file: Path) -> trustme.CA:
    ca = trustme.CA(organization_name=ORGANIZATION)
    _write(key_file, ca.private_key_pem.bytes(), private=True)
    _write(ca_file, ca.cert_pem.bytes(), private=False)
    return ca


def _write(path: Path, data: bytes, private: bool) -> None:
    """Atomic write (temp file + rename) so a concurrent reader never sees half a PEM file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


@contextlib.contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    with open(lock_file, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def server_ssl_context(files: TlsFiles) -> ssl.SSLContext:
    """The listening side: TLS 1.2+, HTTP/1.1 only (aiohttp does not speak HTTP/2)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    files.server.configure_cert(context)
    context.set_alpn_protocols(["http/1.1"])
    return context


def client_ssl_context(ca_file: str | os.PathLike[str]) -> ssl.SSLContext:
    """A client context that trusts the emulator's CA (and verifies hostnames as usual)."""
    return ssl.create_default_context(cafile=os.fspath(ca_file))
