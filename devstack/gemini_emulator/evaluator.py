"""The deterministic evaluator behind the emulator's evaluation task (schema: overall_score + recommendation).

It does what the evaluation prompt asks a model to do, with rules instead of judgement, so the whole
pipeline runs offline and tests can predict its output:

- parse the prompt's header, `<<<SKILLS`, `<<<PLAN` and `<<<TRANSCRIPT` blocks
  (functions/interview_core/domain/evaluation_prompt.py);
- attribute every candidate answer to the skill the interviewer was asking about: a question that
  resembles a planned one (word overlap) or names the skill opens that skill, a follow-up ("can you
  give an example?") stays with it;
- a skill nobody asked about and the candidate never mentioned is not assessed (score null);
- a probed skill is scored 1-5 from the substance of its answers: length, whether they are about the
  skill at all, concrete examples of own work, numbers, reasoning (because, trade-off, instead of),
  minus hedges and "I have never done that";
- evidence is one or two of the candidate's own sentences, copied verbatim from the transcript;
- the three rubric competencies are scored the same way over all answers.

It never looks at anything but the words (there is no audio here anyway). Same input, same output: no
randomness, no clock. Output is in English whatever the interview language; it says it is local.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .gemini_api import MODEL_VERSION, parse_generate_request
from .lexicon import BY_NAME

SKILLS_BLOCK = ("<<<SKILLS", "SKILLS>>>")
PLAN_BLOCK = ("<<<PLAN", "PLAN>>>")
TRANSCRIPT_BLOCK = ("<<<TRANSCRIPT", "TRANSCRIPT>>>")
COMPETENCIES = ("Communication", "Problem solving", "Depth of experience")

QUESTION_MATCH = 0.45
"""Share of a planned question's content words an interviewer turn must contain to count as asking it."""
MIN_ANSWER_WORDS = 3
MIN_SCORABLE_WORDS = 8
"""An off-topic remark shorter than this ("sorry, I have to go") is not an answer to score."""
MAX_EVIDENCE = 2
MAX_QUOTE_CHARS = 280
MAX_ITEMS = 8

