"""Firestore access for interviews, turns and reports.

Every status change is decided on what was read and written only if that is still the state: in a
transaction, or as a compare-and-set on the document's update time.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

from google.api_core import exceptions as gexc
from google.cloud import firestore
from pydantic import BaseModel

from ..domain.errors import ConcurrentChange, InterviewNotFound, InvalidCursor
from ..domain.models import Interview, InterviewPart, InterviewStatus, Turn
from ..domain.retention import EXPIRY_FIELD, Tombstone
from ..domain.status import require_transition
from .clients import firestore_client, per_process, run_transaction
from .page_cursors import decode_cursor, encode_cursor
from .workspace_store import account_interview_change

Change = Callable[[Interview], dict[str, Any] | None]
"""Decides a change from the current interview: the fields to update, None for nothing, or raises."""


PartT = TypeVar("PartT", bound=InterviewPart)
ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")

INTERVIEWS = "interviews"
TURNS = "turns"
REPORTS = "reports"
TOMBSTONES = "tombstones"
TURNS_RECORDED = "turns_recorded"
"""The interview's count of turns the agent stored: one more than the highest sequence number written,
kept in the same transaction as the turns (the evaluation compares it with the turns it finds)."""
MAX_PAGE_SIZE = 100
DELETE_BATCH = 400

log = logging.getLogger("interview_core.store")


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_firestore(value: Any) -> Any:
    """Plain data for Firestore: enums as their values, everything else as is (datetimes stay)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: to_firestore(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_firestore(v) for v in value]
    return value


def turn_doc_id(seq: int) -> str:
    """Zero-padded so that document order is turn order."""
    return f"{seq:06d}"


