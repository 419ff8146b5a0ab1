"""Reparse: re-derive one scrape date's landing outputs from the archived pages.

``courtlake ingest reparse --as-of D`` runs after a parser change and a salt bump. For
every landing output of ``D`` that exists under an older salt only, it rebuilds the output
of the same task at the current salt from the pages that output lists, without touching a
portal: each stream's own ``run()`` is called with replay portals that hand it the
archived pages, in the order the stream reads them, parsed by the current parsers. So the
records are built by exactly the code a scrape uses. Page order conventions replayed:

* roster: every roster page, in order; booking: ``[person page]`` (none when not found);
* filings: the results of each search, in search order: session mode archived the
  results JSON (it starts with ``{``), browser mode the rendered grid followed by the JSON
  it read for the cap;
* person_history: the exact search's results, then the soundex search's;
* case_detail: the search's results, then the detail page when found; a
  detail page whose Financial section was loaded by a second request is followed by that
  section's page.

Where the county's grid shows no court location, every search lists the dashboard first
(its court locations) and then one results page per location searched, so reparse takes
the county profile the scrape used.

Outputs whose outcome is ``not_found`` are carried over as they are (with the new salt).
A rebuilt output keeps the old output's ``finished_at``: the pages were fetched then.
Person-history tasks read their person from the roster output at the current salt, as a
scrape does, so the roster stream is reparsed first (streams run in ``ALL_STREAMS`` order).
A page that no longer parses, a missing page, or pages that no longer replay as the
stream reads them fail that task only; the result reports why. New outputs are written
create-only: a task that already has an output at the current salt is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol, TypeVar, cast

from courtlake.lake import Lake, ObjectNotFoundError
from ingest.counties import CountyProfile, CourtProfile, JailProfile, load_county
from ingest.errors import PageStructureError, ScrapeError
from ingest.odyssey import (
    CaseLookup,
    Fetched,
    SearchCriteria,
    find_case_detail,
    results_json,
    search_locations,
)
from ingest.pages import PageArchive
from ingest.parsers.iml import parse_inmate, parse_roster
from ingest.parsers.odyssey import (
    Dashboard,
    financial_url,
    parse_case_detail,
    parse_dashboard,
    parse_financial,
    parse_results_grid,
)
from ingest.records import (
    CaseDetail,
    InmateDetail,
    InmateRosterPage,
    InmateRow,
    SearchPage,
    SearchRow,
)
from ingest.streams import (
    BookingStream,
    CaseDetailStream,
    FilingsStream,
    PersonHistoryStream,
    Portals,
    RosterStream,
    StreamSettings,
)
from ingest.tasks import ALL_STREAMS, PORTALS, SALTS, Landing, TaskId, TaskOutput

T = TypeVar("T")

_SHOWN_FAILURES = 5  # failures spelled out in the summary line


class Stream(Protocol):
    """What reparse needs of a stream: its ``run()``."""

    def run(self, task: TaskId, portals: Portals) -> TaskOutput: ...


class ReplayError(Exception):
    """The archived pages of an output no longer replay the way the stream reads them."""


@dataclass(frozen=True)
class ReparseFailure:
    """A task reparse could not rebuild, and why."""

    stream: str
    task_key: str
    old_salt: str
    reason: str


@dataclass
class ReparseResult:
    """What one reparse did, per stream."""

    as_of: date
    rebuilt: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_STREAMS, 0))
    carried_over: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_STREAMS, 0))
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_STREAMS, 0))
    failures: list[ReparseFailure] = field(default_factory=list)

    def summary(self) -> str:
        """One line: counts, then the first failures with their reasons."""
        line = (
            f"reparsed {self.as_of}: {sum(self.rebuilt.values())} rebuilt, "
            f"{sum(self.carried_over.values())} carried over as not_found, "
            f"{sum(self.skipped.values())} skipped (already at the current salt), "
            f"{len(self.failures)} failed"
        )
        if not self.failures:
            return line
        shown = "; ".join(
            f"{f.stream} {f.task_key} (v={f.old_salt}): {f.reason}"
            for f in self.failures[:_SHOWN_FAILURES]
        )
        more = len(self.failures) - _SHOWN_FAILURES
        return f"{line}: {shown}" + (f"; and {more} more" if more > 0 else "")


# -- replay portals -----------------------------------------------------------------------


class _ArchivedPages:
    """The pages one output lists, handed out in order from the page archive."""

    def __init__(self, archive: PageArchive, portal: str, day: date, shas: Sequence[str]) -> None:
        self.archive, self.portal, self.day = archive, portal, day
        self.shas = tuple(shas)
        self.read = 0

    def parse(self, what: str, parser: Callable[[str], T]) -> tuple[T, str]:
        """Parse the next page with ``parser``; (record, sha256)."""
        if self.read >= len(self.shas):
            raise ReplayError(f"the stream reads {what}, but the output lists {self.read} pages")
        sha = self.shas[self.read]
        self.read += 1
        content = self.archive.get(self.portal, self.day, sha)
        try:
            return parser(content), sha
        except PageStructureError as error:
            error.page_sha256 = sha
            raise

    def check_all_read(self) -> None:
        """Raise ``ReplayError`` unless the stream read every page the output lists."""
        if self.read != len(self.shas):
            raise ReplayError(
                f"the stream read {self.read} of the {len(self.shas)} pages the output lists"
            )


def _results_page(content: str) -> tuple[SearchPage, bool]:
    """An archived results page: the results JSON (session mode) or the rendered grid
    (browser mode, then followed by the JSON it read for the cap); (page, is the grid)."""
    if content.lstrip().startswith("{"):
        return results_json(content), False
    return parse_results_grid(content), True


class _ReplayCourt:
    """Stands in for ``OdysseyPortal``: searches and case pages come from the archive."""

    def __init__(self, pages: _ArchivedPages, profile: CourtProfile) -> None:
        self.pages, self.profile = pages, profile

    def _dashboard(self) -> tuple[Dashboard, str]:
        return self.pages.parse("the dashboard", parse_dashboard)

    def _search_once(self, criteria: SearchCriteria) -> tuple[SearchPage, list[str]]:
        (page, is_grid), sha = self.pages.parse("a search results page", _results_page)
        if not is_grid:
            return page, [sha]
        envelope, json_sha = self.pages.parse("the results JSON behind a grid", results_json)
        return replace(page, max_results_hit=envelope.max_results_hit), [sha, json_sha]

    def search(self, criteria: SearchCriteria) -> tuple[SearchPage, Fetched]:
        return search_locations(self._dashboard, self._search_once, criteria, self.profile)

    def open_case(self, row: SearchRow) -> tuple[CaseDetail, list[str]]:
        (detail, loads_financial), sha = self.pages.parse(
            "a case detail page",
            lambda content: (parse_case_detail(content), financial_url(content) is not None),
        )
        if not loads_financial:
            return detail, [sha]
        financial, fin_sha = self.pages.parse("a Financial section", parse_financial)
        return replace(detail, financial=financial), [sha, fin_sha]

    def case_detail(self, court: str, case_number: str) -> CaseLookup:
        return find_case_detail(self.search, self.open_case, court, case_number, self.profile)


class _ReplayJail:
    """Stands in for ``JailRoster``: roster and person pages come from the archive."""

    def __init__(self, pages: _ArchivedPages, profile: JailProfile) -> None:
        self.pages = pages
        self.include_released = profile.released_option

    def roster_page(self, start: int) -> tuple[InmateRosterPage, str]:
        roster, sha = self.pages.parse(f"the roster page from row {start}", parse_roster)
        if roster.first != start and roster.total:
            raise ReplayError(
                f"archived roster page {self.pages.read} starts at row {roster.first}, not {start}"
            )
        return roster, sha

    def inmate(self, row: InmateRow) -> tuple[InmateDetail, str]:
        return self.pages.parse(f"the person page of {row.name}", parse_inmate)


class _ReplayPortals:
    """A worker's portals, replaying one output's archived pages."""

    def __init__(self, pages: _ArchivedPages, county: CountyProfile) -> None:
        self.court = _ReplayCourt(pages, county.court)
        self.jail = _ReplayJail(pages, county.jail)


# -- reparse ------------------------------------------------------------------------------

# What fails one task and not the reparse: a page that no longer parses (parsers raise
# ScrapeError, or ValueError on a malformed number), a page missing from the archive,
# pages that no longer replay, and the filings stream's "too many filings on one day".
_TASK_FAILURES = (ScrapeError, ValueError, ObjectNotFoundError, ReplayError, RuntimeError)


def reparse(lake: Lake, as_of: date, county: CountyProfile | None = None) -> ReparseResult:
    """Rebuild, at the current salts, every output of ``as_of`` that only an older salt has,
    reading pages as the `county` profile (default: the default county) shows them."""
    county = county or load_county()
    landing = Landing(lake)
    archive = PageArchive(lake)
    streams = _streams(StreamSettings(as_of=as_of), landing)
    result = ReparseResult(as_of=as_of)
    for name in ALL_STREAMS:
        stream = streams[name]
        existing = set(lake.list(_salt_folder(name, as_of, SALTS[name])))
        for old in older_outputs(lake, name, as_of):
            task = TaskId.of(name, old.task.key, as_of)
            if task.landing_key in existing:
                result.skipped[name] += 1
                continue
            if old.outcome == "not_found":
                new, counter = replace(old, task=task), result.carried_over
            else:
                try:
                    new = _rebuild(stream, task, old, archive, county)
                except _TASK_FAILURES as error:
                    reason = f"{type(error).__name__}: {error}"
                    if isinstance(error, PageStructureError) and error.page_sha256:
                        reason += f" (page {error.page_sha256})"
                    result.failures.append(ReparseFailure(name, task.key, old.task.salt, reason))
                    continue
                counter = result.rebuilt
            if landing.write(new):
                counter[name] += 1
            else:
                result.skipped[name] += 1
    return result


def _streams(settings: StreamSettings, landing: Landing) -> dict[str, Stream]:
    """The five streams, wired as a run wires them (their ``run()`` is all reparse uses)."""
    roster = RosterStream(settings, landing)
    filings = FilingsStream(settings, landing)
    bookings = BookingStream(settings, landing, roster)
    people = PersonHistoryStream(settings, landing, bookings)
    return {
        "roster": roster,
        "booking": bookings,
        "filings": filings,
        "person_history": people,
        "case_detail": CaseDetailStream(settings, landing, filings, people, history=[]),
    }


def _rebuild(
    stream: Stream, task: TaskId, old: TaskOutput, archive: PageArchive, county: CountyProfile
) -> TaskOutput:
    """The output ``stream`` builds for ``task`` from the pages ``old`` lists."""
    if isinstance(stream, PersonHistoryStream) and task.key not in stream.people():
        raise ReplayError("the person is not on the roster output at the current salt")
    pages = _ArchivedPages(archive, PORTALS[task.stream], task.as_of, old.pages)
    # The replay portals have the methods the streams call, not the portals' types.
    new = stream.run(task, cast(Portals, _ReplayPortals(pages, county)))
    pages.check_all_read()
    return replace(new, finished_at=old.finished_at)


def _date_folder(stream: str, as_of: date) -> str:
    """``landing/<stream>/<as_of>/``, taken from the stream's task identity."""
    return TaskId.of(stream, "any", as_of).landing_key.rsplit("/", 2)[0] + "/"


