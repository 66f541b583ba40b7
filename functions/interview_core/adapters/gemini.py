"""Structured generation through google-genai, with bounded retries.

HTTP-level failures (429, 5xx, timeouts) are retried by google-genai's own retry support; output that
does not validate against the schema is asked for again a bounded number of times. Whatever still
fails surfaces as UpstreamUnavailable, which the API turns into a 503 before anything is written.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, ValidationError

from ..domain.errors import UpstreamUnavailable
from ..settings import Settings, get_settings
from .clients import per_process

if TYPE_CHECKING:  # google-genai takes most of a second to import: only requests that call it pay
    from google import genai

log = logging.getLogger(__name__)

SchemaT = TypeVar("SchemaT", bound=BaseModel)

RETRYABLE_STATUS = [408, 429, 500, 502, 503, 504]


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


def build_client(settings: Settings) -> genai.Client:
    from google import genai
    from google.genai import types

    retry = types.HttpRetryOptions(
        attempts=settings.gemini_attempts,
        initial_delay=settings.gemini_retry_initial_delay_seconds,
        max_delay=10.0,
        http_status_codes=RETRYABLE_STATUS,
    )
    options = types.HttpOptions(
        base_url=settings.effective_gemini_base_url,
        timeout=int(settings.gemini_timeout_seconds * 1000),
        retry_options=retry,
    )
    return genai.Client(api_key=settings.effective_gemini_api_key, http_options=options)


@per_process
def gemini_client() -> genai.Client:
    return build_client(get_settings())


def generate_structured(
    *,
    system: str,
    user: str,
    schema: type[SchemaT],
    client: genai.Client | None = None,
    model: str | None = None,
    attempts: int | None = None,
    temperature: float = 0.2,
) -> tuple[SchemaT, str]:
    """Ask Gemini for JSON matching `schema`; return the validated object and the model version."""
    from google.genai import errors as genai_errors
    from google.genai import types

    settings = get_settings()
    client = client or gemini_client()
    model = model or settings.gemini_model
    config = types.GenerateContentConfig(
        system_instruction=system,
        response_mime_type="application/json",
        response_schema=schema,
        temperature=temperature,
    )
    last_problem = "no attempt made"
    for attempt in range(1, (attempts or settings.gemini_attempts) + 1):
        try:
            response = client.models.generate_content(model=model, contents=user, config=config)
        except genai_errors.APIError as error:
            # google-genai has already retried the retryable codes; this is final.
            log.warning("gemini call failed", extra={"status": error.code, "attempt": attempt})
            raise UpstreamUnavailable(f"the language model failed ({error.code})") from error
        except _transport_errors() as error:  # timeouts and refused connections, after the client's retries
            log.warning("gemini transport failure", extra={"error": type(error).__name__})
            raise UpstreamUnavailable("the language model could not be reached") from error
        try:
            parsed = schema.model_validate_json(response.text or "")
        except ValidationError as error:
            last_problem = f"output did not match the schema ({error.error_count()} errors)"
            log.warning("gemini output invalid", extra={"attempt": attempt, "problem": last_problem})
            continue
        return parsed, response.model_version or model
    raise UpstreamUnavailable(f"the language model gave unusable output: {last_problem}")
