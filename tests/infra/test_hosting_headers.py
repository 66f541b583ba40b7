"""firebase.json hosting.headers: a strict CSP and security headers, immutable hashed assets.

Firebase Hosting applies every header rule whose glob matches the request path, the last one winning
for a repeated header, so the catch-all rule comes first and the /assets/** and /api/** rules after it.
"""

from __future__ import annotations

from .conftest import firebase


def rules() -> list[dict]:  # type: ignore[type-arg]
    return firebase()["hosting"]["headers"]


def headers_for(source: str) -> dict[str, str]:
    rule = next(rule for rule in rules() if rule["source"] == source)
    return {header["key"]: header["value"] for header in rule["headers"]}


def csp() -> dict[str, list[str]]:
    policy = headers_for("**")["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_the_rest_of_the_hosting_block_is_unchanged() -> None:
    hosting = firebase()["hosting"]
    assert hosting["public"] == "hosting/dist"
    assert hosting["rewrites"][0]["source"] == "/api/**"
    assert hosting["rewrites"][-1] == {"source": "**", "destination": "/index.html"}


def test_csp_allows_the_app_firebase_and_livekit_only() -> None:
    policy = csp()
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    connect = set(policy["connect-src"])
    assert {
        "'self'",
        "https://*.googleapis.com",
        "https://*.firebaseapp.com",
        "wss://*.livekit.cloud",
        "https://*.livekit.cloud",
    } <= connect
    assert "blob:" in policy["worker-src"]
    assert "blob:" in policy["media-src"]
    # No wildcard sources and no script eval.
    for directive, sources in policy.items():
        assert "*" not in sources, directive
        assert "'unsafe-eval'" not in sources, directive
        assert "https:" not in sources, directive
        assert "wss:" not in sources, directive
    assert "'unsafe-inline'" not in policy["script-src"]


def test_security_headers() -> None:
    headers = headers_for("**")
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "microphone=(self)" in headers["Permissions-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]


def test_cache_control() -> None:
    order = [rule["source"] for rule in rules()]
    assert order[0] == "**"
    assert order.index("/assets/**") > 0
    assert headers_for("**")["Cache-Control"] == "no-cache"
    assert headers_for("/index.html")["Cache-Control"] == "no-cache"
    assert headers_for("/assets/**")["Cache-Control"] == "public, max-age=31536000, immutable"
    # API answers carry private data: never cached, and this rule comes after the catch-all.
    assert headers_for("/api/**")["Cache-Control"] == "private, no-store"
    assert order.index("/api/**") > 0
