"""A tiny OIDC issuer on a local port: discovery document and JWKS over real HTTP, RSA keys made here.

The verifier under test fetches them exactly as it fetches Google's or the Cloud Tasks emulator's,
so caching, key rotation and unreachable keys are exercised at the network edge, not mocked.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

DISCOVERY_PATH = "/.well-known/openid-configuration"
JWKS_PATH = "/jwks"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class LocalIssuer:
    """Serves its discovery document and keys; `failing` answers 503 to both, `stop` closes the port."""

    def __init__(self, audience: str, email: str) -> None:
        self.audience = audience
        self.email = email
        self.fetches: list[str] = []
        self.failing = False
        self.rotate()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def rotate(self) -> None:
        """New signing key and key id: Google rotating its keys, or the emulator restarting."""
        self.key = new_key()
        self.kid = f"k{time.monotonic_ns()}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def token(self, key: Any = None, kid: str | None = None, **overrides: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": self.audience,
            "email": self.email,
            "email_verified": True,
            "sub": "1" + "0" * 20,
            "iat": now,
            "exp": now + 300,
        }
        claims.update(overrides)
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    def respond(self, path: str) -> tuple[int, bytes]:
        self.fetches.append(path)
        if self.failing:
            return 503, b"unavailable"
        if path == DISCOVERY_PATH:
            return 200, json.dumps({"issuer": self.url, "jwks_uri": f"{self.url}{JWKS_PATH}"}).encode()
        if path == JWKS_PATH:
            jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
            jwk.update(kid=self.kid, alg="RS256", use="sig")
            return 200, json.dumps({"keys": [jwk]}).encode()
        return 404, b"not found"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = issuer.respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet test output

        return Handler


AGENT_ACCOUNT = "agent@demo-interviewer.iam.gserviceaccount.com"
WEBHOOK_AUDIENCE = "https://api.example.run.app"
WEBHOOK_PATH = "/api/webhooks/interview-complete"


def webhook_in_oidc_mode(monkeypatch: Any, issuer: LocalIssuer) -> Any:
    """The api app (a Flask test client) configured as in the cloud, WEBHOOK_AUTH=oidc, but trusting
    `issuer` instead of Google."""
    from api.routes import app
    from interview_core.settings import get_settings

    monkeypatch.setenv("WEBHOOK_AUTH", "oidc")
    monkeypatch.setenv("WEBHOOK_OIDC_ISSUER", issuer.url)
    monkeypatch.setenv("WEBHOOK_OIDC_AUDIENCE", WEBHOOK_AUDIENCE)
    monkeypatch.setenv("AGENT_SERVICE_ACCOUNT", AGENT_ACCOUNT)
    get_settings.cache_clear()
    return app.test_client()
