"""Which evidence speaks to which skill: the report's relevance rule. Pure.

Grounding (grounding.py) proves a quote is the candidate's own words; it does not prove the words are
about the skill they are cited for. A candidate who answers every question with the same sentence
about a Python service has said that sentence verbatim, and a model may cite it for SQL and for API
design. This module decides, by a rule the report applies to every model's output alike:

**A grounded quote counts for skill S when the quote, or the answer it belongs to, shares at least
one content term with S's topic.**

- S's topic: the content terms of S's name, description and anchors (rubric.anchors_for). Anchors
  written at extraction name the skill's tools, techniques and situations in the interview language.
  A skill planned before anchors existed has only default ones, built from its name and description;
  its planned questions then count too, as the only words in the interview language that say what
  the skill is about. Questions do not count otherwise: answers echo their wording ("the most
  surprising thing was my holiday") without being about the skill. Follow-ups never count: they are
  the same for every skill ("can you give an example?").
- The answer a quote belongs to: the candidate's turns of one exchange. An exchange starts at an
  interviewer turn that asks a planned question (it contains at least QUESTION_MATCH of the
  question's words, function words aside, and more of them than of any other planned question) or
  names exactly one skill, and runs to the next such turn, so the
  answers to follow-ups stay with their question. Without a plan, or when no interviewer turn
  matches one, every interviewer turn starts an exchange. The answer counts, not only the quoted
  sentence, because a cited sentence often refers back ("I rewrote it with window functions") to
  the topic the answer named once; an answer that never touches S cannot evidence S, whichever
  question it followed.
- Content terms: words of three or more letters, or acronyms of two or more capitals (UX, QA),
  minus function words and the words every interview, plan and rubric uses whatever the skill
  (problem, example, team, result, trade-off, describe...); in a skill's own name only function
  words are left out, so "Problem solving" is about problems. One stop list holds English, German,
  Spanish and French: a function word of one language is hardly ever a skill's topic in another,
  and answers mix languages ("wir haben das Deployment automatisiert"). Interviews in Italian,
  Portuguese or Dutch fall back to these lists; their function words then count as content, which
  makes the rule more lenient, never stricter.
- Terms are compared by stem: case folded, a trailing plural "s" dropped, "y" read as "i", and the
  first STEM_CHARS letters kept, so "queries" meets "query", "pipelines" "pipeline", and German
  compounds meet their first part ("Kundenzufriedenheit" meets "Kunden"); a four-letter word also
  meets the longer words it begins ("test" meets "tested", "data" "dataset"), and a long word
  starting "ge" also counts without it, so German participles meet their verb ("gecoacht" meets
  "Coaching", "geschult" "Schulung").

The rule is deliberately lenient: one shared term suffices, because dropping honest evidence costs a
candidate a score, while keeping a loosely related quote only lets the model's score stand. What it
refuses is evidence that has nothing to do with the skill: the Python sentence cited for SQL.
Anchors written at extraction name the skill's tools and situations, so real answers about a skill
almost always share a term with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .rubric import default_anchors

STEM_CHARS = 5
QUESTION_MATCH = 0.45
"""Share of a planned question's content terms an interviewer turn must contain to ask it."""

_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)

