"""Deleting an interview's data without races, whoever asks: a recruiter, the retention sweep, or an
admin erasing a candidate's data; and every deletion of a single CV file (a replaced CV, a failed
upload): the one place stored files of an interview are deleted.

Order: the tombstone first, then the archive files, then the documents (turns, report, interview).
Once the tombstone is committed, no turn write, report write or archive can add anything: turn and
report writes check it inside their transactions (adapters/firestore_store.py), and the archive is
checked right after it is written (`archive_unless_deleted`). Every step is idempotent, so a delete
that failed half-way is simply repeated.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .adapters import archive
from .adapters.archive import interview_prefix
from .adapters.firestore_store import InterviewStore
from .domain.retention import DeletionReason, tombstone

log = logging.getLogger("interview_core.deletion")


@dataclass(frozen=True)
class Deleted:
    files: int


def delete_interview(
    store: InterviewStore,
    interview_id: str,
    *,
    workspace_id: str | None,
    reason: DeletionReason,
    now: datetime,
) -> Deleted:
    """Tombstone, archive files, documents: everything stored of the interview is gone afterwards."""
    store.bury(interview_id, tombstone(workspace_id, reason, now))
    files = archive.delete_interview_files(interview_id)
    store.delete_everything(interview_id)
    log.info(
        "interview data deleted",
        extra={"interview_id": interview_id, "reason": reason.value, "files_deleted": files},
    )
    return Deleted(files=files)


def archive_unless_deleted(
    store: InterviewStore, interview_id: str, document: dict[str, Any], expire_at: datetime | None
) -> bool:
    """Write the transcript archive, then check the tombstone: when the interview's deletion began
    meanwhile, delete the archive again. A delete lists the files only after its tombstone is
    committed, so either it sees this archive or this check sees its tombstone. False when deleted."""
    archive.write_transcript(interview_id, document, expire_at=expire_at)
    if not store.is_buried(interview_id):
        return True
    archive.delete_interview_files(interview_id)
    log.info("archive removed: the interview was deleted meanwhile", extra={"interview_id": interview_id})
    return False


def delete_cv(interview_id: str, path: str, *, reason: str) -> bool:
    """Delete one CV file of the interview (`reason`: why, for the log: replaced, upload_failed...).
    Refuses a path outside the interview's folder, so no caller can delete another interview's file.
    Idempotent; False when the file was not there."""
    if not path.startswith(interview_prefix(interview_id)) or ".." in path:
        raise ValueError("the CV path is not in the interview's folder")
    deleted = archive.delete_file(path)
    log.info("cv file deleted", extra={"interview_id": interview_id, "reason": reason, "found": deleted})
    return deleted
