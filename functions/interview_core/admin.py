"""The operator's commands for teams: the first owner of a workspace, and repairs.

    python -m interview_core.admin create-workspace --name "Acme hiring" --owner-email ana@acme.com
    python -m interview_core.admin add-member --workspace WID --email bo@acme.com --role owner

Nobody becomes an owner by signing up: the first owner of a workspace is named here by an operator
with access to the project (Application Default Credentials and GOOGLE_CLOUD_PROJECT, or the local
stack's environment from `python -m devstack env`). The account must exist: the person signs in to the
web app once (it shows "no access"), then the operator runs the command. Both commands can be
repeated: an owner who already owns a workspace of that name gets it back, and a member who already
has the role is left alone. Each prints one JSON line (the workspace id first) and writes the audit
log with the actor `operator`.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass

from .adapters.clients import firebase_app
from .adapters.firestore_store import utcnow
from .adapters.workspace_store import WorkspaceStore
from .domain.errors import DomainError
from .domain.ids import is_document_id
from .domain.workspaces import Role, Workspace

OPERATOR = "operator"
"""The audit log's actor for changes made by these commands."""


class AdminError(Exception):
    """Something the operator must fix (an unknown account, a bad argument); exit status 2."""


@dataclass(frozen=True)
class Account:
    uid: str
    email: str
    email_verified: bool


def find_account(email: str) -> Account:
    """The Firebase Auth account of `email`, or AdminError telling the operator what to do."""
    from firebase_admin import auth as firebase_auth

    try:
        user = firebase_auth.get_user_by_email(email.strip().lower(), app=firebase_app())
    except firebase_auth.UserNotFoundError as error:
        raise AdminError(
            f"no account with the email {email}: the person signs in to the web app once, then run this again"
        ) from error
    return Account(
        uid=user.uid, email=(user.email or email).lower(), email_verified=bool(user.email_verified)
    )


def create_workspace(
    store: WorkspaceStore, name: str, owner: Account, workspace_id: str | None = None
) -> tuple[Workspace, bool]:
    """The workspace `name` owned by `owner`: an existing one they own of that name, or a new one.
    Returns it and whether it was created."""
    name = name.strip()
    if not 1 <= len(name) <= 80:
        raise AdminError("the workspace name must be 1 to 80 characters")
    if workspace_id is not None and not is_document_id(workspace_id):
        raise AdminError("a workspace id is 1 to 64 letters, digits, '-' or '_'")
    if workspace_id is None:
        for membership in store.memberships_of(owner.uid):
            if membership.member.role == Role.OWNER and membership.workspace.name == name:
                return membership.workspace, False
    elif (existing := store.workspace(workspace_id)) is not None:
        return existing, False
    created = store.create_workspace(
        name,
        owner_uid=owner.uid,
        owner_email=owner.email,
        actor_uid=OPERATOR,
        now=utcnow(),
        workspace_id=workspace_id,
    )
    return created, True


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m interview_core.admin",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-workspace", help="create a workspace with its first owner")
    create.add_argument("--name", required=True)
    create.add_argument("--owner-email", required=True)
    create.add_argument("--id", dest="workspace_id", help="the workspace's id (default: generated)")
    add = sub.add_parser("add-member", help="add an account to a workspace, or change its role there")
    add.add_argument("--workspace", required=True)
    add.add_argument("--email", required=True)
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    store = WorkspaceStore()
    try:
        if args.command == "create-workspace":
            owner = find_account(args.owner_email)
            workspace, created = create_workspace(store, args.name, owner, args.workspace_id)
            result = {"workspace_id": workspace.id, "name": workspace.name, "owner_uid": owner.uid}
            _print({**result, "created": created, "owner_email_verified": owner.email_verified})
        else:
            account = find_account(args.email)
            if store.workspace(args.workspace) is None:
                raise AdminError(f"no workspace {args.workspace}")
            member = store.put_member(
                args.workspace,
                uid=account.uid,
                email=account.email,
                role=Role(args.role),
                actor_uid=OPERATOR,
                now=utcnow(),
            )
            _print({"workspace_id": args.workspace, "uid": member.uid, "role": member.role.value})
    except (AdminError, DomainError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _print(result: dict[str, object]) -> None:
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
