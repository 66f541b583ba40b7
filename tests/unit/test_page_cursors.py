"""Page tokens (adapters/page_cursors.py): what a listing hands out decodes back to the same id, and
anything else is a 400 `invalid_cursor` before it reaches Firestore (whose reserved `__name__` ids
would otherwise come back as a 503)."""

from __future__ import annotations

import base64
import json

import pytest

from interview_core.adapters.page_cursors import decode_cursor, encode_cursor
from interview_core.domain.errors import InvalidCursor


def token(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": value}).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "doc_id",
    [
        "Vq3Xb8TzR1kPq0LmN2aS",  # a Firestore auto-id (interviews, audit entries)
        "msg_0123456789abcdef0123456789abcdef",  # a webhook delivery
        f"report-viewed-{'i' * 64}-{'u' * 128}-2026120503",  # the longest audit entry id
    ],
)
def test_every_listed_id_round_trips(doc_id: str) -> None:
    assert decode_cursor(encode_cursor(doc_id)) == doc_id


@pytest.mark.parametrize(
    "cursor",
    [
        token("__main__"),  # Firestore's reserved form
        token("____"),
        token("a/b"),
        token(""),
        token(7),
        token("x" * 257),
        token("id with spaces"),
        "not base64 !",
        base64.urlsafe_b64encode(b'{"before": "abc"}').decode(),
    ],
)
def test_anything_else_is_an_invalid_cursor(cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor)
