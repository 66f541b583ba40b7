"""The deterministic interviewer behind the emulator's Live API. Pure: no I/O, no clock.

It reads the interview from the session's system instruction, which the agent writes with
`agent_worker/instructions.py` so that a model and this parser both understand it:

    Candidate: Ada Lovelace
    Role: Senior Data Engineer
    Interview language: en
    Time budget: 20 minutes
    QUESTION PLAN (ask in this order, one at a time):
    1. [SQL] Tell me about a data project where SQL was central. ...
       Follow-up if vague: Which query was hardest, and why?
    2. [Python] ...
    ALREADY ASKED: 1

Then it greets and asks question 1, asks one question per answer in plan order, gives a very short or
vague answer one follow-up, and after the last answer says a wrap-up and calls `end_interview` when
the session declared that tool. Control notes the agent sends as model turns
(`SYSTEM NOTE [greet]`, `[rejoined]`, `[time_warning]`, `[time_up]`) steer it like they would steer
a real model. Its state is a small dataclass, so a resumed session continues exactly where it was.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

CONTROL_RE = re.compile(r"\[(greet|rejoined|reconnected|time_warning|time_up)\]")
_QUESTION_RE = re.compile(r"^\s*(\d{1,2})[.)]\s+(?:\[(?P<skill>[^\]]{1,80})\]\s+)?(?P<text>\S.*)$")
_FOLLOW_UP_RE = re.compile(r"^\s+(?:Follow-up(?: if vague)?|Nachfrage):\s*(?P<text>\S.*)$", re.IGNORECASE)
_FIELD_RE = re.compile(
    r"^(?P<key>Candidate|Role|Interview language|Time budget|Interviewer|ALREADY ASKED|NEXT QUESTION|"
    r"Control marker):"
    r"\s*(?P<value>.*)$"
)
_VAGUE_RE = re.compile(
    r"\b(i don'?t know|not sure|no idea|maybe|i guess|nothing comes to mind|"
    r"weiß (ich )?nicht|keine ahnung)\b",
    re.IGNORECASE,
)
_STOP_RE = re.compile(
    r"\b((end|stop|finish|quit) (the|this) interview|i (want|would like) to (stop|end|quit)|"
    r"interview beenden|aufhören)\b",
    re.IGNORECASE,
)

SHORT_ANSWER_WORDS = 6
SHORT_ANSWER_SECONDS = 2.0
END_TOOL = "end_interview"
MARK_TOOL = "mark_question_asked"

_LEADS = ("So,", "Next,", "Now,", "Let me ask:", "I'm curious:")
_TAILS = (
    " - in your own words?",
    ", if you can?",
    " - take your time.",
    " - I would like to hear your view.",
)


def paraphrase(question: str, seed: int) -> str:
    """The planned question as a real model says it: reworded at both ends, the core kept, chosen
    deterministically from the text and the seed. The planned text is never contained word for word
    (so nothing may find asked questions by matching the transcript), yet the core stays audible."""
    core = question.strip().rstrip("?.!")
    if not core:
        return question
    digest = hashlib.sha256(f"{seed}:{core}".encode()).digest()
    lead, tail = _LEADS[digest[0] % len(_LEADS)], _TAILS[digest[1] % len(_TAILS)]
    return f"{lead} {core[0].lower()}{core[1:]}{tail}"


@dataclass(frozen=True)
class PlannedQuestion:
    text: str
    skill: str = ""
    follow_up: str = ""


@dataclass(frozen=True)
class Plan:
    """What the system instruction says about this interview."""

    questions: tuple[PlannedQuestion, ...]
    candidate: str = ""
    role: str = ""
    language: str = "en"
    minutes: int = 0
    interviewer: str = "Alex"
    already_asked: int = 0
    next_question: int | None = None
    """After an interruption: the planned question to continue with (NEXT QUESTION:)."""
    marker: str = ""
    """The session's control marker (Control marker: #...); when set, only notes carrying it steer."""

    def control_kind(self, text: str) -> str | None:
        """The kind of control note `text` is (greet, time_up, ...), or None: text without
        "SYSTEM NOTE", or without this session's marker when the instruction declares one, is
        an answer like any other (as a model told so would treat it)."""
        if "SYSTEM NOTE" not in text or (self.marker and f"SYSTEM NOTE #{self.marker}" not in text):
            return None
        control = CONTROL_RE.search(text)
        return control.group(1) if control else None

    @property
    def first_name(self) -> str:
        return self.candidate.split()[0] if self.candidate.strip() else ""


