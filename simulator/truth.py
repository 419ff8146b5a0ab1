"""Ground truth: everything the simulated portals show on one day, as plain JSON data.

`truth_on(world, day)` answers "what is there to scrape on `day`": the cases visible that
day with their parties, docket, hearings, judgments, charges, bonds and balance as shown
that day; the bookings in custody on the jail roster (`bookings`) and those released
lately, which its "include released" search still lists (`released_bookings`, released on
one of the RELEASED_LISTED_DAYS days ending with `day`); the people those records name;
and the cases removed (sealed, expunged) on or before `day` after having been posted.
Tests and checks compare what was scraped with it.

A booking carries what the jail's IML pages show of it that day: its record and photo ids
(`sys_id`, `img_sys_id`), the person's `permanent_id`, the name as the roster prints it
(`roster_name`, `LAST, FIRST MIDDLE`) and as the person page heads it (`page_name`),
`commitment_date` and `release_date` (None until the release), `housing_unit`, each
charge's bond (`bonds`, with `status` and who posted it when) and their `bond_grand_total`,
`detainers`, and the court `hearings` of the stay; each charge also its `offense_date` and
the degree as the charge table prints it (`degree_code`). The person page's Case # / Code
/ Grade / Degree are a charge's `court_case_number` / `statute` / `charge_class` /
`degree_code`. `custody_status` (Pretrial / Sentenced / Hold) is never printed by the jail;
it is there to test what is derived from the pages.

A case also carries the portal's numeric `portal_case_id` and, per hearing, its
`hearing_id`; an event its `comment` (None when the docket prints none); a party what
its block on the case page shows (`attorneys`, `is_pro_se`, and for criminal defendants
`birth_year`, `gender`, `race`); `financial` is the Financial section of the day, per
party (one party: the first plaintiff of a civil case, the first defendant of a
criminal one).

Conventions: dates are ISO strings (`2026-03-04`), datetimes ISO without zone
(`2026-03-04T09:30:00`), money strings with two decimals (`118.50`); every collection is
sorted, so the same world and day always give the same document, and `write_truth`
writes it byte for byte the same. `person_key` and `case_key` are the world's internal
identities (a portal never shows them); `people` carries each referenced person's true
name even when a party shows only initials that day (see the party's `name`).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from simulator.model import (
    Address,
    Attorney,
    Booking,
    BookingBond,
    Case,
    Charge,
    Hearing,
    Party,
    Person,
    World,
)

Json = dict[str, Any]


def truth_on(world: World, day: date) -> Json:
    """Everything visible on `day`, JSON-serialisable and deterministically ordered."""
    cases = [c for c in world.cases if c.visible_on(day)]
    bookings = [b for b in world.bookings if b.in_custody_on(day)]
    released = [b for b in world.bookings if b.released_lately(day)]
    courts = {c.code: c.name for c in world.courts}
    numbered = {c.case_number: c for c in world.cases}
    person_keys = {p.person_key for c in cases for p in c.parties if p.person_key is not None}
    person_keys.update(b.person_key for b in (*bookings, *released))

    def listed(group: list[Booking]) -> list[Json]:
        return [
            _booking(b, world.people[b.person_key], day, numbered)
            for b in sorted(group, key=lambda b: b.booking_number)
        ]

    return {
        "seed": world.seed,
        "scale": world.scale,
        "as_of": day.isoformat(),
        "people": [_person(world.people[k]) for k in sorted(person_keys)],
        "bookings": listed(bookings),
        "released_bookings": listed(released),
        "cases": [
            _case(c, courts[c.court], day, world.people)
            for c in sorted(cases, key=lambda c: (c.court, c.case_number))
        ],
        "removals": _removals(world, day),
    }


def dumps_truth(truth: Json) -> str:
    """The canonical text of a truth document: sorted keys, compact, UTF-8, one line."""
    return json.dumps(
        truth,
        sort_keys=True,
        ensure_ascii=False,
        indent=None,
        separators=(",", ":"),
        check_circular=False,  # a tree of plain values: skip the cycle bookkeeping
    )


def write_truth(world: World, day: date, path: str | Path) -> Path:
    """Write `truth_on(world, day)` to `path` (plus a final newline); returns the path."""
    target = Path(path)
    target.write_text(dumps_truth(truth_on(world, day)) + "\n", encoding="utf-8")
    return target


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _address(address: Address | None) -> Json | None:
    if address is None:
        return None
    return {
        "street": address.street,
        "unit": address.unit,
        "city": address.city,
        "state": address.state,
        "zip_code": address.zip_code,
        "display": address.display(),
    }


def _attorney(attorney: Attorney | None) -> Json | None:
    return None if attorney is None else {"name": attorney.name, "kind": attorney.kind}


def _person(person: Person) -> Json:
    name = person.name
    return {
        "person_key": person.person_key,
        "first": name.first,
        "middle": name.middle,
        "last": name.last,
        "suffix": name.suffix,
        "display": name.display(),
        "dob": person.dob.isoformat(),
        "race": person.race,
        "sex": person.sex,
        "aliases": [alias.display() for alias in person.aliases],
        "address": _address(person.address),
        "permanent_id": person.permanent_id,
    }


def _booking(booking: Booking, person: Person, day: date, cases: dict[str, Case]) -> Json:
    """A booking as the jail shows it on `day`: no release date before the release,
    which the jail cannot know yet; custody status as of the day (the last one once
    released)."""
    bonds = booking.bonds_on(day)
    return {
        "booking_number": booking.booking_number,
        "person_key": booking.person_key,
        "permanent_id": person.permanent_id,
        "sys_id": booking.sys_id,
        "img_sys_id": booking.img_sys_id,
        "name": person.name.display(),
        "roster_name": person.name.display().upper(),
        "page_name": person.name.spoken().upper(),
        "dob": person.dob.isoformat(),
        "booked_at": booking.booked_at.isoformat(),
        "commitment_date": booking.commitment_date.isoformat(),
        "release_date": _iso(booking.release_date_on(day)),
        "custody_status": booking.custody_on(day),
        "housing": booking.housing,
        "housing_unit": asdict(booking.housing_unit()),
        "bond_type": booking.bond_type,
        "bond_amount": _money(booking.bond_amount),
        "bonds": [_booking_bond(b, day) for b in bonds],
        "bond_grand_total": _money(
            sum((b.amount for b in bonds if b.amount is not None), Decimal("0.00"))
            if bonds
            else None
        ),
        "arresting_agency": booking.arresting_agency,
        "charges": [
            {
                "statute": c.statute,
                "description": c.description,
                "degree": c.degree,
                "degree_code": c.degree_code,
                "charge_class": c.charge_class,
                "court_case_number": c.court_case_number,
                "offense_date": c.offense_date.isoformat(),
            }
            for c in booking.charges
        ],
        "detainers": [
            {"agency": d.agency, "lodged_on": d.lodged_on.isoformat(), "type": d.detainer_type}
            for d in booking.detainers
        ],
        "hearings": [
            {
                "case_number": number,
                "scheduled_at": h.scheduled_at.isoformat(),
                "hearing_type": h.hearing_type,
                "courtroom": h.courtroom,
            }
            for number, h in booking.hearings_on(day, cases)
        ],
    }


def _booking_bond(bond: BookingBond, day: date) -> Json:
    posted_by, posted_on = bond.posted_as_of(day)
    return {
        "case_number": bond.case_number,
        "charge": bond.charge,
        "bond_type": bond.bond_type,
        "amount": _money(bond.amount),
        "set_on": bond.set_on.isoformat(),
        "status": bond.status_on(day),
        "posted_by": posted_by,
        "post_date": _iso(posted_on),
    }


def _party(party: Party, day: date, shown: Person | None) -> Json:
    """A party as its block shows it; `shown` is the person whose date of birth, gender
    and race the block prints (criminal defendants), else None."""
    return {
        "party_key": party.party_key,
        "role": party.role,
        "name": party.display_name_on(day),
        "initials": party.initials_from is not None and day >= party.initials_from,
        "is_business": party.name is None and not party.is_pseudo,
        "is_pseudo": party.is_pseudo,
        "person_key": party.person_key,
        "address": _address(party.address_on(day)),
        "attorney": _attorney(party.attorney_on(day)),
        "attorneys": [
            {"name": a.name, "kind": a.kind, "is_lead": n == 0, "phone": a.phone}
            for n, a in enumerate(party.attorneys_on(day))
        ],
        "is_pro_se": party.pro_se_on(day),
        "birth_year": shown.dob.year if shown else None,
        "gender": shown.gender if shown else None,
        "race": shown.race if shown else None,
    }


def _financial(case: Case, day: date) -> list[Json]:
    """The Financial section on `day`: the fee party's totals and transactions."""
    party = case.fee_party()
    if party is None:
        return []
    rows = case.transactions_on(day)
    return [
        {
            "party_name": party.display_name_on(day),
            "total_assessment": _money(case.fees_assessed),
            "payments_and_credits": _money(case.fees_assessed - case.balance_on(day)),
            "transactions": [
                {
                    "transaction_date": t.on.isoformat(),
                    "description": t.description,
                    "receipt": t.receipt,
                    "payer": t.payer,
                    "amount": _money(t.amount),
                }
                for t in rows
            ],
        }
    ]


