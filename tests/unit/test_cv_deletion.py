"""A single CV file is deleted only through interview_core/deletion.py, and only inside its
interview's folder: a caller with a wrong or forged path deletes nothing (the check comes before any
call to Storage, so this runs without one)."""

from __future__ import annotations

import pytest

from interview_core import deletion


@pytest.mark.parametrize(
    "path",
    [
        "interviews/other/cv-0123456789abcdef.pdf",
        "interviews/abc/../other/cv-0123456789abcdef.pdf",
        "interviews/abcd/cv-0123456789abcdef.pdf",  # another id that starts with this one's
        "cv-0123456789abcdef.pdf",
    ],
)
def test_a_path_outside_the_interviews_folder_is_refused(path: str) -> None:
    with pytest.raises(ValueError, match="not in the interview's folder"):
        deletion.delete_cv("abc", path, reason="replaced")
