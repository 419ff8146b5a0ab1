"""What the jail's IML "Inmate Lookup" pages show of the world on a day, as plain values.

Pure reads of the world under one county's jail profile; `simulator.jail` routes the
servlet's forms and keeps the session, the `jail_*.html` templates lay these values out
in the real IML markup. Formats follow the real pages: names in capitals (the roster
`LAST, FIRST MIDDLE`, the person page `FIRST MIDDLE LAST`), dates `MM/DD/YYYY`, money
`$1,234.00`, blanks where a value is unknown.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from simulator.counties import JailProfile
from simulator.formats import mdy, money
from simulator.model import Booking, BookingBond, Person, World
from simulator.search import fold

#: Roster columns (the profile's names) → (header as printed, cell width).
ROSTER_HEADERS = {
    "Inmate Name": ("Inmate Name (last, first middle)", 330),
    "Booking Number": ("Booking Number", 130),
    "Permanent ID": ("Permanent ID", 130),
    "Date of Birth": ("Date of Birth", 130),
    "Release Date": ("Release Date", 130),
}
#: Rows a search may ask for (`quantity`) at most.
MAX_QUANTITY = 999
#: Searches whose results are kept (a roster is paged through the same search many times).
_KEPT_SEARCHES = 16

# Physical descriptors the person page prints (nothing downstream reads them): fixed by
# the person's key, so the same person looks the same on every booking.
_HAIR = ("BLACK", "BLACK", "BROWN", "BROWN", "BLONDE", "RED", "GRAY")
_HAIR_LENGTH = ("", "SHORT", "SHORT", "MEDIUM", "LONG", "BALD")
_EYES = ("BROWN", "BROWN", "BROWN", "BLUE", "HAZEL", "GREEN", "BLACK")
_COMPLEXION = ("LIGHT SKINNED", "MEDIUM SKINNED", "DARK SKINNED", "FAIR", "OLIVE")


@dataclass(frozen=True)
class RosterSearch:
    """A name search as posted (`flow_action=searchbyname`); empty names list everyone."""

    last: str  # folded; matches the start of the last name
    first: str  # folded; matches the start of the first name
    dob: date | None
    include_released: bool
    quantity: int  # rows a page


def roster_name(person: Person) -> str:
    """`LAST, FIRST MIDDLE SUFFIX`, as the roster's name column prints it."""
    return person.name.display().upper()


def physical(person: Person) -> list[tuple[str, str]]:
    """(label, value) of the person block's descriptors after Sex and DOB, in page order
    (Race between Weight and Hair Color, as on the real page)."""
    draw = hashlib.sha256(person.person_key.encode()).digest()
    male = person.sex == "M"
    inches = (64 if male else 59) + draw[0] % (13 if male else 12)
    weight = (140 if male else 110) + draw[1] % (120 if male else 110)
    return [
        ("Height:", f"{inches // 12}' {inches % 12}\""),
        ("Weight:", str(weight)),
        ("Race:", person.race.upper()),
        ("Hair Color:", _HAIR[draw[2] % len(_HAIR)]),
        ("Hair Length:", _HAIR_LENGTH[draw[3] % len(_HAIR_LENGTH)]),
        ("Eye Color:", _EYES[draw[4] % len(_EYES)]),
        ("Complexion:", _COMPLEXION[draw[5] % len(_COMPLEXION)]),
    ]


