"""Structured generation through google-genai, inside a time budget, failing in ways callers can act on.

One `generate_structured` call makes at most `CallBudget.attempts` requests and always returns (or
raises) before `CallBudget.total_seconds`, because the functions that call it have a hard timeout
(api: 60 s, evaluate: the queue's dispatch deadline). google-genai's own retry loop is therefore off:
this module owns every retry, so it can give each request min(per-call timeout, time left), wait out
a 429's RetryInfo only when that fits, and start no request when too little time is left.

What each failure becomes (domain/errors.py; the HTTP status is decided in api/errors.py):

- 5xx, timeouts, refused connections, no time left: ModelUnavailable (retried here while time allows);
- 429 RESOURCE_EXHAUSTED: ModelRateLimited with the upstream's retry delay (waited here when it fits);
- any other 4xx (unknown model, a schema or setting the model rejects, a bad key): ModelRequestRejected,
  never retried, because the same request fails the same way;
- a prompt or answer blocked by safety filters (promptFeedback.blockReason, finishReason SAFETY,
  PROHIBITED_CONTENT...): ModelDeclined, never retried;
- output that is not the schema's JSON (cut off, wrong shape): asked again with the family's own
  temperature and a short note of what was wrong (the same request at temperature 0 fails the same
  way each time); still unusable after the last attempt: ModelOutputUnusable.

Strings longer than the schema allows and arrays with too many items are clipped, not retried
(structured_output.clip_to_schema); the result says where. Logs carry statuses, attempt numbers and
field paths, never prompt or output text (job descriptions and transcripts are personal data).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ..domain.errors import (
    DomainError,
    ModelDeclined,
    ModelOutputUnusable,
    ModelRateLimited,
    ModelRequestRejected,
    ModelUnavailable,
)
from ..domain.gemini_models import ModelFamily, Resolved, resolve
from ..domain.structured_output import Clipped, clip_to_schema, describe, full_schema, wire_schema
from ..settings import Settings, get_settings
from .clients import per_process

if TYPE_CHECKING:  # google-genai takes most of a second to import: only requests that call it pay
    from google import genai
    from google.genai import types

log = logging.getLogger(__name__)

SchemaT = TypeVar("SchemaT", bound=BaseModel)

DECLINED_FINISH_REASONS = frozenset({"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "IMAGE_SAFETY"})
"""Finish reasons that mean the model refused to write the answer (not that it ran out of room)."""
MAX_RETRY_AFTER_SECONDS = 300
MAX_HINT_CHARS = 600
MAX_HINT_PROBLEMS = 4


@cache
def _transport_errors() -> tuple[type[Exception], ...]:
    """httpx's errors, and those of the httpx2 fork that newer google-genai versions use."""
    import httpx

    errors: list[type[Exception]] = [httpx.HTTPError]
    try:
        import httpx2

        errors.append(httpx2.HTTPError)
    except ImportError:
        pass
    return tuple(errors)


@dataclass(frozen=True)
class CallBudget:
    """How long one structured call may take, attempts and waits included.

    total_seconds: the whole call, from the first request to the last answer or error.
    per_call_seconds: one request; each gets min(this, time left).
    attempts: requests at most, whatever the reason to ask again.
    min_attempt_seconds: no request is started with less time than this left (it could not finish).
    backoff_seconds: the first wait after a 5xx or timeout, doubling up to max_backoff_seconds.
    """

    total_seconds: float
    per_call_seconds: float
    attempts: int
    min_attempt_seconds: float = 2.0
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 8.0

    @classmethod
    def for_requests(cls, settings: Settings) -> CallBudget:
        """Inside a recruiter's request (the api function, 60 s timeout)."""
        return cls(
            total_seconds=settings.gemini_total_budget_seconds,
            per_call_seconds=settings.gemini_timeout_seconds,
            attempts=settings.gemini_attempts,
            min_attempt_seconds=settings.gemini_min_attempt_seconds,
            backoff_seconds=settings.gemini_retry_initial_delay_seconds,
        )

    @classmethod
    def for_evaluation(cls, settings: Settings) -> CallBudget:
        """Inside one evaluate delivery (the queue's dispatch deadline): longer answers, more time."""
        return cls(
            total_seconds=settings.gemini_evaluation_budget_seconds,
            per_call_seconds=settings.gemini_evaluation_timeout_seconds,
            attempts=settings.gemini_attempts,
            min_attempt_seconds=settings.gemini_min_attempt_seconds,
            backoff_seconds=settings.gemini_retry_initial_delay_seconds,
        )


@dataclass(frozen=True)
class StructuredResult(Generic[SchemaT]):
    value: SchemaT
    model_version: str
    attempts: int
    clipped: tuple[Clipped, ...] = ()
    """Places where the output was longer than the schema allows and was cut to fit."""


