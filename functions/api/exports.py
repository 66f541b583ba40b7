"""Exports of the api function: the interview list as CSV (filtered as the dashboard filters it), and a
report as JSON or as a PDF laid out like the printable report page.

Every route needs a member of the interview's workspace (viewer+, the role that may read reports);
another team's interview is a 404, as everywhere. A report export is audited like a report view.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from flask import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field

from http_boundary import accepts_query, query_params
from interview_core.adapters.firestore_store import MAX_PAGE_SIZE, default_store, utcnow
from interview_core.adapters.workspace_store import default_workspace_store
from interview_core.domain.errors import NoReport
from interview_core.domain.models import Interview, InterviewStatus
from interview_core.domain.workspaces import AuditAction, Role

from . import access

if TYPE_CHECKING:
    from fpdf import FPDF

exports = Blueprint("exports", __name__)

MAX_EXPORT_ROWS = 5000
MAX_SEARCH_CHARS = 200
CSV_COLUMNS = (
    "id",
    "candidate_name",
    "candidate_email",
    "role",
    "language",
    "status",
    "created_at",
    "ended_at",
    "overall_score",
    "recommendation",
    "invite_email",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# -- CSV of the interview list --------------------------------------------------------------------
class ExportQuery(BaseModel):
    """The query parameters of the CSV export: the dashboard's filters, typed, so that a malformed one
    is a 400 naming it (through http_boundary.query_params, as every route's query) and the OpenAPI
    document states each one's values."""

    model_config = ConfigDict(extra="forbid")

    q: str = Field("", max_length=MAX_SEARCH_CHARS)
    status: InterviewStatus | Literal["all"] = "all"
    mine: bool = False
    sort: Literal["newest", "oldest", "score"] = "newest"

    def words(self) -> list[str]:
        """The search as the dashboard reads it: case-folded words, each of which must match."""
        return self.q.casefold().split()

    def status_filter(self) -> InterviewStatus | None:
        return None if self.status == "all" else InterviewStatus(self.status)


@exports.get("/api/exports/interviews.csv")
@accepts_query(ExportQuery)
def interviews_csv() -> Response:
    """The team's interviews as the dashboard shows them: `q` (words in name, email or role), `status`,
    `mine`, `sort` (newest | oldest | score); at most MAX_EXPORT_ROWS."""
    member = access.member(Role.VIEWER)
    query = query_params(ExportQuery)
    status, words = query.status_filter(), query.words()
    interviews = [
        i
        for i in _all_interviews(member.workspace.id, member.uid if query.mine else None)
        if (status is None or i.status == status) and _matches(i, words)
    ]
    reports = {i.id: _report_summary(i) for i in interviews}
    rows = [_csv_row(i, reports[i.id]) for i in _sorted(interviews, reports, query.sort)]
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return Response(
        _csv_text(rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="interviews-{stamp}.csv"',
            "Cache-Control": "no-store",
        },
    )


def _all_interviews(workspace_id: str, owner_uid: str | None) -> Iterator[Interview]:
    token: str | None = None
    seen = 0
    while True:
        page, token = default_store().list_in_workspace(
            workspace_id, owner_uid=owner_uid, page_size=MAX_PAGE_SIZE, page_token=token
        )
        for interview in page:
            yield interview
            seen += 1
            if seen >= MAX_EXPORT_ROWS:
                return
        if token is None:
            return


def _matches(interview: Interview, words: list[str]) -> bool:
    """The dashboard's search: every word in the candidate's name or email, or the role."""
    haystack = f"{interview.candidate.name} {interview.candidate.email} {interview.role}".casefold()
    return all(word in haystack for word in words)


def _report_summary(interview: Interview) -> dict[str, Any]:
    if interview.status != InterviewStatus.EVALUATED:
        return {}
    report = default_store().report(interview.id) or {}
    return {"overall_score": report.get("overall_score"), "recommendation": report.get("recommendation")}


def _sorted(interviews: list[Interview], reports: dict[str, dict[str, Any]], sort: str) -> list[Interview]:
    """Newest first, oldest first, or by score (highest first, unscored last, then newest)."""
    if sort == "oldest":
        return sorted(interviews, key=lambda i: i.created_at)
    newest = sorted(interviews, key=lambda i: i.created_at, reverse=True)
    if sort == "newest":
        return newest

    def score_key(interview: Interview) -> tuple[bool, float]:
        score = reports[interview.id].get("overall_score")
        return (score is None, -float(score) if score is not None else 0.0)

    return sorted(newest, key=score_key)  # stable: ties stay newest first


def _csv_row(interview: Interview, report: dict[str, Any]) -> list[Any]:
    email = interview.emails.invite
    return [
        interview.id,
        interview.candidate.name,
        interview.candidate.email,
        interview.role,
        interview.language,
        interview.status.value,
        _iso(interview.created_at),
        _iso(interview.ended_at),
        report.get("overall_score"),
        report.get("recommendation"),
        email.status if email else "",
    ]


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def safe_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading apostrophe
    (OWASP's CSV injection advice), so a candidate named "=HYPERLINK(...)" stays a name."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _csv_text(rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


# -- the report as JSON and PDF -------------------------------------------------------------------
@exports.get("/api/reports/<iid:interview_id>/export.json")
def report_json(interview_id: str) -> Response:
    """The stored report, as GET /api/reports/{id} answers it, as a download."""
    interview, report = _readable_report(interview_id)
    body = json.dumps({"interview": _header(interview), "report": report}, default=str, indent=2)
    return _download(body.encode(), "application/json", f"report-{interview_id}.json")


@exports.get("/api/reports/<iid:interview_id>/export.pdf")
def report_pdf(interview_id: str) -> Response:
    interview, report = _readable_report(interview_id)
    return _download(render_pdf(interview, report), "application/pdf", f"report-{interview_id}.pdf")


def _readable_report(interview_id: str) -> tuple[Interview, dict[str, Any]]:
    member = access.member(Role.VIEWER)
    wid = member.workspace.id
    interview = default_store().get_in_workspace(interview_id, wid)
    report = default_store().report(interview_id)
    if report is None:
        raise NoReport("this interview has no report yet")
    now = utcnow()
    default_workspace_store().append_audit(
        wid,
        actor_uid=member.uid,
        action=AuditAction.REPORT_VIEWED,
        target=interview_id,
        now=now,
        entry_id=f"report-viewed-{interview_id}-{member.uid}-{now:%Y%m%d%H}",
    )
    return interview, report


def _header(interview: Interview) -> dict[str, Any]:
    return {
        "id": interview.id,
        "candidate": interview.candidate.name,
        "role": interview.role,
        "language": interview.language,
        "status": interview.status.value,
        "created_at": _iso(interview.created_at),
        "ended_at": _iso(interview.ended_at),
    }


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


# -- PDF layout -----------------------------------------------------------------------------------
_RECOMMENDATIONS = {
    "strong_hire": "Strong hire",
    "hire": "Hire",
    "lean_hire": "Lean hire",
    "lean_no_hire": "Lean no hire",
    "no_hire": "No hire",
}


def _latin(text: Any) -> str:
    """fpdf2's core fonts are Latin-1: other characters become '?' rather than failing the export."""
    cleaned = re.sub(r"[\u2018\u2019]", "'", re.sub(r"[\u201c\u201d]", '"', str(text or "")))
    cleaned = cleaned.replace("\u2013", "-").replace("\u2014", "-").replace("\u2026", "...")
    return cleaned.encode("latin-1", "replace").decode("latin-1")


def render_pdf(interview: Interview, report: dict[str, Any]) -> bytes:
    """The printable report page's content: header, score and recommendation, summary, the skills
    and competencies with their scores and evidence, strengths, concerns."""
    from fpdf import FPDF  # imported on first use: the api's cold start does not pay for it

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_latin(f"Interview report: {interview.candidate.name}"))
    pdf.add_page()
    _pdf_header(pdf, interview, report)
    _pdf_paragraph(pdf, "Summary", report.get("summary"))
    _pdf_items(pdf, "Skills", report.get("skills") or [])
    _pdf_items(pdf, "Competencies", report.get("competencies") or [])
    for title, key in (
        ("Strengths", "strengths"),
        ("Weaknesses", "weaknesses"),
        ("Red flags", "red_flags"),
        ("Areas to improve", "improvement_areas"),
    ):
        _pdf_list(pdf, title, report.get(key) or [])
    return bytes(pdf.output())


def _pdf_header(pdf: FPDF, interview: Interview, report: dict[str, Any]) -> None:
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 9, _latin(interview.candidate.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    ended = interview.ended_at or interview.created_at
    pdf.multi_cell(
        0, 6, _latin(f"{interview.role} - interviewed {ended:%Y-%m-%d}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(3)
    score = report.get("overall_score")
    recommendation = _RECOMMENDATIONS.get(str(report.get("recommendation")), "No recommendation")
    pdf.set_font("Helvetica", "B", 14)
    score_text = f"Overall score: {score} / 100" if score is not None else "Overall score: not assessed"
    pdf.multi_cell(0, 8, f"{score_text}    Recommendation: {recommendation}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _pdf_heading(pdf: FPDF, title: str) -> None:
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)


def _pdf_paragraph(pdf: FPDF, title: str, text: Any) -> None:
    if not text:
        return
    _pdf_heading(pdf, title)
    pdf.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")


def _pdf_items(pdf: FPDF, title: str, items: list[dict[str, Any]]) -> None:
    if not items:
        return
    _pdf_heading(pdf, title)
    for item in items:
        score = item.get("score")
        weight = item.get("weight")
        label = f"{item.get('name', '')}: {f'{score} / 5' if score is not None else 'not assessed'}"
        if weight is not None:
            label += f"  (weight {round(float(weight) * 100)}%)"
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(0, 6, _latin(label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        if item.get("rationale"):
            pdf.multi_cell(0, 5, _latin(item["rationale"]), new_x="LMARGIN", new_y="NEXT")
        for quote in item.get("evidence") or []:
            pdf.set_font("Helvetica", "I", 9)
            pdf.multi_cell(0, 5, _latin(f'  "{quote}"'), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        pdf.ln(1)


def _pdf_list(pdf: FPDF, title: str, entries: list[str]) -> None:
    if not entries:
        return
    _pdf_heading(pdf, title)
    for entry in entries:
        pdf.multi_cell(0, 5, _latin(f"- {entry}"), new_x="LMARGIN", new_y="NEXT")