_FUNCTION_WORDS = """
a about above after again against all also am an and any are aren as at be because been before being
below between both but by can cannot could did didn do does doesn doing don done down during each few
for from further had hadn has hasn have haven having he her here hers herself him himself his how i if
in into is isn it its itself just let ll me more most much must mustn my myself no nor not now of off
on once only or other our ours ourselves out over own re same shan she should shouldn so some such
than that the their theirs them themselves then there these they this those through to too under
until up upon us ve very was wasn we were weren what when where which while who whom whose why will
with won would wouldn you your yours yourself yourselves yes yeah okay sure maybe still even ever
every many may might shall one two three four five six seven eight nine ten hundred thousand million
zero half per via etc behind within without among toward towards beside
aber alle allem allen aller alles als also am an andere anderen anders auch auf aus bei beim bin bis
bisher bist bzw da dabei dadurch dafür dagegen daher damals damit danach dann daran darauf daraus
darin darum darüber das dass daß davon dazu dein deine dem den denen denn der deren des dessen dich
die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines
einige einigen einmal er es etwa etwas euch euer für gab gar gegen gewesen gibt habe haben hatte
hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer in ins ist ja je
jede jedem jeden jeder jedes jetzt kann kannst kaum kein keine keinem keinen keiner konnte konnten
können könnte man manche mehr mein meine meinem meinen meiner meist mich mir mit muss musste mussten
müssen nach nachdem neben nein nicht nichts noch nun nur ob oder ohne schon sehr sein seine seinem
seinen seiner seit selbst sich sie sind so sogar solche soll sollte sondern sonst sowie statt um
und uns unser unsere unserem unseren unserer unter viel viele vom von vor war waren warum was weil
welche welchem welchen welcher wenn wer werde werden wie wieder will wir wird wo wurde wurden würde
würden zu zum zur zwar zwei drei vier fünf sechs sieben acht neun zehn hundert tausend zwischen eben
einfach genau also gerade ganz gut klar okay mal
al algo algunos alguna algunas ante antes así aun aunque bajo bien cada casi como cómo con contra
cual cuál cuando cuándo de del desde donde dónde durante el él ella ellas ellos en entre era eran
eres es esa esas ese eso esos esta está estaba estaban están estar este esto estos fue fueron fui
ha había habían han has hasta hay he hemos hice hizo la las le les lo los mas más me mi mis mucho
muchos muy nada ni no nos nosotros nuestra nuestro nuestros o otra otro otros para pero poco por
porque pues que qué quien quién se sea ser si sí sido siempre sin sobre son su sus también tan
tanto te tener tengo tenía tiene tienen todo todos tu tus un una uno unos unas usted ustedes vez
ya yo dos tres cuatro cinco seis siete ocho nueve diez cien mil
au aux avec avoir avons ce ces cet cette comme dans des donc du elle elles en est et été était
être eu fait faire il ils je la le les leur leurs lui ma mais me mes moi mon même ne ni nos notre
nous on ont ou où par pas pour qu que qui sa sans se ses si son sont sur ta te tes toi ton tous tout
toute toutes très tu un une vos votre vous
"""

_GENERIC_WORDS = """
tell telling told describe described describes describing walk walked talk talked talking say said
says think thought know knew known like liked really thing things lot lots way ways well good great
best better worse important time times day days week weeks month months year years today yesterday
work worked working works job jobs role roles team teams company companies project projects problem
problems example examples situation situations approach approached result results outcome outcomes
recent recently hard harder difficult challenge challenges challenging trade trades tradeoff
tradeoffs offs part parts people person someone something anything everything nothing get gets got
getting make makes made making use uses used using want wanted need needed needs try tried trying
help helped helps helping go goes went gone going take took taken give gave given gives see saw
seen look looked first last next new old big small high low mid middle personal personally concrete
specific specifics detail details real actual actually level answer answers question questions
candidate interview interviewer experience experienced skill skills expertise knowledge able ability
always usually often sometimes never general generally clear clearly reliable reliably efficient
efficiently effective effectively correct correctly figures figure numbers number tool tools decision
decisions decide decided reasoning reason reasons lesson lessons learned learn learning measured
measure alternatives alternative weighed weigh several little limited depth beyond show shows showed
gives speak speaks spoke explain explains explained explaining restates terms hand firsthand own
mostly quite pretty kind sort stuff yes thanks thank please sorry hello ok fine sure course whole
around across
solve solved solving handle handled handling deal dealt proud proudest typical typically essential
build building built write writing wrote written create created creating maintain maintained
maintaining maintainable keep kept keeping run ran running include including included end ended
began begin start started happen happened happens matter mattered matters set put call called
statement statements around such themselves nie tun eigenes eigener eigene eigenen allgemeine allgemeinen
aussagen wenig mehrere abgewogene abgewogen gemessenes gemessen lehre rund entscheidungen
surprising surprised wrong produce produced produces find finds found goal goals relied rely grows
achieve achieved busy shaped shape planned plan difference step steps excellent trusted trust honestly
honest lately instance overall basically maybe perhaps probably lots
überraschendes überraschend falsches falsch geliefert bemerkt ziel gebaut wächst geprägt unterschied
schritten schritte geplant lief passiert erkennen vollen gelungen herangehensweise verändert geändert
entscheidend schwergefallen ankam
instead rather already every else another change changed changes done doing enough less least
erzählen erzählen erzählte beschreiben beschreiben beschrieben situation situationen beispiel
beispiele konkret konkrete konkreten konkretes problem probleme projekt projekte arbeit arbeiten
gearbeitet team teams ergebnis ergebnisse zeit jahr jahre jahren woche wochen tag tage tagen monat
monate monaten letzte letzten letzter aktuellen aktuell schwierig schwierige schwierigen
schwieriges herausforderung herausforderungen vorgehen vorgegangen umgegangen umgehen getan gemacht
machen macht eingesetzt gelöst lösen persönlich persönlichen beitrag rückblick heute erfahrung
erfahrungen fähigkeit fähigkeiten kenntnisse wichtig wichtige wichtigen gute guten großer große
zahlen echtes echten beispielsweise ehrlich ehrlichen meistens normalerweise eigentlich grundsätzlich
natürlich wirklich sagen gesagt denke glaube finde weiß geben gegeben nehmen genommen gehen ging
gegangen kommen kam gekommen sehen gesehen stolz typische typischen teil anderen entscheidung
entschieden alternativen erwogen schwierigste gemeistert erkannt funktioniert danke bitte hallo
cuénteme cuente describa describir situación ejemplo ejemplos concreto concreta problema problemas
proyecto proyectos trabajo trabajar trabajé equipo equipos resultado resultados tiempo año años
semana semanas día días mes meses último última difícil reto retos experiencia importante bueno
buena gracias hacer hecho creo pienso
raconter racontez décrire décrivez exemple exemples concret problème problèmes projet projets travail
équipe équipes résultat résultats temps année années semaine jour jours dernier dernière difficile
expérience important merci
"""

