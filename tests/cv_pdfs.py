"""PDF files for the CV tests, built here (no binary fixtures): one with text, and each bad kind."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

CV_LINES = (
    "Ada Lovelace - Data Engineer",
    "2021-2024 Analytical Engines Ltd: built the Kafka ingestion pipeline for the billing team,",
    "rewrote the nightly SQL reports on BigQuery and cut their cost by 40 percent.",
    "Skills: SQL, Python, Airflow, dbt.",
)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(lines: tuple[str, ...] = CV_LINES) -> bytes:
    """A one-page PDF whose text layer holds `lines` (Helvetica, with a correct xref table)."""
    stream = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({_escape(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def encrypted_pdf() -> bytes:
    """The text PDF, password-protected (RC4: needs no optional crypto package)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pdf() -> bytes:
    """A PDF with a page and no text: what a scanned CV looks like to a text extractor."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def corrupt_pdf() -> bytes:
    """Starts like a PDF, then is garbage: no objects, no trailer."""
    return b"%PDF-1.7\n" + bytes(range(256)) * 8


PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DOCX_LIKE = b"PK\x03\x04" + b"\x00" * 64