def _salt_folder(stream: str, as_of: date, salt: str) -> str:
    """``landing/<stream>/<as_of>/v=<salt>/``."""
    return f"{_date_folder(stream, as_of)}v={salt}/"


def salt_order(salt: str) -> tuple[int, int, str]:
    """Sort key of salts, oldest first: numbers by value, then other salts by text."""
    return (0, int(salt), "") if salt.isdigit() else (1, 0, salt)


def older_outputs(lake: Lake, stream: str, as_of: date) -> list[TaskOutput]:
    """For each task of ``stream`` on ``as_of`` with outputs under salts other than the
    current one, the output of the newest such salt; in task-key order."""
    folder = _date_folder(stream, as_of)
    by_salt: dict[str, list[str]] = defaultdict(list)
    for key in lake.list(folder):
        salt_dir = key[len(folder) :].split("/", 1)[0]
        if salt_dir.startswith("v=") and salt_dir != f"v={SALTS[stream]}":
            by_salt[salt_dir.removeprefix("v=")].append(key)
    newest: dict[str, TaskOutput] = {}
    for salt in sorted(by_salt, key=salt_order, reverse=True):
        for key in by_salt[salt]:
            output = TaskOutput.decode(lake.get(key))
            newest.setdefault(output.task.key, output)
    return [newest[key] for key in sorted(newest)]
