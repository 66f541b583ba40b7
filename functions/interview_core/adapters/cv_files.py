"""Cloud Storage: the candidate's CV under interviews/{id}/ in the private interview bucket.

The bucket grants nothing to end users (infra/storage.tf: uniform access, service accounts only), so
the file is read only through GET /api/interviews/{id}/cv, which admits members of the interview's
workspace. Each upload has its own name (its content hash), so a replaced CV is never half-overwritten:
the new file is written, the interview points at it in a transaction, then the old one is deleted.
Every deletion of a CV file goes through interview_core/deletion.py (`delete_cv`, and the interview's
deletion, which deletes the prefix, CV included).
"""

from __future__ import annotations

from google.api_core import exceptions as gexc

from .archive import bucket, interview_prefix

CV_CONTENT_TYPE = "application/pdf"


def cv_path(interview_id: str, sha256: str) -> str:
    return f"{interview_prefix(interview_id)}cv-{sha256[:16]}.pdf"


def write_cv(path: str, data: bytes) -> None:
    bucket().blob(path).upload_from_string(data, content_type=CV_CONTENT_TYPE, timeout=30)


def read_cv(path: str) -> bytes | None:
    try:
        return bytes(bucket().blob(path).download_as_bytes(timeout=30))
    except gexc.NotFound:
        return None
