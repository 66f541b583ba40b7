"""The functions' source zip: the layout `gcloud functions deploy` needs, deterministic."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType

from .conftest import INFRA, REPO, Terraform


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
    # Everything under functions/ that is source goes in.
    for path in (REPO / "functions").rglob("*.py"):
        if "__pycache__" not in path.parts:
            assert path.relative_to(REPO / "functions").as_posix() in names


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
