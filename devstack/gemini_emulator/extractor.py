"""The deterministic skill extractor behind the emulator's skill-extraction task.

It does what the extraction prompt asks a model to do, with rules instead of judgement: find the
lexicon's skills in the job description, weigh each by how much the description emphasises it
(mentions, position, "must"/"required"/"strong" nearby, requirement vs. nice-to-have sections, the
role line), keep the top 3 to 8, and plan one or two templated questions per skill in the interview
language. Each skill gets anchors (a low, a middle and a high answer, question_templates.ANCHORS) in
the interview language, naming the job description's own words around the skill (near its mentions,
nearer to it than to another skill's), the kind of detail its category calls for and the
skill's concrete tools and situations (lexicon.VOCABULARY). Same
input, same output: no randomness, no clock, no hash seeds (crc32 picks templates).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Any

from interview_core.domain.models import MAX_ANCHOR_CHARS
from interview_core.domain.relevance import STOP_WORDS, stem

from .gemini_api import parse_generate_request
from .lexicon import BY_NAME, FALLBACK_GENERAL, ROLE_CATEGORY_HINTS, SKILLS, LexiconSkill, vocabulary
from .question_templates import ANCHORS, FOLLOW_UPS, QUESTIONS, SPECIFICS, language_for

MIN_SKILLS = 3
MAX_SKILLS = 8
MAX_QUESTIONS = 16
DEFAULT_DURATION_MINUTES = 20
MINUTES_PER_QUESTION = 2.5
MIN_WEIGHT_SHARE = 0.05
GENERAL_SKILL_FACTOR = 0.8
"""Soft skills appear in almost every description; they count a little less than the specific ones."""

_START_MARKER = "<<<JOB_DESCRIPTION"
_END_MARKER = "JOB_DESCRIPTION>>>"
_CV_START = "<<<CANDIDATE_CV"
_CV_END = "CANDIDATE_CV>>>"
CV_LINE_CHARS = 160
MIN_CV_LINE_WORDS = 5
CV_QUESTIONS = {
    "en": 'Your CV says: "{line}". What did you do there yourself, and what came of it?',
    "de": (
        "In Ihrem Lebenslauf steht: \u201e{line}\u201c. Was haben Sie dort selbst getan, "
        "und was kam dabei heraus?"
    ),
}
"""A question about the candidate's own CV line (other languages use the English wording)."""

_STRONG = re.compile(
    r"\b(?:must|required|requires?|requirement|mandatory|essential|strong|expert|expertise|deep|proven|"
    r"extensive|advanced|solid|excellent|key|core|critical|hands-on|\d+\+?\s*(?:years|yrs)|muss|müssen|"
    r"erforderlich|zwingend|voraussetzung|sehr gute\w*|fundierte\w*|ausgeprägte\w*|umfangreiche\w*|"
    r"mehrjährige\w*|\d+\+?\s*jahre\w*)\b",
    re.IGNORECASE,
)
_WEAK = re.compile(
    r"\b(?:nice[- ]to[- ]have|a plus|plus|bonus|preferred|familiarity|exposure|ideally|optional|"
    r"wünschenswert|von vorteil|idealerweise|pluspunkt\w*)\b",
    re.IGNORECASE,
)
_HEADING_REQUIRED = re.compile(
    r"(?:requirements?|must[- ]haves?|qualifications?|what you (?:bring|need|have)|you (?:have|bring)|"
    r"who you are|your profile|skills|anforderungen|ihr profil|dein profil|was (?:du|sie) mitbring\w+|"
    r"voraussetzungen)",
    re.IGNORECASE,
)
_HEADING_NICE = re.compile(
    r"(?:nice[- ]to[- ]haves?|bonus|preferred|good to have|pluspunkte|wünschenswert|von vorteil)",
    re.IGNORECASE,
)
_HEADING_CONTEXT = re.compile(
    r"(?:about us|who we are|what we offer|benefits|perks|our company|über uns|wir bieten|was wir bieten)",
    re.IGNORECASE,
)
_SECTION_FACTOR = {"required": 1.25, "nice": 0.6, "context": 0.7, "neutral": 1.0}
MAX_CONTEXT_TERMS = 4
CONTEXT_WINDOW = 60
"""Characters around a skill's mention whose words can describe it in its anchors."""
"""Job-description words an anchor names: enough to say what the skill means here, short to read."""
_JD_WORD = re.compile(r"[^\W\d_][\w+#./-]*[\w+#]|[^\W\d_]", re.UNICODE)
_SENTENCE = re.compile(r"[^.;!?\n]+")
_BOILERPLATE_TEXT = """
    years year strong required require requires requirement requirements must nice plus bonus ability
    preferred ideally ideal including includes candidate candidates you your we our us join looking
    responsibilities responsibility qualifications proven solid excellent deep hands-on familiarity
    exposure understanding senior junior lead role position opportunity environment day-to-day
    mindset passion passionate team teams company experience experienced knowledge skills skill showing
    portfolio closely
    jahre jahren mehrjährige sehr fundierte ausgeprägte umfangreiche erforderlich zwingend
    voraussetzung wünschenswert vorteil idealerweise pluspunkt sie ihr ihre ihren bringen bringst
    mitbringen aufgaben profil stelle suchen unterstützen verantwortung
"""
_BOILERPLATE = frozenset(_BOILERPLATE_TEXT.split())
"""Words every job description uses, whatever the skill: never an anchor's context."""
_WINDOW_BEFORE = 60
_WINDOW_AFTER = 30


