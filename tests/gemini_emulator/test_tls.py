"""The local CA and server certificate: the CA kept across starts, the server certificate valid for
loopback and signed by it, a client trusting the CA file connects (also after a restart)."""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
import stat
from pathlib import Path

import aiohttp
import pytest
import trustme
from cryptography import x509

from devstack.gemini_emulator.server import create_app
from devstack.gemini_emulator.tls import (
    TlsFiles,
    client_ssl_context,
    ensure_certificates,
    server_ssl_context,
)
from tests.gemini_emulator.support import serving


def _server_cert(files: TlsFiles) -> x509.Certificate:
    return x509.load_pem_x509_certificate(files.server.cert_chain_pems[0].bytes())


def _ca_cert(files: TlsFiles) -> x509.Certificate:
    return x509.load_pem_x509_certificate(files.ca.read_bytes())


def test_certificates_are_created_for_loopback(tmp_path: Path) -> None:
    files = ensure_certificates(tmp_path / "state")
    ca, server = _ca_cert(files), _server_cert(files)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not server.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    server.verify_directly_issued_by(ca)
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert ipaddress.ip_address("127.0.0.1") in names.get_values_for_type(x509.IPAddress)
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert stat.S_IMODE(files.ca_key.stat().st_mode) == 0o600
    assert files.ca == tmp_path / "state" / "ca.pem"


def test_the_ca_is_kept_across_starts_and_each_start_issues_its_server_certificate(tmp_path: Path) -> None:
    first = ensure_certificates(tmp_path)
    kept = first.ca.read_bytes(), first.ca_key.read_bytes()
    second = ensure_certificates(tmp_path)
    assert (second.ca.read_bytes(), second.ca_key.read_bytes()) == kept
    assert _server_cert(second).serial_number != _server_cert(first).serial_number
    _server_cert(second).verify_directly_issued_by(_ca_cert(first))


def test_a_listen_host_is_named_in_the_server_certificate(tmp_path: Path) -> None:
    files = ensure_certificates(tmp_path, ["interviewer.test"])
    names = _server_cert(files).extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "interviewer.test" in names.get_values_for_type(x509.DNSName)
    assert "localhost" in names.get_values_for_type(x509.DNSName)


def test_a_ca_already_in_the_state_directory_is_used(tmp_path: Path) -> None:
    existing = trustme.CA()
    existing.cert_pem.write_to_path(tmp_path / "ca.pem")
    existing.private_key_pem.write_to_path(tmp_path / "ca-key.pem")
    files = ensure_certificates(tmp_path)
    assert files.ca.read_bytes() == existing.cert_pem.bytes()
    _server_cert(files).verify_directly_issued_by(_ca_cert(files))


@pytest.mark.parametrize("damage", ["empty key", "foreign key", "garbage certificate"])
def test_a_damaged_or_mismatched_ca_is_replaced(tmp_path: Path, damage: str) -> None:
    files = ensure_certificates(tmp_path)
    if damage == "empty key":
        files.ca_key.write_text("")
    elif damage == "foreign key":
        files.ca_key.write_bytes(trustme.CA().private_key_pem.bytes())
    else:
        files.ca.write_text("not a certificate")
    repaired = ensure_certificates(tmp_path)
    _server_cert(repaired).verify_directly_issued_by(_ca_cert(repaired))


async def _get_health(files: TlsFiles, trust: ssl.SSLContext, host: str) -> dict[str, object]:
    app = create_app()
    async with serving(app, tls_port=0, ssl_context=server_ssl_context(files)) as running:
        assert running.tls_port is not None
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"https://{host}:{running.tls_port}/health", ssl=trust) as response,
        ):
            assert response.status == 200
            return dict(await response.json())


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_client_trusting_the_ca_connects(tmp_path: Path, host: str) -> None:
    files = ensure_certificates(tmp_path)
    body = asyncio.run(_get_health(files, client_ssl_context(files.ca), host))
    assert body["tls"] is True


def test_a_client_that_read_the_ca_before_a_restart_still_connects(tmp_path: Path) -> None:
    trust = client_ssl_context(ensure_certificates(tmp_path).ca)  # e.g. the agent, started earlier
    restarted = ensure_certificates(tmp_path)
    assert asyncio.run(_get_health(restarted, trust, "127.0.0.1"))["tls"] is True


def test_a_client_without_the_ca_is_refused(tmp_path: Path) -> None:
    files = ensure_certificates(tmp_path)
    with pytest.raises(aiohttp.ClientConnectorCertificateError):
        asyncio.run(_get_health(files, ssl.create_default_context(), "127.0.0.1"))
