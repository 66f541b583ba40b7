"""Cloud Storage: transcript archives under interviews/{id}/ in the archive bucket."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..settings import get_settings
from .clients import storage_client

if TYPE_CHECKING:
    from google.cloud import storage  # type: ignore[attr-defined]


def interview_prefix(interview_id: str) -> str:
    return f"interviews/{interview_id}/"


TRANSCRIPT_FILE = "transcript.json"


def transcript_path(interview_id: str) -> str:
    return f"{interview_prefix(interview_id)}{TRANSCRIPT_FILE}"


def bucket(client: storage.Client | None = None) -> storage.Bucket:
    return (client or storage_client()).bucket(get_settings().storage_bucket)


def delete_interview_files(interview_id: str) -> int:
    """Delete every stored file of an interview; returns how many were deleted."""
    return sum(delete_file(blob.name) for blob in bucket().list_blobs(prefix=interview_prefix(interview_id)))


def delete_file(path: str) -> bool:
    """Delete one stored file; False when it was not there (a repeated delete is harmless)."""
    from google.api_core import exceptions as gexc

    try:
        bucket().blob(path).delete(timeout=30)
    except gexc.NotFound:
        return False
    return True


def write_transcript(
    interview_id: str, document: dict[str, Any], *, expire_at: datetime | None = None
) -> str:
    """Store the interview's turns and report as interviews/{id}/transcript.json (overwrites: idempotent).

    The object's custom time is the interview's expiry: the bucket's lifecycle rule deletes it once
    that time has passed (infra/storage.tf), like the Firestore TTL policies delete the documents."""
    path = transcript_path(interview_id)
    blob = bucket().blob(path)
    if expire_at is not None:
        blob.custom_time = expire_at
    blob.upload_from_string(
        json.dumps(document, ensure_ascii=False, default=str, indent=1),
        content_type="application/json; charset=utf-8",
        timeout=30,
    )
    return path


def transcript_exists(interview_id: str) -> bool:
    return bool(bucket().blob(transcript_path(interview_id)).exists(timeout=10))
