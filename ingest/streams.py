"""The five ingest streams: what tasks each has, and what one task does.

Each stream enumerates its tasks from its upstream tasks' outputs (looked up by their
identity) and runs one task against a worker's portal sessions, returning its output. The
records each stream lands are described in `LANDING_RECORDS`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Protocol

from ingest.errors import CaseNotFound
from ingest.history import CaseState, rescrape_selection
from ingest.jail_roster import JailRoster
from ingest.names import PersonName, person_key
from ingest.odyssey import CaseLookup, Fetched, SearchCriteria
from ingest.records import InmateRow, SearchPage, SearchRow
from ingest.tasks import Landing, TaskId, TaskOutput, now_utc

LANDING_RECORDS = {
    "roster": '{"rows": [InmateRow], "total": int, "pages": int, "include_released": bool}',
    "booking": '{"booking_key", "row": InmateRow, "inmate": InmateDetail}  '
    "(outcome not_found: {booking_key, row}: gone before the visit)",
    "person_history": '{"person": {person_key, name, dob, permanent_id, booking_numbers}, '
    '"candidates": [{court, case_number, case_type, party_name, party_dob, match_rule}]}',
    "filings": '{"case_type", "court", "filed_from", "filed_to", "searches": int, '
    '"rows": [SearchRow without case_link]}',
    "case_detail": '{"court", "case_number", "detail": CaseDetail, "change_hash", '
    '"detail_page": sha256 of the detail page}  '
    "(outcome not_found: {court, case_number})",
}


class CourtSession(Protocol):
    """What the streams ask of a court site, whichever Odyssey generation it is."""

    def search(self, criteria: SearchCriteria) -> tuple[SearchPage, Fetched]: ...

    def case_detail(self, court: str, case_number: str) -> CaseLookup: ...


class Portals(Protocol):
    """A worker's portal sessions (one of each, created on first use)."""

    @property
    def court(self) -> CourtSession: ...

    @property
    def jail(self) -> JailRoster: ...


@dataclass(frozen=True)
class StreamSettings:
    as_of: date
    case_types: tuple[str, ...] = ("Eviction",)
    courts: tuple[str, ...] = ()  # court locations (as the form lists them); empty = all
    filings_days: int = 21  # discovery window back from as_of (late-posting locations)
    rescrape_window_days: int = 120
    rescrape_budget: int = 200
    final_statuses: frozenset[str] = field(
        default_factory=lambda: frozenset({"Closed", "Dismissed", "Satisfied"})
    )