def _hearing(case: Case, hearing: Hearing, day: date) -> Json:
    canceled, result = hearing.state_on(day)
    return {
        "hearing_key": hearing.hearing_key,
        "hearing_id": case.hearing_id(hearing),
        "scheduled_at": hearing.scheduled_at.isoformat(),
        "hearing_type": hearing.hearing_type,
        "courtroom": hearing.courtroom,
        "judicial_officer": hearing.judicial_officer,
        "set_on": hearing.set_on.isoformat(),
        "canceled": canceled,
        "cancel_reason": hearing.cancel_reason if canceled else None,
        "result": result,
    }


def _case(case: Case, court_name: str, day: date, people: dict[str, Person]) -> Json:
    balance = case.balance_on(day)
    criminal = case.kind == "criminal"

    def shown(party: Party) -> Person | None:
        return people.get(party.person_key) if criminal and party.person_key else None

    return {
        "case_key": case.case_key,
        "case_number": case.case_number,
        "portal_case_id": case.portal_case_id,
        "kind": case.kind,
        "court": case.court,
        "court_name": court_name,
        "case_type": case.case_type,
        "filed_date": case.filed_date.isoformat(),
        "posted_on": case.posted_on.isoformat(),
        "judicial_officer": case.judicial_officer,
        "status": case.status_on(day),
        "parties": [_party(p, day, shown(p)) for p in case.parties_on(day)],
        "events": sorted(
            (
                {
                    "event_date": e.event_date.isoformat(),
                    "event_type": e.event_type,
                    "description": e.description,
                    "comment": e.comment,
                }
                for e in case.events_on(day)
            ),
            key=lambda e: (e["event_date"], e["event_type"], e["description"]),
        ),
        "hearings": [
            _hearing(case, h, day)
            for h in sorted(case.hearings_on(day), key=lambda h: (h.scheduled_at, h.hearing_key))
        ],
        "judgments": [
            {
                "judgment_date": j.judgment_date.isoformat(),
                "judgment_type": j.judgment_type,
                "judgment_for": j.judgment_for,
                "amount": _money(j.amount),
                "judicial_officer": case.judicial_officer,
            }
            for j in sorted(
                case.judgments_on(day), key=lambda j: (j.judgment_date, j.judgment_type)
            )
        ],
        "charges": [_charge_on(c, day) for c in sorted(case.charges, key=lambda c: c.sequence)],
        "bonds": [
            {"bond_type": b.bond_type, "amount": _money(b.amount), "set_on": b.set_on.isoformat()}
            for b in sorted(case.bonds_on(day), key=lambda b: (b.set_on, b.bond_type, b.amount))
        ],
        "fees_assessed": _money(case.fees_assessed),
        "paid": _money(case.fees_assessed - balance),
        "balance": _money(balance),
        "financial": _financial(case, day),
    }


def _charge_on(charge: Charge, day: date) -> Json:
    disposition, disposed_on = charge.disposition_on(day)
    return {
        "sequence": charge.sequence,
        "statute": charge.statute,
        "description": charge.description,
        "degree": charge.degree,
        "charge_class": charge.charge_class,
        "offense_date": charge.offense_date.isoformat(),
        "disposition": disposition,
        "disposition_date": _iso(disposed_on),
    }


def _removals(world: World, day: date) -> list[Json]:
    """Cases gone from the portal by `day` that a scraper could have seen before."""
    removed = [
        c
        for c in world.cases
        if c.removed_on is not None and c.removed_on <= day and c.posted_on < c.removed_on
    ]
    removed.sort(key=lambda c: (c.removed_on, c.court, c.case_number))
    return [
        {
            "court": c.court,
            "case_number": c.case_number,
            "removed_on": _iso(c.removed_on),
            "removal_kind": c.removal_kind,
        }
        for c in removed
    ]
