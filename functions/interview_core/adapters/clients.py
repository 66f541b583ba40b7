"""Module-level Google clients, created once per process and pointed at the emulators when local.

The Google client libraries read the emulator hosts from well-known environment variables, so the
settings are exported there before the first client is made. The libraries are imported inside
the factories: they are heavy, and a cold start should pay only for the clients a request uses.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ..settings import Settings, get_settings

if TYPE_CHECKING:
    import firebase_admin
    from google.cloud import firestore, storage, tasks_v2  # type: ignore[attr-defined]


T = TypeVar("T")


def per_process(factory: Callable[[], T]) -> Callable[[], T]:
    """Make the client once per process (like functools.cache), then take the heap out of the
    garbage collector's full passes with gc.freeze().

    Everything alive at that point (the libraries just imported, the client, its channel) lives as
    long as the process; scanning it again and again buys nothing. A full collection over the Google
    libraries' many objects stops every request thread while it runs, which under concurrent
    requests shows up as the slowest answers.
    """

    @functools.cache
    @functools.wraps(factory)
    def make() -> T:
        made = factory()
        gc.freeze()
        return made

    return make


def export_emulator_hosts(settings: Settings) -> None:
    """Make the client libraries see the emulators the settings name (no-op in production)."""
    pairs = {
        "FIRESTORE_EMULATOR_HOST": settings.firestore_emulator_host,
        "FIREBASE_AUTH_EMULATOR_HOST": settings.firebase_auth_emulator_host,
        "STORAGE_EMULATOR_HOST": settings.storage_emulator_host,
    }
    for name, value in pairs.items():
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)


@per_process
def firestore_client() -> firestore.Client:
    from google.cloud import firestore

    settings = get_settings()
    export_emulator_hosts(settings)
    return firestore.Client(project=settings.project_id)


@per_process
def storage_client() -> storage.Client:
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage  # type: ignore[attr-defined]

    settings = get_settings()
    export_emulator_hosts(settings)
    if settings.storage_emulator_host:
        return storage.Client(project=settings.project_id, credentials=AnonymousCredentials())
    return storage.Client(project=settings.project_id)


@per_process
def tasks_client() -> tasks_v2.CloudTasksClient:
    import grpc
    from google.cloud import tasks_v2
    from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport

    settings = get_settings()
    if settings.cloud_tasks_emulator_host:
        channel = grpc.insecure_channel(settings.cloud_tasks_emulator_host)
        return tasks_v2.CloudTasksClient(transport=CloudTasksGrpcTransport(channel=channel))
    return tasks_v2.CloudTasksClient()


@per_process
def firebase_app() -> firebase_admin.App:
    import firebase_admin
    from google.auth.credentials import AnonymousCredentials

    class EmulatorCredential(firebase_admin.credentials.Base):  # type: ignore[misc]
        """firebase-admin needs a credential even when the Auth emulator ignores it."""

        def get_credential(self) -> AnonymousCredentials:
            return AnonymousCredentials()

    settings = get_settings()
    export_emulator_hosts(settings)
    options = {"projectId": settings.project_id}
    if settings.firebase_auth_emulator_host:
        return firebase_admin.initialize_app(EmulatorCredential(), options, name="interviewer")
    return firebase_admin.initialize_app(options=options, name="interviewer")


def run_transaction(
    db: firestore.Client, body: Callable[[firestore.Transaction], T], *, rounds: int = 8
) -> T:
    """Run `body` in a Firestore transaction, retried with a growing random pause under contention.

    The client library retries an aborted transaction at once; when several requests change the same
    documents together (a burst of a candidate's token requests, one workspace's usage counter) they
    abort each other again and again. Here each round (two immediate attempts) that is aborted waits a
    random moment first, so the racers spread out. After the last round: ConcurrentChange (409).
    """
    import random
    import time

    from google.api_core import exceptions as gexc
    from google.cloud import firestore

    from ..domain.errors import ConcurrentChange

    for attempt in range(rounds):
        try:
            return firestore.transactional(body)(db.transaction(max_attempts=2))  # type: ignore[no-any-return]
        except ValueError as error:
            if not isinstance(error.__cause__, gexc.Aborted):
                raise
            time.sleep(random.uniform(0, 0.01 * 2**attempt))
    raise ConcurrentChange()
