"""Command line: `python -m devstack.gemini_emulator --port 8790 --tls-port 8791 --state-dir .stack/gemini`.

Prints one JSON line on stdout when both listeners accept connections (`{"event": "ready", ...}` with
the actual ports, useful with `--port 0`), then runs until SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import time
from pathlib import Path

from .faults import FAULTS_KEY, MAX_DELAY_MS
from .live_runtime import LIVE_KEY, MAX_LIVE_DELAY_MS
from .server import create_app, start
from .tls import ensure_certificates, server_ssl_context

log = logging.getLogger("devstack.gemini_emulator")

_WILDCARDS = {"", "0.0.0.0", "::"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.gemini_emulator",
        description="Local Gemini emulator: REST generateContent over HTTP and TLS, Live API over wss.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8790, help="HTTP port; 0 picks a free one (default 8790)")
    parser.add_argument(
        "--tls-port", type=int, default=8791, help="HTTPS/WSS port; 0 picks a free one, -1 disables TLS"
    )
    parser.add_argument(
        "--state-dir", type=Path, default=Path(".stack/gemini"), help="where the CA and certificates are kept"
    )
    parser.add_argument(
        "--profile",
        default=None,
        help="start-up profile: ideal, strict or realistic (default: GEMINI_EMULATOR_PROFILE or strict)",
    )
    parser.add_argument(
        "--delay-ms",
        type=int,
        default=None,
        help="latency of every generateContent call (default: the profile's)",
    )
    parser.add_argument(
        "--live-delay-ms",
        type=int,
        default=None,
        help="wait before every Live reply starts (default: GEMINI_LIVE_DELAY_MS, else the profile's)",
    )
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.add_argument("--access-log", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    if args.delay_ms is not None and not 0 <= args.delay_ms <= MAX_DELAY_MS:
        parser.error(f"--delay-ms must be between 0 and {MAX_DELAY_MS}")
    if args.live_delay_ms is not None and not 0 <= args.live_delay_ms <= MAX_LIVE_DELAY_MS:
        parser.error(f"--live-delay-ms must be between 0 and {MAX_LIVE_DELAY_MS}")
    return args


async def serve(args: argparse.Namespace) -> None:
    """Start both listeners, announce readiness, wait for a stop signal, shut down cleanly."""
    began = time.monotonic()
    # Handlers first: a stop signal that arrives right after the ready line must still shut down cleanly.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows
            loop.add_signal_handler(sig, stop.set)
    tls_files = None
    ssl_context = None
    if args.tls_port >= 0:
        extra_hosts = [] if args.host in _WILDCARDS else [args.host]
        tls_files = ensure_certificates(args.state_dir, extra_hosts)
        ssl_context = server_ssl_context(tls_files)
    app = create_app(delay_ms=args.delay_ms, live_delay_ms=args.live_delay_ms, profile=args.profile)
    running = await start(
        app,
        args.host,
        args.port,
        args.tls_port if args.tls_port >= 0 else None,
        ssl_context,
        access_log=args.access_log,
    )
    url_host = "127.0.0.1" if args.host in _WILDCARDS else args.host
    url_host = f"[{url_host}]" if ":" in url_host else url_host
    ready = {
        "event": "ready",
        "http": f"http://{url_host}:{running.http_port}",
        "https": f"https://{url_host}:{running.tls_port}" if running.tls_port else None,
        "ca": str(tls_files.ca.resolve()) if tls_files else None,
        "startup_ms": round((time.monotonic() - began) * 1000),
        "transcription": app[LIVE_KEY].transcriber.engine,
        "profile": app[FAULTS_KEY].plan.profile,
    }
    print(json.dumps(ready), flush=True)
    log.info("gemini emulator ready: %s", ready)
    await stop.wait()
    await running.stop()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        asyncio.run(serve(args))
    except (OSError, ValueError, RuntimeError) as error:  # port in use, state dir, GEMINI_LIVE_TRANSCRIBE
        log.error("cannot start the gemini emulator: %s", error)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