DEFAULT_QUESTIONS = (
    PlannedQuestion("Tell me about a recent project you are proud of. What was your part in it?"),
    PlannedQuestion("Describe a difficult problem you solved at work. How did you approach it?"),
    PlannedQuestion("What would you like to learn or improve in your next role?"),
)


def parse_plan(system_text: str) -> Plan:
    """The plan in a system instruction; a generic three-question plan when it has none."""
    fields: dict[str, str] = {}
    questions: list[PlannedQuestion] = []
    in_plan = False
    for line in system_text.splitlines():
        if line.strip().upper().startswith("QUESTION PLAN"):
            in_plan = True
            continue
        if in_plan:
            question = _QUESTION_RE.match(line)
            follow_up = _FOLLOW_UP_RE.match(line)
            if question and not line.startswith((" ", "\t")):
                questions.append(PlannedQuestion(question["text"].strip(), (question["skill"] or "").strip()))
                continue
            if follow_up and questions:
                if not questions[-1].follow_up:
                    questions[-1] = replace(questions[-1], follow_up=follow_up["text"].strip())
                continue
            if line.strip() and not line.startswith((" ", "\t")):
                in_plan = False
        match = _FIELD_RE.match(line.strip())
        if match:
            fields.setdefault(match["key"], match["value"].strip())
    minutes = re.search(r"\d+", fields.get("Time budget", ""))
    asked = [int(n) for n in re.findall(r"\d+", fields.get("ALREADY ASKED", ""))]
    following = re.findall(r"\d+", fields.get("NEXT QUESTION", ""))
    next_question = int(following[0]) if following else None
    if "NEXT QUESTION" in fields and next_question is None:  # "none, close": everything was asked
        next_question = len(questions or DEFAULT_QUESTIONS) + 1
    language = (fields.get("Interview language", "en").split() or ["en"])[0].lower()[:2]
    return Plan(
        questions=tuple(questions) or DEFAULT_QUESTIONS,
        candidate=fields.get("Candidate", ""),
        role=fields.get("Role", ""),
        language=language if language in PHRASES else "en",
        minutes=int(minutes.group()) if minutes else 0,
        interviewer=fields.get("Interviewer", "Alex").split(",")[0].strip() or "Alex",
        already_asked=max(asked, default=0),
        next_question=next_question,
        marker=fields.get("Control marker", "").lstrip("#").strip(),
    )


PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "greet": "Hello{name}, I'm {interviewer}, your interviewer{role}. We have about {minutes} minutes. "
        "Let's begin. {question}",
        "greet_again": "Hello again{name}. Let's continue where we left off. {question}",
        "rejoined": "Welcome back{name}. We were cut off, so let me repeat my question. {question}",
        "reconnected": "Sorry, I lost the connection for a moment. {question}",
        "tool_answer": "Noted.",
        "next": "Thank you. {question}",
        "follow_up": "Could you be a bit more specific? {follow_up}",
        "generic_follow_up": "Can you give me a concrete example from your own work?",
        "repeat": "Let me repeat the question. {question}",
        "time_warning": "Just so you know, we are close to the end of our time, so please take a minute "
        "to finish your answer.",
        "wrap_up": "Thank you{name}, that was my last question. The team will review the interview and be "
        "in touch. Goodbye.",
        "time_up": "We have reached the end of our time. Thank you{name} for your answers today. The team "
        "will review the interview and get back to you. Goodbye.",
        "stopped": "Of course, we can stop here. Thank you{name} for your time today. Goodbye.",
        "finished": "The interview is complete. Thank you again, and goodbye.",
    },
    "de": {
        "greet": "Hallo{name}, ich bin {interviewer} und führe das Interview mit Ihnen{role}. Wir haben "
        "etwa {minutes} Minuten. Fangen wir an. {question}",
        "greet_again": "Hallo noch einmal{name}. Machen wir dort weiter, wo wir aufgehört haben. {question}",
        "rejoined": "Willkommen zurück{name}. Die Verbindung war unterbrochen, ich wiederhole meine Frage. "
        "{question}",
        "reconnected": "Entschuldigung, die Verbindung war kurz weg. {question}",
        "tool_answer": "Notiert.",
        "next": "Danke. {question}",
        "follow_up": "Können Sie das etwas genauer beschreiben? {follow_up}",
        "generic_follow_up": "Können Sie mir ein konkretes Beispiel aus Ihrer eigenen Arbeit nennen?",
        "repeat": "Ich wiederhole die Frage. {question}",
        "time_warning": "Zur Info: Unsere Zeit ist bald um, bitte kommen Sie in etwa einer Minute zum Ende.",
        "wrap_up": "Vielen Dank{name}, das war meine letzte Frage. Danke für Ihre Zeit. Das Team meldet "
        "sich bei Ihnen. Auf Wiedersehen.",
        "time_up": "Unsere Zeit ist um. Vielen Dank{name} für Ihre Antworten. Das Team meldet sich bei "
        "Ihnen. Auf Wiedersehen.",
        "stopped": "Natürlich, wir können hier aufhören. Vielen Dank{name} für Ihre Zeit. Auf Wiedersehen.",
        "finished": "Das Interview ist beendet. Nochmals vielen Dank und auf Wiedersehen.",
    },
}


@dataclass(frozen=True)
class Reply:
    """What the model says next, and the tool it calls with it (if any): end_interview after the
    closing words, or mark_question_asked with the planned question's number when the session
    declared that tool."""

    text: str
    tool_call: tuple[str, dict[str, Any]] | None = None
    kind: str = "question"