@dataclass(frozen=True)
class ExtractionInput:
    """What the extraction prompt carries: the role, language, length and the job description."""

    job_description: str
    role: str = ""
    language: str = "en"
    duration_minutes: int = DEFAULT_DURATION_MINUTES
    cv: str = ""
    """The candidate's CV text, when the prompt carries one (between its own markers)."""


@dataclass
class _Candidate:
    """A skill considered for the plan, with its evidence."""

    name: str
    description: str
    category: str
    labels: dict[str, str] = field(default_factory=dict)
    mentions: list[float] = field(default_factory=list)
    first_position: int = 1 << 30

    @property
    def score(self) -> float:
        """Sum of mention scores with diminishing returns, so repetition counts but cannot dominate."""
        ordered = sorted(self.mentions, reverse=True)[:10]
        total = sum(m / (1 + 0.5 * i) for i, m in enumerate(ordered))
        return total * (GENERAL_SKILL_FACTOR if self.category == "general" else 1.0)

    def label(self, language: str) -> str:
        if language in self.labels:
            return self.labels[language]
        return self.name.lower() if self.category == "general" and language == "en" else self.name


def parse_prompt(user_text: str) -> ExtractionInput:
    """Read the header lines and the marked job description from the user prompt.

    Header lines are read only before the start marker, and the description ends at the *last* end
    marker, so text inside the job description cannot pose as the role or the language.
    """
    start = user_text.find(_START_MARKER)
    if start >= 0:
        header = user_text[:start]
        body_start = start + len(_START_MARKER)
        end = user_text.rfind(_END_MARKER)
        job_description = user_text[body_start : end if end > body_start else len(user_text)]
    else:
        header, job_description = user_text, user_text
    role = _header_value(header, "Role")
    language = _header_value(header, "Interview language") or "en"
    duration_text = _header_value(header, "Interview length")
    duration_match = re.match(r"\d+", duration_text)
    duration = int(duration_match.group()) if duration_match else DEFAULT_DURATION_MINUTES
    cv_start = user_text.find(
        _CV_START, max(user_text.rfind(_END_MARKER), 0)
    )  # only after the job description
    cv_end = user_text.rfind(_CV_END)
    cv = user_text[cv_start + len(_CV_START) : cv_end] if 0 <= cv_start < cv_end else ""
    return ExtractionInput(
        job_description.strip(), role[:120], language, max(1, min(duration, 240)), cv.strip()
    )


def _header_value(header: str, key: str) -> str:
    match = re.search(rf"^\s*{re.escape(key)}\s*:\s*(.*?)\s*$", header, re.IGNORECASE | re.MULTILINE)
    return match.group(1) if match else ""


