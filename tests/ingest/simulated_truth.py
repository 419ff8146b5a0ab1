"""What the simulator's truth export says a case page shows, and what a parsed case page
says, in one comparable shape, under a county profile (what the profile's pages print:
masked dates of birth, a Judicial Officer label, a Financial section)."""

from __future__ import annotations

from datetime import date, timedelta

from ingest.counties import CountyProfile, CourtProfile


def address_line(address: dict | None) -> str | None:
    """The address as the case page prints it, lines joined with " | ": street, the unit
    on a line of its own, "City ST ZIP"."""
    if address is None:
        return None
    lines = [address["street"], address["unit"]]
    lines.append(f"{address['city']} {address['state']} {address['zip_code']}")
    return " | ".join(line for line in lines if line)


def _party_dob(case: dict, party: dict, people: dict[str, dict]) -> str | None:
    if case["kind"] != "criminal" or not party["person_key"]:
        return None
    return people[party["person_key"]]["dob"]


def truth_case_view(case: dict, people: dict[str, dict], profile: CourtProfile) -> dict:
    financial = "financial" in profile.case_sections
    parties = []
    for party in case["parties"]:
        dob = _party_dob(case, party, people)
        parties.append(
            (
                party["role"],
                party["name"],
                address_line(party["address"]),
                (party["attorney"] or {}).get("name"),
                None if profile.dob_masked else dob,
                int(dob[:4]) if dob else None,
            )
        )
    return {
        "status": case["status"],
        "filed_date": case["filed_date"],
        "case_type": case["case_type"],
        "judicial_officer": case["judicial_officer"] if profile.shows_judicial_officer else None,
        "fees_assessed": case["fees_assessed"] if financial else None,
        "paid": case["paid"] if financial else None,
        "balance_due": case["balance"] if financial else None,
        "parties": parties,
        "events": sorted((e["event_date"], e["event_type"], e["comment"]) for e in case["events"]),
        "hearings": sorted(
            (
                h["scheduled_at"][:10],
                h["scheduled_at"][11:16],
                h["hearing_type"],
                h["canceled"],
                h["cancel_reason"],
                h["result"],
            )
            for h in case["hearings"]
        ),
        "judgments": sorted(
            (j["judgment_date"], j["judgment_type"], j["judgment_for"], j["amount"])
            for j in case["judgments"]
        ),
        "charges": [(c["statute"], c["disposition"]) for c in case["charges"]],
        "bonds": sorted((b["set_on"], b["bond_type"], b["amount"]) for b in case["bonds"]),
    }


def _lead_attorney(party: dict) -> str | None:
    leads = [a["name"] for a in party["attorneys"] if a["is_lead"]]
    return (leads or [a["name"] for a in party["attorneys"]] or [None])[0]


def parsed_case_view(detail: dict) -> dict:
    """The same view of a landed CaseDetail (as JSON keeps it); money as its properties
    compute it."""
    from ingest.records import CaseDetail

    record = CaseDetail.from_dict(detail)
    return {
        "status": detail["status"],
        "filed_date": detail["filed_date"],
        "case_type": detail["case_type"],
        "judicial_officer": detail["judicial_officer"],
        "fees_assessed": record.fees_assessed,
        "paid": record.paid,
        "balance_due": record.balance_due,
        "parties": [
            (
                p["role"],
                p["name"],
                " | ".join(p["address_lines"]) or None,
                _lead_attorney(p),
                p["dob"],
                p["birth_year"],
            )
            for p in detail["parties"]
        ],
        "events": sorted(
            (e["event_date"], e["event_type"], e["comment"]) for e in detail["events"]
        ),
        "hearings": sorted(
            (
                h["hearing_date"],
                h["hearing_time"],
                h["hearing_type"],
                h["is_canceled"],
                h["cancel_reason"],
                h["result"],
            )
            for h in detail["hearings"]
        ),
        "judgments": sorted(
            (j["judgment_date"], j["judgment_type"], j["judgment_for"], j["amount"])
            for j in detail["judgments"]
        ),
        "charges": [(c["statute"], c["disposition"]) for c in detail["charges"]],
        "bonds": sorted((b["set_date"], b["bond_type"], b["amount"]) for b in detail["bonds"]),
    }