@dataclass
class InterviewerState:
    """Everything a resumed session needs to continue: small and copyable."""

    greeted: bool = False
    asked: int = 0  # how many planned questions have been asked
    followed_up: bool = False  # on the current question
    finished: bool = False
    answers: int = 0
    resumed_at_next: bool = False  # the NEXT QUESTION of the instructions was asked

    def snapshot(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def restore(cls, data: dict[str, Any]) -> InterviewerState:
        return cls(**data)


@dataclass
class Interviewer:
    """Decides each reply from the plan and the state; the Live session only does I/O."""

    plan: Plan
    tools: frozenset[str] = frozenset()
    state: InterviewerState = field(default_factory=InterviewerState)
    paraphrase: bool = False
    """Reword planned questions (and follow-ups) as a real model does (seeded, deterministic)."""
    seed: int = 17

    def __post_init__(self) -> None:
        if self.state.asked:
            return
        if self.plan.next_question is not None:  # continue there: it is asked next
            self.state.asked = max(0, min(self.plan.next_question - 1, len(self.plan.questions)))
            self.state.greeted = self.state.greeted or self.state.asked > 0
        elif self.plan.already_asked:
            self.state.asked = min(self.plan.already_asked, len(self.plan.questions))

    def _say(self, key: str, **values: str) -> str:
        phrases = PHRASES.get(self.plan.language, PHRASES["en"])
        name = f" {self.plan.first_name}" if self.plan.first_name else ""
        role = f" for the {self.plan.role} role" if self.plan.role and self.plan.language != "de" else ""
        if self.plan.role and self.plan.language == "de":
            role = f" für die Position {self.plan.role}"
        minutes = str(self.plan.minutes or 20)
        return phrases[key].format(
            name=name, role=role, minutes=minutes, interviewer=self.plan.interviewer, **values
        )

    def _current(self) -> PlannedQuestion | None:
        if 0 < self.state.asked <= len(self.plan.questions):
            return self.plan.questions[self.state.asked - 1]
        return None

    def _spoken(self, text: str) -> str:
        return paraphrase(text, self.seed) if self.paraphrase else text

    def _marked(self, follow_up: bool = False) -> tuple[str, dict[str, Any]] | None:
        """The bookkeeping call a model makes when told to (mark_question_asked), if declared."""
        if MARK_TOOL not in self.tools or self.state.asked <= 0:
            return None
        args: dict[str, Any] = {"number": self.state.asked}
        if follow_up:
            args["follow_up"] = True
        return (MARK_TOOL, args)

    def _ask_next(self, lead: str) -> Reply:
        if self.state.asked >= len(self.plan.questions):
            return self._wrap_up("wrap_up", "completed")
        question = self.plan.questions[self.state.asked]
        self.state.asked += 1
        self.state.followed_up = False
        return Reply(self._say(lead, question=self._spoken(question.text)), self._marked(), kind="question")

    def _wrap_up(self, key: str, reason: str) -> Reply:
        self.state.finished = True
        call = (END_TOOL, {"reason": reason}) if END_TOOL in self.tools else None
        return Reply(self._say(key), call, kind="wrap_up")

    def greet(self) -> Reply:
        """The opening: a greeting and the first question (or the next one after a restart)."""
        if self.state.finished:
            return Reply(self._say("finished"), kind="finished")
        again = self.state.greeted or self.state.asked > 0
        self.state.greeted = True
        if again and self.plan.next_question is not None and not self.state.resumed_at_next:
            self.state.resumed_at_next = True
            return self._ask_next("greet_again")
        if again and self.state.asked > 0:
            current = self._current()
            assert current is not None
            return Reply(self._say("greet_again", question=self._spoken(current.text)), kind="question")
        return self._ask_next("greet")

    def control(self, kind: str) -> Reply:
        """A control note from the agent: greet, rejoined, time_warning, time_up."""
        if kind == "greet":
            return self.greet()
        if kind == "time_up":
            if self.state.finished:
                return Reply(self._say("finished"), kind="finished")
            self.state.finished = True
            return Reply(self._say("time_up"), kind="wrap_up")
        if kind == "time_warning":
            return Reply(self._say("time_warning"), kind="note")
        # rejoined, reconnected: repeat the question the candidate is answering
        if not self.state.greeted:
            return self.greet()
        if self.plan.next_question is not None and not self.state.resumed_at_next:
            self.state.resumed_at_next = True  # a fresh session: its instructions say where to go on
            return self._ask_next(kind)
        current = self._current()
        if self.state.finished or current is None:
            return Reply(self._say("finished"), kind="finished")
        return Reply(self._say(kind, question=self._spoken(current.text)), kind="question")

    def tool_answer(self, name: str) -> Reply:
        """What a model says when a tool response asks for an answer (not SILENT): after the
        closing tool a second goodbye, after anything else a short acknowledgement."""
        if name == END_TOOL or self.state.finished:
            return Reply(self._say("finished"), kind="finished")
        return Reply(self._say("tool_answer"), kind="note")

    def answer(self, text: str | None = None, audio_seconds: float | None = None) -> Reply:
        """The candidate finished a turn: follow up once on a vague answer, else move on."""
        if self.state.finished:
            return Reply(self._say("finished"), kind="finished")
        if not self.state.greeted:
            return self.greet()
        self.state.answers += 1
        if text and _STOP_RE.search(text):
            return self._wrap_up("stopped", "candidate_ended")
        vague = (
            (text is not None and (len(text.split()) < SHORT_ANSWER_WORDS or bool(_VAGUE_RE.search(text))))
            if text is not None
            else (audio_seconds or 0.0) < SHORT_ANSWER_SECONDS
        )
        current = self._current()
        if vague and current is not None and not self.state.followed_up:
            self.state.followed_up = True
            follow_up = current.follow_up or self._say("generic_follow_up")
            return Reply(
                self._say("follow_up", follow_up=follow_up), self._marked(follow_up=True), kind="follow_up"
            )
        return self._ask_next("next")

    def repeat(self) -> Reply:
        """A reply asked for with nothing new said: repeat the current question."""
        if not self.state.greeted:
            return self.greet()
        current = self._current()
        if self.state.finished or current is None:
            return Reply(self._say("finished"), kind="finished")
        return Reply(self._say("repeat", question=self._spoken(current.text)), kind="question")
