"""Move the interviews and reports made before teams existed into workspaces (issue 18).

    python -m interview_core.migrations.workspaces            # migrate
    python -m interview_core.migrations.workspaces --dry-run  # only count what would change

Before teams, every interview belonged to the account that created it (`owner_uid`). This gives each
interviews/{id} and reports/{id} without a `workspace_id` the workspace of its owner: a workspace the
owner owns (their personal one if the migration made it, else the oldest), or, for an owner who owns
none, a new one named "<email>'s workspace" with them as its only member and owner. `owner_uid` stays:
it is "mine" in the new world.

Idempotent and resumable: a document that has a `workspace_id` is never touched again, each move is a
transaction that re-checks that, and the personal workspace's id is derived from the uid
(`personal-<hash>`), so a run that stopped half-way is simply started again and finds what the first
run made. Run it with the functions' environment (GOOGLE_CLOUD_PROJECT and credentials, or the local
stack's `python -m devstack env`) after deploying the code that writes `workspace_id`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime

from google.cloud import firestore

from ..adapters.clients import firebase_app
from ..adapters.firestore_store import INTERVIEWS, REPORTS, utcnow
from ..adapters.workspace_store import WorkspaceStore
from ..domain.workspaces import Role

MIGRATION_ACTOR = "migration"
DEFAULT_BATCH = 200


@dataclass
class Result:
    """What one run did (or, with dry_run, would do)."""

    interviews_moved: int = 0
    reports_moved: int = 0
    workspaces_created: int = 0
    already_done: int = 0


def personal_workspace_id(uid: str) -> str:
    """The id of the workspace the migration makes for `uid`: stable, so a repeated run finds it."""
    return "personal-" + hashlib.sha256(uid.encode()).hexdigest()[:32]


class Migration:
    def __init__(self, store: WorkspaceStore | None = None, *, dry_run: bool = False) -> None:
        self.store = store or WorkspaceStore()
        self.db = self.store.db
        self.dry_run = dry_run
        self.result = Result()
        self._owner_workspace: dict[str, str] = {}

    def run(self, batch: int = DEFAULT_BATCH) -> Result:
        for snapshot in self._scan(INTERVIEWS, batch):
            self._move(snapshot, self._workspace_of_owner, "interviews_moved")
        for snapshot in self._scan(REPORTS, batch):
            self._move(snapshot, self._workspace_of_report, "reports_moved")
        return self.result

    def _scan(self, collection: str, batch: int) -> Iterator[firestore.DocumentSnapshot]:
        """Every document of the collection, in id order, a page at a time (owner and workspace only)."""
        query = self.db.collection(collection).select(["owner_uid", "workspace_id"]).order_by("__name__")
        last = None
        while True:
            page = list((query.start_after(last) if last else query).limit(batch).stream())
            yield from page
            if len(page) < batch:
                return
            last = page[-1]

    def _move(
        self,
        snapshot: firestore.DocumentSnapshot,
        workspace_for: Callable[[str, str], str],
        counter: str,
    ) -> None:
        data = snapshot.to_dict() or {}
        if data.get("workspace_id"):
            self.result.already_done += 1
            return
        owner = data.get("owner_uid")
        if not isinstance(owner, str) or not owner:
            return  # nobody to give it to; left for an operator
        workspace_id = workspace_for(snapshot.id, owner)
        if self.dry_run or self._set_workspace(snapshot.reference, workspace_id):
            setattr(self.result, counter, getattr(self.result, counter) + 1)

    def _set_workspace(self, ref: firestore.DocumentReference, workspace_id: str) -> bool:
        """Set workspace_id unless something else did meanwhile (then it is left as it is)."""

        @firestore.transactional  # type: ignore[misc]
        def run(transaction: firestore.Transaction) -> bool:
            current = ref.get(field_paths=["workspace_id"], transaction=transaction)
            if not current.exists or (current.to_dict() or {}).get("workspace_id"):
                return False
            transaction.update(ref, {"workspace_id": workspace_id})
            return True

        return run(self.db.transaction())  # type: ignore[no-any-return]

    def _workspace_of_report(self, report_id: str, owner: str) -> str:
        interview = self.db.collection(INTERVIEWS).document(report_id).get(field_paths=["workspace_id"])
        found = (interview.to_dict() or {}).get("workspace_id") if interview.exists else None
        return found if isinstance(found, str) and found else self._workspace_of_owner(report_id, owner)

    def _workspace_of_owner(self, _doc_id: str, owner: str) -> str:
        if owner not in self._owner_workspace:
            self._owner_workspace[owner] = self._find_or_create(owner)
        return self._owner_workspace[owner]

    def _find_or_create(self, owner: str) -> str:
        personal = personal_workspace_id(owner)
        owned = [m.workspace for m in self.store.memberships_of(owner) if m.member.role == Role.OWNER]
        if any(w.id == personal for w in owned):
            return personal
        if owned:
            return min(owned, key=lambda w: (w.created_at, w.id)).id
        if not self.dry_run:
            email = _email_of(owner)
            name = f"{email}'s workspace" if email else "Personal workspace"
            self.store.create_workspace(
                name[:80],
                owner_uid=owner,
                owner_email=email,
                actor_uid=MIGRATION_ACTOR,
                now=utcnow(),
                workspace_id=personal,
            )
        self.result.workspaces_created += 1
        return personal


def _email_of(uid: str) -> str:
    """The account's email, or "" when the account no longer exists."""
    from firebase_admin import auth as firebase_auth

    try:
        return (firebase_auth.get_user(uid, app=firebase_app()).email or "").lower()
    except firebase_auth.UserNotFoundError:
        return ""


def migrate(
    *, dry_run: bool = False, batch: int = DEFAULT_BATCH, store: WorkspaceStore | None = None
) -> Result:
    return Migration(store, dry_run=dry_run).run(batch)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m interview_core.migrations.workspaces",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")
    parser.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH, choices=range(1, 1001), metavar="1-1000"
    )
    args = parser.parse_args(argv)
    started: datetime = utcnow()
    result = migrate(dry_run=args.dry_run, batch=args.batch_size)
    seconds = round((utcnow() - started).total_seconds(), 1)
    print(json.dumps({**asdict(result), "dry_run": args.dry_run, "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
