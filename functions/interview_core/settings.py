"""Every setting of the functions and the agent, in one place.

Values come from the environment (and a `.env` file when present). The address defaults point at
the local stack started by `make dev`, but the stack must be asked for: without `ENVIRONMENT` the
code runs as production, which fails closed. Production refuses to start when an emulator host is
set (the Google clients would silently talk to it), and the secrets must be provided by the
environment, which Cloud Run / Cloud Functions fill from Secret Manager (see infra/). The local
stack (devstack/services.py) and the tests set `ENVIRONMENT=local`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from interview_core.local_ports import service_address, service_url

REPO_ENV_FILE = Path(__file__).resolve().parents[2] / ".env"

LOCAL_GEMINI_API_KEY = "local-emulator-key"
"""Any string reaches the local Gemini emulator; it is not a secret."""

GOOGLE_OIDC_ISSUER = "https://accounts.google.com"
"""Issuer of the ID tokens Cloud Tasks, Cloud Scheduler and the agent attach in the cloud."""


_LOCAL_SECRET_DEFAULTS = frozenset({"secret", "local-webhook-secret", ""})


WEBHOOK_DELIVERY_PATH = "/webhook-deliveries"
"""The `evaluate` function's path for outbound webhook deliveries (functions/main.py)."""


class MissingSecretError(RuntimeError):
    """A production deployable was not given a secret it needs (see infra/secrets.tf)."""


EMULATOR_HOST_VARIABLES = (
    "FIRESTORE_EMULATOR_HOST",
    "FIREBASE_AUTH_EMULATOR_HOST",
    "STORAGE_EMULATOR_HOST",
    "CLOUD_TASKS_EMULATOR_HOST",
)
"""Read by the Google client libraries themselves: set in production, they would send real data to
an emulator (or nowhere), so production refuses to start instead."""


class EmulatorInProductionError(ValueError):
    """Production settings with an emulator host set: the process must not start."""


class RouteLimit(BaseModel):
    """Requests per rate-limit window for one route: per caller identity and per client address."""

    model_config = ConfigDict(extra="forbid")

    per_identity: int = Field(ge=1, le=1_000_000)
    per_address: int = Field(ge=1, le=1_000_000)