class InterviewStore:
    """Repository for interviews/{id}, its turns and reports/{id}."""

    def __init__(self, db: firestore.Client | None = None) -> None:
        self.db = db or firestore_client()

    # -- references -------------------------------------------------------------------------------
    def interview_ref(self, interview_id: str) -> firestore.DocumentReference:
        return self.db.collection(INTERVIEWS).document(interview_id)

    def report_ref(self, interview_id: str) -> firestore.DocumentReference:
        return self.db.collection(REPORTS).document(interview_id)

    def tombstone_ref(self, interview_id: str) -> firestore.DocumentReference:
        return self.db.collection(TOMBSTONES).document(interview_id)

    def new_id(self) -> str:
        return self.db.collection(INTERVIEWS).document().id

    # -- interviews -------------------------------------------------------------------------------
    def create(self, interview: Interview) -> None:
        data = to_firestore(interview.model_dump(mode="python", exclude={"id"}))
        self.interview_ref(interview.id).create(data)

    def get(self, interview_id: str) -> Interview | None:
        snapshot = self.interview_ref(interview_id).get()
        return _interview_from(snapshot) if snapshot.exists else None

    def get_part(self, interview_id: str, part: type[PartT]) -> PartT | None:
        """Only the fields `part.FIELDS` names, or None when the interview does not exist."""
        snapshot = self.interview_ref(interview_id).get(field_paths=part.FIELDS)
        return part.model_validate(snapshot.to_dict()) if snapshot.exists else None

    def get_owned(self, interview_id: str, owner_uid: str) -> Interview:
        """The interview if it exists and belongs to owner_uid; otherwise InterviewNotFound (the same
        answer for someone else's interview, so ids cannot be probed)."""
        interview = self.get(interview_id)
        if interview is None or interview.owner_uid != owner_uid:
            raise InterviewNotFound()
        return interview

    def get_in_workspace(self, interview_id: str, workspace_id: str) -> Interview:
        """The interview if it belongs to the workspace; otherwise InterviewNotFound (another team's
        interview answers like a missing one)."""
        interview = self.get(interview_id)
        if interview is None or interview.workspace_id != workspace_id:
            raise InterviewNotFound()
        return interview

    def list_owned(
        self, owner_uid: str, *, page_size: int, page_token: str | None
    ) -> tuple[list[Interview], str | None]:
        """The owner's interviews (in any workspace), newest first, one page at a time."""
        return self._page({"owner_uid": owner_uid}, page_size, page_token)

    def list_in_workspace(
        self, workspace_id: str, *, owner_uid: str | None = None, page_size: int, page_token: str | None
    ) -> tuple[list[Interview], str | None]:
        """The workspace's interviews (only owner_uid's when given: "mine"), newest first, one page at
        a time (indexes: workspace_id, created_at; workspace_id, owner_uid, created_at)."""
        equal = {"workspace_id": workspace_id}
        if owner_uid is not None:
            equal["owner_uid"] = owner_uid
        return self._page(equal, page_size, page_token)

    def _page(
        self, equal: dict[str, str], page_size: int, page_token: str | None
    ) -> tuple[list[Interview], str | None]:
        query = (
            self.db.collection(INTERVIEWS)
            .order_by("created_at", direction=firestore.Query.DESCENDING)
            .order_by("__name__", direction=firestore.Query.DESCENDING)
        )
        for field, value in equal.items():
            query = query.where(filter=firestore.FieldFilter(field, "==", value))
        if page_token:
            after = self.interview_ref(decode_cursor(page_token)).get()
            if not after.exists or any((after.to_dict() or {}).get(f) != v for f, v in equal.items()):
                raise InvalidCursor()
            query = query.start_after(after)
        snapshots = list(query.limit(page_size + 1).stream())
        interviews = [_interview_from(s) for s in snapshots[:page_size]]
        next_token = encode_cursor(interviews[-1].id) if len(snapshots) > page_size else None
        return interviews, next_token

    def update_in_transaction(
        self,
        interview_id: str,
        change: Change,
        *,
        owner_uid: str | None = None,
        workspace_id: str | None = None,
    ) -> Interview:
        """Read the interview, let `change` decide (raise a DomainError to refuse), write its updates.

        `change` returns the fields to update (None: nothing to write). Runs in a Firestore
        transaction, so concurrent and repeated requests see a consistent status; use it when the
        change must be atomic with other documents' writes (see update_atomically otherwise). The
        workspace's usage counters change in the same transaction (a live slot given back, model
        time added, an evaluation counted, or QuotaExceeded raised before anything is written).
        """
        ref = self.interview_ref(interview_id)

        def run(transaction: firestore.Transaction) -> Interview:
            snapshot = ref.get(transaction=transaction)
            data = snapshot.to_dict() if snapshot.exists else None
            interview, updates = _decide(interview_id, data, change, owner_uid, workspace_id)
            if not updates:
                return interview
            account_interview_change(transaction, self.db, data or {}, updates, utcnow())
            transaction.update(ref, updates)
            return _merged(interview, updates)

        return run_transaction(self.db, run)

    def update_part_in_transaction(
        self,
        interview_id: str,
        part: type[PartT],
        change: Callable[[PartT], dict[str, Any] | None],
    ) -> PartT:
        """update_part_atomically in a transaction, for a change that also moves the workspace's usage
        counters (a candidate's first token takes a live-interview slot)."""
        ref = self.interview_ref(interview_id)

        def run(transaction: firestore.Transaction) -> PartT:
            snapshot = ref.get(field_paths=part.FIELDS, transaction=transaction)
            if not snapshot.exists:
                raise InterviewNotFound()
            data = snapshot.to_dict() or {}
            current = part.model_validate(data)
            updates = _updates_for(current, change)
            if not updates:
                return current
            account_interview_change(transaction, self.db, data, updates, utcnow())
            transaction.update(ref, updates)
            return _merged(current, updates)

        return run_transaction(self.db, run)

    def update_atomically(
        self,
        interview_id: str,
        change: Change,
        *,
        owner_uid: str | None = None,
        attempts: int = 8,
        touch: bool = True,
    ) -> Interview:
        """Like update_in_transaction for a change to this one document, as a compare-and-set.

        `touch=False` leaves `updated_at` as it is: for telemetry, which must not make an abandoned
        interview look active to the sweeper.

        The write carries the read's update time as a precondition, so a concurrent change makes it
        fail and the whole decision is taken again on fresh data. Two round trips instead of a
        transaction's three, and no lock held between them. InterviewNotFound when the interview
        does not exist (or is not owner_uid's), ConcurrentChange when every attempt lost a race.
        """

        def decide(data: dict[str, Any]) -> tuple[Interview, dict[str, Any] | None]:
            return _decide(interview_id, data, change, owner_uid, None, touch=touch)

        interview, updates = self._compare_and_set(self.interview_ref(interview_id), None, decide, attempts)
        return _merged(interview, updates) if updates else interview

    def update_part_atomically(
        self,
        interview_id: str,
        part: type[PartT],
        change: Callable[[PartT], dict[str, Any] | None],
        *,
        attempts: int = 8,
    ) -> PartT:
        """update_atomically reading only the fields `part.FIELDS` names: the token route, which
        runs on every candidate's join, reads a few small fields instead of the whole interview
        (job description, plan, metrics).

        Returns the part as it is after the write; InterviewNotFound when the interview does not exist.
        """

        def decide(data: dict[str, Any]) -> tuple[PartT, dict[str, Any] | None]:
            current = part.model_validate(data)
            return current, _updates_for(current, change)

        ref = self.interview_ref(interview_id)
        current, updates = self._compare_and_set(ref, part.FIELDS, decide, attempts)
        return _merged(current, updates) if updates else current

    def _compare_and_set(
        self,
        ref: firestore.DocumentReference,
        field_paths: Sequence[str] | None,
        decide: Callable[[dict[str, Any]], tuple[T, dict[str, Any] | None]],
        attempts: int,
    ) -> tuple[T, dict[str, Any] | None]:
        """Read, decide, write with the read's update time as precondition; on a race, again.

        A lost race (the document changed since the read, or was deleted) fails the write's
        precondition; the next attempt reads again and decides on what it finds, after a short
        random pause that grows with each attempt so that racing writers spread out.
        """
        for attempt in range(attempts):
            snapshot = ref.get(field_paths=field_paths)
            if not snapshot.exists:
                raise InterviewNotFound()
            current, updates = decide(snapshot.to_dict() or {})
            if not updates:
                return current, None
            try:
                ref.update(updates, option=self.db.write_option(last_update_time=snapshot.update_time))
            except (gexc.FailedPrecondition, gexc.Aborted):
                time.sleep(random.uniform(0, 0.004 * 2**attempt))
                continue
            except gexc.NotFound as error:  # deleted between the read and the write
                raise InterviewNotFound() from error
            return current, updates
        raise ConcurrentChange()

    def transition(
        self,
        interview_id: str,
        target: InterviewStatus,
        *,
        owner_uid: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Interview:
        """Move to `target` if the status machine allows it (else IllegalTransition), with extra fields."""

        def change(interview: Interview) -> dict[str, Any]:
            require_transition(interview.status, target)
            return {"status": target, **(extra or {})}

        return self.update_in_transaction(interview_id, change, owner_uid=owner_uid)

    # -- turns ------------------------------------------------------------------------------------
    def turns(self, interview_id: str) -> list[Turn]:
        collection = self.interview_ref(interview_id).collection(TURNS)
        return [Turn.model_validate(s.to_dict()) for s in collection.order_by("seq").stream()]

    def add_turns(self, interview_id: str, turns: Iterable[Turn]) -> None:
        """Store turns, in one transaction that first checks the interview is still there.

        Idempotent: a turn is keyed by its sequence number, so a retried write overwrites itself.
        Each turn carries the interview's expiry, and the interview's `turns_recorded` becomes one
        more than the highest sequence number written (never less than it was). A deleted interview
        (a tombstone, or no document) gets nothing: the turns are dropped with a warning, so a delete
        that raced this write leaves nothing behind and the agent's writer does not retry for ever.
        """
        batch = list(turns)
        if not batch:
            return
        interview_ref = self.interview_ref(interview_id)
        tombstone_ref = self.tombstone_ref(interview_id)
        collection = interview_ref.collection(TURNS)

        def run(transaction: firestore.Transaction) -> bool:
            buried = tombstone_ref.get(transaction=transaction)
            snapshot = interview_ref.get(field_paths=[EXPIRY_FIELD, TURNS_RECORDED], transaction=transaction)
            if buried.exists or not snapshot.exists:
                return False
            data = snapshot.to_dict() or {}
            expiry = {EXPIRY_FIELD: data[EXPIRY_FIELD]} if data.get(EXPIRY_FIELD) else {}
            for turn in batch:
                transaction.set(
                    collection.document(turn_doc_id(turn.seq)), {**to_firestore(turn.model_dump()), **expiry}
                )
            recorded = max(int(data.get(TURNS_RECORDED) or 0), max(t.seq for t in batch) + 1)
            transaction.update(interview_ref, {TURNS_RECORDED: recorded})
            return True

        if not run_transaction(self.db, run):
            log.warning(
                "turns dropped: the interview was deleted",
                extra={"interview_id": interview_id, "first_seq": batch[0].seq, "turns": len(batch)},
            )

    def last_turn(self, interview_id: str) -> Turn | None:
        collection = self.interview_ref(interview_id).collection(TURNS)
        snapshots = list(collection.order_by("seq", direction=firestore.Query.DESCENDING).limit(1).stream())
        return Turn.model_validate(snapshots[0].to_dict()) if snapshots else None

    # -- the sweeper's queries --------------------------------------------------------------------
    def idle_since(self, status: InterviewStatus, before: datetime, limit: int) -> list[Interview]:
        """Interviews in `status` not updated since `before`, oldest first (index: status, updated_at)."""
        query = (
            self.db.collection(INTERVIEWS)
            .where(filter=firestore.FieldFilter("status", "==", status.value))
            .where(filter=firestore.FieldFilter("updated_at", "<", before))
            .order_by("updated_at")
            .limit(limit)
        )
        return [_interview_from(s) for s in query.stream()]

    def unused_live_slots(self, before: datetime, limit: int) -> list[Interview]:
        """Invited interviews holding a live slot taken before `before`: the candidate got a token and
        the interview never started (index: status, live_since)."""
        query = (
            self.db.collection(INTERVIEWS)
            .where(filter=firestore.FieldFilter("status", "==", InterviewStatus.INVITED.value))
            .where(filter=firestore.FieldFilter("live_since", "<", before))
            .order_by("live_since")
            .limit(limit)
        )
        return [_interview_from(s) for s in query.stream()]

    def invites_expired_before(self, now: datetime, limit: int) -> list[Interview]:
        """Invited interviews whose invite expired (index: status, invite.expires_at)."""
        query = (
            self.db.collection(INTERVIEWS)
            .where(filter=firestore.FieldFilter("status", "==", InterviewStatus.INVITED.value))
            .where(filter=firestore.FieldFilter("invite.expires_at", "<", now))
            .order_by("invite.expires_at")
            .limit(limit)
        )
        return [_interview_from(s) for s in query.stream()]

    def reminders_due(self, now: datetime, limit: int) -> list[Interview]:
        """Interviews whose invite reminder is due (single-field index on emails.reminder_due_at)."""
        query = (
            self.db.collection(INTERVIEWS)
            .where(filter=firestore.FieldFilter("emails.reminder_due_at", "<=", now))
            .order_by("emails.reminder_due_at")
            .limit(limit)
        )
        return [_interview_from(s) for s in query.stream()]

    # -- reports ----------------------------------------------------------------------------------
    def report(self, interview_id: str) -> dict[str, Any] | None:
        snapshot = self.report_ref(interview_id).get()
        return snapshot.to_dict() if snapshot.exists else None

    def save_report(
        self, interview_id: str, generation: int, report: dict[str, Any], change: Change
    ) -> tuple[str, Interview | None]:
        """Write reports/{id} and the interview's status change in ONE transaction.

        Returns ("written", interview) or, writing nothing, ("exists", _) when a report of this
        generation (or a newer one) is already there, ("gone", None) when the interview was deleted
        (or its deletion has begun: a tombstone), the report carrying the interview's expiry,
        and ("stale", interview) when `change` declines (returns None): the interview moved on.
        """
        interview_ref = self.interview_ref(interview_id)
        report_ref = self.report_ref(interview_id)

        def run(transaction: firestore.Transaction) -> tuple[str, Interview | None]:
            existing = report_ref.get(transaction=transaction)
            buried = self.tombstone_ref(interview_id).get(transaction=transaction)
            snapshot = interview_ref.get(transaction=transaction)
            if buried.exists or not snapshot.exists:
                return "gone", None
            interview = _interview_from(snapshot)
            if existing.exists and int((existing.to_dict() or {}).get("generation") or 1) >= generation:
                return "exists", interview
            updates = _updates_for(interview, change)
            if not updates:
                return "stale", interview
            expiry = {EXPIRY_FIELD: interview.expire_at} if interview.expire_at else {}
            transaction.set(report_ref, {**to_firestore(report), **expiry})
            transaction.update(interview_ref, updates)
            return "written", _merged(interview, updates)

        return run_transaction(self.db, run)

    def mark_report_reviewed(self, interview_id: str, uid: str, now: datetime) -> dict[str, Any] | None:
        """Record that a recruiter has looked at a report whose integrity asked for it, and release
        its withheld recommendation; repeats change nothing. None when there is no report."""
        ref = self.report_ref(interview_id)

        def run(transaction: firestore.Transaction) -> dict[str, Any] | None:
            snapshot = ref.get(transaction=transaction)
            if not snapshot.exists:
                return None
            data = snapshot.to_dict() or {}
            integrity = data.get("integrity") or {}
            if not integrity.get("review_required") or integrity.get("reviewed_at"):
                return data
            updates = {
                "integrity.reviewed_by": uid,
                "integrity.reviewed_at": now,
                "recommendation": data.get("withheld_recommendation"),
                "withheld_recommendation": None,
            }
            transaction.update(ref, updates)
            return _applied(data, updates)

        return run_transaction(self.db, run)

    # -- deletion ---------------------------------------------------------------------------------
    def bury(self, interview_id: str, tombstone: Tombstone) -> None:
        """Leave the tombstone that stops every later write for the interview (the first one stays)."""
        with contextlib.suppress(gexc.AlreadyExists):
            self.tombstone_ref(interview_id).create(to_firestore(tombstone.model_dump(mode="python")))

    def is_buried(self, interview_id: str) -> bool:
        return bool(self.tombstone_ref(interview_id).get().exists)

    def expired(self, now: datetime, limit: int) -> list[str]:
        """Ids of interviews whose expiry has passed, oldest expiry first (single-field index)."""
        query = (
            self.db.collection(INTERVIEWS)
            .where(filter=firestore.FieldFilter(EXPIRY_FIELD, "<=", now))
            .order_by(EXPIRY_FIELD)
            .limit(limit)
        )
        return [s.id for s in query.select([EXPIRY_FIELD]).stream()]

    def expired_in(self, collection: str, now: datetime, limit: int) -> list[firestore.DocumentReference]:
        """Documents of a top-level collection (reports, tombstones) whose expiry has passed: the
        local stand-in for the TTL policy on that collection."""
        query = (
            self.db.collection(collection)
            .where(filter=firestore.FieldFilter(EXPIRY_FIELD, "<=", now))
            .limit(limit)
        )
        return [s.reference for s in query.select([EXPIRY_FIELD]).stream()]

    def ids_of_candidate(self, workspace_id: str, email: str) -> list[str]:
        """Ids of the workspace's interviews with this candidate email (compared case-insensitively,
        so the whole workspace is read, two small fields per interview)."""
        wanted = email.strip().lower()
        query = self.db.collection(INTERVIEWS).where(
            filter=firestore.FieldFilter("workspace_id", "==", workspace_id)
        )
        return [
            s.id
            for s in query.select(["candidate.email"]).stream()
            if str(((s.to_dict() or {}).get("candidate") or {}).get("email", "")).strip().lower() == wanted
        ]

    def delete_everything(self, interview_id: str) -> None:
        """Delete turns, every other subcollection, the report, then the interview itself.

        The interview goes last, so a crash half-way leaves it visible and the delete can be
        repeated; each step is idempotent.
        """
        ref = self.interview_ref(interview_id)
        for collection in ref.collections():
            while True:
                docs = list(collection.limit(DELETE_BATCH).stream())
                if not docs:
                    break
                batch = self.db.batch()
                for doc in docs:
                    batch.delete(doc.reference)
                batch.commit()
        self.report_ref(interview_id).delete()
        with contextlib.suppress(gexc.NotFound):
            ref.delete()


@per_process
def default_store() -> InterviewStore:
    """One store per process, created on first use so that importing a function stays fast."""
    return InterviewStore()


def _decide(
    interview_id: str,
    data: dict[str, Any] | None,
    change: Change,
    owner_uid: str | None,
    workspace_id: str | None,
    *,
    touch: bool = True,
) -> tuple[Interview, dict[str, Any] | None]:
    """The interview in `data` (None: absent) and the updates `change` asks for; absent, not owned
    and in another workspace are the same InterviewNotFound."""
    if data is None:
        raise InterviewNotFound()
    interview = Interview.model_validate({**data, "id": interview_id})
    if owner_uid is not None and interview.owner_uid != owner_uid:
        raise InterviewNotFound()
    if workspace_id is not None and interview.workspace_id != workspace_id:
        raise InterviewNotFound()
    return interview, _updates_for(interview, change, touch=touch)


def _updates_for(
    current: T, change: Callable[[T], dict[str, Any] | None], *, touch: bool = True
) -> dict[str, Any] | None:
    """The Firestore updates `change` asks for, stamped with updated_at unless `touch` is False
    (None: nothing to write)."""
    updates = change(current)
    if not updates:
        return None
    if not touch:
        return to_firestore(updates)
    return {**to_firestore(updates), "updated_at": utcnow()}


def _merged(current: ModelT, updates: dict[str, Any]) -> ModelT:
    """The interview (or part) as it is after `updates` were written over it (the read is parsed once)."""
    return type(current).model_validate(_applied(current.model_dump(mode="python"), updates))


def _applied(data: dict[str, Any], updates: dict[str, Any]) -> dict[str, Any]:
    """`data` as Firestore stores it after `updates` (dotted keys reach into maps); `data` is not changed."""
    result = dict(data)
    for key, value in updates.items():
        *parents, leaf = key.split(".")
        target = result
        for name in parents:
            child = target.get(name)
            target[name] = dict(child) if isinstance(child, dict) else {}
            target = target[name]
        target[leaf] = value
    return result


def _interview_from(snapshot: firestore.DocumentSnapshot) -> Interview:
    data = snapshot.to_dict() or {}
    data["id"] = snapshot.id
    return Interview.model_validate(data)
