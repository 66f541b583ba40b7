"""The local stack's demo team: the workspace "Demo team" and its verified owner.

    python -m devstack seed     # against a running `make dev` stack (its ports, offset included)

`python -m devstack up` runs it once the stack is ready (`--no-seed` skips it); `run` (tests,
benchmarks) does not: tests make their own workspaces. Idempotent: the account and the workspace are
found again on every start, and the owner's password and verified email are set again, so the printed
sign-in always works. Nobody is made an owner by signing up; this is the local stand-in for the
operator's `python -m interview_core.admin create-workspace`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping

OWNER_EMAIL = "owner@example.com"
OWNER_PASSWORD = "demo-owner-password"  # noqa: S105 -- the local emulator's demo account, documented
WORKSPACE_ID = "demo-team"
WORKSPACE_NAME = "Demo team"


def seed_demo_team() -> str:
    """Create (or find) the owner and the workspace; returns how to sign in. Needs the stack's
    environment in os.environ (the emulators' hosts), so it runs in its own process (see run_seed)."""
    from firebase_admin import auth as firebase_auth

    from interview_core.adapters.clients import firebase_app
    from interview_core.adapters.firestore_store import utcnow
    from interview_core.adapters.workspace_store import WorkspaceStore

    app = firebase_app()
    try:
        user = firebase_auth.get_user_by_email(OWNER_EMAIL, app=app)
        firebase_auth.update_user(user.uid, password=OWNER_PASSWORD, email_verified=True, app=app)
    except firebase_auth.UserNotFoundError:
        user = firebase_auth.create_user(
            email=OWNER_EMAIL,
            password=OWNER_PASSWORD,
            email_verified=True,
            display_name="Demo owner",
            app=app,
        )
    store = WorkspaceStore()
    store.create_workspace(
        WORKSPACE_NAME,
        owner_uid=user.uid,
        owner_email=OWNER_EMAIL,
        actor_uid="operator",
        now=utcnow(),
        workspace_id=WORKSPACE_ID,
    )
    if store.member(WORKSPACE_ID, user.uid) is None:  # the emulator's accounts were reset, not Firestore
        from interview_core.domain.workspaces import Role

        store.put_member(
            WORKSPACE_ID, uid=user.uid, email=OWNER_EMAIL, role=Role.OWNER, actor_uid="operator", now=utcnow()
        )
    return (
        f'workspace "{WORKSPACE_NAME}" ({WORKSPACE_ID}): sign in as {OWNER_EMAIL} / {OWNER_PASSWORD} '
        "(owner, email verified); invite others from the Members page"
    )


def run_seed(env: Mapping[str, str]) -> tuple[bool, str]:
    """Seed in a child process with the stack's environment; (ok, the sign-in line or the error)."""
    done = subprocess.run(
        [sys.executable, "-m", "devstack.seed"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = (done.stdout if done.returncode == 0 else done.stderr).strip().splitlines()
    return done.returncode == 0, (lines[-1] if lines else f"exit status {done.returncode}")


def main() -> int:
    print(seed_demo_team())
    return 0


if __name__ == "__main__":
    sys.exit(main())
