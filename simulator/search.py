"""The court portal's search logic, as pure functions over the world and the clock.

Indexes are built once per world; every query filters by what is visible on `day`.
Name matching works like Odyssey's: the last name must match (accents, case and
punctuation ignored, or by soundex when asked), the first name matches as a prefix;
AKA names match too. Results are capped, and the cap is reported.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import jellyfish

from simulator.model import Case, Hearing, Name, Party, World


def fold(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form of a name part."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def soundex(text: str) -> str:
    folded = fold(text)
    return jellyfish.soundex(folded) if folded else ""


@dataclass(frozen=True)
class NameQuery:
    last: str
    first: str = ""
    middle: str = ""

    @classmethod
    def parse(cls, text: str) -> NameQuery | None:
        """`Last, First Middle` → NameQuery; None when the text has no comma-separated name."""
        if "," not in text:
            return None
        last, _, given = text.partition(",")
        parts = given.split()
        return cls(
            last=last.strip(),
            first=parts[0] if parts else "",
            middle=" ".join(parts[1:]),
        )


@dataclass(frozen=True)
class PartyHit:
    case: Case
    party: Party
    via_alias: bool


@dataclass(frozen=True)
class SearchResult:
    hits: list[PartyHit]
    max_results_hit: bool


class CourtIndex:
    """Lookup structures over one world's cases."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.by_number: dict[str, Case] = {c.case_number: c for c in world.cases}
        self.by_key: dict[str, Case] = {c.case_key: c for c in world.cases}
        self.by_portal_id: dict[int, Case] = {c.portal_case_id: c for c in world.cases}
        self._by_last: dict[str, list[tuple[Case, Party, Name, bool]]] = defaultdict(list)
        self._by_soundex: dict[str, list[tuple[Case, Party, Name, bool]]] = defaultdict(list)
        for case in world.cases:
            for party in case.parties:
                for name, via_alias in self._names_of(party):
                    entry = (case, party, name, via_alias)
                    self._by_last[fold(name.last)].append(entry)
                    self._by_soundex[soundex(name.last)].append(entry)
        ordered = sorted(world.cases, key=lambda c: (c.filed_date, c.case_number))
        self._by_filed = ordered
        self._filed_dates = [c.filed_date for c in ordered]

    def _names_of(self, party: Party) -> list[tuple[Name, bool]]:
        if party.name is None:
            if party.business_name and not party.is_pseudo:
                return [(Name(first="", last=party.business_name), False)]
            return []
        names = [(party.name, False)]
        if party.person_key is not None:
            person = self.world.people.get(party.person_key)
            if person is not None:
                names.extend((alias, True) for alias in person.aliases)
        return names

    def dob_of(self, party: Party) -> date | None:
        if party.person_key is None:
            return None
        person = self.world.people.get(party.person_key)
        return person.dob if person else None

    def party_search(
        self,
        query: NameQuery,
        day: date,
        *,
        soundex_on: bool,
        dob_from: date | None,
        dob_to: date | None,
        include_criminal: bool,
        cap: int,
    ) -> SearchResult:
        pool = (
            self._by_soundex.get(soundex(query.last), [])
            if soundex_on
            else self._by_last.get(fold(query.last), [])
        )
        first = fold(query.first)
        hits: dict[tuple[str, str], PartyHit] = {}
        for case, party, name, via_alias in pool:
            if not case.visible_on(day) or (case.kind == "criminal" and not include_criminal):
                continue
            if party.initials_from is not None and day >= party.initials_from:
                continue  # a name reduced to initials no longer matches a full-name search
            if first and not fold(name.first).startswith(first):
                continue
            if dob_from is not None or dob_to is not None:
                dob = self.dob_of(party)
                if dob is None or (dob_from and dob < dob_from) or (dob_to and dob > dob_to):
                    continue
            key = (case.case_key, party.party_key)
            if key not in hits or (hits[key].via_alias and not via_alias):
                hits[key] = PartyHit(case=case, party=party, via_alias=via_alias)
        return _capped(list(hits.values()), cap)

    def case_number_search(self, number: str, day: date, *, include_criminal: bool) -> SearchResult:
        case = self.by_number.get(number.strip().upper())
        if case is None or not case.visible_on(day):
            return SearchResult(hits=[], max_results_hit=False)
        if case.kind == "criminal" and not include_criminal:
            return SearchResult(hits=[], max_results_hit=False)
        return SearchResult(hits=[_lead_hit(case)], max_results_hit=False)

    def advanced_search(
        self,
        day: date,
        *,
        case_type: str | None,
        court: str | None,
        status: str | None,
        filed_from: date | None,
        filed_to: date | None,
        include_criminal: bool,
        cap: int,
    ) -> SearchResult:
        lo = bisect_left(self._filed_dates, filed_from) if filed_from else 0
        hi = bisect_right(self._filed_dates, filed_to) if filed_to else len(self._by_filed)
        hits = []
        for case in self._by_filed[lo:hi]:
            if not case.visible_on(day) or (case.kind == "criminal" and not include_criminal):
                continue
            if case_type and case.case_type != case_type:
                continue
            if court and case.court != court:
                continue
            if status and case.status_on(day) != status:
                continue
            hits.append(_lead_hit(case))
        return _capped(hits, cap)

    def hearings(
        self,
        day: date,
        *,
        date_from: date,
        date_to: date,
        court: str | None,
        case_type: str | None,
        include_criminal: bool,
        cap: int,
    ) -> tuple[list[tuple[Case, Hearing]], bool]:
        found: list[tuple[Case, Hearing]] = []
        for case in self._by_filed:
            if not case.visible_on(day) or (case.kind == "criminal" and not include_criminal):
                continue
            if (court and case.court != court) or (case_type and case.case_type != case_type):
                continue
            for hearing in case.hearings_on(day):
                if date_from <= hearing.scheduled_at.date() <= date_to:
                    found.append((case, hearing))
        found.sort(key=lambda pair: (pair[1].scheduled_at, pair[0].case_number))
        return found[:cap], len(found) > cap


def _lead_hit(case: Case) -> PartyHit:
    defendants = case.defendants()
    return PartyHit(
        case=case, party=defendants[0] if defendants else case.parties[0], via_alias=False
    )


def _capped(hits: list[PartyHit], cap: int) -> SearchResult:
    hits.sort(key=lambda h: (h.case.filed_date, h.case.case_number, h.party.party_key))
    return SearchResult(hits=hits[:cap], max_results_hit=len(hits) > cap)