def build_client(settings: Settings) -> genai.Client:
    """A client without google-genai's retries: generate_structured retries within its budget."""
    from google import genai
    from google.genai import types

    options = types.HttpOptions(
        base_url=settings.effective_gemini_base_url,
        timeout=int(settings.gemini_timeout_seconds * 1000),
    )
    return genai.Client(api_key=settings.effective_gemini_api_key, http_options=options)


@per_process
def gemini_client() -> genai.Client:
    return build_client(get_settings())


_warned_models: set[str] = set()


def _family(model: str) -> ModelFamily:
    resolved: Resolved = resolve(model)
    if not resolved.known and resolved.model not in _warned_models:
        _warned_models.add(resolved.model)
        log.warning(
            "unknown gemini model family: using the conservative request settings",
            extra={"model": resolved.model, "family": resolved.family.name},
        )
    return resolved.family


def generation_config(
    family: ModelFamily, schema: type[BaseModel], system: str, timeout_seconds: float
) -> types.GenerateContentConfig:
    """The request's config as `family` wants it (temperature, thinking, schema dialect)."""
    from google.genai import types

    thinking = None
    if family.thinking_level is not None:
        thinking = types.ThinkingConfig(thinking_level=types.ThinkingLevel(family.thinking_level))
    elif family.thinking_budget is not None:
        thinking = types.ThinkingConfig(thinking_budget=family.thinking_budget)
    return types.GenerateContentConfig(
        system_instruction=system,
        response_mime_type="application/json",
        response_json_schema=wire_schema(schema, family.schema_keywords),
        temperature=family.temperature,
        thinking_config=thinking,
        http_options=types.HttpOptions(timeout=max(1, math.floor(timeout_seconds * 1000))),
    )


def _retry_after(details: Any) -> int | None:
    """Seconds from a google.rpc.RetryInfo in an error body ("retryDelay": "13s" or "1.5s")."""
    error = details.get("error", details) if isinstance(details, dict) else None
    for item in (error or {}).get("details") or []:
        if isinstance(item, dict) and str(item.get("@type", "")).endswith("google.rpc.RetryInfo"):
            raw = str(item.get("retryDelay", "")).strip().removesuffix("s")
            try:
                return max(1, math.ceil(float(raw)))
            except ValueError:
                return None
    return None


def classify_api_error(code: int, status: str | None, details: Any) -> DomainError:
    """The domain error for an error answer of the Gemini API (see the module docstring)."""
    reason = status or "UNKNOWN"
    if code == 429:
        after = min(_retry_after(details) or 10, MAX_RETRY_AFTER_SECONDS)
        return ModelRateLimited(
            after, f"the language model's quota is exhausted ({reason}); retry in {after} s"
        )
    if 400 <= code < 500 and code != 408:
        return ModelRequestRejected(
            code, reason, f"the language model rejected the request ({code} {reason}); check GEMINI_MODEL"
        )
    return ModelUnavailable(f"the language model failed ({code} {reason})")


def _declined(response: Any) -> str | None:
    """The block reason when safety filters stopped the prompt or the answer, else None."""
    feedback = getattr(response, "prompt_feedback", None)
    block = getattr(feedback, "block_reason", None) if feedback is not None else None
    if block is not None:
        return f"prompt blocked ({getattr(block, 'value', block)})"
    for candidate in getattr(response, "candidates", None) or []:
        finish = getattr(candidate, "finish_reason", None)
        name = str(getattr(finish, "value", finish or ""))
        if name in DECLINED_FINISH_REASONS:
            return f"answer blocked ({name})"
    return None


def _output_text(response: Any) -> str:
    """The text parts of the first candidate (thought parts excluded)."""
    candidates = getattr(response, "candidates", None) or []
    if not candidates or candidates[0].content is None:
        return ""
    parts = candidates[0].content.parts or []
    return "".join(p.text for p in parts if getattr(p, "text", None) and not getattr(p, "thought", False))


def _finish_reason(response: Any) -> str:
    candidates = getattr(response, "candidates", None) or []
    finish = getattr(candidates[0], "finish_reason", None) if candidates else None
    return str(getattr(finish, "value", finish or "NONE"))


def _validation_problems(error: ValidationError) -> list[str]:
    """`skills.0.weight: Input should be less than or equal to 1`: paths and rules, never values."""
    problems = []
    for item in error.errors(include_url=False, include_input=False, include_context=False)[
        :MAX_HINT_PROBLEMS
    ]:
        path = ".".join(str(part) for part in item["loc"]) or "(root)"
        problems.append(f"{path}: {item['msg']}")
    return problems


def correction_hint(problems: list[str]) -> str:
    """The note added to the prompt after an unusable answer: what was wrong, briefly."""
    text = "; ".join(problems)
    if len(text) > MAX_HINT_CHARS:
        text = text[: MAX_HINT_CHARS - 1] + "…"
    return (
        "Your previous answer could not be used: "
        f"{text}. Answer again with one JSON object that matches the response schema exactly; "
        "keep every text field short."
    )