_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*", re.UNICODE)
_TURN = re.compile(r"^\[(\d+)\]\s+(INTERVIEWER|CANDIDATE):\s?(.*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_NUMBER = re.compile(
    r"\b\d[\d,.]*\s*(?:%|percent|x|ms|s|gb|tb|mb|k|m|million|thousand|hours?|days?|minutes?)?\b", re.I
)
_EXAMPLE = re.compile(
    r"\b(?:for example|for instance|in my (?:last|previous|current) (?:job|role|team|company)|"
    r"at my (?:last|previous)|"
    r"i (?:built|designed|wrote|led|implemented|migrated|introduced|created|set up|automated|rewrote|owned|"
    r"measured|profiled|debugged|fixed|replaced|mentored|coached|ran|shipped|deployed|moved|added|split|found)|"
    r"we (?:built|designed|wrote|implemented|migrated|introduced|created|set up|automated|rewrote|shipped|"
    r"deployed|moved|replaced|added|split|found|measured))\b",
    re.I,
)
_REASONING = re.compile(
    r"\b(?:because|trade-?offs?|instead of|so that|the reason|which meant|that meant|rather than|"
    r"on the other hand|the downside|the risk|we chose|i chose|decided to|in hindsight|looking back|"
    r"lesson)\b",
    re.I,
)
_RESULT = re.compile(
    r"\b(?:reduced|improved|increased|decreased|cut|saved|dropped|went (?:down|up) from|from \d[^ ]* to|"
    r"latency|throughput|cost|faster|slower|result(?:ed)?|outcome|measured)\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(?:i don'?t know|not sure|no idea|never (?:used|done|worked)|no experience|"
    r"haven'?t (?:used|done|worked)|"
    r"have not (?:used|done|worked)|never (?:mentored|led|managed|built|written|wrote)|i can'?t remember|"
    r"don'?t remember)\b",
    re.I,
)
_STRUCTURE = re.compile(
    r"\b(?:first(?:ly)?|second(?:ly)?|then|finally|in short|to summari[sz]e|the result)\b", re.I
)
_INJECTION = re.compile(
    r"\b(?:ignore (?:all |any |the )?(?:previous |prior )?instructions|"
    r"give me (?:a )?(?:high|good|top|perfect) (?:score|rating)|rate me|score me|strong[_ ]hire)\b",
    re.I,
)
_STOPWORDS_TEXT = """
a an and are as at be been but by can could did do does for from had has have how i if in
into is it its me my of on or our so that the their them then there these they this to was
we were what when where which who why will with would you your about tell describe walk
through time work please give example recent real hard problem solved approach made make
sure results used using use part situation essential outcome team project what's how's one
some
"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


@dataclass(frozen=True)
class PlanSkill:
    name: str
    weight: float
    description: str


@dataclass(frozen=True)
class TurnLine:
    seq: int
    speaker: str  # INTERVIEWER | CANDIDATE
    text: str


@dataclass
class EvaluationPrompt:
    role: str = ""
    language: str = "en"
    skills: list[PlanSkill] = field(default_factory=list)
    plan: list[tuple[str, str]] = field(default_factory=list)  # (skill, question)
    turns: list[TurnLine] = field(default_factory=list)


def _block(text: str, markers: tuple[str, str]) -> list[str]:
    start = text.find(markers[0])
    if start < 0:
        return []
    start += len(markers[0])
    end = text.find(markers[1], start)
    return [line for line in text[start : end if end >= 0 else len(text)].splitlines() if line.strip()]


def _json_lines(lines: list[str]) -> list[dict[str, Any]]:
    parsed = []
    for line in lines:
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            parsed.append(value)
    return parsed


def parse_prompt(user_text: str) -> EvaluationPrompt:
    """The interview the evaluation prompt carries; unreadable lines are skipped, not guessed."""
    prompt = EvaluationPrompt()
    header = user_text[: max(0, user_text.find(SKILLS_BLOCK[0]))]
    for line in header.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "role":
            prompt.role = value.strip()
        elif key.strip().lower() == "interview language":
            prompt.language = value.strip() or "en"
    for item in _json_lines(_block(user_text, SKILLS_BLOCK)):
        name = str(item.get("name") or "").strip()
        if name:
            weight = item.get("weight")
            prompt.skills.append(
                PlanSkill(
                    name,
                    float(weight) if isinstance(weight, int | float) else 0.0,
                    str(item.get("description") or ""),
                )
            )
    for item in _json_lines(_block(user_text, PLAN_BLOCK)):
        if item.get("skill") and item.get("question"):
            prompt.plan.append((str(item["skill"]), str(item["question"])))
    for line in _block(user_text, TRANSCRIPT_BLOCK):
        match = _TURN.match(line.strip())
        if match:
            prompt.turns.append(TurnLine(int(match.group(1)), match.group(2), match.group(3).strip()))
    return prompt


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _content(text: str) -> set[str]:
    return {w for w in _words(text) if len(w) > 2 and w not in _STOPWORDS}


class _SkillMatcher:
    """Recognises a skill in text: the lexicon's aliases when it is a lexicon skill, else its own words."""

    def __init__(self, skill: PlanSkill) -> None:
        lexicon = BY_NAME.get(skill.name)
        self.pattern = lexicon.pattern if lexicon else None
        self.keywords = set() if lexicon else _content(skill.name) - {"expertise", "skills", "skill"}

    def mentioned_in(self, text: str) -> bool:
        if self.pattern is not None and self.pattern.search(text):
            return True
        return bool(self.keywords) and bool(self.keywords & _content(text))


def _attribute(prompt: EvaluationPrompt) -> tuple[dict[str, list[TurnLine]], set[str]]:
    """Candidate answers per skill, and the skills the interviewer asked about."""
    matchers = {s.name: _SkillMatcher(s) for s in prompt.skills}
    planned = [(skill, _content(question)) for skill, question in prompt.plan if skill in matchers]
    answers: dict[str, list[TurnLine]] = {s.name: [] for s in prompt.skills}
    asked: set[str] = set()
    current: str | None = None
    for turn in prompt.turns:
        if turn.speaker == "INTERVIEWER":
            words = _content(turn.text)
            best, best_share = None, 0.0
            for skill, question_words in planned:
                share = len(words & question_words) / len(question_words) if question_words else 0.0
                if share > best_share:
                    best, best_share = skill, share
            if best is not None and best_share >= QUESTION_MATCH:
                current = best
            else:
                named = [name for name, matcher in matchers.items() if matcher.mentioned_in(turn.text)]
                if len(named) == 1:
                    current = named[0]
            if current is not None:
                asked.add(current)
            continue
        if len(_words(turn.text)) < MIN_ANSWER_WORDS:
            continue
        if current is not None:
            answers[current].append(turn)
        for name, matcher in matchers.items():  # an answer that names another skill speaks to it too
            if name != current and matcher.mentioned_in(turn.text) and turn not in answers[name]:
                answers[name].append(turn)
    return answers, asked


@dataclass
class _Substance:
    words: int = 0
    relevant: bool = False
    examples: int = 0
    numbers: int = 0
    reasoning: int = 0
    results: int = 0
    hedges: int = 0
    structure: int = 0

    def add(self, text: str, relevant: bool) -> None:
        self.words += len(_words(text))
        self.relevant |= relevant
        self.examples += len(_EXAMPLE.findall(text))
        self.numbers += len(_NUMBER.findall(text))
        self.reasoning += len(_REASONING.findall(text))
        self.results += len(_RESULT.findall(text))
        self.hedges += len(_HEDGE.findall(text))
        self.structure += len(_STRUCTURE.findall(text))


