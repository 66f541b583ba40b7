"""Deleting an interview while the agent is still writing turns, or while its evaluation runs, leaves
nothing of it behind: the tombstone the delete writes first is checked inside the turn writes' and the
report's transactions, and right after the archive is written."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from tests.conftest import AuthEmulator
from tests.integration.pipeline_support import (
    Create,
    Queue,
    golden,
    remains,
    seed_finished_interview,
    wait_for,
)


class Writers:
    """Two threads storing turns through the agent's store path as fast as they can (each with its
    own store, like two agent processes around a hand-over), counting writes before and after the
    delete, and keeping any exception for the test to raise."""

    def __init__(self, interview_id: str) -> None:
        self.interview_id = interview_id
        self.stop = threading.Event()
        self.deleted = threading.Event()
        self.before = 0
        self.after = 0
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._run, args=(offset,), daemon=True) for offset in (0, 1)]

    def _run(self, offset: int) -> None:
        from interview_core.adapters.firestore_store import InterviewStore
        from interview_core.domain.models import Turn, TurnRole

        store = InterviewStore()
        seq = offset
        start = datetime.now(UTC)
        try:
            while not self.stop.is_set():
                after_delete = self.deleted.is_set()
                at = start + timedelta(seconds=seq)
                role = TurnRole.AGENT if seq % 2 == 0 else TurnRole.CANDIDATE
                store.add_turns(
                    self.interview_id,
                    [Turn(seq=seq, role=role, text=f"turn {seq}", started_at=at, ended_at=at)],
                )
                if after_delete:
                    self.after += 1
                else:
                    self.before += 1
                seq += 2
        except BaseException as error:
            self.errors.append(error)

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def test_a_delete_during_live_turn_writes_leaves_nothing(
    api_url: str, auth_emulator: AuthEmulator, create_interview: Create, store: Any
) -> None:
    admin = auth_emulator.member("admin")
    interview_id = create_interview(admin)["id"]
    store.interview_ref(interview_id).update({"status": "in_progress", "started_at": datetime.now(UTC)})

    with Writers(interview_id) as writers:
        wait_for(lambda: writers.before >= 6 or writers.errors, what="turns being written")
        # An in-progress interview is erased by the data-subject request (a recruiter's delete waits
        # for the end), while both writers keep going.
        answer = requests.post(
            f"{api_url}/api/workspace/erasures",
            json={"email": "ada@example.com"},
            headers=admin.headers,
            timeout=60,
        )
        writers.deleted.set()
        assert answer.status_code == 200, answer.text
        assert answer.json()["interviews_deleted"] == 1
        wait_for(lambda: writers.after >= 6 or writers.errors, what="turn writes after the delete")
    assert not writers.errors, writers.errors
    assert store.tombstone_ref(interview_id).get().exists
    assert remains(store, interview_id) == []


def test_a_delete_during_an_evaluation_leaves_nothing(
    api_url: str,
    auth_emulator: AuthEmulator,
    create_interview: Create,
    store: Any,
    queue: Queue,
    gemini_faults: str,
) -> None:
    from interview_core.adapters import tasks

    recruiter = auth_emulator.member("recruiter")
    interview_id = create_interview(recruiter)["id"]
    seed_finished_interview(store, interview_id, golden("strong"), status="completed")
    requests.post(f"{gemini_faults}/emulator/faults", json={"delay_ms": 4000}, timeout=5).raise_for_status()
    tasks.enqueue_evaluation(interview_id, 1)
    wait_for(lambda: store.get(interview_id).status == "evaluating", what="the evaluation started")

    answer = requests.delete(
        f"{api_url}/api/interviews/{interview_id}", headers=recruiter.headers, timeout=30
    )
    assert answer.status_code == 204, answer.text
    queue.wait_idle()
    assert remains(store, interview_id) == []


def test_an_evaluation_finishing_inside_a_delete_writes_nothing(
    auth_emulator: AuthEmulator, create_interview: Create, store: Any, queue: Queue, gemini_faults: str
) -> None:
    """The narrowest window, taken step by step: the delete has written its tombstone and removed the
    files, the evaluation then finishes, and only afterwards are the documents deleted. Without the
    tombstone checks the report and the archive would be written in between, and the archive would
    stay."""
    from interview_core.adapters import archive, tasks
    from interview_core.domain.retention import DeletionReason, tombstone

    recruiter = auth_emulator.member("recruiter")
    interview_id = create_interview(recruiter)["id"]
    seed_finished_interview(store, interview_id, golden("strong"), status="completed")
    requests.post(f"{gemini_faults}/emulator/faults", json={"delay_ms": 3000}, timeout=5).raise_for_status()
    tasks.enqueue_evaluation(interview_id, 1)
    wait_for(lambda: store.get(interview_id).status == "evaluating", what="the evaluation started")

    store.bury(interview_id, tombstone(recruiter.workspace_id, DeletionReason.RECRUITER, datetime.now(UTC)))
    archive.delete_interview_files(interview_id)
    queue.wait_idle()  # the evaluation has answered
    time.sleep(0.5)
    assert not store.report_ref(interview_id).get().exists
    assert not list(archive.bucket().list_blobs(prefix=archive.interview_prefix(interview_id)))
    store.delete_everything(interview_id)
    assert remains(store, interview_id) == []
