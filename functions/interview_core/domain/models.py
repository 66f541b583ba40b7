"""The interview's data, as pydantic models. Pure: no I/O.

Field bounds here are the product's size limits; the API and the Gemini adapters validate against
them, so nothing oversized reaches Firestore or a prompt.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StrictBool, StringConstraints, field_validator
from pydantic.config import JsonDict

from .consent import ConsentAcceptance, ConsentRecord
from .ids import DocumentId

MAX_JOB_DESCRIPTION_CHARS = 20_000
MIN_JOB_DESCRIPTION_CHARS = 30
MAX_NAME_CHARS = 120
MAX_ROLE_CHARS = 120
MAX_SKILLS = 10
MAX_QUESTIONS = 16
MAX_TURN_TEXT_CHARS = 8_000

SUPPORTED_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
"""Languages the interviewer is instructed in (BCP-47 primary subtags)."""

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_CHARS)]


def _no_control_chars(value: str) -> str:
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value):
        raise ValueError("must not contain control characters")
    return value


class InterviewStatus(StrEnum):
    DRAFT = "draft"  # created for review: the recruiter edits the plan; no invite works yet
    INVITED = "invited"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EVALUATING = "evaluating"
    EVALUATED = "evaluated"
    EVALUATION_FAILED = "evaluation_failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class EndReason(StrEnum):
    COMPLETED = "completed"  # the agent called end_interview after the plan
    CANDIDATE_ENDED = "candidate_ended"
    TIME_LIMIT = "time_limit"
    CANDIDATE_LEFT = "candidate_left"
    ABANDONED = "abandoned"  # finalised by the sweeper
    ERROR = "error"


class Candidate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ShortText
    email: EmailStr

    _check_name = field_validator("name")(_no_control_chars)


MAX_INVITE_TTL_HOURS = 90 * 24
"""The longest invite window a recruiter may set (the archive's backstop outlives it: infra/storage.tf)."""


class InterviewOptions(BaseModel):
    """Per-interview overrides of the invite policy."""

    model_config = ConfigDict(extra="forbid")

    invite_ttl_hours: int | None = Field(default=None, ge=1, le=MAX_INVITE_TTL_HOURS, strict=True)
    invite_max_uses: int | None = Field(default=None, ge=1, le=200, strict=True)
    send_invite_email: StrictBool = True
    """Email the invite to the candidate (and a reminder before it expires); false: the recruiter
    sends the returned link themselves."""


class CreateInterviewRequest(BaseModel):
    """Body of POST /api/interviews."""

    model_config = ConfigDict(extra="forbid")

    candidate: Candidate
    role: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=MAX_ROLE_CHARS)]
    job_description: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=MIN_JOB_DESCRIPTION_CHARS, max_length=MAX_JOB_DESCRIPTION_CHARS
        ),
    ]
    language: Literal["en", "de", "fr", "es", "it", "pt", "nl"] = "en"
    duration_minutes: int = Field(default=20, ge=5, le=60, strict=True)
    options: InterviewOptions = Field(default_factory=InterviewOptions)
    draft: StrictBool = False
    """True: create the interview as a draft the recruiter reviews (skills, rubric, questions, CV)
    before sending the invite (POST /api/interviews/{id}/send-invite); no invite link works until then."""

    _check_role = field_validator("role")(_no_control_chars)


MAX_ANCHOR_CHARS = 300

_AnchorText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_ANCHOR_CHARS)]


def _require_all_properties(schema: JsonDict) -> None:
    """Mark every property required in the JSON Schema sent to Gemini, defaults notwithstanding.

    The defaults are for documents stored before a field existed; a model writing a new plan must
    still fill the field in, and Gemini's structured output honours `required`."""
    properties = schema.get("properties")
    if isinstance(properties, dict):
        schema["required"] = list(properties)


