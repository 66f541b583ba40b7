"""Retention in the cloud deletes on the field the code writes: the Firestore TTL policies name the
expiry field of domain/retention.py for every collection that holds an interview's data, and the
archive bucket deletes objects once their custom time (the same expiry) has passed."""

from __future__ import annotations

from .conftest import Terraform, blocks


def test_the_ttl_policies_name_the_field_the_code_writes(tf: Terraform) -> None:
    from interview_core.adapters.firestore_store import INTERVIEWS, REPORTS, TOMBSTONES, TURNS
    from interview_core.domain.models import Interview
    from interview_core.domain.retention import EXPIRY_FIELD, Tombstone

    field = tf.resource("google_firestore_field", "ttl")
    assert field["field"] == "${local.ttl_field}"
    assert tf.locals["ttl_field"] == EXPIRY_FIELD
    assert field["collection"] == "${each.key}"
    assert field["for_each"] == "${local.ttl_collections}"
    assert set(tf.locals["ttl_collections"]) == {INTERVIEWS, TURNS, REPORTS, TOMBSTONES}
    assert blocks(field, "ttl_config") == [{}]
    # The documents the code writes carry that field (turns and reports copy it from the interview).
    assert EXPIRY_FIELD in Interview.model_fields
    assert EXPIRY_FIELD in Tombstone.model_fields


def test_the_archive_bucket_deletes_objects_past_their_custom_time(tf: Terraform) -> None:
    bucket = tf.resource("google_storage_bucket", "archives")
    conditions = [blocks(rule, "condition")[0] for rule in blocks(bucket, "lifecycle_rule")]
    assert {"days_since_custom_time": 0} in conditions
    # The backstop for objects without a custom time outlives the longest retention and invite window.
    from interview_core.domain.models import MAX_INVITE_TTL_HOURS
    from interview_core.domain.retention import MAX_RETENTION_DAYS

    longest_invite_days = MAX_INVITE_TTL_HOURS / 24
    assert tf.variable_default("archive_retention_days") > MAX_RETENTION_DAYS + longest_invite_days


def test_rate_limit_windows_expire_on_the_field_the_code_writes(tf: Terraform) -> None:
    """Without this policy every request ever limited would leave a document behind for good."""
    from interview_core.adapters import rate_limits

    field = tf.resource("google_firestore_field", "rate_limit_ttl")
    assert field["collection"] == "${local.rate_limit_collection}"
    assert tf.locals["rate_limit_collection"] == rate_limits.COLLECTION
    assert field["field"] == "${local.rate_limit_ttl_field}"
    assert tf.locals["rate_limit_ttl_field"] == rate_limits.EXPIRY_FIELD
    assert blocks(field, "ttl_config") == [{}]
    assert blocks(field, "index_config") == [{}]  # no index: nothing queries by expiry