def _traced_call(
    client: genai.Client,
    model: str,
    contents: Any,
    config: Any,
    *,
    operation: str,
    prompt_version: str | None,
) -> Any:
    """One generate_content call inside a GenAI span (model, tokens, finish reason, latency)."""
    from .. import tracing

    settings = get_settings()
    with tracing.generation(operation, model=model, prompt_version=prompt_version, settings=settings) as span:
        tracing.record_content(span, settings, prompt=str(contents))
        response = client.models.generate_content(model=model, contents=contents, config=config)
        output = _output_text(response) if settings.traces_include_content else None
        tracing.record_response(span, response, finish_reason=_finish_reason(response), output=output)
        return response


def generate_structured(
    *,
    system: str,
    user: str,
    schema: type[SchemaT],
    budget: CallBudget | None = None,
    client: genai.Client | None = None,
    model: str | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    operation: str = "generate",
    prompt_version: str | None = None,
) -> StructuredResult[SchemaT]:
    """Ask Gemini for JSON matching `schema` within `budget` (default: CallBudget.for_requests).

    Raises ModelUnavailable, ModelRateLimited, ModelOutputUnusable, ModelRequestRejected or
    ModelDeclined (module docstring). `clock` and `sleep` are injectable so tests can prove the
    budget without waiting. Each attempt is a GenAI span (`operation`, `prompt_version`) when traces
    are on (interview_core/tracing.py)."""
    from google.genai import errors as genai_errors

    settings = get_settings()
    budget = budget or CallBudget.for_requests(settings)
    client = client or gemini_client()
    model = model or settings.gemini_model
    family = _family(model)
    bounds = full_schema(schema)
    deadline = clock() + budget.total_seconds
    hint: str | None = None
    failure: DomainError = ModelUnavailable("the language model gave no answer within the time budget")
    backoff = budget.backoff_seconds

    def wait(seconds: float) -> bool:
        """Sleep `seconds` if another attempt can still start afterwards; False when it cannot."""
        if deadline - clock() - seconds < budget.min_attempt_seconds:
            return False
        if seconds > 0:
            sleep(seconds)
        return True

    attempt = 0
    while attempt < budget.attempts:
        left = deadline - clock()
        if left < budget.min_attempt_seconds:
            break
        attempt += 1
        config = generation_config(family, schema, system, min(budget.per_call_seconds, left))
        # list[Any]: with Pillow installed (fpdf2 needs it) google-genai's content union grows an
        # Image member, and a list[str] no longer matches its invariant list types.
        contents: str | list[Any] = user if hint is None else [user, hint]
        try:
            response = _traced_call(
                client, model, contents, config, operation=operation, prompt_version=prompt_version
            )
        except genai_errors.APIError as error:
            failure = classify_api_error(error.code, error.status, error.details)
            log.warning(
                "gemini call failed",
                extra={"status": error.code, "reason": error.status, "attempt": attempt, "model": model},
            )
            if isinstance(failure, ModelRequestRejected):
                log.error(
                    "gemini refused the request; not retried",
                    extra={"status": error.code, "reason": error.status, "detail": str(error.message)[:300]},
                )
                raise failure from error
            delay = failure.retry_after_seconds if isinstance(failure, ModelRateLimited) else backoff
            backoff = min(backoff * 2, budget.max_backoff_seconds)
            if not wait(delay):
                raise failure from error
            continue
        except _transport_errors() as error:  # timeouts and refused connections
            failure = ModelUnavailable(f"the language model could not be reached ({type(error).__name__})")
            log.warning("gemini transport failure", extra={"error": type(error).__name__, "attempt": attempt})
            delay, backoff = backoff, min(backoff * 2, budget.max_backoff_seconds)
            if not wait(delay):
                raise failure from error
            continue

        declined = _declined(response)
        if declined is not None:
            log.warning("gemini declined", extra={"reason": declined, "attempt": attempt, "model": model})
            raise ModelDeclined(declined, f"the language model declined: {declined}")

        problems: list[str]
        try:
            data = json.loads(_output_text(response))
        except ValueError:
            problems = [f"the answer was not complete JSON (finish reason {_finish_reason(response)})"]
        else:
            data, clipped = clip_to_schema(data, bounds)
            try:
                value = schema.model_validate(data)
            except ValidationError as error:
                problems = _validation_problems(error)
            else:
                if clipped:
                    log.info(
                        "gemini output clipped to the schema's bounds",
                        extra={"clipped": describe(clipped), "attempt": attempt},
                    )
                return StructuredResult(value, response.model_version or model, attempt, tuple(clipped))
        failure = ModelOutputUnusable(f"the language model gave unusable output: {problems[0]}")
        log.warning("gemini output unusable", extra={"attempt": attempt, "problems": problems})
        hint = correction_hint(problems)
    raise failure