# Behaviourally anchored rating scales. Each anchor describes what the candidate says or shows, naming
# the skill's concrete tools, situations and outcomes as the job description uses them, so two graders
# (or a model and the local emulator) read "a 3 in SQL" the same way. They are written at extraction,
# in the interview language, stored on the skill and carried in the evaluation prompt; their words also
# tell the report which quotes speak to the skill (domain/relevance.py). Interviews planned before
# anchors existed have empty ones, filled in from the skill's name and description by
# rubric.anchors_for. A recruiter's later edits replace the three strings; nothing else depends on how
# they were produced. The class docstring is what Gemini reads (it is the schema's description).
class SkillAnchors(BaseModel):
    """What a low (score 1), a middle (3) and a high (5) answer about this skill sounds like in this job:
    one behavioural sentence each, naming the skill's concrete tools, situations and outcomes, written in
    the interview language."""

    model_config = ConfigDict(json_schema_extra=_require_all_properties)

    low: _AnchorText = ""
    mid: _AnchorText = ""
    high: _AnchorText = ""

    def is_complete(self) -> bool:
        return bool(self.low and self.mid and self.high)

    def texts(self) -> tuple[str, str, str]:
        return (self.low, self.mid, self.high)


class Skill(BaseModel):
    """A skill the interview probes; weights of one interview sum to 1."""

    model_config = ConfigDict(json_schema_extra=_require_all_properties)

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=400)] = ""
    weight: float = Field(ge=0.01, le=1)
    anchors: SkillAnchors = Field(default_factory=SkillAnchors)
    """Low / middle / high answer descriptions (SkillAnchors); empty in interviews planned before them."""


class PlannedQuestion(BaseModel):
    skill: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=600)]
    follow_ups: list[Annotated[str, StringConstraints(max_length=400)]] = Field(
        default_factory=list, max_length=3
    )
    must_ask: StrictBool = False
    """Added or marked by the recruiter at review: the interviewer asks it even when time runs short."""


class SkillPlan(BaseModel):
    """What Gemini extracts from a job description: the skills and the question plan."""

    skills: list[Skill] = Field(min_length=1, max_length=MAX_SKILLS)
    question_plan: list[PlannedQuestion] = Field(min_length=1, max_length=MAX_QUESTIONS)

    def normalised(self) -> SkillPlan:
        """Weights summing to 1, unique skill names, and questions only about listed skills."""
        seen: dict[str, Skill] = {}
        for skill in self.skills:
            seen.setdefault(skill.name.casefold(), skill)
        skills = list(seen.values())
        total = sum(s.weight for s in skills)
        skills = [s.model_copy(update={"weight": round(s.weight / total, 4)}) for s in skills]
        names = {s.name.casefold(): s.name for s in skills}
        questions = [
            q.model_copy(update={"skill": names[q.skill.casefold()]})
            for q in self.question_plan
            if q.skill.casefold() in names
        ]
        if not questions:
            raise ValueError("the question plan names none of the extracted skills")
        return SkillPlan(skills=skills, question_plan=questions)


MAX_EMAILED_LINKS = 6
"""Links minted for resent invites and reminders, beyond the first: each keeps working until expiry."""


class Invite(BaseModel):
    secret_hash: str
    expires_at: datetime
    uses: int = 0
    max_uses: int
    recent_token_requests: list[datetime] = Field(default_factory=list)
    extra_secret_hashes: list[str] = Field(default_factory=list, max_length=MAX_EMAILED_LINKS)
    """Hashes of the links a resent invite or a reminder carried (the first link stays valid too)."""


class MailKind(StrEnum):
    INVITE = "invite"
    REMINDER = "reminder"


class EmailDelivery(BaseModel):
    """One email to the candidate: `sending` while the SMTP exchange runs, then `sent` or `failed`."""

    kind: MailKind
    status: Literal["sending", "sent", "failed"]
    at: datetime
    reason: str | None = None
    """Why it failed: the SMTP reply code and class of error, never an address."""


