"""The one lock every Python install comes from, and the files derived from it.

    python -m devstack.lock            # re-resolve uv.lock after a pyproject change, rewrite the exports
    python -m devstack.lock --check    # fail when uv.lock or an export is stale (make test, CI)

`uv.lock` (a uv workspace: the dev environment at the root, `functions/interview_core`, `functions`,
`agent_worker`) pins every package with its hashes. The deployables cannot run uv, so each gets a
requirements file exported from the same lock, with hashes, which pip installs in hash-checking mode:

- `functions/requirements.txt`: what the Cloud Functions buildpack installs from the functions'
  source archive (infra/tools/package_functions.py);
- `agent_worker/requirements.txt`: what the agent image installs (agent_worker/Dockerfile);
- `devstack/uv-requirements.txt`: uv itself, which `make install` installs with pip into the tool
  cache before it syncs `.venv` with uv.

The shared core (`interview_core`) is left out of the exports: both builds copy its folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "uv.lock"
UV_REQUIREMENTS = ROOT / "devstack" / "uv-requirements.txt"

HEADER = (
    "# Generated from uv.lock by `make lock` (python -m devstack.lock); do not edit.\n"
    "# Every package is pinned with its hashes: install with pip, which then checks them.\n"
)


@dataclass(frozen=True)
class Export:
    """One deployable's requirements, exported from the lock."""

    package: str
    path: Path


EXPORTS = (
    Export("interviewer-functions", ROOT / "functions" / "requirements.txt"),
    Export("interviewer-agent", ROOT / "agent_worker" / "requirements.txt"),
)


def uv_binary() -> str:
    """The uv that `make install` put in the tool cache or the environment, else one on PATH."""
    candidates = [os.environ.get("UV"), str(Path(sys.executable).parent / "uv"), shutil.which("uv")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    raise SystemExit("uv is not installed: run `make install`")


def exported(uv: str, export: Export) -> str:
    """The export of `export.package` as the lock holds it now (no resolution, no network)."""
    command = [uv, "export", "--frozen", "--package", export.package, "--no-dev", "--no-emit-workspace"]
    command += ["--no-header", "--format", "requirements.txt"]
    text = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return HEADER + text


def uv_requirements() -> str:
    """uv's own pin and hashes, read from the lock (it is in the dev group)."""
    packages = tomllib.loads(LOCK.read_text())["package"]
    uv = next(p for p in packages if p["name"] == "uv")
    hashes = sorted(
        {artifact["hash"] for artifact in [*uv.get("wheels", []), uv.get("sdist", {})] if "hash" in artifact}
    )
    lines = [f"uv=={uv['version']} \\"]
    lines += [f"    --hash={value} \\" for value in hashes[:-1]] + [f"    --hash={hashes[-1]}"]
    return HEADER + "\n".join(lines) + "\n"


def derived_files(uv: str) -> dict[Path, str]:
    files = {export.path: exported(uv, export) for export in EXPORTS}
    files[UV_REQUIREMENTS] = uv_requirements()
    return files


def check(uv: str) -> list[str]:
    """What is stale: the lock against the pyproject files, and each derived file against the lock."""
    problems = []
    locked = subprocess.run([uv, "lock", "--check"], cwd=ROOT, capture_output=True, text=True)
    if locked.returncode != 0:
        problems.append(f"uv.lock is stale ({locked.stderr.strip().splitlines()[-1:]})")
    return problems + stale(derived_files(uv))


def stale(expected: dict[Path, str]) -> list[str]:
    """Each file whose bytes are not what the lock derives (hand edits included)."""
    return [
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} does not match uv.lock"
        for path, text in expected.items()
        if not path.exists() or path.read_text() != text
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.lock", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail when the lock or an export is stale")
    args = parser.parse_args(argv)
    uv = uv_binary()
    if args.check:
        problems = check(uv)
        for problem in problems:
            print(f"[lock] {problem}: run `make lock` and commit the result", file=sys.stderr)
        return 1 if problems else 0
    subprocess.run([uv, "lock"], cwd=ROOT, check=True)
    for path, text in derived_files(uv).items():
        path.write_text(text)
        print(f"[lock] wrote {path.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
