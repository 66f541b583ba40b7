"""The deterministic evaluator behind the emulator's evaluation task (schema: overall_score + recommendation).

It does what the evaluation prompt asks a model to do, with rules instead of judgement, so the whole
pipeline runs offline and tests can predict its output. It grades the way the rubric's anchors
describe, which is the way a careful grader reads an answer:

1. Parse the prompt: header, `<<<SKILLS` (name, weight, description, anchors), `<<<PLAN` and
   `<<<TRANSCRIPT` (functions/interview_core/domain/evaluation_prompt.py).
2. Cut the transcript into exchanges, one per planned question with its follow-ups, and give each
   skill the answers of its exchanges plus, from answers elsewhere, the sentences that name it
   (interview_core.domain.relevance, the same cut the report uses).
3. Keep, for each skill, only the answers that speak to it: they share a content term with the
   skill's name, description, anchors or planned questions (the report's relevance rule). An answer
   about something else, or the same sentence repeated to every question, does not count for a
   skill it never mentions.
4. Give no credit for manipulation: sentences asking for a score or telling the evaluator what to do
   (prompt injection), and claims of expertise without a first-hand action in them ("I'm an expert in
   Kubernetes, trust me"), are taken out before scoring and reported as red flags. A skill whose
   answers are at least half such sentences was lobbied for, not answered: it gets the low anchor.
5. Read the rest sentence by sentence for what the anchors separate, in the interview language
   (English, German and Spanish markers; any other language uses the English ones plus the signals
   that need no language: figures, acronyms, tool names):
   - first-hand actions: "I rewrote", "ich habe ... eingeführt", "implementé" (a "we" action
     counts when it comes with specifics);
   - specifics: figures, named tools and techniques (acronyms, CamelCase, the lexicon's skill names,
     capitalised names mid-sentence in English, and whatever the skill's high anchor names: "window
     functions", "indexes");
   - reasoning and trade-offs ("because", "instead of", "weil", "statt", "porque") and outcomes
     ("reduced", "from 40 minutes to 90 seconds", "gesenkt", "redujimos");
   - general talk ("we usually", "it is important", "man sollte") and no-experience statements
     ("I have never", "noch nie", "nunca he").
6. Score against the anchors, as a ladder: nothing on the skill is 1 with no quote (the report
   withholds it); mostly "I have not done it" is 1 (low anchor); on-topic but general, or a single
   bare action ("I forwarded him to accounting"), is 2; a first-hand example with something about
   how or why is 3 (mid anchor); first-hand detail with several specifics and reasoning or results
   is 4; several first-hand actions with specifics, reasoning and a measured result is 5 (high
   anchor). Mostly general talk, or more "I have not" than "I did", around an example lowers it by
   one.
7. Quote as evidence the one or two sentences that earned the level, verbatim, each from an answer
   that speaks to the skill, so the report's grounding and relevance checks keep them.

The competencies (communication, problem solving, depth) are scored over all answers. It never looks
at anything but the words (there is no audio here anyway). Same input, same output: no randomness, no
clock. Output is in English whatever the interview language; it says it is local.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from interview_core.domain.relevance import Exchange, Line, SkillTopic, content_terms, exchanges, speaks_to
from interview_core.domain.rubric import WeightedScore, default_anchors, verdict

from .gemini_api import MODEL_VERSION, parse_generate_request
from .lexicon import BY_NAME, SKILLS

SKILLS_BLOCK = ("<<<SKILLS", "SKILLS>>>")
PLAN_BLOCK = ("<<<PLAN", "PLAN>>>")
TRANSCRIPT_BLOCK = ("<<<TRANSCRIPT", "TRANSCRIPT>>>")
COMPETENCIES = ("Communication", "Problem solving", "Depth of experience")

MIN_ANSWER_WORDS = 3
MIN_SCORABLE_WORDS = 8
"""Fewer on-topic words than this ("yes, SQL too") is not an answer to score above 1."""
BARE_ACTION_WORDS = 12
"""A lone first-hand sentence shorter than this, with no figure, name or reason ("I forwarded him to
accounting"), is a bare action: 2, not the mid anchor's example."""
SEVERAL_SPECIFICS = 3
"""Figures and named tools a 4 needs ("several specifics", SCORE_LEVELS[4])."""
HIGH_SPECIFICS = 5
"""... and a 5, with two first-hand actions, reasoning and a measured result (the high anchor)."""
MAX_EVIDENCE = 2
MAX_QUOTE_CHARS = 280
MAX_ITEMS = 8

_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*", re.UNICODE)
_TURN = re.compile(r"^\[(\d+)\]\s+(INTERVIEWER|CANDIDATE):\s?(.*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _any(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


# -- markers, per language --------------------------------------------------------------------------
@dataclass(frozen=True)
class Markers:
    """What the anchors separate, as patterns in one language (module docstring, step 5)."""

    own_action: re.Pattern[str]
    team_action: re.Pattern[str]
    reasoning: re.Pattern[str]
    outcome: re.Pattern[str]
    general: re.Pattern[str]
    no_experience: re.Pattern[str]
    number_words: re.Pattern[str]
    injection: re.Pattern[str]
    self_praise: re.Pattern[str]
    structure: re.Pattern[str]
    capitalised_names: bool
    """Capitalised words mid-sentence are names (English); not in German, where every noun is."""


_EN_IRREGULAR = (
    "built|led|wrote|rewrote|ran|made|took|chose|set|found|cut|brought|drove|sold|won|taught|spoke|gave|"
    "did|got|kept|put|began|went|told|held|met|sent|spent|shipped|split|sat|caught|dug|fought|hit|let|"
    "paid|rode|sought|shut|stood|threw|understood|wore|broke|bought|drew|flew|grew|hid|knew|laid|lent|"
    "meant|overhauled|oversaw|rebuilt|rolled|saw|shook|sped|struck|swapped|tore|undertook|withdrew"
)
_EN_NOT_ACTIONS = (
    "wanted|liked|loved|hoped|believed|guessed|wished|assumed|imagined|supposed|used|needed|preferred|"
    "enjoyed|seemed|appeared|felt|hated|expected|mentioned|thought|knew|saw|guessed|realised|realized"
)
EN = Markers(
    own_action=_any(
        rf"\bI(?:'ve| have| had)?\s+(?:(?:then|also|first|finally|personally|quickly|just|immediately|"
        rf"eventually|later|actually)\s+)?(?!(?:{_EN_NOT_ACTIONS})\b)(?:[a-z]{{2,}}ed|{_EN_IRREGULAR})\b",
        r"\bmy (?:first|own|main) (?:step|change|fix|decision|proposal)\b",
    ),
    team_action=_any(
        rf"\bwe(?:'ve| have| had)?\s+(?:(?:then|also|first|finally|quickly|eventually|later)\s+)?"
        rf"(?!(?:{_EN_NOT_ACTIONS})\b)(?:[a-z]{{2,}}ed|{_EN_IRREGULAR})\b"
    ),
    reasoning=_any(
        r"\bbecause\b",
        r"\bso that\b",
        r"\binstead of\b",
        r"\brather than\b",
        r"\btrade-?offs?\b",
        r"\bthe reason\b",
        r"\b(?:which|that) meant\b",
        r"\bthe (?:downside|risk|cost) (?:was|is)\b",
        r"\b(?:I|we) (?:chose|decided|picked|opted)\b",
        r"\bin hindsight\b",
        r"\blooking back\b",
        r"\blessons?\b",
        r"\botherwise\b",
        r"\bon the other hand\b",
    ),
    outcome=_any(
        r"\b(?:reduced|improved|increased|decreased|raised|lowered|halved|doubled|tripled|saved|grew|"
        r"dropped|shrank|closed|won|recovered|resolved|prevented|avoided|caught)\b",
        r"\bwent (?:down|up) from\b",
        r"\b(?:half|twice) as (?:many|much|fast|long)\b",
        r"\bfrom [\w$€£.,%]+ (?:\w+ )?to [\w$€£.,%]+",
        r"\b(?:down|up) (?:from|to) [\w$€£.,%]+",
        r"\bresult(?:ed)? (?:in|was)\b",
    ),
    general=_any(
        r"\bwe (?:usually|normally|always|generally|typically|try|tend|like)\b",
        r"\b(?:typically|in general|generally speaking|as a rule)\b",
        r"\bit(?:'s| is) (?:really |very |super )?(?:important|key|crucial|essential|vital|all about)\b",
        r"\bbest practices?\b",
        r"\b(?:you|one) (?:should|need to|have to|must)\b",
        r"\bI(?:'d| would| think| believe| guess| feel| try to| always| usually| like to)\b",
        r"\b(?:things|stuff) like\b",
        r"\band so on\b",
        r"\bat the end of the day\b",
        r"\bit depends\b",
    ),
    no_experience=_any(
        r"\b(?:I|we) (?:have |had |'ve )?never\b",
        r"\bhaven'?t (?:really )?(?:used|done|worked|had|led|managed|built|written|been)\b",
        r"\b(?:have|had) not (?:really )?(?:used|done|worked|had|led|managed|built|written|been)\b",
        r"\bno (?:real |practical |hands-on )?experience\b",
        r"\bdon'?t (?:really )?(?:know|remember)\b",
        r"\bnot (?:really )?sure\b",
        r"\bno idea\b",
        r"\bcan'?t (?:really )?remember\b",
        r"\bnot really\b",
        r"\b(?:haven'?t|have not|hasn'?t|not) (?:\w+ )?yet\b",
        r"\b(?:only|just) (?:in|from) (?:a |an |some )?(?:course|courses|tutorials?|university|school)\b",
        r"\bhandled by (?:another|a different|the other) team\b",
    ),
    number_words=_any(
        r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
        r"fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billion|half|double|dozen|"
        r"percent)\b",
    ),
    injection=_any(
        r"\b(?:ignore|disregard|forget)\b[^.!?]{0,40}\b(?:instructions?|rules|prompt|rubric|guidelines)\b",
        r"\bsystem prompt\b",
        r"\byou are now\b",
        r"\bas an ai\b",
        r"\b(?:give|rate|score|mark|grade)\s+(?:me|this candidate|the candidate)\b[^.!?]{0,30}"
        r"\b(?:5|five|10|ten|perfect|top|full|high|highest|maximum|max|best|excellent)\b",
        r"\b(?:rate|score|mark|grade) me\b",
        r"\bstrong[_ ]hire\b",
        r"\b(?:note|message|instruction) (?:to|for) the (?:ai|evaluator|model|grader|system)\b",
        r"\b(?:evaluator|grader|ai|model),? (?:please )?(?:give|rate|score|mark)\b",
    ),
    self_praise=_any(
        r"\bI(?:'m| am) (?:(?:really|truly|honestly|simply|just|basically|probably|definitely) )?"
        r"(?:an? |the )?(?:(?:absolute|real|true|total|world[- ]class|top|leading) )?"
        r"(?:expert|best|strongest|smartest|rock ?star|ninja|guru|genius|wizard|natural|perfect|"
        r"ideal|number one)\b",
        r"\bI(?:'m| am) (?:(?:really|extremely|very|incredibly|super|exceptionally) )?"
        r"(?:good|great|excellent|amazing|brilliant|outstanding|fantastic) at\b",
        r"\bI know (?:everything|all there is)\b",
        r"\bI (?:can|could) (?:do|handle|solve) (?:anything|everything)\b",
        r"\b(?:trust|believe) me\b",
        r"\b(?:no ?one|nobody) (?:is|does it|could do it) better\b",
        r"\byou (?:won'?t|will not) find (?:anyone|anybody|someone) better\b",
        r"\bI never make mistakes\b",
        r"\b10x\b",
        r"\b(?:you should|just) hire me\b",
        r"\bbest candidate\b",
    ),
    structure=_any(
        r"\b(?:first(?:ly)?|second(?:ly)?|then|finally|in short|to summari[sz]e|after that|next)\b"
    ),
    capitalised_names=True,
)

_DE_AUXILIARIES = "hatte|wollte|sollte|konnte|musste|durfte|mochte|möchte|würde|dachte|wusste|meinte"
"""Preterites that are no action of their own ("ich hatte einen Kunden", "ich wollte")."""

DE = Markers(
    own_action=_any(
        r"\b(?:ich\s+(?:habe|hatte|bin|war)|(?:habe|hatte|bin|war)\s+ich)\b[^.!?]{0,80}?"
        r"\b(?:ge\w{3,}(?:t|en)|\w{3,}iert|\w+ge\w{3,}(?:t|en)|(?:ver|be|er|ent|über|zer)\w{3,}(?:t|en))\b",
        rf"\bich\s+(?!(?:{_DE_AUXILIARIES})\b)\w{{3,}}te\b",
        rf"\b(?!(?:{_DE_AUXILIARIES})\b)\w{{3,}}te\s+ich\b",
        r"\bich\s+(?:schrieb|rief|fand|nahm|gab|bat|sprach|traf|entschied|ging|kam|sah|zog|hielt|lief|"
        r"schlug|brachte|dachte|wusste)\b",
        r"\b(?:schrieb|rief|fand|nahm|gab|bat|sprach|traf|entschied|zog|hielt|schlug|brachte)\s+ich\b",
    ),
    team_action=_any(
        r"\b(?:wir\s+(?:haben|hatten|sind|waren)|(?:haben|hatten|sind|waren)\s+wir)\b[^.!?]{0,80}?"
        r"\b(?:ge\w{3,}(?:t|en)|\w{3,}iert|\w+ge\w{3,}(?:t|en)|(?:ver|be|er|ent|über|zer)\w{3,}(?:t|en))\b",
    ),
    reasoning=_any(
        r"\bweil\b",
        r"\bdamit\b",
        r"\b(?:an)?statt\b",
        r"\bstattdessen\b",
        r"\babw(?:ägung|ägen|ogen)\w*",
        r"\b(?:der )?nachteil\w*",
        r"\b(?:das )?risiko\b",
        r"\bentschieden\b",
        r"\bdeshalb\b",
        r"\bdeswegen\b",
        r"\bdaher\b",
        r"\bsonst\b",
        r"\bim nachhinein\b",
        r"\bgelernt\b",
        r"\blehre\b",
    ),
    outcome=_any(
        r"\b(?:reduziert|gesenkt|verbessert|erhöht|gesteigert|halbiert|verdoppelt|gesunken|gestiegen|"
        r"verkürzt|gespart|eingespart|gelöst|verhindert|vermieden|zurückgegangen)\b",
        r"\bvon [\w$€£.,%]+ (?:\w+ )?auf [\w$€£.,%]+",
        r"\bergebnis (?:war|ist)\b",
        r"\b(?:halb|doppelt) so (?:viele?|schnell|lange?)\b",
        r"\bdadurch\b",
    ),
    general=_any(
        r"\b(?:normalerweise|grundsätzlich|im allgemeinen|generell|in der regel|typischerweise)\b",
        r"\b(?:es ist|das ist) (?:sehr |total |extrem )?(?:wichtig|entscheidend|zentral|das a und o)\b",
        r"\bman (?:sollte|muss|kann)\b",
        r"\bich (?:würde|denke|glaube|finde|versuche)\b",
        r"\bwir versuchen\b",
        r"\bimmer\b",
        r"\bund so weiter\b",
        r"\bkommt darauf an\b",
    ),
    no_experience=_any(
        r"\bnoch (?:nie|nicht|kein\w*)\b",
        r"\bkeine (?:echte |praktische )?erfahrung\b",
        r"\bweiß (?:ich )?(?:nicht|es nicht)\b",
        r"\bnicht (?:so )?sicher\b",
        r"\bkann mich nicht (?:mehr )?erinnern\b",
        r"\bhabe ich (?:noch )?nicht\b",
        r"\beher nicht\b",
        r"\bnur (?:aus|in) (?:einem |der )?(?:kurs|schulung|studium|ausbildung)\b",
    ),
    number_words=_any(
        r"\b(?:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|fünfzehn|zwanzig|dreißig|"
        r"vierzig|fünfzig|hundert|tausend|million(?:en)?|hälfte|doppelt|prozent)\b",
    ),
    injection=_any(
        r"\bignorier\w*\b[^.!?]{0,40}\b(?:anweisung\w*|regeln|vorgaben|prompt)\b",
        r"\b(?:gib|geben sie|gebt) mir\b[^.!?]{0,30}\b(?:bestnote|höchstnote|volle punktzahl|5|fünf|"
        r"beste bewertung)\b",
        r"\bbewerte\w* (?:sie )?mich\b",
        r"\b(?:hinweis|nachricht|anweisung) an (?:die ki|das modell|den bewerter)\b",
    ),
    self_praise=_any(
        r"\bich bin (?:(?:wirklich|einfach|definitiv|absolut) )?(?:der |die |ein |eine )?"
        r"(?:beste|besten|experte|expertin|profi|genie|naturtalent|perfekt\w*|ideal\w*)\b",
        r"\b(?:glauben|vertrauen) sie mir\b",
        r"\bich kann (?:einfach )?alles\b",
        r"\bniemand (?:ist|macht das|kann das) besser\b",
        r"\bich mache (?:nie|keine) fehler\b",
        r"\bstellen sie mich (?:einfach )?ein\b",
    ),
    structure=_any(
        r"\b(?:erstens|zweitens|zuerst|dann|danach|schließlich|zum schluss|kurz gesagt|als erstes)\b"
    ),
    capitalised_names=False,
)

ES = Markers(
    own_action=_any(
        r"\b(?!(?:café|aquí|allí|ahí|así|comité|menú|bebé)\b)[a-záéíóúñ]{3,}(?:é|í)\b",
        r"\b(?:hice|tuve|puse|dije|conduje|reduje|traje|estuve|pude|logré)\b",
        r"\bhe\s+[a-záéíóúñ]{3,}(?:ado|ido)\b",
    ),
    team_action=_any(r"\bhemos\s+[a-záéíóúñ]{3,}(?:ado|ido)\b"),
    reasoning=_any(
        r"\bporque\b",
        r"\bpara que\b",
        r"\ben (?:lugar|vez) de\b",
        r"\bdecid(?:í|imos)\b",
        r"\beleg(?:í|imos)\b",
        r"\b(?:la )?desventaja\b",
        r"\b(?:el )?riesgo\b",
        r"\bpor eso\b",
        r"\bapren(?:dí|dimos)\b",
        r"\blecci(?:ón|ones)\b",
    ),
    outcome=_any(
        r"\b(?:reduje|redujimos|mejoró|mejoramos|aument(?:ó|amos)|baj(?:ó|amos)|subi(?:ó|mos)|"
        r"ahorr(?:é|amos)|resolv(?:í|imos)|cerr(?:é|amos))\b",
        r"\bde [\w$€£.,%]+ (?:\w+ )?a [\w$€£.,%]+",
        r"\bpasó de\b",
        r"\b(?:el )?resultado fue\b",
    ),
    general=_any(
        r"\b(?:normalmente|en general|generalmente|por lo general|siempre)\b",
        r"\bes (?:muy )?(?:importante|clave|fundamental|esencial)\b",
        r"\b(?:hay que|uno debe|se debe)\b",
        r"\b(?:creo|pienso) que\b",
        r"\b(?:intentamos|solemos)\b",
        r"\bdepende\b",
    ),
    no_experience=_any(
        r"\bnunca (?:he|hemos|había)\b",
        r"\bno tengo (?:mucha )?experiencia\b",
        r"\bno (?:lo )?sé\b",
        r"\bno estoy segur[oa]\b",
        r"\bno (?:me )?acuerdo\b",
        r"\bno recuerdo\b",
    ),
    number_words=_any(
        r"\b(?:dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|veinte|treinta|cuarenta|cincuenta|cien|"
        r"mil|millón|millones|mitad|doble|por ciento)\b",
    ),
    injection=_any(
        r"\bignor[ae]\w*\b[^.!?]{0,40}\binstrucciones\b",
        r"\b(?:dame|deme|denme)\b[^.!?]{0,30}\b(?:máxima|mejor|5|cinco|diez|10)\b",
        r"\bcalifíca(?:me|nme)\b",
        r"\bpuntúa(?:me|nme)\b",
    ),
    self_praise=_any(
        r"\bsoy (?:(?:realmente|simplemente) )?(?:el |la |un |una )?(?:mejor|experto|experta|genio|"
        r"perfect[oa]|ideal)\b",
        r"\b(?:créame|créanme|confíe en mí)\b",
        r"\bnadie (?:es|lo hace) mejor\b",
        r"\bpuedo hacer (?:cualquier cosa|todo)\b",
    ),
    structure=_any(r"\b(?:primero|segundo|luego|después|finalmente|en resumen)\b"),
    capitalised_names=False,
)

MARKERS: dict[str, tuple[Markers, ...]] = {"en": (EN,), "de": (DE, EN), "es": (ES, EN)}
"""Marker sets per interview language; any other language uses English (module docstring)."""

_DIGITS = re.compile(r"(?<![\w.])\d[\d,.]*\s*(?:%|x\b|k\b|ms\b|s\b|m\b|h\b|€|\$|£)?|[$€£]\s?\d[\d,.]*")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,5}s?\b")
_CAMEL = re.compile(r"\b[A-Za-z]+[a-z][A-Z][A-Za-z]+\b")
_CAPITALISED = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{2,}\b")
_NOT_NAMES_TEXT = """
I Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December English German Spanish French
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_ACRONYM_NOISE = frozenset({"I", "OK", "AM", "PM", "TV", "ID", "US", "UK", "EU"})


def markers_for(language: str) -> tuple[Markers, ...]:
    primary = language.strip().lower().replace("_", "-").split("-")[0]
    return MARKERS.get(primary, (EN,))


# -- the prompt -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanSkill:
    name: str
    weight: float
    description: str
    anchors: tuple[str, str, str] = ("", "", "")


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


def _anchor_texts(name: str, description: str, raw: object) -> tuple[str, str, str]:
    """The skill's anchors from the prompt; missing ones as the product fills them in."""
    given = raw if isinstance(raw, dict) else {}
    fallback = default_anchors(name, description)
    return (
        str(given.get("low") or fallback.low),
        str(given.get("mid") or fallback.mid),
        str(given.get("high") or fallback.high),
    )


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
            description = str(item.get("description") or "")
            prompt.skills.append(
                PlanSkill(
                    name,
                    float(weight) if isinstance(weight, int | float) else 0.0,
                    description,
                    _anchor_texts(name, description, item.get("anchors")),
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


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


# -- reading sentences ------------------------------------------------------------------------------
def _count(patterns: tuple[Markers, ...], attribute: str, text: str) -> int:
    return sum(len(getattr(m, attribute).findall(text)) for m in patterns)


def _specifics(text: str, patterns: tuple[Markers, ...]) -> set[str]:
    """Figures and named tools or techniques in `text`, as a set (distinct ones count)."""
    found = {m.group().strip().casefold() for m in _DIGITS.finditer(text)}
    for markers in patterns:
        found |= {m.group().casefold() for m in markers.number_words.finditer(text)}
    found |= {m.group() for m in _ACRONYM.finditer(text) if m.group() not in _ACRONYM_NOISE}
    found |= {m.group() for m in _CAMEL.finditer(text)}
    if patterns[0].capitalised_names:  # the interview language's own convention
        found |= {m.group() for m in _CAPITALISED.finditer(text) if m.group() not in _NOT_NAMES}
    found |= {skill.name for skill in SKILLS if skill.pattern.search(text)}
    return found


@dataclass(frozen=True)
class Sentence:
    """One candidate sentence and what the anchors look for in it (module docstring, step 5)."""

    text: str
    seq: int
    index: int
    own: bool
    team: bool
    reasoning: int
    outcome: int
    general: int
    no_experience: bool
    specifics: frozenset[str]
    injection: bool
    self_praise: bool
    structure: int
    words: int

    @property
    def concrete(self) -> bool:
        """A first-hand action, or a team action with specifics: "what they did"."""
        return not self.no_experience and (self.own or (self.team and bool(self.specifics)))

    @property
    def manipulation(self) -> bool:
        """No credit: a request for a score, or a claim of expertise without a first-hand action in it
        (naming tools in a boast is still a boast)."""
        return self.injection or (self.self_praise and not self.own)

    @property
    def weight(self) -> float:
        """How much this sentence shows, to pick the evidence that earned a level."""
        return (
            2.0 * self.own
            + 1.0 * self.team
            + min(len(self.specifics), 4) * 0.75
            + min(self.reasoning, 2)
            + min(self.outcome, 2)
            - 0.5 * self.general
            + min(self.words, 30) / 30
        )


def read(text: str, seq: int, index: int, patterns: tuple[Markers, ...]) -> Sentence:
    return Sentence(
        text=text,
        seq=seq,
        index=index,
        own=_count(patterns, "own_action", text) > 0,
        team=_count(patterns, "team_action", text) > 0,
        reasoning=_count(patterns, "reasoning", text),
        outcome=_count(patterns, "outcome", text),
        general=_count(patterns, "general", text),
        no_experience=_count(patterns, "no_experience", text) > 0,
        specifics=frozenset(_specifics(text, patterns)),
        injection=_count(patterns, "injection", text) > 0,
        self_praise=_count(patterns, "self_praise", text) > 0,
        structure=_count(patterns, "structure", text),
        words=len(_words(text)),
    )


# -- attribution ------------------------------------------------------------------------------------
class _SkillMatcher:
    """Recognises a skill named in text: the lexicon's aliases when it is a lexicon skill, else every
    content term of its name ("users" alone does not name "User research")."""

    def __init__(self, skill: PlanSkill) -> None:
        lexicon = BY_NAME.get(skill.name)
        self.pattern = lexicon.pattern if lexicon else None
        self.name_terms = content_terms(skill.name, only_function_words=True)

    def named_in(self, text: str) -> bool:
        if self.pattern is not None:
            return self.pattern.search(text) is not None
        return bool(self.name_terms) and self.name_terms <= content_terms(text, only_function_words=True)


@dataclass
class _Answers:
    """The candidate's answers attributed to one skill, with the answer text each belongs to."""

    asked: bool = False
    turns: list[tuple[Line, str]] = field(default_factory=list)  # (turn, its exchange's answer text)
    off_topic: int = 0
    """Answers to this skill's questions that do not speak to it."""


def _attribute(
    prompt: EvaluationPrompt, topics: dict[str, SkillTopic]
) -> tuple[dict[str, _Answers], int, int]:
    """Each skill's answers (module docstring, steps 2-3), how many answered questions got answers
    that speak to no skill, and how many questions were answered."""
    matchers = {s.name: _SkillMatcher(s) for s in prompt.skills}
    lines = [Line(t.seq, t.speaker == "CANDIDATE", t.text) for t in prompt.turns]
    cut: list[Exchange] = exchanges(lines, prompt.plan, list(topics.values()))
    result = {s.name: _Answers() for s in prompt.skills}
    unanswered = 0
    questions = 0
    for exchange in cut:
        answers = [a for a in exchange.answers if len(_words(a.text)) >= MIN_ANSWER_WORDS]
        context = exchange.answer_text
        spoke_to_any = False
        if exchange.skill in result:
            result[exchange.skill].asked = True
            if answers and topics[exchange.skill].spoken_to_in(context):
                result[exchange.skill].turns += [(a, context) for a in answers]
                spoke_to_any = True
            elif answers:
                result[exchange.skill].off_topic += 1
        for name, matcher in matchers.items():
            if name == exchange.skill:
                continue
            for answer in answers:  # elsewhere, only the sentences that name the skill speak to it
                named = [s for s in _sentences(answer.text) if matcher.named_in(s)]
                if named and topics[name].spoken_to_in(context):
                    result[name].turns.append((Line(answer.seq, True, " ".join(named)), context))
                    spoke_to_any = True
        if exchange.skill is not None and answers:
            questions += 1
            unanswered += not spoke_to_any
    return result, unanswered, questions


# -- scoring ----------------------------------------------------------------------------------------
@dataclass
class _Level:
    score: int | None
    reasons: list[str]
    evidence: list[Sentence]


def _level(
    sentences: list[Sentence],
    praise: list[Sentence],
    topic: SkillTopic,
    techniques: frozenset[str] = frozenset(),
) -> _Level:
    """The anchor the skill's answers match (module docstring, step 6). `techniques` are the stems of
    what the high anchor names (its tools and situations): each one the answers use is a specific."""
    on_topic = [s for s in sentences if topic.spoken_to_in(s.text)]
    words = sum(s.words for s in sentences)
    concrete = [s for s in sentences if s.concrete]
    missing = [s for s in sentences if s.no_experience]
    if not sentences or (words < MIN_SCORABLE_WORDS and not concrete):
        if praise:
            return _Level(1, ["claimed expertise without an example (low anchor)"], praise[:1])
        return _Level(1, ["the answers did not address it (low anchor)"], [])
    thin = (
        len(concrete) == 1
        and concrete[0].words < BARE_ACTION_WORDS
        and not concrete[0].specifics
        and not concrete[0].reasoning
    )
    if not concrete or thin:
        plain = [s for s in on_topic if not s.no_experience]
        if missing and len(missing) >= len(plain):
            return _Level(
                1, ["the candidate says they have not done it (low anchor)"], missing[:MAX_EVIDENCE]
            )
        pool = plain or on_topic or sentences
        chosen = sorted(pool, key=lambda s: (-len(topic.terms.stems & content_terms(s.text)), s.seq, s.index))
        if thin:
            return _Level(2, ["one bare action of their own, with nothing about how or why"], concrete)
        return _Level(2, ["on topic, but general statements without an example of their own"], chosen[:1])
    specifics: set[str] = set()
    for sentence in sentences:
        specifics |= sentence.specifics
        specifics |= {f"anchor:{term}" for term in content_terms(sentence.text) & techniques}
    reasoning = sum(s.reasoning for s in sentences)
    outcomes = sum(s.outcome for s in sentences)
    measured = any(s.outcome and s.specifics for s in sentences)
    own = sum(1 for s in sentences if s.own and not s.no_experience)
    general = sum(s.general for s in sentences)
    reasons = [f"{len(concrete)} first-hand example sentence(s) (mid anchor)"]
    score = 3
    if len(specifics) >= SEVERAL_SPECIFICS and (reasoning or outcomes):
        score = 4
        reasons.append(f"{len(specifics)} specifics with reasoning or results")
    if own >= 2 and len(specifics) >= HIGH_SPECIFICS and reasoning and measured:
        score = 5
        reasons.append("trade-offs and a measured result (high anchor)")
    if score < 5:
        lacking = [
            part
            for part, there in (
                ("several first-hand actions", own >= 2),
                ("figures or named tools", len(specifics) >= SEVERAL_SPECIFICS),
                ("reasoning or trade-offs", bool(reasoning)),
                ("measured result", measured),
            )
            if not there
        ]
        reasons.append("short of the high anchor: no " + ", no ".join(lacking) if lacking else "")
    if general > 2 * own + 1:
        score = max(2, score - 1)
        reasons.append("mostly general talk around the example")
    if len(missing) > own:
        score = max(2, score - 1)
        reasons.append("admits missing experience more often than showing it")
    chosen = sorted(concrete, key=lambda s: (-s.weight, s.seq, s.index))[:MAX_EVIDENCE]
    return _Level(score, reasons, chosen)


def _said(text: str) -> str:
    """A sentence's words, to recognise the same sentence said again."""
    return " ".join(_words(text))


def _quote(sentence: Sentence) -> str:
    """At most MAX_QUOTE_CHARS, cut at a word boundary, so the quote stays a span of the turn."""
    text = sentence.text
    if len(text) <= MAX_QUOTE_CHARS:
        return text
    cut = text[:MAX_QUOTE_CHARS]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _assess_skill(
    skill: PlanSkill, answers: _Answers, topic: SkillTopic, patterns: tuple[Markers, ...]
) -> tuple[dict[str, Any], list[Sentence]]:
    """One skill's assessment, and the manipulative sentences found in its answers."""
    if not answers.turns:
        if answers.asked and answers.off_topic:
            rationale = f"The answers to the questions about {skill.name} did not address it (low anchor)."
            item = {"name": skill.name, "probed": True, "score": 1, "rationale": rationale, "evidence": []}
        else:
            rationale = (
                "The interviewer asked about this skill, but the candidate gave no answer to assess."
                if answers.asked
                else "The interview did not cover this skill."
            )
            item = {"name": skill.name, "probed": answers.asked, "score": None, "rationale": rationale}
            item["evidence"] = []
        return item, []
    sentences: list[Sentence] = []
    praise: list[Sentence] = []
    manipulative: list[Sentence] = []
    contexts: dict[int, str] = {}
    techniques = content_terms(skill.anchors[2]) - topic.name_terms
    said: set[str] = set()
    for turn, context in answers.turns:
        contexts[turn.seq] = context
        for index, text in enumerate(_sentences(turn.text)):
            if _said(text) in said:
                continue  # the same sentence again is no new evidence
            said.add(_said(text))
            sentence = read(text, turn.seq, index, patterns)
            if sentence.manipulation:
                manipulative.append(sentence)
                if sentence.self_praise and not sentence.injection:
                    praise.append(sentence)
                continue
            sentences.append(sentence)
    if len(manipulative) >= len(sentences):
        # Mostly lobbying is not a good-faith answer: what little else was said earns nothing either.
        level = _level([], praise, topic, techniques)
        level.reasons.append("the answers were mostly requests for a score or claims without examples")
    else:
        level = _level(sentences, praise, topic, techniques)
    evidence = [
        _quote(s)
        for s in sorted(level.evidence, key=lambda s: (s.seq, s.index))
        if len(_words(s.text)) >= 4 and speaks_to(topic, s.text, contexts.get(s.seq, ""))
    ]
    rationale = f"Score {level.score} against the anchors: " + "; ".join(r for r in level.reasons if r) + "."
    if manipulative:
        rationale += (
            f" {len(manipulative)} sentence(s) asking for a score or praising themselves got no credit."
        )
    item = {
        "name": skill.name,
        "probed": True,
        "score": level.score,
        "rationale": rationale,
        "evidence": evidence,
    }
    return item, manipulative


def _competencies(
    candidate: list[Sentence], skills: list[dict[str, Any]], on_topic_share: float
) -> list[dict[str, Any]]:
    """Communication, problem solving and depth, over all answers (manipulation taken out)."""
    if sum(s.words for s in candidate) < 25:
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
    turns = {s.seq for s in candidate}
    average = sum(s.words for s in candidate) / max(1, len(turns))
    scored = [a["score"] for a in skills if a["score"] is not None]
    depth = sum(scored) / len(scored) if scored else 1.0
    reasoning = sum(s.reasoning for s in candidate)
    outcomes = sum(s.outcome for s in candidate)
    structure = sum(s.structure for s in candidate)
    scores = {
        "Communication": 1
        + 2.5 * on_topic_share
        + (0.5 if 15 <= average <= 220 else 0)
        + (0.5 if structure >= 2 else 0),
        "Problem solving": 1 + min(reasoning, 4) * 0.75 * on_topic_share + (0.5 if outcomes else 0),
        "Depth of experience": depth,
    }
    focus = {
        "Communication": lambda s: s.structure > 0 or s.words >= 12,
        "Problem solving": lambda s: s.reasoning > 0,
        "Depth of experience": lambda s: s.concrete,
    }
    result = []
    for name in COMPETENCIES:
        score = max(1, min(5, round(scores[name])))
        pool = [s for s in candidate if focus[name](s) and s.words >= 4]
        quotes = [_quote(s) for s in sorted(pool, key=lambda s: (-s.weight, s.seq, s.index))[:MAX_EVIDENCE]]
        result.append(
            {
                "name": name,
                "probed": True,
                "score": score,
                "rationale": f"Score {score} from the local rubric over all {len(turns)} answers.",
                "evidence": quotes,
            }
        )
    return result


def _repeated_answers(prompt: EvaluationPrompt) -> int:
    """How many interviewer questions got the very same answer as another (0 when none did)."""
    answers: dict[str, set[int]] = {}
    question = -1
    for turn in prompt.turns:
        if turn.speaker == "INTERVIEWER":
            question = turn.seq
        elif len(_words(turn.text)) >= MIN_SCORABLE_WORDS:
            answers.setdefault(_said(turn.text), set()).add(question)
    return max((len(q) for q in answers.values() if len(q) > 1), default=0)


def evaluate_prompt(prompt: EvaluationPrompt) -> dict[str, Any]:
    """The EvaluationOutput JSON for one parsed prompt."""
    patterns = markers_for(prompt.language)
    topics = {
        s.name: SkillTopic.of_skill(
            s.name, s.description, s.anchors, [q for k, q in prompt.plan if k == s.name]
        )
        for s in prompt.skills
    }
    attributed, unanswered, questions = _attribute(prompt, topics)
    skills: list[dict[str, Any]] = []
    manipulative: dict[str, Sentence] = {}
    for skill in prompt.skills:
        item, found = _assess_skill(skill, attributed[skill.name], topics[skill.name], patterns)
        skills.append(item)
        manipulative.update({f"{s.seq}/{s.index}": s for s in found})

    candidate_turns = [
        t for t in prompt.turns if t.speaker == "CANDIDATE" and len(_words(t.text)) >= MIN_ANSWER_WORDS
    ]
    everything = [
        read(text, t.seq, index, patterns)
        for t in candidate_turns
        for index, text in enumerate(_sentences(t.text))
    ]
    for sentence in everything:
        if sentence.manipulation:
            manipulative.setdefault(f"{sentence.seq}/{sentence.index}", sentence)
    honest = [s for s in everything if not s.manipulation]
    on_topic_share = 1.0 - unanswered / questions if questions else 0.0

    weights = {s.name: s.weight for s in prompt.skills}
    result = verdict(
        [WeightedScore(weights[a["name"]], a["score"]) for a in skills if a["score"] and a["evidence"]],
        sum(weights.values()) or 1.0,
    )
    overall = result.overall_score or 0
    recommendation = result.recommendation.value if result.recommendation else "no_hire"

    red_flags = []
    injections = [s for s in manipulative.values() if s.injection]
    praise = [s for s in manipulative.values() if not s.injection]
    if injections:
        red_flags.append(
            f"The candidate asked the evaluator for a favourable score or gave it instructions "
            f"({len(injections)} time(s)) instead of answering; it was ignored."
        )
    if praise:
        red_flags.append(
            f"The candidate claimed expertise without any example ({len(praise)} time(s)); the claims "
            "were given no credit."
        )
    repeated = _repeated_answers(prompt)
    if repeated:
        red_flags.append(f"The candidate gave the same answer to {repeated} different questions.")
    if questions and unanswered * 2 >= questions:
        red_flags.append(f"{unanswered} of {questions} questions got answers about something else.")

    scored = sorted((a for a in skills if a["score"] is not None), key=lambda a: (-a["score"], a["name"]))
    evidenced = [a for a in scored if a["evidence"]]
    strong = [a for a in evidenced if a["score"] >= 4]
    weak = [a for a in scored if a["score"] <= 2]
    missing = [a["name"] for a in skills if a["score"] is None]
    words = sum(s.words for s in everything)
    summary = [
        f"Local deterministic evaluation ({MODEL_VERSION}), not a language model.",
        f"The candidate answered in {len(candidate_turns)} turn(s) with {words} words; "
        f"{len(evidenced)} of {len(skills)} planned skills have evidence that speaks to them.",
    ]
    if evidenced and evidenced[0]["score"] != evidenced[-1]["score"]:
        best, worst = evidenced[0], evidenced[-1]
        summary.append(
            f"Strongest: {best['name']} ({best['score']}/5); weakest: {worst['name']} ({worst['score']}/5)."
        )
    elif evidenced:
        summary.append(f"Every evidenced skill got {evidenced[0]['score']}/5.")
    if missing:
        summary.append(f"Not assessed: {', '.join(missing)}.")
    if red_flags:
        summary.append("See the red flags.")
    return {
        "skills": skills,
        "competencies": _competencies(honest, skills, on_topic_share),
        "strengths": [f"Concrete, first-hand answers on {a['name']}." for a in strong][:MAX_ITEMS],
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
