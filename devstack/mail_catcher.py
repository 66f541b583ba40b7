"""The local stack's mail catcher: an SMTP server (aiosmtpd) that keeps every message it is given, and a
small web page and JSON API to read them. Nothing is relayed anywhere.

    python -m devstack.mail_catcher --host 127.0.0.1 --smtp-port 1025 --http-port 8025

- `GET /`: the messages, newest first; `GET /messages/<id>`: one message (text, and its HTML part in a
  sandboxed frame).
- `GET /api/messages[?to=ADDRESS]`: JSON, newest first: id, from, to, subject, date, text, html, headers.
- `DELETE /api/messages`: forget them all.

Messages live in memory (at most MAX_MESSAGES, the oldest dropped), like the other emulators' data.
"""

from __future__ import annotations

import argparse
import html
import json
import signal
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

MAX_MESSAGES = 500
MAX_MESSAGE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Caught:
    id: str
    received_at: str
    mail_from: str
    rcpt_to: tuple[str, ...]
    message: EmailMessage

    def as_json(self) -> dict[str, Any]:
        text = self.message.get_body(preferencelist=("plain",))
        rich = self.message.get_body(preferencelist=("html",))
        return {
            "id": self.id,
            "received_at": self.received_at,
            "from": self.mail_from,
            "to": list(self.rcpt_to),
            "subject": str(self.message.get("Subject", "")),
            "headers": {key: str(value) for key, value in self.message.items()},
            "text": text.get_content() if text is not None else None,
            "html": rich.get_content() if rich is not None else None,
        }


class Mailbox:
    """What the SMTP server caught; read by the HTTP side (another thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: deque[Caught] = deque(maxlen=MAX_MESSAGES)

    def add(self, caught: Caught) -> None:
        with self._lock:
            self._messages.append(caught)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()

    def newest_first(self, to: str | None = None) -> list[Caught]:
        with self._lock:
            messages = list(reversed(self._messages))
        if to:
            wanted = to.casefold()
            messages = [m for m in messages if wanted in (r.casefold() for r in m.rcpt_to)]
        return messages

    def get(self, message_id: str) -> Caught | None:
        return next((m for m in self.newest_first() if m.id == message_id), None)


class CatchingHandler:
    """aiosmtpd's handler hook: accept every message and keep it."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or b""
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.mailbox.add(
            Caught(
                id=uuid.uuid4().hex[:16],
                received_at=datetime.now(UTC).isoformat(),
                mail_from=envelope.mail_from or "",
                rcpt_to=tuple(envelope.rcpt_tos),
                message=parsed,
            )
        )
        return "250 Message accepted for delivery"


def http_handler(mailbox: Mailbox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return  # addresses and subjects are personal data: no access log

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/health":
                self._send(200, "application/json", b'{"status": "ok"}')
            elif url.path == "/api/messages":
                to = parse_qs(url.query).get("to", [None])[0]
                body = [m.as_json() for m in mailbox.newest_first(to)]
                self._send(200, "application/json", json.dumps({"messages": body}).encode())
            elif url.path == "/":
                self._send(200, "text/html; charset=utf-8", index_page(mailbox.newest_first()).encode())
            elif url.path.startswith("/messages/") and (m := mailbox.get(url.path.rsplit("/", 1)[1])):
                self._send(200, "text/html; charset=utf-8", message_page(m).encode())
            else:
                self._send(404, "application/json", b'{"error": "not found"}')

        def do_DELETE(self) -> None:
            if urlsplit(self.path).path != "/api/messages":
                self._send(404, "application/json", b'{"error": "not found"}')
                return
            mailbox.clear()
            self._send(204, "application/json", b"")

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


_STYLE = "body{font-family:sans-serif;margin:2rem}td,th{padding:.3rem .8rem;text-align:left}"


def index_page(messages: list[Caught]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(m.received_at[:19])}</td><td>{html.escape(', '.join(m.rcpt_to))}</td>"
        f'<td><a href="/messages/{m.id}">{html.escape(str(m.message.get("Subject", "")))}</a></td></tr>'
        for m in messages
    )
    return (
        f"<!doctype html><title>Local mail</title><style>{_STYLE}</style><h1>Local mail</h1>"
        f"<p>{len(messages)} message(s) caught; none was sent anywhere.</p>"
        f"<table><tr><th>received</th><th>to</th><th>subject</th></tr>{rows}</table>"
    )


def message_page(caught: Caught) -> str:
    data = caught.as_json()
    frame = (
        f'<iframe sandbox="" style="width:100%;height:30rem" srcdoc="{html.escape(data["html"])}"></iframe>'
        if data["html"]
        else ""
    )
    return (
        f"<!doctype html><title>{html.escape(data['subject'])}</title><style>{_STYLE}</style>"
        f'<p><a href="/">all messages</a></p><h1>{html.escape(data["subject"])}</h1>'
        f"<p>to {html.escape(', '.join(data['to']))}</p><pre>{html.escape(data['text'] or '')}</pre>{frame}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, required=True)
    args = parser.parse_args(argv)

    mailbox = Mailbox()
    smtp = Controller(
        CatchingHandler(mailbox),
        hostname=args.host,
        port=args.smtp_port,
        data_size_limit=MAX_MESSAGE_BYTES,
    )
    smtp.start()
    web = ThreadingHTTPServer((args.host, args.http_port), http_handler(mailbox))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=web.serve_forever, daemon=True).start()
    while not stop.wait(0.5):  # wakes to run the signal handlers even if a wake-up was missed
        pass
    # Bounded: a server stuck closing (e.g. just resumed from a pause) must not keep the process alive
    # into the stack's SIGKILL grace.
    closing = threading.Thread(target=_close, args=(web, smtp), daemon=True)
    closing.start()
    closing.join(timeout=3)
    return 0


def _close(web: ThreadingHTTPServer, smtp: Controller) -> None:
    web.shutdown()
    smtp.stop()


if __name__ == "__main__":
    raise SystemExit(main())