def assert_landed_equals_truth(
    landed: dict[str, dict[str, tuple[str, dict]]],
    truth: dict,
    as_of: date,
    county: CountyProfile,
    filings_days: int = 21,
) -> None:
    """Every stream's landed records (stream → task key → (outcome, records)) against the
    truth export of `as_of`: all that is discoverable found, every page parsed like it."""
    profile = county.court
    people = {p["person_key"]: p for p in truth["people"]}
    cases = {(c["court_name"], c["case_number"]): c for c in truth["cases"]}
    assert_jail_equals_truth(landed, truth, county)
    listed = {b["booking_number"]: b for b in truth["bookings"] + truth["released_bookings"]}

    # filings: every eviction case filed in the window and visible on the as-of date
    window_start = (as_of - timedelta(days=filings_days)).isoformat()
    expected_filings = {
        ref
        for ref, c in cases.items()
        if c["case_type"] == "Eviction" and window_start <= c["filed_date"] <= as_of.isoformat()
    }
    (filings,) = landed["filings"].values()
    found = {(r["location"], r["case_number"]) for r in filings[1]["rows"]}
    assert found == expected_filings and found

    # person history: each person listed has their own cases as exact candidates, no
    # candidate shows another date of birth
    for _, rec in landed["person_history"].values():
        person = rec["person"]
        exact = {
            (c["court"], c["case_number"])
            for c in rec["candidates"]
            if c["match_rule"] == "exact_name_dob"
        }
        assert all(c["party_dob"] in (None, person["dob"]) for c in rec["candidates"])
        booking = listed[person["booking_numbers"][0]]
        own = {
            ref
            for ref, c in cases.items()
            if any(
                p["person_key"] == booking["person_key"] and not p["initials"] for p in c["parties"]
            )
        }
        assert own <= exact, person["person_key"]

    # case detail: every discovered case visited, parsed fields equal to the truth
    discovered = found | {
        (c["court"], c["case_number"])
        for _, rec in landed["person_history"].values()
        for c in rec["candidates"]
    }
    details = {(rec["court"], rec["case_number"]): rec for _, rec in landed["case_detail"].values()}
    assert set(details) == discovered
    for ref, rec in details.items():
        assert parsed_case_view(rec["detail"]) == truth_case_view(cases[ref], people, profile), ref


def without_page_refs(outputs: dict[str, tuple[str, dict]]) -> dict[str, tuple[str, dict]]:
    """Outputs without the sha256 of the page they cite: browser mode archives a page as
    Chromium rendered it, session mode as the portal sent it, so the two differ by design."""
    return {
        key: (outcome, {k: v for k, v in records.items() if k != "detail_page"})
        for key, (outcome, records) in outputs.items()
    }


def assert_jail_equals_truth(
    landed: dict[str, dict[str, tuple[str, dict]]], truth: dict, county: CountyProfile
) -> None:
    """The roster lists everyone in custody and everyone released lately; each person page
    parsed like the truth: names as each page prints them, ids, dates, charges, bonds."""
    listed = {b["booking_number"]: b for b in truth["bookings"] + truth["released_bookings"]}
    ((_, roster),) = landed["roster"].values()
    assert {r["booking_number"] for r in roster["rows"]} == set(listed)
    assert roster["include_released"] == county.jail.released_option
    assert set(landed["booking"]) == set(listed)
    shows_dob = "Date of Birth" in county.jail.roster_columns
    for number, (outcome, rec) in landed["booking"].items():
        expected, row, inmate = listed[number], rec["row"], rec["inmate"]
        assert outcome == "ok", number
        assert (row["name"], row["permanent_id"], row["release_date"], row["dob"]) == (
            expected["roster_name"],
            expected["permanent_id"],
            expected["release_date"],
            expected["dob"] if shows_dob else None,
        )
        assert (inmate["name"], inmate["dob"]) == (expected["page_name"], expected["dob"])
        (stay,) = inmate["bookings"]
        assert (stay["commitment_date"], stay["release_date"]) == (
            expected["commitment_date"],
            expected["release_date"],
        )
        assert [
            (c["code"], c["case_number"], c["grade"], c["degree"]) for c in inmate["charges"]
        ] == [
            (c["statute"], c["court_case_number"], c["charge_class"] or None, c["degree_code"])
            for c in expected["charges"]
        ]
        assert [(b["case_number"], b["amount"], b["status"]) for b in inmate["bonds"]] == [
            (b["case_number"], b["amount"], b["status"]) for b in expected["bonds"]
        ]