def _sections(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each line, kind inherited from the last recognised heading."""
    lines: list[tuple[int, int, str]] = []
    kind = "neutral"
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip().strip("#*_ ").strip()
        is_heading = 0 < len(stripped) <= 60 and (
            stripped.endswith(":") or line.lstrip().startswith("#") or _is_known_heading(stripped)
        )
        if is_heading:
            heading = stripped.rstrip(":")
            if _HEADING_NICE.search(heading):
                kind = "nice"
            elif _HEADING_REQUIRED.search(heading):
                kind = "required"
            elif _HEADING_CONTEXT.search(heading):
                kind = "context"
            else:
                kind = "neutral"
        lines.append((offset, offset + len(line), kind))
        offset += len(line)
    return lines


def _is_known_heading(text: str) -> bool:
    return any(p.fullmatch(text) for p in (_HEADING_REQUIRED, _HEADING_NICE, _HEADING_CONTEXT))


def _mention_score(text: str, start: int, end: int, line: tuple[int, int, str]) -> float:
    """One mention's weight: earlier, emphasised and in a requirements section weighs more."""
    line_start, line_end, kind = line
    window = text[max(line_start, start - _WINDOW_BEFORE) : min(line_end, end + _WINDOW_AFTER)]
    position = 1.0 + 0.4 * (1.0 - start / max(1, len(text)))
    if _WEAK.search(window):
        emphasis = 0.6
    elif _STRONG.search(window):
        emphasis = 1.5
    else:
        emphasis = 1.0
    section = _SECTION_FACTOR[kind]
    if kind == "nice" and emphasis > 1.0:
        section = 1.0  # "strong plus" under nice-to-have: neither boost nor discount
    return position * emphasis * section


def _spans(skill: LexiconSkill, text: str) -> list[tuple[int, int]]:
    """Non-overlapping match spans of the skill's aliases (one alternation), in text order."""
    return [(m.start(), m.end()) for m in skill.pattern.finditer(text) if m.end() > m.start()]


def _candidate(skill: LexiconSkill) -> _Candidate:
    return _Candidate(skill.name, skill.description, skill.category, dict(skill.labels))


def _collect(data: ExtractionInput) -> dict[str, _Candidate]:
    """Every lexicon skill the description or the role line mentions, with mention scores."""
    text = data.job_description
    lines = _sections(text)
    line_starts = [start for start, _, _ in lines]
    found: dict[str, _Candidate] = {}
    for skill in SKILLS:
        spans = _spans(skill, text)
        in_role = bool(data.role) and skill.pattern.search(data.role) is not None
        if not spans and not in_role:
            continue
        cand = found.setdefault(skill.name, _candidate(skill))
        if in_role:
            cand.mentions.append(1.5)
            cand.first_position = -1
        for start, end in spans:
            index = _line_index(line_starts, start)
            cand.mentions.append(_mention_score(text, start, end, lines[index]))
            cand.first_position = min(cand.first_position, start)
    hint = _role_hint(data.role)
    if hint is not None:
        cand = found.setdefault(hint, _candidate(BY_NAME[hint]))
        cand.mentions.append(0.75)
    return found


def _line_index(line_starts: list[int], position: int) -> int:
    low, high = 0, len(line_starts) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if line_starts[mid] <= position:
            low = mid
        else:
            high = mid - 1
    return low


def _role_hint(role: str) -> str | None:
    """The lexicon skill a role title implies (a data engineer builds pipelines), if any."""
    for pattern, skill_name in ROLE_CATEGORY_HINTS:
        if role and pattern.search(role):
            return skill_name
    return None


def _select(data: ExtractionInput, found: dict[str, _Candidate]) -> list[_Candidate]:
    """The strongest 3 to 8 skills (fewer for short interviews), topped up with fallbacks."""
    limit = max(MIN_SKILLS, min(MAX_SKILLS, data.duration_minutes // 3))
    ranked = sorted(found.values(), key=lambda c: (-c.score, c.first_position, c.name))
    if ranked:
        floor = 0.2 * ranked[0].score
        strong = [c for c in ranked if c.score >= floor]
        ranked = strong if len(strong) >= MIN_SKILLS else ranked
    chosen = ranked[:limit]
    if len(chosen) < MIN_SKILLS:
        chosen += _fallbacks(data, {c.name for c in chosen}, MIN_SKILLS - len(chosen), chosen)
    return chosen


def _fallbacks(
    data: ExtractionInput, taken: set[str], needed: int, chosen: list[_Candidate]
) -> list[_Candidate]:
    """Generic skills for thin descriptions: the role's own expertise first, then soft skills."""
    base = min((c.score for c in chosen), default=1.0)
    extra: list[_Candidate] = []
    role = re.sub(r"\s+", " ", data.role).strip()
    if role and _role_hint(role) is None:
        description = (
            f"Core knowledge and judgement the role of {role} needs, as the job description describes it."
        )
        extra.append(
            _Candidate(
                f"{role} expertise"[:80], description[:400], "role", {"de": f"Fachwissen als {role}"[:80]}
            )
        )
    extra += [_candidate(BY_NAME[name]) for name in FALLBACK_GENERAL]
    picked: list[_Candidate] = []
    for index, cand in enumerate(c for c in extra if c.name not in taken):
        if len(picked) == needed:
            break
        cand.mentions = [
            base * (0.9 - 0.1 * index) / (GENERAL_SKILL_FACTOR if cand.category == "general" else 1)
        ]
        picked.append(cand)
    return picked


def _weights(chosen: list[_Candidate]) -> list[float]:
    """Shares of the total score, each at least 5 %, rounded to 3 places and summing to 1."""
    total = sum(c.score for c in chosen) or 1.0
    shares = [max(MIN_WEIGHT_SHARE, c.score / total) for c in chosen]
    norm = sum(shares)
    rounded = [round(s / norm, 3) for s in shares]
    top = max(range(len(rounded)), key=lambda i: rounded[i])
    rounded[top] = round(rounded[top] + 1.0 - sum(rounded), 3)
    return rounded


def _distance(start: int, end: int, spans: list[tuple[int, int]]) -> int:
    """Characters between [start, end) and the nearest span (0 when they overlap); large without spans."""
    return min((max(0, s - end, start - e) for s, e in spans), default=1 << 30)


def _context_terms(cand: _Candidate, data: ExtractionInput, taken: list[_Candidate]) -> list[str]:
    """The job description's words around the skill, most frequent first: content words of the
    sentences that mention it, within CONTEXT_WINDOW characters of a mention and nearer to it than to
    any other planned skill's mention (so in "Python services and REST APIs for partners", the API
    skill gets "partners" and Python gets "services"), other skills' names never included."""
    text = data.job_description
    lexicon = BY_NAME.get(cand.name)
    if lexicon is not None:
        spans = _spans(lexicon, text)
    elif cand.category == "role":
        spans = [(0, len(text))]  # the role's own expertise: the whole description is about it
    else:
        spans = []
    others = [BY_NAME[c.name] for c in taken if c.name != cand.name and c.name in BY_NAME]
    other_spans = [span for other in others for span in _spans(other, text)]
    # The skill's own words and the role title's ("Site", "Engineer") say nothing the label does not.
    own = {stem(word) for word in _JD_WORD.findall(f"{cand.name} {cand.label(data.language)} {data.role}")}
    counts: dict[str, int] = {}
    first: dict[str, tuple[int, str]] = {}
    for sentence in _SENTENCE.finditer(text):
        if not any(start < sentence.end() and end > sentence.start() for start, end in spans):
            continue
        rivals = [(s, e) for s, e in other_spans if s < sentence.end() and e > sentence.start()]
        for match in _JD_WORD.finditer(text, sentence.start(), sentence.end()):
            word, at, until = match.group(), match.start(), match.end()
            folded = word.casefold()
            near = _distance(at, until, spans)
            if (
                len(word) < 3
                or near > CONTEXT_WINDOW
                or near >= _distance(at, until, rivals)  # nearer another skill, or its name
                or folded in STOP_WORDS
                or folded in _BOILERPLATE
                or stem(word) in own
                or ("/" in word and len(word) <= 5)  # "m/w/d", "f/m/d": job-ad gender markers
            ):
                continue
            key = stem(word)
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, (at, word))
    ranked = sorted(counts, key=lambda key: (-counts[key], first[key][0]))
    return [first[key][1] for key in ranked[:MAX_CONTEXT_TERMS]]


def _anchors(cand: _Candidate, data: ExtractionInput, taken: list[_Candidate]) -> dict[str, str]:
    """The skill's low, mid and high anchors in the interview language (module docstring)."""
    language = language_for(data.language)
    templates = ANCHORS.get(language, ANCHORS["en"])
    terms = _context_terms(cand, data, taken)
    context = templates["context"].format(terms=", ".join(terms)) if terms else ""
    specifics = SPECIFICS[language].get(cand.category, SPECIFICS[language]["general"])
    tools = vocabulary(cand.name, language) or specifics
    label = cand.label(language)
    return {
        level: templates[level].format(skill=label, context=context, specifics=specifics, vocabulary=tools)[
            :MAX_ANCHOR_CHARS
        ]
        for level in ("low", "mid", "high")
    }


def _template_indices(name: str, count: int, available: int) -> list[int]:
    """Which templates a skill's questions use: an opener (one of the first two) first, then the next."""
    first = zlib.crc32(name.encode()) % min(2, available)
    return [(first + number) % available for number in range(count)]


def _questions(cand: _Candidate, count: int, language: str, role: str) -> list[dict[str, Any]]:
    templates = QUESTIONS[language].get(cand.category) or QUESTIONS[language]["general"]
    follow_ups = FOLLOW_UPS[language]
    label = cand.label(language)
    plan: list[dict[str, Any]] = []
    for number, index in enumerate(_template_indices(cand.name, count, len(templates))):
        question = templates[index].format(skill=label, role=role or label)
        how_many = 3 if number == 0 else 2
        start = zlib.crc32(f"{cand.name}/{number}".encode()) % len(follow_ups)
        chosen = [follow_ups[(start + i) % len(follow_ups)] for i in range(how_many)]
        plan.append({"skill": cand.name, "question": question, "follow_ups": chosen})
    return plan


def extract_skill_plan(data: ExtractionInput) -> dict[str, Any]:
    """The SkillPlan JSON (skills with weights, question plan) for one job description."""
    chosen = _select(data, _collect(data))
    weights = _weights(chosen)
    skills = [
        {"name": c.name, "description": c.description, "weight": w, "anchors": _anchors(c, data, chosen)}
        for c, w in zip(chosen, weights, strict=True)
    ]
    language = language_for(data.language)
    role = re.sub(r"\s+", " ", data.role).strip()
    budget = round(data.duration_minutes / MINUTES_PER_QUESTION)
    budget = max(len(chosen), min(budget, MAX_QUESTIONS, 2 * len(chosen)))
    doubled = {c.name for c in chosen[: budget - len(chosen)]}  # the heaviest skills get a second question
    ordered = [c for c in chosen if c.category != "general"] + [c for c in chosen if c.category == "general"]
    plan: list[dict[str, Any]] = []
    for cand in ordered:
        plan += _questions(cand, 2 if cand.name in doubled else 1, language, role)
    if data.cv:
        _ask_about_cv(plan, {c.name: c for c in chosen}, data.cv, data.language)
    return {"skills": skills, "question_plan": plan}


def _ask_about_cv(plan: list[dict[str, Any]], chosen: dict[str, _Candidate], cv: str, language: str) -> None:
    """Reword the first question whose skill the CV names in a sentence of its own, to ask about
    what the CV says the candidate did (as the extraction prompt asks a real model to)."""
    lines = [" ".join(line.split()) for line in cv.splitlines()]
    lines = [line for line in lines if len(line.split()) >= MIN_CV_LINE_WORDS]
    template = CV_QUESTIONS.get(language, CV_QUESTIONS["en"])
    for question in plan:
        cand = chosen.get(question["skill"])
        names = {cand.name, cand.label(language)} if cand else {question["skill"]}
        pattern = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in names), re.IGNORECASE)
        line = next((line for line in lines if pattern.search(line)), None)
        if line:
            short = line if len(line) <= CV_LINE_CHARS else line[:CV_LINE_CHARS].rsplit(" ", 1)[0] + " ..."
            question["question"] = template.format(line=short.rstrip(" ,;.:"))
            return


def extract(request_json: dict[str, Any]) -> dict[str, Any]:
    """Registry handler: a generateContent body in, the SkillPlan JSON out."""
    request = parse_generate_request(request_json)
    return extract_skill_plan(parse_prompt(request.user_text))