class InviteEmails(BaseModel):
    """interviews/{id}.emails: what was sent to the candidate, and when the reminder is due."""

    invite: EmailDelivery | None = None
    reminder: EmailDelivery | None = None
    reminder_due_at: datetime | None = None
    """When the sweeper sends the reminder (None: none due, or already claimed)."""
    sends: int = 0
    on_send: bool = True
    """A draft's choice (options.send_invite_email): whether send-invite emails the invite."""


class EvaluationState(BaseModel):
    """interviews/{id}.evaluation: progress of the current evaluation run.

    `generation` numbers the runs: the first evaluation is 1, each recruiter re-evaluation adds one.
    The Cloud Task's name carries it, so duplicate completions dedupe while a re-evaluation does not,
    and a task of an older generation is recognised as superseded. `attempts` counts the delivery
    attempts of the current generation.
    """

    generation: int = Field(default=1, ge=1)
    attempts: int = 0
    last_error: str | None = None


class PlanProgress(BaseModel):
    """Where the interview is in its question plan, kept by the agent from the interviewer's own
    tool calls (mark_question_asked), never by matching transcript text: a real model rephrases
    questions. A restarted agent resumes from here."""

    asked: list[int] = Field(default_factory=list)
    """Planned questions (1-based) the interviewer has asked, in the order it asked them."""
    follow_ups: dict[str, int] = Field(default_factory=dict)
    """Follow-ups asked, by planned question number (a string key: Firestore map keys are strings)."""
    current: int | None = None
    """The planned question under discussion."""
    candidate_turns_at_current: int = Field(default=0, ge=0)
    """How many candidate turns existed when `current` was asked: more now means it was answered."""
    seconds_left: float | None = None
    """The interview's time left at the last update."""
    updated_at: datetime | None = None


MAX_CV_TEXT_CHARS = 30_000


class CvInfo(BaseModel):
    """The attached CV: where the file lies in the (private) bucket, and what it was."""

    path: str
    filename: Annotated[str, StringConstraints(max_length=200)]
    content_type: str
    size_bytes: int = Field(ge=1)
    sha256: str
    pages: int = Field(ge=1)
    text_chars: int = Field(ge=0)
    uploaded_at: datetime


class Interview(BaseModel):
    """interviews/{id} as stored in Firestore."""

    id: str
    owner_uid: str
    candidate: Candidate
    role: str
    job_description: str
    language: str
    duration_minutes: int
    skills: list[Skill]
    question_plan: list[PlannedQuestion]
    status: InterviewStatus
    invite: Invite
    room: str
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: EndReason | None = None
    end_detail: str | None = None
    """Why an interview ended as it did, when the reason alone does not say (for an error: what
    failed, e.g. the Live API's close reason after every reconnect was refused)."""
    evaluation: EvaluationState = Field(default_factory=EvaluationState)
    metrics: dict[str, object] = Field(default_factory=dict)
    model: str | None = None
    # Teams (issue 18): the workspace the interview belongs to (None only before the migration), and
    # when it took one of the workspace's live-interview slots (None: it holds none).
    workspace_id: str | None = None
    live_since: datetime | None = None
    plan_progress: PlanProgress = Field(default_factory=PlanProgress)
    expire_at: datetime | None = None
    """When every stored item of the interview is deleted (domain/retention.py; None: created before
    retention existed, kept until deleted by hand)."""
    turns_recorded: int = 0
    """Turns the agent stored (one more than the highest sequence number written), kept in the same
    transaction as the turns."""
    consent: ConsentRecord | None = None
    """What the candidate accepted before joining (domain/consent.py); None before they did."""
    turns_announced: int | None = None
    """How many turns the agent numbered, from its completion webhook (unstored ones included)."""
    # Review before invite (issue 21): the plan's version (1 as generated, +1 per recruiter edit or
    # CV-based regeneration) and a hash of its content (skills, weights, anchors, questions), which the
    # evaluation copies into the report. The plan is frozen once the invite is sent.
    plan_version: int = Field(default=1, ge=1)
    plan_hash: str | None = None
    cv: CvInfo | None = None
    cv_text: str | None = None
    """The CV's extracted text (bounded by MAX_CV_TEXT_CHARS); shown beside the transcript."""
    emails: InviteEmails = Field(default_factory=InviteEmails)
    # Observability (issue 22): the interview's trace, started when it is created, and the W3C
    # traceparent every later step parents its spans on (interview_core/tracing.py). None when no
    # trace exporter is configured.
    trace_id: str | None = None
    traceparent: str | None = None

    def public_view(self) -> dict[str, object]:
        """What the recruiter API returns: everything but the invite's secret hash."""
        data = self.model_dump(mode="json")
        invite = data.pop("invite")
        data["invite"] = {
            "expires_at": invite["expires_at"],
            "uses": invite["uses"],
            "max_uses": invite["max_uses"],
        }
        return data


