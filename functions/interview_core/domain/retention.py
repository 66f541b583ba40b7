"""How long an interview's data is kept, and how its deletion is recorded. Pure: no I/O.

Every stored item of an interview carries the same expiry timestamp, `EXPIRY_FIELD`: the interview
document, each of its turns and its report (and the archive object in Cloud Storage as its custom
time). In the cloud, Firestore TTL policies on that field (infra/firestore.tf) and a Storage
lifecycle rule on the custom time (infra/storage.tf) delete them; locally, where the emulators have no
TTL, the sweeper (functions/pipeline/sweep.py) deletes on the same field. The expiry is stamped once,
when the interview is created, from its workspace's retention period: a later change of the period
applies to interviews created afterwards.

Retention counts from the end of the invite window, the last moment the interview can take place, so
a record is never deleted before its interview could happen.

A deleted interview leaves a tombstone (tombstones/{id}), without personal data, which the agent's
turn writes, the evaluation and the archive check inside their transactions, so nothing is written
again after a delete has started.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, EmailStr

EXPIRY_FIELD = "expire_at"
"""The timestamp field the TTL policies, the Storage custom time and the sweeper all use."""

DEFAULT_RETENTION_DAYS = 180
MIN_RETENTION_DAYS = 1
MAX_RETENTION_DAYS = 730
"""Bounds of a workspace's retention period: at least a day, at most two years."""

TOMBSTONE_KEEP = timedelta(days=30)
"""How long a tombstone outlives its interview: far longer than any writer (an agent, an evaluation
with its retries) can still be running for it."""


def expiry_for(invite_expires_at: datetime, retention_days: int) -> datetime:
    """When an interview whose invite ends at `invite_expires_at` is deleted."""
    days = min(MAX_RETENTION_DAYS, max(MIN_RETENTION_DAYS, retention_days))
    return invite_expires_at + timedelta(days=days)


def is_expired(expire_at: datetime | None, now: datetime) -> bool:
    return expire_at is not None and expire_at <= now


class DeletionReason(StrEnum):
    RECRUITER = "recruiter"  # DELETE /api/interviews/{id}
    RETENTION = "retention"  # the expiry passed
    DATA_SUBJECT_REQUEST = "data_subject_request"  # an admin erased a candidate's data


class Tombstone(BaseModel):
    """tombstones/{interview_id}: that the interview was deleted, when and why; no personal data."""

    model_config = ConfigDict(extra="ignore")

    workspace_id: str | None = None
    reason: DeletionReason
    deleted_at: datetime
    expire_at: datetime


def tombstone(workspace_id: str | None, reason: DeletionReason, now: datetime) -> Tombstone:
    return Tombstone(workspace_id=workspace_id, reason=reason, deleted_at=now, expire_at=now + TOMBSTONE_KEEP)


class ErasureRequest(BaseModel):
    """Body of POST /api/workspace/erasures: everything of one candidate email in this workspace."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr


def normalised_email(email: str) -> str:
    return email.strip().lower()


def email_digest(workspace_id: str, email: str) -> str:
    """What the record of an erasure keeps instead of the address: a SHA-256 over the workspace and
    the normalised address. It lets an admin answer "was this address erased?" (hash it again and
    compare) without the log holding the address."""
    return hashlib.sha256(f"{workspace_id}\n{normalised_email(email)}".encode()).hexdigest()
