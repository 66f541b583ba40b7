"""The operator's side of teams: the first-owner command, the migration of single-owner data into
workspaces, and the local stack's seeded demo team."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from typing import Any

import requests

from devstack.accounts import Account
from tests.conftest import AuthEmulator, Recruiter
from tests.integration.teams_support import seed_interview


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_first_owner_is_named_by_the_operator_command_and_it_can_be_repeated(
    api_url: str, auth_emulator: AuthEmulator
) -> None:
    person = auth_emulator.verified()
    assert requests.get(f"{api_url}/api/me", headers=person.headers, timeout=10).json()["workspaces"] == []

    made = _command(
        "interview_core.admin",
        "create-workspace",
        "--name",
        "Acme hiring",
        "--owner-email",
        person.email.upper(),
    )
    assert made.returncode == 0, made.stderr
    result = json.loads(made.stdout)
    assert (result["name"], result["owner_uid"], result["created"]) == ("Acme hiring", person.uid, True)
    me = requests.get(f"{api_url}/api/me", headers=person.headers, timeout=10).json()
    assert me["workspaces"] == [{"id": result["workspace_id"], "name": "Acme hiring", "role": "owner"}]
    again = _command(
        "interview_core.admin", "create-workspace", "--name", "Acme hiring", "--owner-email", person.email
    )
    assert json.loads(again.stdout) == {**result, "created": False}

    colleague = auth_emulator.verified()
    added = _command(
        "interview_core.admin",
        "add-member",
        "--workspace",
        result["workspace_id"],
        "--email",
        colleague.email,
        "--role",
        "owner",
    )
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["role"] == "owner"
    listed = requests.get(
        f"{api_url}/api/workspace/members",
        headers=person.in_workspace(result["workspace_id"]).headers,
        timeout=10,
    ).json()
    assert {(m["email"], m["role"]) for m in listed["members"]} == {
        (person.email, "owner"),
        (colleague.email, "owner"),
    }

    unknown = _command(
        "interview_core.admin", "create-workspace", "--name", "X", "--owner-email", "nobody@nowhere.example"
    )
    assert unknown.returncode == 2
    assert "signs in to the web app once" in unknown.stderr
    bad_role = _command(
        "interview_core.admin",
        "add-member",
        "--workspace",
        result["workspace_id"],
        "--email",
        person.email,
        "--role",
        "boss",
    )
    assert bad_role.returncode == 2


def _legacy(store: Any, owner_uid: str, *, report: bool = False) -> str:
    """An interview (and its report) as they were stored before teams: no workspace_id."""
    interview_id, _ = seed_interview(store, None, owner_uid)
    if report:
        store.report_ref(interview_id).set({"owner_uid": owner_uid, "overall_score": 60, "generation": 1})
    return interview_id


def test_the_migration_moves_single_owner_data_into_workspaces_and_can_be_run_again(
    api_url: str, auth_emulator: AuthEmulator, store: Any
) -> None:
    from interview_core.adapters.workspace_store import WorkspaceStore
    from interview_core.migrations.workspaces import migrate, personal_workspace_id

    workspaces = WorkspaceStore()
    alone = auth_emulator.verified()  # recruited alone before teams
    first, second = _legacy(store, alone.uid, report=True), _legacy(store, alone.uid)
    orphan_report = store.new_id()  # a report whose interview was deleted
    store.report_ref(orphan_report).set({"owner_uid": alone.uid, "overall_score": 10})
    with_team = auth_emulator.member("owner")  # owns a team already
    third = _legacy(store, with_team.uid, report=True)
    gone = f"deleted-account-{first[:6]}"  # an owner whose account no longer exists
    fourth = _legacy(store, gone)

    preview = migrate(dry_run=True)
    assert preview.interviews_moved >= 4
    assert preview.workspaces_created >= 2
    assert store.get(first).workspace_id is None  # a dry run writes nothing

    done = migrate(batch=3)  # small pages: the scan crosses page boundaries
    assert done.interviews_moved >= 4
    assert done.reports_moved >= 3
    personal = personal_workspace_id(alone.uid)
    assert personal == "personal-" + hashlib.sha256(alone.uid.encode()).hexdigest()[:32]
    assert [store.get(i).workspace_id for i in (first, second, third, fourth)] == [
        personal,
        personal,
        with_team.workspace_id,
        personal_workspace_id(gone),
    ]
    assert store.report(first)["workspace_id"] == personal
    assert store.report(orphan_report)["workspace_id"] == personal
    assert store.report(third)["workspace_id"] == with_team.workspace_id
    assert store.get(first).owner_uid == alone.uid  # "mine" stays
    made = workspaces.workspace(personal)
    assert made.name == f"{alone.email}'s workspace"
    assert workspaces.member(personal, alone.uid).role == "owner"
    assert workspaces.workspace(personal_workspace_id(gone)).name == "Personal workspace"

    repeat = migrate()
    assert (repeat.interviews_moved, repeat.reports_moved, repeat.workspaces_created) == (0, 0, 0)
    assert repeat.already_done >= 4

    mine = requests.get(f"{api_url}/api/interviews?mine=true", headers=alone.headers, timeout=10).json()
    assert {i["id"] for i in mine["interviews"]} == {first, second}
    report = requests.get(f"{api_url}/api/reports/{first}", headers=alone.headers, timeout=10)
    assert report.status_code == 200

    cli = _command("interview_core.migrations.workspaces", "--dry-run")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["interviews_moved"] == 0


def test_the_local_stacks_demo_team_is_seeded_with_a_verified_owner(
    api_url: str, stack: dict[str, str], auth_emulator: AuthEmulator
) -> None:
    from devstack import seed

    for _ in range(2):  # every `make dev` start seeds again
        ok, line = seed.run_seed(stack)
        assert ok, line
        assert "owner@example.com" in line
    account = auth_emulator.client.sign_in(Account("", seed.OWNER_EMAIL, "", seed.OWNER_PASSWORD))
    owner = Recruiter(account.uid, account.email, account.id_token)
    me = requests.get(f"{api_url}/api/me", headers=owner.headers, timeout=10).json()
    assert me["email_verified"] is True
    assert {"id": seed.WORKSPACE_ID, "name": seed.WORKSPACE_NAME, "role": "owner"} in me["workspaces"]