def _score(substance: _Substance) -> int:
    """1-5 on the prompt's rubric: off-topic or "never done it" is 1, generic 2, one concrete example 3,
    and specifics (figures, reasoning, results, length) lift it towards 5."""
    if not substance.relevant:
        return 1
    if substance.hedges and not substance.examples:
        return 1
    points = 2.0
    points += 1.0 if substance.examples else 0.0
    points += 0.4 if substance.examples >= 2 else 0.0
    points += 0.5 if substance.words >= 60 else 0.0
    points += min(substance.numbers, 3) * 0.35
    points += min(substance.reasoning, 3) * 0.4
    points += min(substance.results, 2) * 0.3
    points -= min(substance.hedges, 2) * 0.75
    return max(1, min(5, round(points)))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _verbatim_cut(sentence: str) -> str:
    """At most MAX_QUOTE_CHARS, cut at a word boundary, so the quote stays a span of the turn."""
    if len(sentence) <= MAX_QUOTE_CHARS:
        return sentence
    cut = sentence[:MAX_QUOTE_CHARS]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _evidence(answers: list[TurnLine], matcher: _SkillMatcher | None) -> list[str]:
    """The answers' most substantive sentences, verbatim, in transcript order."""
    ranked: list[tuple[float, int, int, str]] = []
    for turn in answers:
        for index, sentence in enumerate(_sentences(turn.text)):
            if len(_words(sentence)) < 4:
                continue
            weight = (
                len(_EXAMPLE.findall(sentence)) * 2
                + len(_NUMBER.findall(sentence))
                + len(_REASONING.findall(sentence))
                + len(_RESULT.findall(sentence))
                + len(_HEDGE.findall(sentence)) * 1.5  # a clear "I have never used it" is evidence too
                + (1.5 if matcher is not None and matcher.mentioned_in(sentence) else 0)
                + min(len(_words(sentence)), 30) / 30
            )
            ranked.append((-weight, turn.seq, index, _verbatim_cut(sentence)))
    chosen = sorted(ranked)[:MAX_EVIDENCE]
    return [quote for _, _, _, quote in sorted(chosen, key=lambda item: (item[1], item[2]))]


def _assess_skill(skill: PlanSkill, answers: list[TurnLine], asked: bool) -> dict[str, Any]:
    matcher = _SkillMatcher(skill)
    if not answers:
        rationale = (
            "The interviewer asked about this skill, but the candidate gave no answer to assess."
            if asked
            else "The interview did not cover this skill."
        )
        return {"name": skill.name, "probed": asked, "score": None, "rationale": rationale, "evidence": []}
    substance = _Substance()
    for turn in answers:
        substance.add(turn.text, relevant=matcher.mentioned_in(turn.text) or _on_topic(turn.text))
    if substance.words < MIN_SCORABLE_WORDS and not substance.relevant:
        return {
            "name": skill.name,
            "probed": True,
            "score": None,
            "rationale": "The candidate said too little about this skill to score it.",
            "evidence": [],
        }
    score = _score(substance)
    return {
        "name": skill.name,
        "probed": True,
        "score": score,
        "rationale": _rationale(skill.name, substance, score),
        "evidence": _evidence(answers, matcher),
    }


def _on_topic(text: str) -> bool:
    """Without naming the skill, an answer about concrete work still counts as an answer."""
    return bool(_EXAMPLE.search(text)) or len(_REASONING.findall(text)) >= 2


def _rationale(name: str, substance: _Substance, score: int) -> str:
    if not substance.relevant:
        return f"The answers did not address {name}."
    parts = [f"{substance.words} words on {name}"]
    if substance.examples:
        parts.append(f"{substance.examples} concrete example(s) of own work")
    if substance.numbers:
        parts.append(f"{substance.numbers} figure(s)")
    if substance.reasoning:
        parts.append(f"{substance.reasoning} statement(s) of reasoning or trade-offs")
    if substance.hedges:
        parts.append(f"{substance.hedges} admission(s) of no experience or uncertainty")
    return f"Score {score} from the local rubric: " + ", ".join(parts) + "."


