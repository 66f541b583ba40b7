"""POST one webhook delivery to a receiver, connecting only to an address that passed the SSRF rule.

The host is resolved here, every address it resolves to is judged (domain/webhooks.address_refusal),
and the connection is made to the address that was judged, not to the name: a DNS answer that changes
between the check and the connect (DNS rebinding) cannot move the request inside our network. TLS
still verifies the certificate for the URL's host name (SNI and hostname check), and the Host header
names it too, so the receiver sees an ordinary request. Redirects are not followed (http.client never
does): a 3xx counts as a failed attempt. Standard library only: http.client with a connection whose
`connect` opens the pinned socket.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from ..domain.webhooks import ErrorKind, WebhookUrlRefused, address_refusal, check_url

MAX_RESPONSE_BYTES = 4 * 1024
"""Read (and thrown away) of a receiver's answer: enough to end the exchange, never stored."""
USER_AGENT = "ai-interviewer-webhooks/1"


@dataclass(frozen=True)
class Result:
    """One attempt: the receiver's status, or why there was none, and how long it took."""

    status_code: int | None
    error_kind: ErrorKind | None
    duration_ms: float

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Refused(Exception):
    """The target may not be reached (bad URL, or an address the SSRF rule refuses)."""

    def __init__(self, kind: ErrorKind, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def resolve_allowed(url: str, *, allow_loopback: bool) -> tuple[str, str, int, str]:
    """(scheme, host, port, the address to connect to), or Refused.

    Every address the name resolves to must pass, not just the first: a name with one public and one
    private address would otherwise reach the private one on a later resolution.
    """
    try:
        scheme, host, port = check_url(url)
    except WebhookUrlRefused as error:
        raise Refused(ErrorKind.INVALID_URL, error.message) from error
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(ErrorKind.DNS, "the host name does not resolve") from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise Refused(ErrorKind.DNS, "the host name does not resolve")
    for address in addresses:
        reason = address_refusal(address, allow_loopback=allow_loopback)
        if reason is not None:
            raise Refused(ErrorKind.REFUSED_ADDRESS, f"the host resolves to a {reason} address")
    return scheme, host, port, addresses[0]


class PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to `host` that opens its socket to `address`, checked beforehand."""

    def __init__(
        self, host: str, port: int, address: str, timeout: float, tls: ssl.SSLContext | None
    ) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address
        self.tls = tls

    def connect(self) -> None:
        raw = socket.create_connection((self.pinned_address, self.port), timeout=self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host) if self.tls else raw


@cache
def tls_context() -> ssl.SSLContext:
    """The system's trust store, certificate and host name checked (the defaults)."""
    return ssl.create_default_context()


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float, allow_loopback: bool) -> Result:
    """One attempt: resolve, judge, connect to the judged address, POST, read a little of the answer."""
    started = time.monotonic()

    def done(status: int | None, kind: ErrorKind | None) -> Result:
        return Result(status, kind, round((time.monotonic() - started) * 1000, 1))

    try:
        scheme, host, port, address = resolve_allowed(url, allow_loopback=allow_loopback)
    except Refused as refused:
        return done(None, refused.kind)
    target = urlsplit(url)
    path = (target.path or "/") + (f"?{target.query}" if target.query else "")
    connection = PinnedConnection(host, port, address, timeout, tls_context() if scheme == "https" else None)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={**headers, "User-Agent": USER_AGENT, "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        return done(response.status, None if 200 <= response.status < 300 else ErrorKind.HTTP_STATUS)
    except TimeoutError:
        return done(None, ErrorKind.TIMEOUT)
    except ssl.SSLError:
        return done(None, ErrorKind.TLS)
    except (OSError, http.client.HTTPException):
        return done(None, ErrorKind.CONNECTION)
    finally:
        connection.close()