class Settings(BaseSettings):
    """Typed settings. Field names map to upper-case environment variables."""

    # `.env` in the working directory, else the repository's (functions run with cwd functions/).
    model_config = SettingsConfigDict(
        env_file=(REPO_ENV_FILE, ".env"), env_file_encoding="utf-8", extra="ignore"
    )

    environment: Literal["local", "production"] = "production"
    project_id: str = Field(default="demo-interviewer", validation_alias="GOOGLE_CLOUD_PROJECT")
    region: str = "us-central1"
    log_format: Literal["json", "text"] = "json"

    # Where candidates open their invite: <public_base_url>/i/<id>#<secret>.
    public_base_url: str = Field(default_factory=lambda: service_url("hosting"))

    # Local emulators. Ignored in production.
    firestore_emulator_host: str | None = Field(default_factory=lambda: service_address("firestore"))
    firebase_auth_emulator_host: str | None = Field(default_factory=lambda: service_address("auth"))
    storage_emulator_host: str | None = Field(default_factory=lambda: service_url("storage"))
    cloud_tasks_emulator_host: str | None = Field(default_factory=lambda: service_address("tasks"))

    # Recruiter authentication (Firebase ID tokens).
    auth_check_revoked: bool = True

    # Gemini. With no key, the local emulator answers at gemini_base_url. The REST model's family
    # settings (temperature, thinking, schema keywords) come from domain/gemini_models.py; keep this
    # default equal to gemini_models.DEFAULT_TEXT_MODEL (a test checks it).
    gemini_api_key: SecretStr | None = None
    gemini_base_url: str | None = None
    gemini_model: str = "gemini-3.8-flash"
    # One structured call, attempts and waits included, ends within its total budget (adapters/
    # gemini.py). In a request (api: 60 s timeout): each attempt gets min(timeout, time left), the
    # whole call gemini_total_budget_seconds. In evaluate (the queue's 300 s dispatch deadline):
    # longer answers, so the evaluation pair. No attempt starts with less than the minimum left.
    gemini_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    gemini_total_budget_seconds: float = Field(default=45.0, gt=0, le=3600)
    gemini_evaluation_timeout_seconds: float = Field(default=120.0, gt=0, le=600)
    gemini_evaluation_budget_seconds: float = Field(default=240.0, gt=0, le=3600)
    gemini_min_attempt_seconds: float = Field(default=2.0, ge=0, le=60)
    gemini_attempts: int = Field(default=3, ge=1, le=10)
    gemini_retry_initial_delay_seconds: float = Field(default=0.5, ge=0, le=60)

    # LiveKit.
    livekit_url: str = Field(default_factory=lambda: service_url("livekit", "ws"))
    livekit_api_key: str = "devkey"
    livekit_api_secret: SecretStr = SecretStr("secret")
    livekit_token_ttl_minutes: int = Field(default=10, ge=1, le=60)
    agent_name: str = "interviewer"
    # How long the agent waits for a candidate who left to come back (REJOIN_GRACE_SECONDS: the agent
    # reads the same variable). The candidate's token asks LiveKit to keep the room that long after
    # they leave, plus the margin the agent needs to finish (livekit_tokens.room_timeout_seconds).
    rejoin_grace_seconds: float = Field(default=60.0, ge=0, le=900)
    room_close_margin_seconds: int = Field(default=30, ge=5, le=600)

    # Invites.
    invite_ttl_hours: int = Field(default=7 * 24, ge=1, le=90 * 24)
    invite_max_uses: int = Field(default=20, ge=1, le=200)
    token_rate_limit_per_minute: int = Field(default=6, ge=1, le=600)
    # Request rate limits (api/limits.py: defaults per route, counted in Firestore across instances).
    # `rate_limits` overrides routes by name, e.g. RATE_LIMITS='{"list": {"per_identity": 3,
    # "per_address": 100}}'; every limit is multiplied by rate_limit_scale (the local stack sets it
    # high, so tests and browser runs from one address are not throttled). client_address_hops: the
    # client address is the n-th X-Forwarded-For entry from the end (0: the socket's peer); unset,
    # 1 in production (the entry Google's front end adds), 0 locally.
    rate_limits: dict[str, RouteLimit] = Field(default_factory=dict)
    rate_limit_scale: float = Field(default=1.0, gt=0, le=1_000_000)
    rate_limit_window_seconds: int = Field(default=60, ge=1, le=3600)
    client_address_hops: int | None = Field(default=None, ge=0, le=10)

    # Latency samples the candidate page may store per interview (all kinds together): a live
    # interview sends a few per turn; past this the route answers 409 and the page stops sending.
    latency_samples_per_interview: int = Field(default=2_000, ge=1, le=100_000)

    # Invite and reminder emails (adapters/mailer.py). Locally the stack's mail catcher; in production
    # any provider's SMTP relay, with SMTP_USERNAME / SMTP_PASSWORD from Secret Manager (infra/). A
    # reminder goes invite_reminder_lead_hours before the invite expires (0: none) unless the
    # candidate has started.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default_factory=lambda: int(service_address("smtp").rsplit(":", 1)[1]))
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_username: str | None = None
    smtp_password: SecretStr = SecretStr("")
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    mail_from: str = "AI Interviewer <interviews@localhost>"
    invite_reminder_lead_hours: int = Field(default=24, ge=0, le=30 * 24)

    # The agent's completion webhook. Locally an HMAC secret; in the cloud an OIDC token from the
    # agent's service account for the audience webhook_oidc_audience (webhook_auth="oidc"), issued by
    # Google. webhook_oidc_issuer replaces Google only outside production (tests, a local issuer).
    webhook_auth: Literal["hmac", "oidc"] = "hmac"
    webhook_secret: SecretStr = SecretStr("local-webhook-secret")
    webhook_max_skew_seconds: int = 300
    webhook_oidc_audience: str | None = None
    agent_service_account: str | None = None
    webhook_oidc_issuer: str | None = None

    # Cloud Storage bucket for transcript archives.
    storage_bucket: str = "demo-interviewer-archives"

    # Cloud Tasks queue for evaluations (its retry policy is in queue_policy.py). Tasks reach
    # `evaluate` with an OIDC token of tasks_service_account for the audience evaluate_url, issued by
    # Google in the cloud and by the Cloud Tasks emulator locally (tasks_oidc_issuer).
    tasks_queue: str = "evaluations"
    evaluate_url: str = Field(default_factory=lambda: service_url("evaluate"))
    tasks_service_account: str = "tasks-invoker@demo-interviewer.iam.gserviceaccount.com"
    tasks_oidc_issuer: str | None = Field(default_factory=lambda: service_url("tasks"))

    # Outbound webhooks (docs/webhooks.md): deliveries are tasks on their own queue (policy:
    # queue_policy.WEBHOOK_RETRY), run by the `evaluate` function at WEBHOOK_DELIVERY_PATH with the
    # same OIDC check as evaluations; each POST to a receiver waits at most the delivery timeout.
    webhook_tasks_queue: str = "webhooks"
    webhook_delivery_timeout_seconds: float = Field(default=10.0, gt=0, le=30)

    # The sweeper: finalises abandoned interviews, expires invites, re-enqueues stalled evaluations.
    # Locally it takes the webhook's HMAC; in the cloud an OIDC token of Cloud Scheduler's account for
    # the audience sweep_oidc_audience. Unset, sweep_auth follows webhook_auth.
    sweep_auth: Literal["hmac", "oidc"] | None = None
    sweep_oidc_audience: str | None = None
    scheduler_service_account: str | None = None
    abandon_after_minutes: int = Field(default=30, ge=1, le=24 * 60)
    requeue_evaluation_after_minutes: int = Field(default=15, ge=1, le=24 * 60)
    fail_evaluation_after_minutes: int = Field(default=60, ge=5, le=7 * 24 * 60)
    sweep_batch_limit: int = Field(default=100, ge=1, le=1000)

    # Traces (interview_core/tracing.py, docs/observability.md). "none" and no Langfuse keys: no tracer
    # provider is installed and spans cost nothing. "otlp": OTLP over HTTP to otlp_traces_endpoint
    # (`make dev` sets both, for its trace viewer); "cloud_trace": Google Cloud Trace (production).
    # Langfuse's keys add its OTLP endpoint beside either. trace_viewer_url: where the recruiter's
    # interview page links a trace ({trace_id} is replaced).
    traces_exporter: Literal["none", "otlp", "cloud_trace"] = "none"
    otlp_traces_endpoint: str | None = None
    langfuse_public_key: str | None = None
    langfuse_secret_key: SecretStr | None = None
    langfuse_host: str = "https://cloud.langfuse.com"
    trace_viewer_url: str | None = None
    # Personal data: true puts prompts, model answers and transcript text into spans. Off by default;
    # turn it on only where the trace store is allowed to hold candidates' data.
    traces_include_content: bool = False
    # Metrics (interview_core/metrics.py, docs/observability.md). "none": no meter provider is installed
    # and the instruments cost a call. "cloud_monitoring": Google Cloud Monitoring (production).
    # "otlp": OTLP over HTTP to otlp_metrics_endpoint, which must then be set: the local trace viewer
    # takes no metrics, so there is no local default to fall back on.
    metrics_exporter: Literal["none", "otlp", "cloud_monitoring"] = "none"
    otlp_metrics_endpoint: str | None = None
    metrics_export_interval_seconds: int = Field(default=60, ge=5, le=3600)

    @model_validator(mode="after")
    def _otlp_metrics_need_an_endpoint(self) -> Settings:
        """Refuse `otlp` metrics with nowhere to send them, at start-up rather than at the first export."""
        if self.metrics_exporter == "otlp" and not self.otlp_metrics_endpoint:
            raise ValueError("METRICS_EXPORTER=otlp needs OTLP_METRICS_ENDPOINT (an OTLP/HTTP metrics URL)")
        return self

    @model_validator(mode="after")
    def _production_has_no_emulators(self) -> Settings:
        """Production refuses emulator hosts (ENVIRONMENT unset counts as production) and leaves out
        the local stack's defaults; the process does not start rather than run half-local."""
        if self.environment != "production":
            return self
        emulators = [name for name in EMULATOR_HOST_VARIABLES if os.environ.get(name)]
        emulators += [name.upper() for name in self._EMULATOR_FIELDS if name in self.model_fields_set]
        if emulators:
            found = ", ".join(sorted(set(emulators)))
            raise EmulatorInProductionError(
                f"refusing to start: {found} set while ENVIRONMENT is production (or unset). "
                "Set ENVIRONMENT=local to use the local emulators, or unset these variables in production."
            )
        self.firestore_emulator_host = None
        self.firebase_auth_emulator_host = None
        self.storage_emulator_host = None
        self.cloud_tasks_emulator_host = None
        self.tasks_oidc_issuer = None
        self.webhook_oidc_issuer = None
        return self

    _EMULATOR_FIELDS: ClassVar[tuple[str, ...]] = (
        "firestore_emulator_host",
        "firebase_auth_emulator_host",
        "storage_emulator_host",
        "cloud_tasks_emulator_host",
    )

    def secret(self, name: Literal["livekit_api_secret", "webhook_secret", "smtp_password"]) -> str:
        """A secret's value. In production a missing one, or the local stack's default, is refused.

        Checked where it is used rather than at start-up: each deployable is given only the secrets
        it needs (evaluate has no LiveKit secret, sweep no Gemini key), so a start-up check of all
        of them would stop the ones that were rightly not given one.
        """
        value = getattr(self, name).get_secret_value()
        if self.environment == "production" and value in _LOCAL_SECRET_DEFAULTS:
            raise MissingSecretError(f"{name.upper()} must be set in production (from Secret Manager)")
        return str(value)

    @property
    def uses_local_gemini(self) -> bool:
        return self.gemini_api_key is None

    @property
    def effective_gemini_base_url(self) -> str | None:
        """The REST base URL for google-genai; None means Google's own endpoint."""
        if self.gemini_base_url:
            return self.gemini_base_url
        if self.uses_local_gemini:
            return service_url("gemini")
        return None

    @property
    def effective_otlp_traces_endpoint(self) -> str:
        """Where OTLP spans go: the configured endpoint, else the local trace viewer's."""
        return self.otlp_traces_endpoint or service_url("traces") + "/v1/traces"

    @property
    def webhook_delivery_url(self) -> str:
        """Where webhook delivery tasks go: a path of the `evaluate` function (one Cloud Tasks target,
        one invoker account, one OIDC audience: `evaluate_url`)."""
        return self.evaluate_url.rstrip("/") + WEBHOOK_DELIVERY_PATH

    @property
    def effective_sweep_auth(self) -> Literal["hmac", "oidc"]:
        return self.sweep_auth or self.webhook_auth

    @property
    def effective_tasks_oidc_issuer(self) -> str:
        """Whose OIDC tokens `evaluate` accepts: the Tasks emulator locally, Google in the cloud."""
        return self.tasks_oidc_issuer or GOOGLE_OIDC_ISSUER

    @property
    def effective_webhook_oidc_issuer(self) -> str:
        """Whose OIDC tokens the completion webhook accepts: Google's, unless a test names another."""
        return self.webhook_oidc_issuer or GOOGLE_OIDC_ISSUER

    @property
    def effective_gemini_api_key(self) -> str:
        if self.gemini_api_key:
            return self.gemini_api_key.get_secret_value()
        if self.environment == "production" and self.gemini_base_url is None:
            raise MissingSecretError("GEMINI_API_KEY must be set in production (from Secret Manager)")
        return LOCAL_GEMINI_API_KEY


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
