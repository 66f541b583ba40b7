"""The local CA and server certificate: created once, reused, valid for loopback, usable by clients."""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
import stat
from pathlib import Path

import aiohttp
import pytest
from cryptography import x509

from devstack.gemini_emulator.server import create_app
from devstack.gemini_emulator.tls import client_ssl_context, ensure_certificates, server_ssl_context
from tests.gemini_emulator.support import serving


def test_certificates_are_created_for_loopback(tmp_path: Path) -> None:
    files = ensure_certificates(tmp_path / "state")
    ca = x509.load_pem_x509_certificate(files.ca.read_bytes())
    server = x509.load_pem_x509_certificate(files.cert.read_bytes())
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not server.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    server.verify_directly_issued_by(ca)
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert ipaddress.ip_address("127.0.0.1") in names.get_values_for_type(x509.IPAddress)
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    for key in (files.key, files.ca_key):
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert files.ca == tmp_path / "state" / "ca.pem"


def test_certificates_are_reused_while_valid(tmp_path: Path) -> None:
    first = ensure_certificates(tmp_path)
    before = {p: p.read_bytes() for p in (first.ca, first.ca_key, first.cert, first.key)}
    second = ensure_certificates(tmp_path)
    assert {p: p.read_bytes() for p in (second.ca, second.ca_key, second.cert, second.key)} == before


def test_new_host_reissues_the_server_certificate_but_keeps_the_ca(tmp_path: Path) -> None:
    first = ensure_certificates(tmp_path)
    ca_before, cert_before = first.ca.read_bytes(), first.cert.read_bytes()
    second = ensure_certificates(tmp_path, ["interviewer.test"])
    assert second.ca.read_bytes() == ca_before
    assert second.cert.read_bytes() != cert_before
    server = x509.load_pem_x509_certificate(second.cert.read_bytes())
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "interviewer.test" in names.get_values_for_type(x509.DNSName)


def test_damaged_files_are_replaced(tmp_path: Path) -> None:
    files = ensure_certificates(tmp_path)
    files.cert.write_text("not a certificate")
    files.ca_key.write_text("")
    repaired = ensure_certificates(tmp_path)
    x509.load_pem_x509_certificate(repaired.cert.read_bytes()).verify_directly_issued_by(
        x509.load_pem_x509_certificate(repaired.ca.read_bytes())
    )


async def _get_health(files_dir: Path, trust: ssl.SSLContext, host: str) -> dict[str, object]:
    files = ensure_certificates(files_dir)
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
    body = asyncio.run(_get_health(tmp_path, client_ssl_context(files.ca), host))
    assert body["tls"] is True


def test_a_client_without_the_ca_is_refused(tmp_path: Path) -> None:
    with pytest.raises(aiohttp.ClientConnectorCertificateError):
        asyncio.run(_get_health(tmp_path, ssl.create_default_context(), "127.0.0.1"))
