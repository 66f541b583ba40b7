"""One hashed lock: uv.lock is current, and every install path installs from it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from devstack import lock

ROOT = Path(__file__).resolve().parents[2]


def _pins(text: str) -> dict[str, str]:
    return {m[1].lower(): m[2] for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", text, re.M)}


def test_the_lock_and_its_exports_are_current() -> None:
    assert lock.check(lock.uv_binary()) == []


def test_a_hand_edited_export_is_stale(tmp_path: Path) -> None:
    """The staleness check compares bytes, so a hand edit of an export fails CI."""
    export = lock.EXPORTS[0]
    expected = lock.exported(lock.uv_binary(), export)
    copy = tmp_path / "requirements.txt"
    copy.write_text(expected)
    assert lock.stale({copy: expected}) == []
    copy.write_text(expected.replace("functions-framework==", "functions-framework>=", 1))
    assert lock.stale({copy: expected}) == [f"{copy} does not match uv.lock"]
    assert lock.stale({tmp_path / "missing.txt": expected}) == [
        f"{tmp_path / 'missing.txt'} does not match uv.lock"
    ]


def test_every_exported_package_is_pinned_with_hashes() -> None:
    for path in [export.path for export in lock.EXPORTS] + [lock.UV_REQUIREMENTS]:
        text = path.read_text()
        requirements = [line for line in text.splitlines() if line and not line.startswith(("#", " "))]
        assert requirements, path
        for line in requirements:
            assert re.fullmatch(r"[A-Za-z0-9_.-]+==\S+ \\", line) or "; " in line, (path, line)
        assert text.count("--hash=sha256:") >= len(requirements), path


def test_the_exports_hold_the_versions_of_the_lock() -> None:
    locked = {p["name"]: p.get("version") for p in tomllib.loads(lock.LOCK.read_text())["package"]}
    for export in lock.EXPORTS:
        for name, version in _pins(export.path.read_text()).items():
            assert locked.get(name) == version, (export.path, name)
        assert "interview-core" not in _pins(export.path.read_text())  # copied, not installed


def test_the_dev_environment_is_the_lock() -> None:
    """`make install` synced .venv from uv.lock: what is installed is what is locked."""
    locked = {p["name"]: p.get("version") for p in tomllib.loads(lock.LOCK.read_text())["package"]}
    frozen = subprocess.run(
        [lock.uv_binary(), "pip", "freeze", "--python", sys.executable, "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {
        name.lower().replace("_", "-"): version
        for name, version in re.findall(r"^(\S+)==(\S+)$", frozen, re.M)
    }
    assert installed, frozen
    for name, version in installed.items():
        assert locked.get(name) == version, name


def test_the_agent_image_installs_the_hashed_export() -> None:
    dockerfile = (ROOT / "agent_worker" / "Dockerfile").read_text()
    assert "COPY agent_worker/requirements.txt" in dockerfile
    install = next(line for line in dockerfile.splitlines() if "pip install" in line)
    assert "--require-hashes" in install
    assert "--no-deps" in install
    assert "-r /app/agent_worker/requirements.txt" in install


def test_install_syncs_from_the_lock_only() -> None:
    script = (ROOT / "devstack" / "install.sh").read_text()
    assert "sync --frozen" in script
    assert "--require-hashes" in script  # uv itself
    assert "requirements-dev.txt" not in script
    assert not (ROOT / "constraints.txt").exists()
    assert not (ROOT / "requirements-dev.txt").exists()
