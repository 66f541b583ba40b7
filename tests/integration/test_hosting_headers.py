"""The security and cache headers of firebase.json, as the Firebase Hosting emulator serves them.

The emulator is given firebase.json's own `hosting` block (headers, rewrites) with `public` pointed at
a small site of the same shape as Vite's output, so the test checks the configuration that ships
rather than a copy of it, without depending on a web-app build.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest
import requests

from devstack.stack import PROJECT_ID, ROOT, port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hosting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("site")
    (site / "assets").mkdir()
    (site / "index.html").write_text("<!doctype html><title>AI Interviewer</title><div id=root></div>")
    (site / "assets" / "index-3f9a1c.js").write_text("console.log('app')")
    config = json.loads((ROOT / "firebase.json").read_text())
    hosting_port = port("HOSTING_EMULATOR_PORT", 5000)
    config["hosting"]["public"] = site.name  # relative to the config file, as in the repository
    config = {
        "hosting": config["hosting"],
        "emulators": {
            "singleProjectMode": True,
            "ui": {"enabled": False},
            "hosting": {"host": "127.0.0.1", "port": hosting_port},
            # Its own hub and logging ports, so it can run beside the stack's Auth emulator.
            "hub": {"host": "127.0.0.1", "port": port("HOSTING_HUB_PORT", 4410)},
            "logging": {"host": "127.0.0.1", "port": port("HOSTING_LOGGING_PORT", 4510)},
        },
    }
    config_path = site.parent / "firebase.hosting.json"
    config_path.write_text(json.dumps(config))
    log = open(site.parent / "hosting.log", "wb")  # noqa: SIM115 (the child writes to it)
    process = subprocess.Popen(
        [
            str(ROOT / "node_modules" / ".bin" / "firebase"),
            "emulators:start",
            "--only",
            "hosting",
            "--project",
            PROJECT_ID,
            "--config",
            str(config_path),
        ],
        cwd=site.parent,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{hosting_port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/index.html", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "the Hosting emulator did not start:\n" + (site.parent / "hosting.log").read_text()
                )
            time.sleep(0.2)
        yield base
    finally:
        stop_firebase(process)
        log.close()


def stop_firebase(process: subprocess.Popen[bytes]) -> None:
    """Stop the emulator's process group, as devstack stops its services.

    firebase-tools ignores a signal that comes within 100 ms of the previous one, counting from when
    it installed its handler (emulator/commandUtils.js), so a module whose tests finish that fast
    has its first SIGTERM dropped: send it again, then SIGKILL what is left.
    """
    for sig, grace in ((signal.SIGTERM, 1), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
            break
    else:
        raise AssertionError("the Hosting emulator did not stop")
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # whatever the group still holds


def test_every_page_carries_the_security_headers(hosting: str) -> None:
    for path in ("/", "/i/abc123", "/reports/xyz"):
        response = requests.get(f"{hosting}{path}", timeout=5)
        assert response.status_code == 200, path
        assert "AI Interviewer" in response.text  # the SPA fallback serves index.html
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "default-src 'self'" in csp
        assert "wss://*.livekit.cloud" in csp  # LiveKit's signalling
        assert "object-src 'none'" in csp
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert "microphone=(self)" in headers["Permissions-Policy"]
        assert headers["Cache-Control"] == "no-cache"


def test_hashed_assets_are_cached_forever_and_index_is_not(hosting: str) -> None:
    asset = requests.get(f"{hosting}/assets/index-3f9a1c.js", timeout=5)
    assert asset.status_code == 200
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert asset.headers["X-Content-Type-Options"] == "nosniff"
    index = requests.get(f"{hosting}/index.html", timeout=5)
    assert index.headers["Cache-Control"] == "no-cache"


def test_csp_does_not_allow_inline_scripts_or_foreign_frames(hosting: str) -> None:
    csp = requests.get(f"{hosting}/", timeout=5).headers["Content-Security-Policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert requests.get(f"{hosting}/", timeout=5).headers.get("X-Frame-Options") == "DENY"
