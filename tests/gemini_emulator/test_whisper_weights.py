"""The offline recognition's weights are the upstream model's files, and anything else is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

from devstack.gemini_emulator import whisper_weights


def test_the_installed_weights_are_the_pinned_upstream_files() -> None:
    directory = whisper_weights.installed_dir()
    assert directory is not None
    assert whisper_weights.mismatches(directory) == []
    assert {p.name for p in whisper_weights.PINNED} == {p.name for p in directory.iterdir() if p.is_file()}


def test_a_changed_byte_is_refused(tmp_path: Path) -> None:
    directory = whisper_weights.installed_dir()
    assert directory is not None
    for pinned in whisper_weights.PINNED:
        shutil.copyfile(directory / pinned.name, tmp_path / pinned.name)
    vocabulary = tmp_path / "vocabulary.txt"
    data = bytearray(vocabulary.read_bytes())
    data[100] ^= 1  # same size, one bit flipped
    vocabulary.write_bytes(bytes(data))
    (tmp_path / "config.json").unlink()

    problems = whisper_weights.mismatches(tmp_path)

    assert problems[0] == "config.json is missing"
    assert problems[1].startswith("vocabulary.txt has sha256 ")
    assert len(problems) == 2
