"""One region everywhere: firebase.json's /api/** rewrite, Terraform, settings.py and cloudbuild.yaml."""

from __future__ import annotations

from .conftest import Terraform, cloudbuild, firebase, settings_default


def test_regions_agree(tf: Terraform) -> None:
    rewrites = firebase()["hosting"]["rewrites"]
    api_rewrite = next(rule for rule in rewrites if rule.get("source") == "/api/**")
    assert api_rewrite["function"]["functionId"] == "api"
    region = api_rewrite["function"]["region"]
    assert tf.variable_default("region") == region
    assert settings_default("region") == region
    for which in ("publish", "release"):
        assert cloudbuild(which)["substitutions"]["_REGION"] == region, which


def test_everything_regional_uses_var_region(tf: Terraform) -> None:
    for rtype, named in tf.resources.items():
        for name, body in named.items():
            for key in ("location", "region"):
                if key in body and rtype not in {"google_storage_bucket"}:
                    assert body[key] in {"${var.region}"} or body[key].startswith("${google_"), (
                        f"{rtype}.{name}.{key} = {body[key]}"
                    )
    for name in ("archives", "sources"):
        assert tf.resource("google_storage_bucket", name)["location"] == "${var.region}"
