"""The compare-and-set's write, built as raw protobuf, against the client library's own encoding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from google.api_core.datetime_helpers import DatetimeWithNanoseconds
from google.cloud.firestore_v1 import _helpers
from google.protobuf import timestamp_pb2

from interview_core.adapters.firestore_writes import encode, update_write

PATH = "projects/p/databases/(default)/documents/interviews/abc"
T0 = datetime(2026, 11, 26, 3, 4, 5, 678901, tzinfo=UTC)

VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -7,
    2**62,
    1.5,
    -0.25,
    "",
    "Ada Lovelace, naïve café 日本",
    T0,
    T0.astimezone(timezone(timedelta(hours=-5))),
    datetime(2026, 1, 2, 3, 4, 5, 6),  # naive: UTC, as the library takes it
    DatetimeWithNanoseconds(2026, 11, 26, 3, 4, 5, 678901, tzinfo=UTC),
    DatetimeWithNanoseconds(2026, 11, 26, 3, 4, 5, nanosecond=123456789, tzinfo=UTC),
    [],
    {},
    [1, "two", [3.0, None], {"four": T0}],
    {"client": {"first_audio": {"count": 2, "sum_ms": 812.5, "recent_ms": [400.0, 412.5]}}},
    {"key with spaces.and dots": 1, "`quoted`": "x"},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_values_encode_exactly_as_the_client_library_encodes_them(value: Any) -> None:
    assert encode(value) == _helpers.encode_value(value)._pb


def test_other_types_are_refused() -> None:
    for value in ({1, 2}, b"bytes", object()):
        with pytest.raises(TypeError):
            encode(value)


def test_an_update_write_is_the_one_the_library_makes_for_update_with_a_last_update_time() -> None:
    stamp = timestamp_pb2.Timestamp(seconds=1_790_000_000, nanos=123_456_000)
    updates = {
        "invite.uses": 3,
        "invite.recent_token_requests": [T0, T0 + timedelta(seconds=5)],
        "updated_at": T0,
        "metrics.client": {"first_audio": {"count": 1}},
    }
    ours = update_write(PATH, updates, stamp)
    (theirs,) = _helpers.pbs_for_update(PATH, updates, _helpers.LastUpdateOption(stamp))
    assert sorted(ours.update_mask.field_paths) == sorted(theirs._pb.update_mask.field_paths)
    del ours.update_mask.field_paths[:]
    del theirs._pb.update_mask.field_paths[:]
    assert ours == theirs._pb
    assert ours.current_document.update_time == stamp


def test_a_write_sets_only_the_named_fields_and_refuses_what_it_cannot_name() -> None:
    stamp = timestamp_pb2.Timestamp(seconds=1)
    write = update_write(PATH, {"invite.uses": 1}, stamp)
    assert list(write.update_mask.field_paths) == ["invite.uses"]
    assert list(write.update.fields) == ["invite"]
    assert list(write.update.fields["invite"].map_value.fields) == ["uses"]
    with pytest.raises(ValueError, match="nothing to update"):
        update_write(PATH, {}, stamp)  # without a mask, a write would replace the document
    with pytest.raises(ValueError, match="contains another"):  # as the library refuses it too
        update_write(PATH, {"invite": {"uses": 1}, "invite.uses": 2}, stamp)
    with pytest.raises(ValueError, match="Conflicting field path"):
        _helpers.pbs_for_update(PATH, {"invite": {"uses": 1}, "invite.uses": 2}, None)
    update_write(PATH, {"invite": 1, "invites.uses": 2}, stamp)  # a shared prefix is not a parent
    for path in ("a b", "a..b", "`a`", "a.", "1a", ""):
        with pytest.raises(ValueError, match="field path"):
            update_write(PATH, {path: 1}, stamp)
