"""Which strings may name a document: the one rule for every id that arrives from outside.

Interview, workspace, endpoint and member ids become Firestore document ids. Firestore refuses an id
that matches `__.*__` (reserved for its own use) with InvalidArgument, which a caller would otherwise
see as a 503 "backend unavailable" for what is really their own bad input. So an id from a path, a
header or a body is checked here, before any lookup: letters, digits, `_` and `-`, at most 64
characters (128 for Firebase Auth uids), and not of the reserved form. A refused id reads as "not
found" (or a 422 `invalid_field` in a body), never as a backend failure.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, StringConstraints, WithJsonSchema

MAX_ID_CHARS = 64
MAX_UID_CHARS = 128
ID_CHARS = "[A-Za-z0-9_-]"
ID_PATTERN = rf"^{ID_CHARS}{{1,{MAX_ID_CHARS}}}$"
RESERVED_PATTERN = r"^__.*__$"

_ID_RE = re.compile(rf"{ID_CHARS}+")


def is_reserved(value: str) -> bool:
    """Firestore's reserved ids: two underscores at both ends (`__name__`, `____`)."""
    return len(value) >= 4 and value.startswith("__") and value.endswith("__")


def is_document_id(value: object, max_chars: int = MAX_ID_CHARS) -> bool:
    """True for a string that can name one of our documents."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= max_chars
        and _ID_RE.fullmatch(value) is not None
        and not is_reserved(value)
    )


def _not_reserved(value: str) -> str:
    if is_reserved(value):
        raise ValueError("ids of the form __name__ are reserved")
    return value


_ID_SCHEMA: dict[str, Any] = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_ID_CHARS,
    "pattern": ID_PATTERN,
    "not": {"pattern": RESERVED_PATTERN},
}

DocumentId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_ID_CHARS, pattern=ID_PATTERN),
    AfterValidator(_not_reserved),
    WithJsonSchema(_ID_SCHEMA),
]
"""An id in a request body: refused (422 `invalid_field`) unless `is_document_id` holds."""
