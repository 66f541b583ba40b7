"""The candidate's CV as uploaded: checked and its text extracted, before anything is stored.

Only PDF is accepted (pypdf, a maintained pure-Python library; DOCX would need a second parser for
little gain). Every check runs on the bytes in memory, so a file that fails any of them leaves nothing
behind: an oversized body (413), a body that is not a PDF whatever its declared type (415), an
encrypted PDF (422 `cv_encrypted`: the text cannot be read without the password), a corrupt one
(422 `cv_unreadable`) and one with no text layer, a scan (422 `cv_no_text`).
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from interview_core.domain.models import MAX_CV_TEXT_CHARS

from .errors import ApiError

MAX_CV_BYTES = 5 * 1024 * 1024
MAX_CV_PAGES = 40
PDF_MAGIC = b"%PDF-"
PDF_TYPE = "application/pdf"

logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings quote the file's content


@dataclass(frozen=True)
class CvText:
    text: str
    pages: int
    sha256: str


def check_type(content_type: str | None, data: bytes) -> None:
    """415 unless the request says PDF and the bytes are one (a renamed file is caught by the bytes)."""
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared != PDF_TYPE:
        raise ApiError(
            415, "cv_wrong_type", f"the CV must be sent as {PDF_TYPE}; got {declared or 'no type'}"
        )
    if not data.lstrip()[: len(PDF_MAGIC)] == PDF_MAGIC:
        raise ApiError(415, "cv_wrong_type", "the file is not a PDF (its content does not start like one)")


def extract_text(data: bytes) -> CvText:
    """The CV's text, normalised and bounded; raises the ApiError the module docstring lists."""
    if not data:
        raise ApiError(422, "cv_unreadable", "the CV file is empty")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ApiError(
                422, "cv_encrypted", "the PDF is password-protected; upload a copy without a password"
            )
        pages = len(reader.pages)
        if pages > MAX_CV_PAGES:
            raise ApiError(422, "cv_too_many_pages", f"the CV has {pages} pages; at most {MAX_CV_PAGES}")
        parts: list[str] = []
        length = 0
        for page in reader.pages:
            chunk = page.extract_text() or ""
            parts.append(chunk)
            length += len(chunk)
            if length > MAX_CV_TEXT_CHARS:
                break
    except ApiError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as error:
        raise ApiError(422, "cv_unreadable", "the PDF is damaged and cannot be read") from error
    text = _normalised("\n".join(parts))[:MAX_CV_TEXT_CHARS]
    if len(text.split()) < 5:
        raise ApiError(422, "cv_no_text", "the PDF has no readable text (a scan?); upload a PDF with text")
    return CvText(text=text, pages=pages, sha256=hashlib.sha256(data).hexdigest())


def _normalised(text: str) -> str:
    """Runs of spaces collapsed, blank lines kept single, control characters dropped."""
    lines = (" ".join("".join(ch for ch in line if ch.isprintable()).split()) for line in text.splitlines())
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
