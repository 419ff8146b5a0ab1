"""The truth export: what is visible on a day, deterministic to the byte."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from simulator.model import RELEASED_LISTED_DAYS, World
from simulator.truth import dumps_truth, truth_on, write_truth
from simulator.world import generate_world

SEED = 5
AS_OF = date(2026, 11, 23)
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONEY = re.compile(r"^-?\d+\.\d{2}$")


@pytest.fixture(scope="module")
def world() -> World:
    return generate_world(SEED, 0.5)


@pytest.fixture(scope="module")
def truth(world: World) -> dict:
    return truth_on(world, AS_OF)


def test_given_same_seed_when_written_twice_then_files_are_byte_identical(tmp_path: Path):
    # GIVEN two worlds generated separately from the same seed and scale
    first = write_truth(generate_world(SEED, 0.1), AS_OF, tmp_path / "a.json")
    second = write_truth(generate_world(SEED, 0.1), AS_OF, tmp_path / "b.json")
    # THEN their truth files are the same bytes, one JSON line
    data = first.read_bytes()
    assert data == second.read_bytes()
    assert data.endswith(b"}\n") and data.count(b"\n") == 1
    assert json.loads(data)["as_of"] == AS_OF.isoformat()
    # AND another seed gives another file
    third = write_truth(generate_world(SEED + 1, 0.1), AS_OF, tmp_path / "c.json")
    assert third.read_bytes() != data


def test_truth_is_canonical_json(truth: dict):
    """GIVEN a truth document WHEN serialised THEN it is canonical JSON (sorted keys, compact,
    UTF-8)."""
    text = dumps_truth(truth)
    assert json.loads(text) == truth
    assert text == json.dumps(
        json.loads(text), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert "\\u" not in text, "accents are written as UTF-8, not escaped"


def test_cases_are_exactly_those_visible_on_the_day(world: World, truth: dict):
    """GIVEN a day THEN the truth lists exactly the cases visible that day, sorted."""
    expected = {c.case_number for c in world.cases if c.visible_on(AS_OF)}
    assert {c["case_number"] for c in truth["cases"]} == expected
    assert all(c["posted_on"] <= AS_OF.isoformat() for c in truth["cases"])
    numbers = [(c["court"], c["case_number"]) for c in truth["cases"]]
    assert numbers == sorted(numbers)


def test_case_details_are_shown_as_of_the_day(world: World, truth: dict):
    """GIVEN a visible case THEN status, docket, hearings, money and charges are as of the day."""
    by_number = {c.case_number: c for c in world.cases}
    day = AS_OF.isoformat()
    for shown in truth["cases"]:
        case = by_number[shown["case_number"]]
        assert shown["status"] == case.status_on(AS_OF)
        assert all(e["event_date"] <= day for e in shown["events"])
        assert len(shown["events"]) == len(case.events_on(AS_OF))
        assert all(h["set_on"] <= day for h in shown["hearings"])
        assert all(h["result"] is None for h in shown["hearings"] if h["scheduled_at"][:10] > day)
        assert all(MONEY.match(shown[k]) for k in ("fees_assessed", "paid", "balance"))
        assert all(ISO_DAY.match(shown[k]) for k in ("filed_date", "posted_on"))
        for charge in shown["charges"]:
            assert charge["disposition"] is None or charge["disposition_date"] <= day


def test_parties_show_name_address_and_attorney_of_the_day(world: World, truth: dict):
    """GIVEN parties THEN name, address and attorney are those shown on the day."""
    by_key = {p.party_key: p for c in world.cases for p in c.parties}
    parties = [p for c in truth["cases"] for p in c["parties"]]
    assert any(p["is_pseudo"] for p in parties) and any(p["is_business"] for p in parties)
    for shown in parties:
        party = by_key[shown["party_key"]]
        assert shown["name"] == party.display_name_on(AS_OF)
        address = party.address_on(AS_OF)
        assert (shown["address"] is None) == (address is None)
        if address is not None:
            assert shown["address"]["display"] == address.display()
        assert (shown["attorney"] is None) == (party.attorney_on(AS_OF) is None)


def test_people_are_those_named_by_visible_cases_and_the_roster(truth: dict):
    """GIVEN the truth THEN people are exactly those its cases and roster name, sorted."""
    keys = [p["person_key"] for p in truth["people"]]
    assert keys == sorted(keys)
    referenced = {p["person_key"] for c in truth["cases"] for p in c["parties"] if p["person_key"]}
    referenced |= {b["person_key"] for b in truth["bookings"] + truth["released_bookings"]}
    assert set(keys) == referenced
    person = truth["people"][0]
    assert ISO_DAY.match(person["dob"]) and person["display"].startswith(person["last"] + ",")


def test_bookings_are_the_roster_of_the_day(world: World, truth: dict):
    """GIVEN a day THEN bookings are that day's roster, with custody of the day and no release
    date."""
    expected = sorted(b.booking_number for b in world.bookings if b.in_custody_on(AS_OF))
    assert [b["booking_number"] for b in truth["bookings"]] == expected
    by_number = {b.booking_number: b for b in world.bookings}
    for shown in truth["bookings"]:
        assert shown["custody_status"] == by_number[shown["booking_number"]].custody_on(AS_OF)
        assert "released_on" not in shown, "the roster cannot know a future release"
        assert shown["release_date"] is None
        assert shown["booked_at"] <= AS_OF.isoformat() + "T23:59:59"
        assert shown["commitment_date"] == shown["booked_at"][:10]


def test_released_bookings_are_those_released_in_the_last_30_days(world: World, truth: dict):
    """GIVEN a day THEN released_bookings are the stays that ended on one of the 30 days up
    to it, with their release date and their last custody status."""
    first = AS_OF - timedelta(days=RELEASED_LISTED_DAYS - 1)
    expected = sorted(
        b.booking_number
        for b in world.bookings
        if b.released_on is not None and first <= b.released_on <= AS_OF
    )
    shown = truth["released_bookings"]
    assert [b["booking_number"] for b in shown] == expected and expected
    by_number = {b.booking_number: b for b in world.bookings}
    for booking in shown:
        world_booking = by_number[booking["booking_number"]]
        assert booking["release_date"] == world_booking.released_on.isoformat()
        assert booking["custody_status"] == world_booking.custody[-1].status
    assert not {b["booking_number"] for b in shown} & {
        b["booking_number"] for b in truth["bookings"]
    }


def test_jail_ids_are_unique_and_a_permanent_id_follows_the_person(world: World, truth: dict):
    """GIVEN every booking THEN record ids are unique 14–15 digit numbers, photo ids are the
    record id, another number or "0", and a person keeps one permanent id across stays."""
    sys_ids = [b.sys_id for b in world.bookings]
    assert len(set(sys_ids)) == len(sys_ids)
    assert all(re.fullmatch(r"[1-9]\d{13,14}", i) for i in sys_ids)
    images = [b.img_sys_id for b in world.bookings]
    assert {"0"} < set(images) and sum(i == b for i, b in zip(images, sys_ids, strict=True)) > 0
    booked = {b.person_key for b in world.bookings}
    permanent = {k: p.permanent_id for k, p in world.people.items() if k in booked}
    assert all(re.fullmatch(r"\d{6}", i or "") for i in permanent.values())
    assert len(set(permanent.values())) == len(permanent)
    assert all(p.permanent_id is None for k, p in world.people.items() if k not in booked)
    people = {p["person_key"]: p for p in truth["people"]}
    for booking in truth["bookings"] + truth["released_bookings"]:
        assert booking["permanent_id"] == people[booking["person_key"]]["permanent_id"]
    again = generate_world(SEED, 0.5)
    assert [b.sys_id for b in again.bookings] == sys_ids


def test_booking_bonds_split_each_case_bond_over_its_charges(world: World, truth: dict):
    """GIVEN a booking's bonds on the day THEN one per charge a court case backs; those of a
    case add up to that case's bond of the day (or the booking's own, for an older case),
    and the grand total is their sum."""
    cases = {c.case_number: c for c in world.cases}
    several = 0
    for booking in truth["bookings"] + truth["released_bookings"]:
        bonds = booking["bonds"]
        several += len(bonds) > 1
        total = sum(Decimal(b["amount"]) for b in bonds if b["amount"])
        assert booking["bond_grand_total"] == (f"{total:.2f}" if bonds else None)
        for bond in bonds:
            charge = booking["charges"][bond["charge"] - 1]
            assert bond["case_number"] == charge["court_case_number"]
            assert (bond["amount"] is None) == (bond["bond_type"] in ("ROR", "No Bond"))
        for number in {b["case_number"] for b in bonds if b["case_number"] and b["amount"]}:
            case_total = sum(Decimal(b["amount"]) for b in bonds if b["case_number"] == number)
            day = min(AS_OF, date.fromisoformat(booking["release_date"] or str(AS_OF)))
            assert case_total == cases[number].bonds_on(day)[-1].amount
    assert several > 10


def test_a_bond_is_posted_on_a_release_before_the_disposition(world: World, truth: dict):
    """GIVEN a released booking THEN its bonds with an amount show POSTED, by someone, on the
    release day exactly when it was released still pretrial and before its case was
    disposed; unreleased bookings show none posted."""
    cases = {c.case_number: c for c in world.cases}
    posted = 0
    for booking in truth["bookings"]:
        assert all(b["status"] != "POSTED" and b["post_date"] is None for b in booking["bonds"])
    for booking in truth["released_bookings"]:
        release = booking["release_date"]
        for bond in booking["bonds"]:
            if bond["status"] == "POSTED":
                posted += 1
                assert bond["post_date"] == release and bond["posted_by"]
                assert booking["custody_status"] == "Pretrial"
                case = cases.get(bond["case_number"] or "")
                disposed = case.charges[0].disposition_date if case else None
                assert disposed is None or disposed.isoformat() > release
    assert posted > 0


def test_detainers_are_the_hold_charges_and_charges_carry_offense_dates(truth: dict):
    for booking in truth["bookings"] + truth["released_bookings"]:
        holds = [
            c
            for c in booking["charges"]
            if c["court_case_number"] is None and not c["charge_class"]
        ]
        assert len(booking["detainers"]) == len(holds)
        assert all(d["lodged_on"] == booking["commitment_date"] for d in booking["detainers"])
        for charge in booking["charges"]:
            assert charge["offense_date"] <= booking["commitment_date"]
            assert charge["degree_code"] == charge["degree"][0]
    assert any(b["detainers"] for b in truth["bookings"])


def test_booking_hearings_are_the_stays_court_settings(world: World, truth: dict):
    """GIVEN a booking THEN its hearings are those of its charges' cases, not canceled,
    set by the day and scheduled from the commitment date to the release."""
    cases = {c.case_number: c for c in world.cases}
    for booking in truth["bookings"] + truth["released_bookings"]:
        numbers = {c["court_case_number"] for c in booking["charges"]} - {None}
        expected = sorted(
            (h.scheduled_at.isoformat(), n)
            for n in numbers
            for h in cases[n].hearings_on(AS_OF)
            if not h.state_on(AS_OF)[0]
            and booking["commitment_date"]
            <= h.scheduled_at.date().isoformat()
            <= (booking["release_date"] or "9999")
        )
        assert (
            sorted((h["scheduled_at"], h["case_number"]) for h in booking["hearings"]) == expected
        )
    assert any(b["hearings"] for b in truth["bookings"])


def test_advancing_the_clock_only_reveals_more(world: World):
    # GIVEN the truth of a day and of 60 days later
    early_day = AS_OF - timedelta(days=60)
    early, later = truth_on(world, early_day), truth_on(world, AS_OF)
    later_cases = {c["case_number"]: c for c in later["cases"]}
    removed = {r["case_number"] for r in later["removals"]}
    grew = 0
    for case in early["cases"]:
        # THEN every case is still there (unless removed) with at least the same entries
        if case["case_number"] in removed:
            assert case["case_number"] not in later_cases
            continue
        now = later_cases[case["case_number"]]
        entries = {json.dumps(e, sort_keys=True) for e in case["events"]}
        assert entries <= {json.dumps(e, sort_keys=True) for e in now["events"]}
        grew += len(now["events"]) > len(case["events"])
    assert grew > 0
    assert len(later["cases"]) > len(early["cases"])


def test_a_canceled_hearing_shows_canceled_only_from_its_cancel_day(world: World):
    """GIVEN a hearing canceled later WHEN seen the day before and on that day THEN it flips to
    CANCELED."""
    case, hearing = next(
        (c, h)
        for c in world.cases
        for h in c.hearings
        if h.canceled_on and c.posted_on < h.canceled_on
    )

    def shown(day: date) -> dict:
        shown_case = next(
            c for c in truth_on(world, day)["cases"] if c["case_number"] == case.case_number
        )
        return next(h for h in shown_case["hearings"] if h["hearing_key"] == hearing.hearing_key)

    before = shown(hearing.canceled_on - timedelta(days=1))
    after = shown(hearing.canceled_on)
    assert (before["canceled"], before["cancel_reason"]) == (False, None)
    assert (after["canceled"], after["cancel_reason"]) == (True, hearing.cancel_reason)


def test_a_removed_case_leaves_the_cases_and_joins_the_removals(world: World):
    # GIVEN a case removed after it was posted
    case = next(c for c in world.cases if c.removed_on and c.posted_on < c.removed_on)
    before = truth_on(world, case.removed_on - timedelta(days=1))
    after = truth_on(world, case.removed_on)
    # THEN it is a case the day before, and a removal from its removal day
    assert case.case_number in {c["case_number"] for c in before["cases"]}
    assert case.case_number not in {r["case_number"] for r in before["removals"]}
    assert case.case_number not in {c["case_number"] for c in after["cases"]}
    removal = next(r for r in after["removals"] if r["case_number"] == case.case_number)
    assert removal == {
        "court": case.court,
        "case_number": case.case_number,
        "removed_on": case.removed_on.isoformat(),
        "removal_kind": case.removal_kind,
    }


def test_a_case_not_yet_posted_is_not_in_the_truth(world: World):
    """GIVEN a late-posted case WHEN seen on its filing day THEN absent; on its posting day THEN
    present."""
    case = next(c for c in world.cases if c.posted_on > c.filed_date)
    assert case.case_number not in {
        c["case_number"] for c in truth_on(world, case.filed_date)["cases"]
    }
    assert case.case_number in {c["case_number"] for c in truth_on(world, case.posted_on)["cases"]}


def test_truth_does_not_depend_on_the_string_hash_seed(tmp_path: Path):
    """GIVEN two interpreters with different PYTHONHASHSEED WHEN each writes the truth of the
    same seed THEN the files are byte-identical (no set or hash order leaks into the world)."""
    script = (
        "import sys, datetime;"
        "from simulator.world import generate_world;"
        "from simulator.truth import write_truth;"
        f"write_truth(generate_world({SEED}, 0.1), datetime.date(2026, 11, 23), sys.argv[1])"
    )
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"truth-{hash_seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_portal_ids_are_unique_stable_and_rise_with_filing(world: World, truth: dict):
    """GIVEN the world THEN each case has its own numeric portal id, increasing in filing
    order, the same for the same seed; hearing ids are unique too."""
    ids = [c.portal_case_id for c in world.cases]
    assert len(set(ids)) == len(ids) and all(1_000_000 <= i < 10_000_000 for i in ids)
    assert ids == sorted(ids)
    again = generate_world(SEED, 0.5)
    assert [c.portal_case_id for c in again.cases] == ids
    assert {c["case_number"]: c["portal_case_id"] for c in truth["cases"]} == {
        c.case_number: c.portal_case_id for c in world.cases if c.visible_on(AS_OF)
    }
    hearing_ids = [h["hearing_id"] for c in truth["cases"] for h in c["hearings"]]
    assert len(set(hearing_ids)) == len(hearing_ids)


def test_parties_show_attorneys_pro_se_and_the_criminal_defendants_particulars(truth: dict):
    """GIVEN parties THEN `attorneys` lists the one attorney (as lead), a person defending
    without one is pro se, and criminal defendants show birth year, gender and race."""
    people = {p["person_key"]: p for p in truth["people"]}
    for case in truth["cases"]:
        for party in case["parties"]:
            lead = party["attorney"]
            assert [(a["name"], a["kind"], a["is_lead"]) for a in party["attorneys"]] == (
                [(lead["name"], lead["kind"], True)] if lead else []
            )
            person_defendant = party["role"] == "Defendant" and not (
                party["is_business"] or party["is_pseudo"]
            )
            assert party["is_pro_se"] == (person_defendant and not lead)
            if case["kind"] == "criminal" and party["person_key"]:
                person = people[party["person_key"]]
                assert party["birth_year"] == int(person["dob"][:4])
                assert party["gender"] == {"M": "Male", "F": "Female"}[person["sex"]]
                assert party["race"] == person["race"]
            else:
                assert party["birth_year"] is party["gender"] is party["race"] is None
    phones = [a["phone"] for c in truth["cases"] for p in c["parties"] for a in p["attorneys"]]
    assert any(phones) and all(p is None or re.fullmatch(r"901-555-\d{4}", p) for p in phones)


def test_the_financial_section_adds_up_to_the_case_totals(truth: dict):
    """GIVEN a case THEN its one financial block carries the fees assessed and paid, and the
    transactions sum to the balance (payments negative)."""
    for case in truth["cases"]:
        (block,) = case["financial"]
        assert block["total_assessment"] == case["fees_assessed"]
        assert block["payments_and_credits"] == case["paid"]
        total = sum(Decimal(t["amount"]) for t in block["transactions"])
        assert total == Decimal(case["balance"])
        role = "Defendant" if case["kind"] == "criminal" else "Plaintiff"
        payer = next(p["name"] for p in case["parties"] if p["role"] == role)
        assert block["party_name"] == payer
        for row in block["transactions"]:
            if Decimal(row["amount"]) < 0:  # a payment, with its receipt and payer
                assert row["payer"] == payer and row["receipt"].startswith("Receipt # ")


def test_an_event_comment_is_its_description_unless_that_repeats_the_type(truth: dict):
    events = [e for c in truth["cases"] for e in c["events"]]
    for event in events:
        expected = None if event["description"] == event["event_type"] else event["description"]
        assert event["comment"] == expected
    assert any(e["comment"] is None for e in events) and any(e["comment"] for e in events)
