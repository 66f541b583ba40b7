"""Which local handler answers a generateContent call, decided by the response schema.

A real model reads the prompt; the emulator instead recognises the task by the property names of the
structured-output schema the caller sends, which is stable and does not depend on prompt wording.
Handlers are imported lazily, so a task whose module is not written yet answers 501 instead of
breaking the server, and a module added later is picked up without a restart.

Handler contract: `handler(request_json: dict) -> dict`. It receives the generateContent body exactly
as the client sent it (camelCase; see gemini_api.parse_generate_request for a parsed view) and returns
the JSON object the model would output; the server wraps it into a candidate. It may raise
gemini_api.GeminiError to refuse a request with a Gemini-shaped error. It must be deterministic.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Handler = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Task:
    """A task the emulator can answer: recognised by schema properties, served by module.function."""

    name: str
    required_properties: frozenset[str]
    module: str
    function: str


class HandlerMissingError(Exception):
    """The task is known but its handler module does not exist (yet)."""


_TASKS: dict[str, Task] = {}


def register(name: str, required_properties: Iterable[str], module: str, function: str) -> Task:
    """Add or replace a task; later registrations with the same name win."""
    task = Task(name, frozenset(required_properties), module, function)
    _TASKS[name] = task
    return task


def tasks() -> list[Task]:
    """Registered tasks, most specific first (the order matching uses)."""
    return sorted(_TASKS.values(), key=lambda t: (-len(t.required_properties), t.name))


def match(properties: frozenset[str]) -> Task | None:
    """The most specific task whose required properties the schema all has."""
    for task in tasks():
        if task.required_properties <= properties:
            return task
    return None


def load(task: Task) -> Handler:
    """Import the task's handler; HandlerMissingError only when the module itself is absent.

    An ImportError raised *inside* an existing module is a bug there and propagates, so it is seen.
    """
    try:
        module = importlib.import_module(task.module)
    except ModuleNotFoundError as error:
        if error.name == task.module:
            raise HandlerMissingError(f"{task.module} is not available") from error
        raise
    handler = getattr(module, task.function, None)
    if not callable(handler):
        raise HandlerMissingError(f"{task.module}.{task.function} is not defined")
    return handler  # type: ignore[no-any-return]


register("skill_extraction", {"skills", "question_plan"}, "devstack.gemini_emulator.extractor", "extract")
register("evaluation", {"overall_score", "recommendation"}, "devstack.gemini_emulator.evaluator", "evaluate")
