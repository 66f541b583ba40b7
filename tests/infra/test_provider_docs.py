"""Every resource type and argument infra/ uses exists in the providers' documentation.

The local stand-in for `terraform validate`, which needs provider binaries this machine cannot get
(tests/infra/provider_docs.json says why and where each list comes from; cloudbuild.ci.yaml runs the
real validate). A type is either documented there or listed as unverified, never silently unknown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import INFRA, parse_tf, tf_files

DOCS = json.loads((Path(__file__).parent / "provider_docs.json").read_text(encoding="utf-8"))
META = {"provider", "depends_on", "for_each", "count", "lifecycle", "dynamic"}
BETA_ONLY = {name for name, entry in DOCS["resources"].items() if entry["provider"] == "google-beta"} | {
    name for name, entry in DOCS["data_sources"].items() if entry["provider"] == "google-beta"
}


def used() -> dict[tuple[str, str, str], dict[str, Any]]:
    """(kind, type, name) => body, for every resource and data source of infra/."""
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for path in tf_files():
        parsed = parse_tf(path)
        for kind in ("resource", "data"):
            for block in parsed.get(kind, []):
                for rtype, named in block.items():
                    for name, body in named.items():
                        found[(kind, rtype, name)] = body
    return found


def test_every_type_is_documented_or_listed_as_unverified() -> None:
    known = set(DOCS["resources"]) | set(DOCS["data_sources"]) | set(DOCS["unverified"])
    types = {rtype for _, rtype, _ in used()}
    assert types - known == set(), f"add these to provider_docs.json: {sorted(types - known)}"
    assert set(DOCS["unverified"]) & (set(DOCS["resources"]) | set(DOCS["data_sources"])) == set()


@pytest.mark.parametrize("key", sorted(used()), ids=lambda key: f"{key[1]}.{key[2]}")
def test_arguments_exist_in_the_documentation(key: tuple[str, str, str]) -> None:
    kind, rtype, _ = key
    table = DOCS["resources"] if kind == "resource" else DOCS["data_sources"]
    if rtype not in table:
        pytest.skip(f"{rtype}: documentation not read here ({DOCS['unverified'][rtype]}); CI validates it")
    documented = set(table[rtype]["arguments"])
    arguments = set(used()[key]) - META
    assert arguments <= documented, f"{rtype}: not in its documentation: {sorted(arguments - documented)}"


@pytest.mark.parametrize("key", sorted(used()), ids=lambda key: f"{key[1]}.{key[2]}")
def test_beta_resources_use_the_beta_provider(key: tuple[str, str, str]) -> None:
    _, rtype, _ = key
    provider = used()[key].get("provider")
    if rtype in BETA_ONLY:
        assert provider == "google-beta", f"{rtype} exists only in google-beta"
    else:
        assert provider in (None, "google"), f"{rtype} should use the GA provider"


def test_pinned_versions_are_the_documented_ones_and_the_locked_ones() -> None:
    terraform = parse_tf(INFRA / "versions.tf")["terraform"][0]
    providers = terraform["required_providers"][0]
    for name, version in DOCS["provider_version"].items():
        assert providers[name]["version"] == f"= {version}", name
    lock = (INFRA / ".terraform.lock.hcl").read_text(encoding="utf-8")
    for name, spec in providers.items():
        if name == "google-beta":
            continue  # not in the lock file: see its header
        pinned = spec["version"].removeprefix("= ")
        assert f'provider "registry.terraform.io/hashicorp/{name}" {{\n  version     = "{pinned}"' in lock