def _competencies(candidate: list[TurnLine]) -> list[dict[str, Any]]:
    if sum(len(_words(t.text)) for t in candidate) < 25:
        return [
            {
                "name": name,
                "probed": False,
                "score": None,
                "rationale": "Too little was said.",
                "evidence": [],
            }
            for name in COMPETENCIES
        ]
    overall = _Substance()
    for turn in candidate:
        overall.add(turn.text, relevant=True)
    average = overall.words / max(1, len(candidate))
    communication = 2 + (1 if 15 <= average <= 220 else 0) + (1 if overall.structure >= 2 else 0)
    communication += 1 if overall.examples >= 2 and overall.hedges == 0 else 0
    problem = 1 + min(overall.reasoning, 4) * 0.75 + (0.5 if overall.results else 0)
    depth = 1 + min(overall.examples, 4) * 0.6 + min(overall.numbers, 4) * 0.3 - min(overall.hedges, 2) * 0.5
    scores = {
        "Communication": communication,
        "Problem solving": problem,
        "Depth of experience": depth,
    }
    focus = {
        "Communication": _STRUCTURE,
        "Problem solving": _REASONING,
        "Depth of experience": _EXAMPLE,
    }
    result = []
    for name in COMPETENCIES:
        score = max(1, min(5, round(scores[name])))
        quotes = [
            _verbatim_cut(s)
            for t in candidate
            for s in _sentences(t.text)
            if focus[name].search(s) and len(_words(s)) >= 4
        ][:MAX_EVIDENCE]
        if not quotes:
            quotes = _evidence(candidate, None)[:1]
        result.append(
            {
                "name": name,
                "probed": True,
                "score": score,
                "rationale": f"Score {score} from the local rubric over all {len(candidate)} answers.",
                "evidence": quotes,
            }
        )
    return result


def _verdict(skills: list[PlanSkill], assessed: list[dict[str, Any]]) -> tuple[int, str]:
    """The evaluator's own suggestion (the product recomputes it from the scores in code)."""
    weights = {s.name: s.weight for s in skills}
    scored = [(weights.get(a["name"], 0.0), a["score"]) for a in assessed if a["score"] is not None]
    total = sum(w for w, _ in scored)
    if not scored or total <= 0:
        return 0, "no_hire"
    overall = round(sum(w * (s - 1) * 25 for w, s in scored) / total)
    for threshold, label in ((80, "strong_hire"), (65, "hire"), (50, "lean_hire"), (35, "lean_no_hire")):
        if overall >= threshold:
            return overall, label
    return overall, "no_hire"


def evaluate_prompt(prompt: EvaluationPrompt) -> dict[str, Any]:
    """The EvaluationOutput JSON for one parsed prompt."""
    answers, asked = _attribute(prompt)
    skills = [_assess_skill(s, answers[s.name], s.name in asked) for s in prompt.skills]
    candidate = [
        t for t in prompt.turns if t.speaker == "CANDIDATE" and len(_words(t.text)) >= MIN_ANSWER_WORDS
    ]
    overall, recommendation = _verdict(prompt.skills, skills)
    scored = sorted((a for a in skills if a["score"] is not None), key=lambda a: (-a["score"], a["name"]))
    strong = [a for a in scored if a["score"] >= 4]
    weak = [a for a in scored if a["score"] <= 2]
    missing = [a["name"] for a in skills if a["score"] is None]
    red_flags = []
    if any(_INJECTION.search(t.text) for t in candidate):
        red_flags.append("The candidate asked the evaluator for a favourable score instead of answering.")
    words = sum(len(_words(t.text)) for t in candidate)
    summary = [
        f"Local deterministic evaluation ({MODEL_VERSION}), not a language model.",
        f"The candidate answered in {len(candidate)} turn(s) with {words} words; "
        f"{len(scored)} of {len(skills)} planned skills could be scored.",
    ]
    if scored and scored[0]["score"] != scored[-1]["score"]:
        best, worst = scored[0], scored[-1]
        summary.append(
            f"Strongest: {best['name']} ({best['score']}/5); weakest: {worst['name']} ({worst['score']}/5)."
        )
    elif scored:
        summary.append(f"Every scored skill got {scored[0]['score']}/5.")
    if missing:
        summary.append(f"Not assessed: {', '.join(missing)}.")
    return {
        "skills": skills,
        "competencies": _competencies(candidate),
        "strengths": [f"Concrete, specific answers on {a['name']}." for a in strong][:MAX_ITEMS],
        "weaknesses": [f"Little concrete evidence on {a['name']}." for a in weak][:MAX_ITEMS],
        "red_flags": red_flags,
        "improvement_areas": [f"Show first-hand experience with {a['name']}." for a in weak][:MAX_ITEMS]
        + [f"Not covered in the interview: {name}." for name in missing][: max(0, MAX_ITEMS - len(weak))],
        "summary": " ".join(summary),
        "overall_score": overall,
        "recommendation": recommendation,
    }


def evaluate(request_json: dict[str, Any]) -> dict[str, Any]:
    """Registry handler: a generateContent body in, the EvaluationOutput JSON out."""
    request = parse_generate_request(request_json)
    return evaluate_prompt(parse_prompt(request.user_text))
