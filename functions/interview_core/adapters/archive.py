"""Cloud Storage: transcript archives under interviews/{id}/ in the archive bucket."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..settings import get_settings
from .clients import storage_client

if TYPE_CHECKING:
    from google.cloud import storage  # type: ignore[attr-defined]


def interview_prefix(interview_id: str) -> str:
    return f"interviews/{interview_id}/"


def bucket(client: storage.Client | None = None) -> storage.Bucket:
    return (client or storage_client()).bucket(get_settings().storage_bucket)


def delete_interview_files(interview_id: str) -> int:
    """Delete every stored file of an interview; returns how many were deleted."""
    from google.api_core import exceptions as gexc

    deleted = 0
    for blob in bucket().list_blobs(prefix=interview_prefix(interview_id)):
        try:
            blob.delete()
            deleted += 1
        except gexc.NotFound:
            pass
    return deleted