class CandidateName(BaseModel):
    name: str


class InterviewPart(BaseModel):
    """A model of some fields of interviews/{id}; FIELDS names the field paths to read."""

    FIELDS: ClassVar[tuple[str, ...]] = ()


class InviteGate(InterviewPart):
    """The part of interviews/{id} that a candidate's token request reads, and nothing more.

    The token route is the hot path of the candidate's join; reading these few fields instead of
    the whole document (job description, plan, metrics) keeps each request's CPU and transfer small.
    """

    FIELDS: ClassVar[tuple[str, ...]] = (
        "status",
        "invite",
        "room",
        "duration_minutes",
        "candidate.name",
        "role",
        "language",
        "workspace_id",
        "live_since",
        "consent",
        "traceparent",
    )

    status: InterviewStatus
    invite: Invite
    room: str
    duration_minutes: int
    candidate: CandidateName
    role: str
    language: str
    workspace_id: str | None = None
    live_since: datetime | None = None
    consent: ConsentRecord | None = None
    traceparent: str | None = None


class TurnRole(StrEnum):
    AGENT = "agent"
    CANDIDATE = "candidate"


class Turn(BaseModel):
    """interviews/{id}/turns/{seq}."""

    seq: int = Field(ge=0)
    role: TurnRole
    text: Annotated[str, StringConstraints(max_length=MAX_TURN_TEXT_CHARS)]
    started_at: datetime
    ended_at: datetime
    interrupted: bool = False


class LatencySample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["agent_response", "connect", "first_audio", "round_trip"]
    ms: float = Field(ge=0, le=120_000)


class LatencyReport(BaseModel):
    """Body of POST /api/metrics/latency, sent by the candidate page."""

    model_config = ConfigDict(extra="forbid")

    interview_id: DocumentId
    invite: Annotated[str, StringConstraints(min_length=16, max_length=128)]
    samples: list[LatencySample] = Field(min_length=1, max_length=100)


class CompletionNotice(BaseModel):
    """Body of POST /api/webhooks/interview-complete, sent by the agent."""

    model_config = ConfigDict(extra="forbid")

    interview_id: DocumentId
    end_reason: EndReason
    end_detail: Annotated[str, StringConstraints(max_length=300)] | None = None
    ended_at: datetime | None = None
    turn_count: int | None = Field(default=None, ge=0, le=10_000, strict=True)
    metrics: dict[str, float] = Field(default_factory=dict, max_length=32)


class TokenRequest(BaseModel):
    """Body of POST /api/interviews/{id}/token."""

    model_config = ConfigDict(extra="forbid")

    invite: Annotated[str, StringConstraints(min_length=16, max_length=128)]
    consent: ConsentAcceptance | None = None
    """The consent text the candidate accepted; required for the first token (domain/consent.py)."""
    warm: StrictBool = False
    """The page joins ahead of the interview (during the microphone check, its microphone muted or not
    yet published): the agent gets ready and greets only when the microphone goes live ("Start")."""
