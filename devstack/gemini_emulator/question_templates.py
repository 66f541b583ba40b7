"""Question and follow-up templates for the local extractor, per skill category and language.

Templates take `{skill}` (the skill's label in the interview language) and `{role}`. They are open,
behavioural questions answerable by voice in two or three minutes, as the extraction prompt asks, and
never touch protected characteristics. Languages without templates fall back to English.
"""

from __future__ import annotations

QUESTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "software": (
            "Tell me about a recent project where you relied on {skill}. What problem did it solve, and "
            "what was your part?",
            "Walk me through a hard problem you solved with {skill}. How did you approach it, and which "
            "trade-offs did you make?",
            "How do you keep your work with {skill} reliable and maintainable as a system grows? Please "
            "use a real example.",
        ),
        "data": (
            "Tell me about a data project where {skill} was central. What was the goal, and what did you "
            "build or decide?",
            "Describe a time when your work with {skill} produced a surprising or wrong result. How did "
            "you find out, and what did you do?",
            "How do you make sure the results of your {skill} work can be trusted by the people who use "
            "them? Please give an example.",
        ),
        "product": (
            "Tell me about a time when {skill} shaped an important product decision. What did you do, and "
            "what was the outcome?",
            "How do you approach {skill} when priorities conflict? Walk me through a concrete example.",
        ),
        "sales": (
            "Walk me through a deal where {skill} made the difference. What did you do at each step?",
            "Tell me about a time when {skill} did not go as planned. What happened, and what did you "
            "learn from it?",
        ),
        "support": (
            "Describe a difficult customer situation where you had to rely on {skill}. How did you handle "
            "it?",
            "What does excellent {skill} look like to you on a busy day? Tell me about a time you "
            "achieved it.",
        ),
        "design": (
            "Walk me through a project where {skill} was central to your design work. What was your process?",
            "Tell me about feedback on your {skill} work that changed your approach. What did you change?",
        ),
        "general": (
            "Tell me about a situation at work where {skill} was essential to the outcome. What did you do?",
            "Describe a time when {skill} was hard for you. How did you deal with it, and what did you "
            "learn?",
        ),
        "role": (
            "What part of your work as {role} are you proudest of, and why?",
            "Walk me through a typical challenge in your work as {role} and how you handle it.",
        ),
    },
    "de": {
        "software": (
            "Erzählen Sie mir von einem aktuellen Projekt, in dem Sie {skill} eingesetzt haben. Welches "
            "Problem wurde gelöst, und was war Ihr Beitrag?",
            "Beschreiben Sie ein schwieriges Problem, das Sie mit {skill} gelöst haben. Wie sind Sie "
            "vorgegangen, und welche Kompromisse mussten Sie eingehen?",
            "Wie sorgen Sie dafür, dass Ihre Arbeit mit {skill} zuverlässig und wartbar bleibt, wenn ein "
            "System wächst? Bitte nennen Sie ein echtes Beispiel.",
        ),
        "data": (
            "Erzählen Sie von einem Datenprojekt, in dem {skill} im Mittelpunkt stand. Was war das Ziel, "
            "und was haben Sie gebaut oder entschieden?",
            "Beschreiben Sie eine Situation, in der Ihre Arbeit mit {skill} ein überraschendes oder "
            "falsches Ergebnis geliefert hat. Wie haben Sie das bemerkt, und was haben Sie getan?",
            "Wie stellen Sie sicher, dass andere den Ergebnissen Ihrer Arbeit mit {skill} vertrauen "
            "können? Bitte nennen Sie ein Beispiel.",
        ),
        "product": (
            "Erzählen Sie von einer Situation, in der {skill} eine wichtige Produktentscheidung geprägt "
            "hat. Was haben Sie getan, und was war das Ergebnis?",
            "Wie gehen Sie bei {skill} vor, wenn Prioritäten kollidieren? Führen Sie mich durch ein "
            "konkretes Beispiel.",
        ),
        "sales": (
            "Führen Sie mich durch einen Abschluss, bei dem {skill} den Unterschied gemacht hat. Was "
            "haben Sie in den einzelnen Schritten getan?",
            "Erzählen Sie von einer Situation, in der es beim Thema {skill} nicht wie geplant lief. Was "
            "ist passiert, und was haben Sie daraus gelernt?",
        ),
        "support": (
            "Beschreiben Sie eine schwierige Kundensituation, in der es auf {skill} ankam. Wie sind Sie "
            "damit umgegangen?",
            "Woran erkennen Sie sehr gute Arbeit im Bereich {skill}, auch an einem vollen Tag? Erzählen "
            "Sie von einer Situation, in der Ihnen das gelungen ist.",
        ),
        "design": (
            "Führen Sie mich durch ein Projekt, in dem {skill} im Mittelpunkt Ihrer Designarbeit stand. "
            "Wie war Ihr Prozess?",
            "Erzählen Sie von Feedback zu Ihrer Arbeit im Bereich {skill}, das Ihre Herangehensweise "
            "verändert hat. Was haben Sie geändert?",
        ),
        "general": (
            "Erzählen Sie von einer Situation bei der Arbeit, in der {skill} entscheidend für das "
            "Ergebnis war. Was haben Sie konkret getan?",
            "Beschreiben Sie eine Situation, in der Ihnen {skill} schwergefallen ist. Wie sind Sie damit "
            "umgegangen, und was haben Sie gelernt?",
        ),
        "role": (
            "Auf welchen Teil Ihrer Arbeit als {role} sind Sie besonders stolz, und warum?",
            "Führen Sie mich durch eine typische Herausforderung in Ihrer Arbeit als {role} und wie Sie "
            "damit umgehen.",
        ),
    },
}

FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "en": (
        "What was your personal contribution, as opposed to the team's?",
        "Can you give me a concrete example, with numbers or results if you have them?",
        "Looking back, what would you do differently today?",
        "How did you know whether it worked?",
        "Which alternatives did you consider, and why did you choose this one?",
        "What was the hardest part, and how did you get past it?",
    ),
    "de": (
        "Was war Ihr persönlicher Beitrag, im Unterschied zu dem des Teams?",
        "Können Sie ein konkretes Beispiel nennen, gern mit Zahlen oder Ergebnissen?",
        "Was würden Sie im Rückblick heute anders machen?",
        "Woran haben Sie erkannt, ob es funktioniert hat?",
        "Welche Alternativen haben Sie erwogen, und warum haben Sie sich so entschieden?",
        "Was war der schwierigste Teil, und wie haben Sie ihn gemeistert?",
    ),
}

DEFAULT_LANGUAGE = "en"


def language_for(code: str) -> str:
    """The template language for a BCP-47 tag: its primary subtag when templated, else English."""
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in QUESTIONS else DEFAULT_LANGUAGE


ANCHORS: dict[str, dict[str, str]] = {
    "en": {
        "low": (
            "No first-hand example of {skill}: general statements about it, what one should do, or says "
            "they have not done it."
        ),
        "mid": (
            "One real example of their own work with {skill}{context}: what they did and why, with little "
            "on {specifics}."
        ),
        "high": (
            "Several first-hand specifics of {skill} ({vocabulary}), the trade-offs weighed and a measured "
            "result or lesson."
        ),
        "context": " around {terms}",
    },
    "de": {
        "low": (
            "Kein eigenes Beispiel für {skill}: allgemeine Aussagen darüber, was man tun sollte, oder "
            "noch nie gemacht."
        ),
        "mid": (
            "Ein echtes Beispiel eigener Arbeit mit {skill}{context}: was getan wurde und warum, mit wenig "
            "zu {specifics}."
        ),
        "high": (
            "Mehrere eigene Details zu {skill} ({vocabulary}), abgewogene Alternativen und ein gemessenes "
            "Ergebnis oder eine Lehre daraus."
        ),
        "context": " rund um {terms}",
    },
}
"""Anchor sentences per language: `{skill}` is the skill's label, `{context}` the job description's own
words around the skill (empty when there are none), `{specifics}` the category's kind of detail,
`{vocabulary}` the skill's concrete tools and situations (lexicon.VOCABULARY, else `{specifics}`). Every
other word is one the relevance rule ignores (interview_core/domain/relevance.py), so a skill's topic
is its label, the job description's words and its category's specifics, nothing the wording adds."""

SPECIFICS: dict[str, dict[str, str]] = {
    "en": {
        "software": "code, performance, failures",
        "data": "data sources, checks, accuracy",
        "product": "users, metrics, priorities",
        "sales": "accounts, deal stages, quota",
        "support": "customers, tickets, resolution",
        "design": "research, iterations, usability",
        "general": "alternatives, figures, results",
        "role": "alternatives, figures, results",
    },
    "de": {
        "software": "Code, Performance, Ausfälle",
        "data": "Datenquellen, Prüfungen, Genauigkeit",
        "product": "Nutzer, Kennzahlen, Prioritäten",
        "sales": "Accounts, Abschlussphasen, Quote",
        "support": "Kunden, Tickets, Lösungen",
        "design": "Recherche, Iterationen, Nutzbarkeit",
        "general": "Alternativen, Zahlen, Ergebnisse",
        "role": "Alternativen, Zahlen, Ergebnisse",
    },
}
"""The kind of detail a strong answer has, per skill category: part of the mid and high anchors."""
