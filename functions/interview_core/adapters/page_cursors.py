"""Opaque page tokens for Firestore listings: the id of the last document of the page, base64 JSON.

One format for every listing (interviews, audit entries, webhook deliveries), so a token is checked
the same way everywhere: anything that does not decode to a plausible document id (domain/ids.py) is
InvalidCursor (400), before it reaches Firestore.
"""

from __future__ import annotations

import base64
import json

from ..domain.errors import InvalidCursor
from ..domain.ids import is_document_id

MAX_CURSOR_ID_CHARS = 256
"""Longer than any listed id this project writes: the longest is an audit entry's
`report-viewed-{interview id}-{uid}-{hour}` (up to 218 characters). A longer "id" is not one of ours."""


def encode_cursor(doc_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": doc_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The document id a page token names; InvalidCursor for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))["after"]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidCursor() from error
    if not is_document_id(value, max_chars=MAX_CURSOR_ID_CHARS):  # Firestore's reserved ids too
        raise InvalidCursor()
    assert isinstance(value, str)
    return value
