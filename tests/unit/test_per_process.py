"""adapters.clients.per_process: one client per process, and the heap taken out of full GC passes."""

from __future__ import annotations

import gc

from interview_core.adapters.clients import per_process


def test_makes_once_and_freezes_what_is_alive() -> None:
    made: list[object] = []

    @per_process
    def client() -> object:
        made.append(object())
        return made[-1]

    gc.unfreeze()
    try:
        first = client()
        assert gc.get_freeze_count() > 0  # the client and everything alive left the collector's view
        assert client() is first
        assert len(made) == 1
        assert client.__name__ == "client"
    finally:
        gc.unfreeze()