FUNCTION_WORDS: frozenset[str] = frozenset(_FUNCTION_WORDS.split())
STOP_WORDS: frozenset[str] = FUNCTION_WORDS | frozenset(_GENERIC_WORDS.split())
"""Words that never make a content term, in any language (module docstring), except in a skill's
name: "Problem solving" is about problems, whatever other answers say about theirs."""


def _normal(word: str) -> str:
    folded = word.casefold()
    if len(folded) >= 4 and folded.endswith("s") and not folded.endswith("ss"):
        folded = folded[:-1]
    return folded.replace("y", "i")


def stem(word: str) -> str:
    """The comparable form of one content word (module docstring)."""
    return _normal(word)[:STEM_CHARS]


@dataclass(frozen=True)
class Terms:
    """The content terms of a text: stems, plus what lets a four-letter word meet its longer forms
    ("test" and "tested", "lead" and "leader", "data" and "dataset"), which share no five-letter stem."""

    stems: frozenset[str] = frozenset()
    short: frozenset[str] = frozenset()
    """Content words of exactly four letters."""
    prefixes: frozenset[str] = frozenset()
    """The first four letters of the longer content words."""

    def meets(self, other: Terms) -> bool:
        return (
            not self.stems.isdisjoint(other.stems)
            or not self.short.isdisjoint(other.prefixes)
            or not self.prefixes.isdisjoint(other.short)
        )

    def __or__(self, other: Terms) -> Terms:
        return Terms(self.stems | other.stems, self.short | other.short, self.prefixes | other.prefixes)

    def __bool__(self) -> bool:
        return bool(self.stems)

    def __len__(self) -> int:
        return len(self.stems)


@lru_cache(maxsize=16_384)
def terms_of(text: str, *, only_function_words: bool = False) -> Terms:
    """The content terms of `text` (module docstring); with `only_function_words`, the words every
    interview uses count too (for a skill's name, and to recognise a question's wording)."""
    stop = FUNCTION_WORDS if only_function_words else STOP_WORDS
    stems: set[str] = set()
    short: set[str] = set()
    prefixes: set[str] = set()
    for raw in _LETTERS.findall(text):
        folded = raw.casefold()
        if folded in stop or (folded.endswith("s") and folded[:-1] in stop):
            continue
        if len(raw) < 3 and not (len(raw) >= 2 and raw.isupper()):
            continue
        word = _normal(raw)
        stems.add(word[:STEM_CHARS])
        if word.startswith("ge") and len(word) >= 7:  # a German participle: "gecoacht" -> "coacht"
            stems.add(word[2 : 2 + STEM_CHARS])
        if len(word) == 4:
            short.add(word)
        elif len(word) > 4:
            prefixes.add(word[:4])
    return Terms(frozenset(stems), frozenset(short), frozenset(prefixes))


def content_terms(text: str, *, only_function_words: bool = False) -> frozenset[str]:
    """The stems of the content words of `text`."""
    return terms_of(text, only_function_words=only_function_words).stems


