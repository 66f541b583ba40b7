"""Every container image the builds and the agent start from is pinned: an exact version tag, and a
digest where public sources let one be checked (the comments next to each say which). A floating tag
(`python:3.11-slim`, `node:22`, `:slim`, `:latest`, none) would change what a rebuild of the same
commit runs."""

from __future__ import annotations

import re

import pytest

from .conftest import CLOUDBUILD_CONFIGS, REPO, cloudbuild

DIGEST = r"@sha256:[0-9a-f]{64}"
# An exact version: at least major.minor.patch in the tag (a variant suffix may follow).
EXACT_TAG = r":\d+\.\d+\.\d+(?:-[a-z0-9.-]+)?"


def is_pinned(image: str) -> bool:
    return bool(re.search(rf"(?:{EXACT_TAG})?{DIGEST}$", image) or re.search(rf"{EXACT_TAG}$", image))


def build_images() -> list[tuple[str, str]]:
    """(where, image) for every step image of the three builds, substitutions resolved."""
    found = []
    for which in CLOUDBUILD_CONFIGS:
        config = cloudbuild(which)
        subs = config.get("substitutions", {})
        for step in config["steps"]:
            name = re.sub(
                r"\$\{(_[A-Z0-9_]+)\}",
                lambda m, subs=subs: str(subs.get(m.group(1), m.group(0))),
                step["name"],
            )
            found.append((f"{which}/{step['id']}", name))
    return found


def test_the_check_tells_pinned_from_floating() -> None:
    assert is_pinned("python:3.11.13-slim-bookworm@sha256:" + "a" * 64)
    assert is_pinned("gcr.io/cloud-builders/docker@sha256:" + "b" * 64)
    assert is_pinned("gcr.io/google.com/cloudsdktool/cloud-sdk:581.0.0-slim")
    assert is_pinned("hashicorp/terraform:1.14.4")
    for floating in (
        "python:3.11-slim",
        "node:22",
        "cloud-sdk:slim",
        "bash",
        "x:latest",
        "python:3.11.13@sha256:12",
    ):
        assert not is_pinned(floating), floating


@pytest.mark.parametrize(("where", "image"), build_images(), ids=lambda value: str(value))
def test_build_images_are_pinned(where: str, image: str) -> None:
    if image == "bash":
        pytest.fail(f"{where}: the `bash` builder is not pinned; use a pinned image")
    assert is_pinned(image), f"{where}: {image} is not pinned to an exact version or digest"


def test_the_agent_base_image_is_pinned_by_digest() -> None:
    dockerfile = (REPO / "agent_worker" / "Dockerfile").read_text(encoding="utf-8")
    (base,) = re.findall(r"^FROM\s+(\S+)", dockerfile, flags=re.M)
    assert re.fullmatch(rf"python:3\.11\.\d+-slim-bookworm{DIGEST}", base), base
    # The same base as the ci build's tests, so the tests run on the interpreter the agent ships with.
    assert cloudbuild("ci")["substitutions"]["_PYTHON_IMAGE"] == base
