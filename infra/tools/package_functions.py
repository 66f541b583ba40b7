#!/usr/bin/env python3
"""Zip the functions' source for `gcloud functions deploy --source=gs://...zip`.

    python3 infra/tools/package_functions.py OUTPUT.zip

The zip holds the contents of functions/ at its root (main.py, requirements.txt, api/, pipeline/, and
the shared core package interview_core/), the layout Cloud Functions expects; Terraform's bootstrap
zip (infra/storage.tf) takes the same files. requirements.txt is exported from uv.lock with every
package's hashes, so the buildpack's pip installs exactly the locked set. The pyproject.toml files
(the functions' own and the core's) are for the development environment only and stay out: the
buildpack must see requirements.txt alone.

Deterministic: sorted entries, fixed timestamps and permissions, so the same tree gives the same
bytes (and the same hash in the build log). Caches, virtualenvs and dot-files are left out. Standard
library only: Cloud Build runs it in the gcloud image.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FUNCTIONS = REPO / "functions"
SKIP_DIRS = {"__pycache__", ".venv", "venv", ".pytest_cache", ".mypy_cache", ".ruff_cache", "node_modules"}
SKIP_SUFFIXES = {".pyc", ".pyo"}
SKIP_NAMES = {"pyproject.toml"}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def source_files(root: Path = FUNCTIONS) -> dict[str, Path]:
    """Archive name => file, for everything that belongs in the deployed source."""
    files: dict[str, Path] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part in SKIP_DIRS or part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix not in SKIP_SUFFIXES and path.name not in SKIP_NAMES:
            files[relative.as_posix()] = path
    return dict(sorted(files.items()))


def package(output: Path, root: Path = FUNCTIONS) -> list[str]:
    """Write the zip; return its entry names."""
    files = source_files(root)
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, path in files.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return list(files)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    names = package(Path(argv[1]))
    print(f"{argv[1]}: {len(names)} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
