"""What the two builds ship: the functions' source zip and the agent image's files.

Both must carry the shared core package (interview_core) and the hashed requirements exported from
uv.lock, and run with nothing on PYTHONPATH. The agent image cannot be built here (no Docker engine),
so its COPY and WORKDIR instructions are replayed into a folder and the image's entry module is
imported from there.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

from devstack import lock

from .conftest import INFRA, REPO, Terraform
from .test_dockerfile import instructions


def packager() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "package_functions", INFRA / "tools" / "package_functions.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_zip_layout(tmp_path: Path) -> None:
    names = packager().package(tmp_path / "functions.zip")
    with zipfile.ZipFile(tmp_path / "functions.zip") as archive:
        assert sorted(archive.namelist()) == sorted(names)
    assert "requirements.txt" in names
    assert "interview_core/settings.py" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert not [name for name in names if name.startswith(("functions/", "."))]
    # Everything under functions/ that is source goes in; the development-only project files do not.
    for path in (REPO / "functions").rglob("*.py"):
        if "__pycache__" not in path.parts:
            assert path.relative_to(REPO / "functions").as_posix() in names
    assert not [name for name in names if name.endswith("pyproject.toml")]


def test_zip_installs_the_hashed_export_of_the_lock(tmp_path: Path) -> None:
    packager().package(tmp_path / "functions.zip")
    with zipfile.ZipFile(tmp_path / "functions.zip") as archive:
        requirements = archive.read("requirements.txt").decode()
    assert requirements == lock.exported(lock.uv_binary(), lock.EXPORTS[0])
    assert "--hash=sha256:" in requirements


def _clean_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def _imported_from(cwd: Path, module: str) -> Path:
    """Where `interview_core` is imported from when `module` is imported in `cwd` (no PYTHONPATH)."""
    code = f"import {module}, interview_core; print(interview_core.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=_clean_env(), capture_output=True, text=True, check=True
    )
    return Path(out.stdout.strip().splitlines()[-1]).resolve()


def test_zip_carries_the_core_and_imports_it_from_the_archive(tmp_path: Path) -> None:
    packager().package(tmp_path / "functions.zip")
    root = tmp_path / "source"
    with zipfile.ZipFile(tmp_path / "functions.zip") as archive:
        archive.extractall(root)
    assert _imported_from(root, "main").is_relative_to(root.resolve())


def _replay_copies(context: Path, image: Path) -> Path:
    """The image's files: every COPY of the Dockerfile applied to a folder; returns its WORKDIR."""
    workdir = image
    for keyword, arguments in instructions():
        words = shlex.split(arguments)
        if keyword == "WORKDIR":
            workdir = image / words[0].lstrip("/")
        if keyword == "COPY":
            source, target = context / words[-2], image / words[-1].lstrip("/")
            if source.is_dir():
                ignored = shutil.ignore_patterns("__pycache__", "*.pyc", "pyproject.toml", "Dockerfile*")
                shutil.copytree(source, target, ignore=ignored, dirs_exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    return workdir


def test_agent_image_carries_the_core_and_imports_it_from_its_workdir(tmp_path: Path) -> None:
    workdir = _replay_copies(REPO, tmp_path / "image")
    assert (workdir / "interview_core" / "domain" / "models.py").is_file()
    assert (workdir / "agent_worker" / "requirements.txt").read_text() == lock.exported(
        lock.uv_binary(), lock.EXPORTS[1]
    )
    assert _imported_from(workdir, "agent_worker.worker").is_relative_to(workdir.resolve())


def test_zip_is_deterministic(tmp_path: Path) -> None:
    module = packager()
    module.package(tmp_path / "a.zip")
    module.package(tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_terraform_bootstrap_zip_has_the_same_layout(tf: Terraform) -> None:
    archive = tf.data["archive_file"]["functions_bootstrap"]
    assert "source" not in archive
    (dynamic,) = (block["source"] for block in archive["dynamic"] if "source" in block)
    assert dynamic["for_each"] == "${toset(local.functions_files)}"
    assert dynamic["content"][0]["filename"] == "${source.value}"
    files = tf.locals["functions_files"]
    for excluded in ("__pycache__", ".pyc"):
        assert excluded in files, f"the bootstrap file list does not leave out {excluded}"