def mdy(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def _output(task: TaskId, records: dict, pages: Iterable[str], found: bool = True) -> TaskOutput:
    return TaskOutput(
        task=task,
        outcome="ok" if found else "not_found",
        records=records,
        pages=tuple(pages),
        finished_at=now_utc(),
    )


def _row_dict(row: SearchRow) -> dict[str, object]:
    data = asdict(row)
    data.pop("case_link")  # session-scoped: never an identity, never stored
    return data


# -- jail -------------------------------------------------------------------------------


class RosterStream:
    """Every page of the roster, in one task (paging only works within one session's
    search): everyone in custody, and people released lately where the roster lists them."""

    name = "roster"

    def __init__(self, settings: StreamSettings, landing: Landing) -> None:
        self.settings, self.landing = settings, landing

    def tasks(self) -> list[TaskId]:
        return [TaskId.of(self.name, "all", self.settings.as_of)]

    def run(self, task: TaskId, portals: Portals) -> TaskOutput:
        first, sha = portals.jail.roster_page(1)
        rows, pages, start = list(first.rows), [sha], first.next_start
        while start is not None:
            page, sha = portals.jail.roster_page(start)
            rows.extend(page.rows)
            pages.append(sha)
            start = page.next_start
        unique = {r.booking_key: asdict(r) for r in rows}  # the list can shift while paged
        records = {
            "rows": [unique[k] for k in sorted(unique)],
            "total": first.total,
            "pages": len(pages),
            "include_released": portals.jail.include_released,
        }
        return _output(task, records, pages)

    def roster(self) -> list[dict]:
        output = self.landing.read(self.tasks()[0])
        return output.records["rows"] if output else []


class BookingStream:
    """Each roster row's person page (identity, incarceration, bonds, charges)."""

    name = "booking"

    def __init__(self, settings: StreamSettings, landing: Landing, roster: RosterStream) -> None:
        self.settings, self.landing, self.roster = settings, landing, roster

    def rows(self) -> dict[str, dict]:
        return {InmateRow(**row).booking_key: row for row in self.roster.roster()}

    def tasks(self) -> list[TaskId]:
        return [TaskId.of(self.name, key, self.settings.as_of) for key in sorted(self.rows())]

    def run(self, task: TaskId, portals: Portals) -> TaskOutput:
        row = self.rows()[task.key]
        found = {"booking_key": task.key, "row": row}
        try:
            inmate, sha = portals.jail.inmate(InmateRow(**row))
        except CaseNotFound:
            return _output(task, found, [], found=False)
        return _output(task, {**found, "inmate": asdict(inmate)}, [sha])

    def inmates(self) -> dict[str, dict]:
        """The landed person pages, by booking key."""
        found = {}
        for task in self.tasks():
            output = self.landing.read(task)
            if output is not None and output.outcome == "ok":
                found[task.key] = output.records["inmate"]
        return found


# -- court: people in custody ----------------------------------------------------------


class PersonHistoryStream:
    """For every person the roster lists, their court cases by name + date of birth.

    The roster prints no custody status, so everyone listed is searched, people released
    lately too: whether a stay was pretrial is derived later, from the court records.
    The date of birth comes from the roster where it has the column, else from the person
    page: a person whose page has not landed yet is searched by a later run.
    Exact rows (same folded last + first name, same DOB) are `exact_name_dob`; rows the
    portal matched on the same DOB under another name (an AKA) are `alias_dob`; rows found
    only by a soundex search are `soundex_dob`. A different DOB is never a candidate.
    """

    name = "person_history"

    def __init__(self, settings: StreamSettings, landing: Landing, bookings: BookingStream) -> None:
        self.settings, self.landing, self.bookings = settings, landing, bookings
        self._people: dict[str, dict] = {}

    def people(self) -> dict[str, dict]:
        if not self._people:
            inmates = self.bookings.inmates()
            for key, row in self.bookings.rows().items():
                inmate = inmates.get(key, {})
                dob = row["dob"] or inmate.get("dob")
                if not dob:
                    continue
                pkey = person_key(PersonName.parse(row["name"]), dob)
                person = self._people.setdefault(
                    pkey,
                    {
                        "person_key": pkey,
                        "name": row["name"],
                        "dob": dob,
                        "permanent_id": row["permanent_id"] or inmate.get("permanent_id"),
                        "bookings": [],
                    },
                )
                person["bookings"].append(key)
        return self._people

    def tasks(self) -> list[TaskId]:
        return [TaskId.of(self.name, key, self.settings.as_of) for key in sorted(self.people())]

    def run(self, task: TaskId, portals: Portals) -> TaskOutput:
        person = self.people()[task.key]
        name = PersonName.parse(person["name"])
        dob = mdy(date.fromisoformat(person["dob"]))
        base = SearchCriteria(last=name.last, first=name.first, dob_from=dob, dob_to=dob)
        exact, fetched = portals.court.search(base)
        sounds, fetched_soundex = portals.court.search(
            SearchCriteria(**{**asdict(base), "soundex": True})
        )
        candidates: dict[tuple[str, str], dict] = {}
        for rows, via_soundex in ((exact.rows, False), (sounds.rows, True)):
            for row in rows:
                # A different date of birth is never a match. A grid that shows none lists
                # only rows the portal matched on the searched date of birth.
                if row.dob is not None and row.dob != person["dob"]:
                    continue
                ref = (row.location, row.case_number)
                if ref in candidates:
                    continue
                same_name = row.party_name is not None and PersonName.parse(row.party_name).matches(
                    name
                )
                rule = (
                    "exact_name_dob" if same_name else "soundex_dob" if via_soundex else "alias_dob"
                )
                candidates[ref] = {
                    "court": row.location,
                    "case_number": row.case_number,
                    "case_type": row.case_type,
                    "party_name": row.party_name,
                    "party_dob": row.dob,
                    "match_rule": rule,
                }
        records = {
            "person": {
                "person_key": task.key,
                "name": person["name"],
                "dob": person["dob"],
                "permanent_id": person["permanent_id"],
                "booking_numbers": sorted(person["bookings"]),  # booking keys
            },
            "candidates": [candidates[k] for k in sorted(candidates)],
            "capped": exact.max_results_hit or sounds.max_results_hit,
        }
        return _output(task, records, fetched.pages + fetched_soundex.pages)


# -- court: new filings ------------------------------------------------------------------


class FilingsStream:
    """New filings by case type (and court location) over a window that ends on as-of.
    A capped result splits the window in halves until every case is found."""

    name = "filings"

    def __init__(self, settings: StreamSettings, landing: Landing) -> None:
        self.settings, self.landing = settings, landing

    def tasks(self) -> list[TaskId]:
        end = self.settings.as_of
        start = end - timedelta(days=self.settings.filings_days)
        courts = self.settings.courts or ("*",)
        return [
            TaskId.of(self.name, f"{case_type}|{court}|{start}|{end}", end)
            for case_type in self.settings.case_types
            for court in courts
        ]

    def run(self, task: TaskId, portals: Portals) -> TaskOutput:
        case_type, court, start, end = task.key.split("|")
        rows: dict[tuple[str, str], SearchRow] = {}
        pages: list[str] = []
        searches = 0
        windows = [(date.fromisoformat(start), date.fromisoformat(end))]
        while windows:
            lo, hi = windows.pop()
            criteria = SearchCriteria(
                case_type=case_type,
                court="" if court == "*" else court,
                filed_from=mdy(lo),
                filed_to=mdy(hi),
            )
            page, fetched = portals.court.search(criteria)
            searches += 1
            pages.extend(fetched.pages)
            if page.max_results_hit:
                if lo == hi:
                    raise RuntimeError(
                        f"more {case_type} filings on {lo} than the portal lists; "
                        "add court locations to split the search"
                    )
                middle = lo + (hi - lo) // 2
                windows.extend([(lo, middle), (middle + timedelta(days=1), hi)])
                continue
            for row in page.rows:
                rows[(row.location, row.case_number)] = row
        records = {
            "case_type": case_type,
            "court": court,
            "filed_from": start,
            "filed_to": end,
            "searches": searches,
            "rows": [_row_dict(rows[k]) for k in sorted(rows)],
        }
        return _output(task, records, pages)


# -- court: case detail ------------------------------------------------------------------


class CaseDetailStream:
    """Every discovered case, plus the re-scrape selection, visited once per run.
    Deduplicated on court + case number, never on the portal's opaque ids."""

    name = "case_detail"

    def __init__(
        self,
        settings: StreamSettings,
        landing: Landing,
        filings: FilingsStream,
        people: PersonHistoryStream,
        history: list[CaseState],
    ) -> None:
        self.settings, self.landing = settings, landing
        self.filings, self.people, self.history = filings, people, history

    def case_refs(self) -> set[tuple[str, str]]:
        refs: set[tuple[str, str]] = set()
        for task in self.filings.tasks():
            output = self.landing.read(task)
            if output is not None:
                refs.update((r["location"], r["case_number"]) for r in output.records["rows"])
        for task in self.people.tasks():
            output = self.landing.read(task)
            if output is not None:
                refs.update((c["court"], c["case_number"]) for c in output.records["candidates"])
        refs.update(
            rescrape_selection(
                self.history,
                as_of=self.settings.as_of,
                window_days=self.settings.rescrape_window_days,
                budget=self.settings.rescrape_budget,
                final_statuses=self.settings.final_statuses,
                exclude=refs,
            )
        )
        return refs

    def tasks(self) -> list[TaskId]:
        return [
            TaskId.of(self.name, f"{court}|{number}", self.settings.as_of)
            for court, number in sorted(self.case_refs())
        ]

    def run(self, task: TaskId, portals: Portals) -> TaskOutput:
        court, number = task.key.split("|", 1)
        ref = {"court": court, "case_number": number}
        found = portals.court.case_detail(court, number)
        if found.detail is None:
            return _output(task, ref, found.pages, found=False)
        records = {
            **ref,
            "detail": asdict(found.detail),
            "change_hash": found.detail.change_hash(),
            "detail_page": found.detail_page,
        }
        return _output(task, records, found.pages)