class JailView:
    """Reads the world the way one county's IML roster prints it."""

    def __init__(self, world: World, profile: JailProfile) -> None:
        self.world = world
        self.profile = profile
        self.by_sys_id = {b.sys_id: b for b in world.bookings}
        self.cases = {c.case_number: c for c in world.cases}
        self._found: dict[tuple[RosterSearch, date], list[Booking]] = {}

    # -- the roster -----------------------------------------------------------------------

    def matches(self, search: RosterSearch, day: date) -> list[Booking]:
        """The bookings a search lists on `day`, by printed name then booking number:
        those in custody, and with `include_released` those released lately. (Bookings
        never change once generated, so the results of recent searches are kept.)"""
        key = (search, day)
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= _KEPT_SEARCHES:
                self._found.clear()
            found = self._found[key] = self._search(search, day)
        return found

    def _search(self, search: RosterSearch, day: date) -> list[Booking]:
        people = self.world.people
        found = []
        for booking in self.world.bookings:
            listed = booking.in_custody_on(day) or (
                search.include_released and booking.released_lately(day)
            )
            person = people[booking.person_key]
            if listed and self.named(person, search):
                found.append((roster_name(person), booking.booking_number, booking))
        found.sort(key=lambda item: item[:2])
        return [booking for _, _, booking in found]

    def named(self, person: Person, search: RosterSearch) -> bool:
        name = person.name
        return (
            fold(name.last).startswith(search.last)
            and fold(name.first).startswith(search.first)
            and (search.dob is None or person.dob == search.dob)
        )

    def roster_page(self, search: RosterSearch, start: int, day: date) -> dict[str, Any]:
        """One page of results from row `start` (1-based; out-of-range starts land on the
        first or the last page), with the starts its paging forms post."""
        matches = self.matches(search, day)
        total, size = len(matches), search.quantity
        last_start = (max(total, 1) - 1) // size * size + 1
        start = min(max(start, 1), last_start)
        chunk = matches[start - 1 : start - 1 + size]
        columns = [ROSTER_HEADERS[c] for c in self.profile.roster_columns]
        return {
            "first": start if chunk else 0,
            "last": start + len(chunk) - 1 if chunk else 0,
            "total": total,
            "columns": columns,
            "rows": [self.roster_row(b, day) for b in chunk],
            "starts": {"first": 1, "prev": start - size, "next": start + size, "last": last_start},
            "has_prev": start > 1,
            "has_next": start - 1 + len(chunk) < total,
        }

    def roster_row(self, booking: Booking, day: date) -> dict[str, Any]:
        person = self.world.people[booking.person_key]
        values = {
            "Inmate Name": roster_name(person),
            "Booking Number": booking.booking_number,
            "Permanent ID": person.permanent_id or "",
            "Date of Birth": mdy(person.dob),
            "Release Date": mdy(booking.release_date_on(day)),
        }
        return {
            "sys_id": booking.sys_id,
            "img_sys_id": booking.img_sys_id,
            "cells": [values[column] for column in self.profile.roster_columns],
        }

    # -- the person page ------------------------------------------------------------------

    def booking(self, sys_id: str, day: date) -> Booking | None:
        """The booking a sysID names, when the jail shows it on `day`: in custody or
        released lately (older records and future bookings are not found)."""
        booking = self.by_sys_id.get(sys_id)
        if booking is None or not (booking.in_custody_on(day) or booking.released_lately(day)):
            return None
        return booking

    def person_page(self, booking: Booking, day: date) -> dict[str, Any]:
        """Everything the person page shows, section by section (the profile's)."""
        person = self.world.people[booking.person_key]
        printed_ids = {
            "booking_number": ("Booking Number:", booking.booking_number),
            "permanent_id": ("Permanent ID:", person.permanent_id or ""),
        }
        bonds = booking.bonds_on(day)
        return {
            "sections": self.profile.person_sections,
            "name": person.name.spoken().upper(),
            "sex": person.sex,
            "dob": mdy(person.dob),
            "physical": physical(person),
            "ids": [printed_ids[key] for key in self.profile.person_ids],
            "incarceration": {
                **asdict(booking.housing_unit()),
                "commitment_date": mdy(booking.commitment_date),
                "release_date": mdy(booking.release_date_on(day)),
            },
            "aliases": [alias.display().upper() for alias in person.aliases],
            "detainers": [
                {"agency": d.agency, "date": mdy(d.lodged_on), "type": d.detainer_type}
                for d in booking.detainers
            ],
            "bonds": [self.bond(b, day) for b in bonds],
            "grand_total": money(
                sum((b.amount for b in bonds if b.amount is not None), Decimal("0.00"))
            ),
            "charges": [
                {
                    "case_number": c.court_case_number or "",
                    "offense_date": mdy(c.offense_date),
                    "code": c.statute,
                    "description": c.description,
                    "grade": c.charge_class,
                    "degree": c.degree_code,
                }
                for c in booking.charges
            ],
            "hearings": [
                {
                    "date": mdy(h.scheduled_at),
                    "time": h.scheduled_at.strftime("%I:%M %p"),
                    "case_number": number,
                    "courtroom": h.courtroom,
                    "hearing_type": h.hearing_type,
                }
                for number, h in booking.hearings_on(day, self.cases)
            ],
        }

    def bond(self, bond: BookingBond, day: date) -> dict[str, str]:
        posted_by, posted_on = bond.posted_as_of(day)
        return {
            "case_number": bond.case_number or "",
            "amount": money(bond.amount) if bond.amount is not None else "",
            "status": bond.status_on(day),
            "posted_by": posted_by or "",
            "post_date": mdy(posted_on),
        }