@dataclass(frozen=True)
class SkillTopic:
    """What a skill is about, as content terms (module docstring)."""

    name: str
    terms: Terms
    """The terms of the name (function words aside), description, anchors (and questions)."""
    name_words: Terms
    """The name's own terms, function words aside: met by the same words in any text."""

    @property
    def name_terms(self) -> frozenset[str]:
        """The stems of the name alone: an interviewer turn that names one skill asks about it."""
        return self.name_words.stems

    @classmethod
    def of(
        cls, name: str, description: str = "", anchors: Iterable[str] = (), questions: Iterable[str] = ()
    ) -> SkillTopic:
        terms = terms_of(description)
        for text in (*anchors, *questions):
            terms = terms | terms_of(text)
        return cls(name, terms, terms_of(name, only_function_words=True))

    @classmethod
    def of_skill(
        cls, name: str, description: str, anchors: Sequence[str], questions: Iterable[str] = ()
    ) -> SkillTopic:
        """A planned skill's topic by the rule of the module docstring: its anchors, or, when it has
        none of its own (missing, or the defaults of rubric.default_anchors), its planned questions."""
        defaults = default_anchors(name, description).texts()
        if len([a for a in anchors if a]) < len(defaults) or tuple(anchors) == defaults:
            return cls.of(name, description, defaults, questions)
        return cls.of(name, description, anchors)

    def spoken_to_in(self, text: str) -> bool:
        """Does `text` share a content term with this topic (a word of the name counts even when
        every interview uses it: "problem" speaks to "Problem solving")?"""
        return self.terms.meets(terms_of(text)) or self.name_words.meets(
            terms_of(text, only_function_words=True)
        )


@dataclass(frozen=True)
class Line:
    """One transcript turn, as both the report and the local evaluator hold it."""

    seq: int
    candidate: bool
    text: str


@dataclass
class Exchange:
    """One planned question (or interviewer turn) and the candidate's answers up to the next one."""

    skill: str | None
    """The skill whose planned question (or name) opened the exchange; None if none did."""
    question: str
    answers: list[Line] = field(default_factory=list)

    @property
    def answer_text(self) -> str:
        return " ".join(line.text for line in self.answers)


def asked_skill(
    text: str, planned: Sequence[tuple[str, frozenset[str]]], topics: Sequence[SkillTopic]
) -> str | None:
    """The skill an interviewer turn asks about: the planned question it contains the most of (at
    least QUESTION_MATCH of its words, function words aside), else the one skill it names, else None."""
    words = content_terms(text, only_function_words=True)
    best, best_share = None, 0.0
    for skill, question_terms in planned:
        if question_terms:
            share = len(words & question_terms) / len(question_terms)
            if share > best_share:
                best, best_share = skill, share
    if best is not None and best_share >= QUESTION_MATCH:
        return best
    named = [t.name for t in topics if t.name_terms and t.name_terms <= words]
    return named[0] if len(named) == 1 else None


def exchanges(
    lines: Sequence[Line], plan: Sequence[tuple[str, str]], topics: Sequence[SkillTopic] = ()
) -> list[Exchange]:
    """The transcript cut into exchanges (module docstring). `plan` is (skill, question) pairs."""
    planned = [(skill, content_terms(question, only_function_words=True)) for skill, question in plan]
    opened = {line.seq: asked_skill(line.text, planned, topics) for line in lines if not line.candidate}
    any_match = any(skill is not None for skill in opened.values())
    result: list[Exchange] = [Exchange(None, "")]
    for line in lines:
        if line.candidate:
            result[-1].answers.append(line)
            continue
        skill = opened[line.seq]
        if skill is not None or not any_match:
            result.append(Exchange(skill, line.text))
    return [exchange for exchange in result if exchange.answers or exchange.question]


def answer_context(exchange_list: Sequence[Exchange]) -> dict[int, str]:
    """For every candidate turn, the whole answer (its exchange's candidate turns) it belongs to."""
    return {line.seq: ex.answer_text for ex in exchange_list for line in ex.answers}


def speaks_to(topic: SkillTopic, quote: str, answer: str = "") -> bool:
    """The relevance rule: the quote, or the answer it belongs to, shares a term with the topic."""
    return topic.spoken_to_in(quote) or (bool(answer) and topic.spoken_to_in(answer))
