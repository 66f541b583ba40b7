"""The export formats without a stack: CSV cells never start a formula, and the report PDF opens and
holds the scores, the recommendation and the evidence."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from api.exports import render_pdf, safe_cell
from interview_core.domain.models import Candidate, Interview, InterviewStatus, Invite

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def test_cells_that_would_run_as_formulas_are_kept_as_text() -> None:
    for dangerous in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=x", "\r=x"):
        assert safe_cell(dangerous) == f"'{dangerous}"
    assert safe_cell("Ada Lovelace") == "Ada Lovelace"
    assert safe_cell(None) == ""
    assert safe_cell(87) == "87"


def test_the_pdf_opens_and_holds_the_scores() -> None:
    interview = Interview(
        id="iv-1",
        owner_uid="u",
        candidate=Candidate(name="Zoë Ünicode", email="z@example.com"),
        role="Data Engineer",
        job_description="x" * 40,
        language="en",
        duration_minutes=20,
        skills=[],
        question_plan=[],
        status=InterviewStatus.EVALUATED,
        invite=Invite(secret_hash="0" * 64, expires_at=NOW + timedelta(days=1), max_uses=1),
        room="interview-iv-1",
        created_at=NOW,
        updated_at=NOW,
        ended_at=NOW,
    )
    report = {
        "overall_score": 78,
        "recommendation": "hire",
        "summary": "Strong SQL \u2014 clear answers \u201cwith numbers\u201d; 日本語 is not Latin-1.",
        "skills": [
            {"name": "SQL", "score": 4, "weight": 0.5, "rationale": "Joins.", "evidence": ["I used"]},
            {"name": "Airflow", "score": None, "weight": 0.5, "rationale": "", "evidence": []},
        ],
        "competencies": [{"name": "Communication", "score": 3, "evidence": []}],
        "strengths": ["Precise"],
        "red_flags": [],
    }
    pdf = render_pdf(interview, report)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Zoë Ünicode" in text
    assert "Overall score: 78 / 100" in text
    assert "Recommendation: Hire" in text
    assert "SQL: 4 / 5" in text
    assert "Airflow: not assessed" in text
    assert "Communication: 3 / 5" in text
    assert 'Strong SQL - clear answers "with numbers"; ??? is not Latin-1.' in text
    assert reader.metadata is not None
    assert reader.metadata.title == "Interview report: Zoë Ünicode"
