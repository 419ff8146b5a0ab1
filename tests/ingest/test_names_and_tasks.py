"""Person names, person keys and task identity."""

from __future__ import annotations

from datetime import date

import pytest

from courtlake.lake import LocalLake
from ingest.names import PersonName, fold, person_key
from ingest.tasks import SALTS, Landing, TaskId, TaskOutput


def test_names_parse_with_suffixes_hyphens_apostrophes_and_accents():
    name = PersonName.parse("Peña-Ruiz, José Luis Jr")
    assert (name.last, name.first, name.middle, name.suffix) == ("Peña-Ruiz", "José", "Luis", "Jr")
    assert PersonName.parse("O'Neal, D'Angelo").last == "O'Neal"
    assert fold("O'Néal-Smith") == "onealsmith"


def test_same_name_folded_matches_and_a_different_first_name_does_not():
    assert PersonName.parse("PENA, JOSE").matches(PersonName.parse("Peña, José"))
    assert not PersonName.parse("Pena, Josefina").matches(PersonName.parse("Pena, Jose"))


def test_person_key_is_stable_and_depends_on_date_of_birth():
    a = person_key(PersonName.parse("Smith, John A"), "1990-01-02")
    assert a == person_key(PersonName.parse("SMITH, JOHN"), "1990-01-02")
    assert a != person_key(PersonName.parse("Smith, John"), "1990-01-03")


def test_task_identity_is_deterministic_and_salted():
    day = date(2026, 11, 23)
    task = TaskId.of("case_detail", "General Sessions Civil, Division 1|26-GC-000123", day)
    again = TaskId.of("case_detail", "General Sessions Civil, Division 1|26-GC-000123", day)
    assert task.landing_key == again.landing_key
    assert task.landing_key.startswith(f"landing/case_detail/2026-11-23/v={SALTS['case_detail']}/")
    other_salt = TaskId(task.stream, task.key, task.as_of, "another", task.portal)
    assert other_salt.landing_key != task.landing_key
    with pytest.raises(ValueError):
        TaskId.of("nope", "x", day)


def test_landing_is_create_only_and_found_by_identity(tmp_path):
    landing = Landing(LocalLake(tmp_path))
    task = TaskId.of("booking", "2026-0001234", date(2026, 11, 23))
    first = TaskOutput(task, "ok", {"booking": {"n": 1}}, ("abc",), "2026-11-23T10:00:00Z")
    second = TaskOutput(task, "ok", {"booking": {"n": 2}}, ("def",), "2026-11-23T11:00:00Z")
    assert not landing.done(task)
    assert landing.write(first) is True
    assert landing.write(second) is False  # the first output stays
    assert landing.read(task) == first
    assert landing.outputs("booking", task.as_of) == [first]


def test_every_raw_table_is_landed_by_one_stream():
    from ingest.raw_tables import RAW_TABLES
    from ingest.tasks import ALL_STREAMS, UPSTREAM, stream_of_table

    for table in RAW_TABLES:
        assert stream_of_table(table) in ALL_STREAMS, table
    assert stream_of_table("court_filings") == "filings"
    assert stream_of_table("jail_booking_bonds") == "booking"
    assert stream_of_table("ledger") is None
    for stream, upstreams in UPSTREAM.items():  # planned only from streams that run first
        assert all(ALL_STREAMS.index(u) < ALL_STREAMS.index(stream) for u in upstreams)
