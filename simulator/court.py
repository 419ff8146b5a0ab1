"""The court portal, in the shape of a Tyler Odyssey "Portal" (2017+ generation).

Every path is below the county profile's base path (`/Portal/`, `/portal/`, `/Secure/`):
- `Home/Dashboard/{smart_search_dashboard}` (the base path redirects there): the Smart
  Search form `form#frmSS` (no anti-forgery token); sets `ASP.NET_SessionId`.
  `Home/Dashboard/{hearing_dashboard}`: the Search Hearings form `form#frmHS`.
- `Account/Login` (form with `__RequestVerificationToken`, `UserName`, `Password`) and
  `Account/LogOff`: both answer 302 to the dashboard.
- `POST SmartSearch/SmartSearch/SmartSearch`: 302 to `Home/WorkspaceMode?p=0`, or 200 with
  the dashboard and its validation summary (bad criteria, CAPTCHA).
- `Home/WorkspaceMode?p=0`: the workspace; its script fills the results grid from
  `SmartSearch/SmartSearchResults`, a Kendo JSON envelope (`Data`, `Total`, `Errors`,
  `MaxResultsHit`).
- `Case/CaseDetail?eid=<EncryptedCaseId>`: the case detail fragment; the `eid` is only
  valid in the session that listed the case. Its Financial section is loaded from
  `Case/CaseDetail/LoadFinancialInformation?caseId=<CaseId>` (the numeric, stable id).
- `POST Hearing/SearchHearings/HearingSearch` remembers hearing criteria (302 to the
  workspace); `POST Hearing/HearingResults/Read` answers them as a Kendo envelope.
A request without a live session is sent to the dashboard (302); criminal case pages
need a signed-in account where the profile says so (302 to `Account/Login`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from simulator.court_views import CourtView, grid_columns
from simulator.formats import code_word, initials_code
from simulator.model import Case, Hearing
from simulator.search import NameQuery, PartyHit, SearchResult, fold
from simulator.sessions import SESSION_COOKIE, Session
from simulator.state import PortalState

COUNTY = "Bluff County"
PRODUCT = f"{COUNTY} - Judicial Information System"
ALL_COURTS = "All Courts"
ALL_CASE_TYPES = "All Case Types"
ALL_HEARINGS = "All Hearings"
CAPTCHA_MESSAGE = "The captcha was not completed. Please verify that you are not a robot."
NO_CRITERIA = "Please enter a value for search criteria."
BAD_DATE = "Please select a valid date. (MM/DD/YYYY)"
HEARING_SEARCH_TYPES = ("CaseNumber", "PartyName", "JudicialOfficer", "Courtroom")


def parse_mdy(text: str, label: str, errors: list[str]) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        errors.append(f"{label}: {BAD_DATE}")
        return None


@dataclass(frozen=True)
class Criteria:
    """A Smart Search as posted; `court` is a location code, None for all."""

    text: str
    last: str
    first: str
    middle: str
    soundex: bool
    case_type: str | None
    status: str | None
    court: str | None
    filed_from: date | None
    filed_to: date | None
    dob_from: date | None
    dob_to: date | None
    officer: str | None
    booking: str

    def any(self) -> bool:
        """Whether anything narrows the search (the portal refuses a search for all)."""
        return any(
            (self.text, self.last, self.case_type, self.court, self.filed_from, self.officer)
        ) or bool(self.booking)


@dataclass(frozen=True)
class HearingCriteria:
    """A hearing search as posted; `court` is a location code, None for all."""

    court: str | None
    hearing_type: str | None
    search_by: str
    value: str
    last: str
    first: str
    officer: str | None
    courtroom: str | None
    date_from: date
    date_to: date


class CourtPortal:
    """Routes and handlers of the court portal under one county profile."""

    def __init__(self, state: PortalState, templates: Jinja2Templates) -> None:
        self.state = state
        self.templates = templates
        self.profile = state.county.court
        self.base = self.profile.base_path
        self.view = CourtView(state.world, self.profile)
        world = state.world
        self.locations = {c.name: c.code for c in world.courts}
        self.case_types = sorted({c.case_type for c in world.cases})
        self.statuses = sorted({s.status for c in world.cases for s in c.statuses})
        self.officers = list(world.judicial_officers)
        self.courtrooms = list(world.courtrooms)
        self.hearing_types = sorted({h.hearing_type for c in world.cases for h in c.hearings})

    # -- plumbing -------------------------------------------------------------------

    def routes(self) -> list[Route]:
        if self.state.county.court.generation == "publicaccess":
            from simulator.publicaccess import PublicAccessCourt

            return PublicAccessCourt(self.state, self.templates).routes()
        base = self.base
        return [
            Route(base, self.root),
            Route(base.rstrip("/"), self.root),
            Route(f"{base}Home/Dashboard/{{number:int}}", self.dashboard),
            Route(f"{base}Account/Login", self.login, methods=["GET", "POST"]),
            Route(f"{base}Account/LogOff", self.logoff),
            Route(
                f"{base}SmartSearch/SmartSearch/SmartSearch", self.smart_search, methods=["POST"]
            ),
            Route(f"{base}Home/WorkspaceMode", self.workspace),
            Route(f"{base}SmartSearch/SmartSearchResults", self.results),
            Route(f"{base}Case/CaseDetail", self.case_detail),
            Route(f"{base}Case/CaseDetail/LoadFinancialInformation", self.financial),
            Route(
                f"{base}Hearing/SearchHearings/HearingSearch", self.hearing_search, methods=["POST"]
            ),
            Route(f"{base}Hearing/HearingResults/Read", self.hearing_results, methods=["POST"]),
        ]

    @property
    def smart_dashboard(self) -> str:
        return f"{self.base}Home/Dashboard/{self.profile.smart_search_dashboard}"

    @property
    def hearing_dashboard(self) -> str:
        return f"{self.base}Home/Dashboard/{self.profile.hearing_dashboard}"

    def signed_in(self, session: Session) -> bool:
        return session.user is not None

    def include_criminal(self, session: Session) -> bool:
        return self.signed_in(session) or not self.profile.criminal_requires_login

    def captcha_applies(self, session: Session) -> bool:
        """The CAPTCHA stops this session: switched on, and not waived for a signed-in one."""
        if not self.state.faults.config.captcha:
            return False
        return not (self.signed_in(session) and self.profile.captcha_for_anonymous_only)

    def page(self, request: Request, name: str, session: Session, **context: Any) -> Response:
        """A full page in the portal's layout, setting the session cookie."""
        config = {
            "sessionTimeout": 20,
            "isAuthenticated": self.signed_in(session),
            "isKioskMode": False,
            "isRouteHomeOrIndex": False,
            "homeUrl": f"{self.base}?clearSession=True",
            "logOffUrl": f"{self.base}Account/LogOff?showLandingPage=True",
            "refreshUrl": f"{self.base}Home/RefreshSession",
        }
        context.update(
            base=self.base,
            product=PRODUCT,
            user=session.user,
            session_config=json.dumps(config, separators=(",", ":")),
        )
        response = self.templates.TemplateResponse(request, name, context)
        response.set_cookie(SESSION_COOKIE, session.session_id, httponly=True, path="/")
        return response

    def fragment(self, request: Request, name: str, **context: Any) -> Response:
        """An HTML fragment (no layout), as the case detail requests answer."""
        context.update(base=self.base)
        return self.templates.TemplateResponse(request, name, context)

    def session_of(self, request: Request) -> Session | None:
        return self.state.sessions.get(request.cookies.get(SESSION_COOKIE))

    def live_or_new(self, request: Request) -> Session:
        return self.session_of(request) or self.state.sessions.create()

    def redirect(self, url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=302)

    # -- dashboards and account -------------------------------------------------------------

    async def root(self, request: Request) -> Response:
        return self.redirect(self.smart_dashboard)

    async def dashboard(self, request: Request) -> Response:
        number = request.path_params["number"]
        session = self.live_or_new(request)
        if number == self.profile.smart_search_dashboard:
            return self.smart_search_page(request, session, [])
        if number == self.profile.hearing_dashboard:
            return self.hearing_page(request, session, [])
        return Response("<h1>404 Not Found</h1>", status_code=404, media_type="text/html")

    def smart_search_page(self, request: Request, session: Session, errors: list[str]) -> Response:
        options = self.profile.search_options

        def combo(items: list[tuple[str, str]], everything: str = "") -> list[dict[str, str]]:
            listed = [(everything, everything)] if everything else []
            return [{"Text": text, "Value": value} for text, value in listed + items]

        return self.page(
            request,
            "dashboard.html",
            session,
            errors=errors,
            captcha_enabled=self.state.faults.config.captcha,
            captcha_waived=self.profile.captcha_for_anonymous_only,
            captcha=self.captcha_applies(session),
            soundex="soundex" in options,
            dob="dob" in options,
            dashboard=self.profile.smart_search_dashboard,
            locations=combo([(n, n) for n in self.locations], ALL_COURTS),
            case_types=combo([(t, t) for t in self.case_types], ALL_CASE_TYPES),
            statuses=combo([(s, code_word(s)) for s in self.statuses]),
            officers=combo([(o, initials_code(o)) for o in self.officers]),
            search_by=combo([("Smart Search", "SmartSearch")]),
        )

    def hearing_page(self, request: Request, session: Session, errors: list[str]) -> Response:
        return self.page(
            request,
            "hearing_dashboard.html",
            session,
            errors=errors,
            captcha_enabled=self.state.faults.config.captcha,
            captcha=self.captcha_applies(session),
            dashboard=self.profile.hearing_dashboard,
            locations=[ALL_COURTS, *self.locations],
            hearing_types=[ALL_HEARINGS, *self.hearing_types],
            officers=[(str(300 + i), o) for i, o in enumerate(self.officers)],
            courtrooms=[(str(900 + i), r) for i, r in enumerate(self.courtrooms)],
        )

    async def login(self, request: Request) -> Response:
        session = self.live_or_new(request)
        if request.method == "GET":
            return self.page(request, "login.html", session, error=None, token=session.token)
        form = await request.form()
        if form.get("__RequestVerificationToken") != session.token:
            return bad_token()
        creds = self.state.credentials
        if form.get("UserName") == creds.user and form.get("Password") == creds.password:
            session.user = creds.user
            return self.redirect(self.smart_dashboard)
        return self.page(
            request,
            "login.html",
            session,
            error="Invalid user name or password.",
            token=session.token,
        )

    async def logoff(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is not None:
            session.user = None
        return self.redirect(self.smart_dashboard)

    # -- Smart Search -------------------------------------------------------------------------

    async def smart_search(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is None:
            return self.redirect(self.smart_dashboard)
        if self.captcha_applies(session):
            return self.smart_search_page(request, session, [CAPTCHA_MESSAGE])
        form = await request.form()
        errors: list[str] = []
        criteria = self.criteria(form, session, errors)
        if criteria is not None and not criteria.any():
            errors.append(NO_CRITERIA)
        if errors or criteria is None:
            return self.smart_search_page(request, session, errors)
        session.criteria = criteria
        return self.redirect(f"{self.base}Home/WorkspaceMode?p=0")

    def criteria(self, form: FormData, session: Session, errors: list[str]) -> Criteria | None:
        def field(name: str) -> str:
            return str(form.get(f"caseCriteria.{name}") or "").strip()

        def pick(name: str, options: dict[str, str], blank: str, message: str) -> str | None:
            value = field(name)
            if value in ("", blank):
                return None
            if value not in options:
                errors.append(message)
                return None
            return options[value]

        dob = "dob" in self.profile.search_options and self.signed_in(session)
        statuses = {s: s for s in self.statuses} | {code_word(s): s for s in self.statuses}
        officers = {o: o for o in self.officers} | {initials_code(o): o for o in self.officers}
        criteria = Criteria(
            text=field("SearchCriteria"),
            last=field("NameLast"),
            first=field("NameFirst"),
            middle=field("NameMiddle"),
            soundex="soundex" in self.profile.search_options
            and "true" in [str(v).lower() for v in form.getlist("caseCriteria.UseSoundex")],
            case_type=pick(
                "CaseType",
                {t: t for t in self.case_types},
                ALL_CASE_TYPES,
                "Please select a valid Case Type.",
            ),
            status=pick("CaseStatus", statuses, "", "Please select a valid Case Status."),
            court=pick(
                "CourtLocation", self.locations, ALL_COURTS, "Please select a valid Court Location"
            ),
            filed_from=parse_mdy(field("FileDateStart"), "File Date Start", errors),
            filed_to=parse_mdy(field("FileDateEnd"), "File Date End", errors),
            dob_from=parse_mdy(field("DOBFrom"), "Date of Birth From", errors) if dob else None,
            dob_to=parse_mdy(field("DOBTo"), "Date of Birth To", errors) if dob else None,
            officer=pick(
                "JudicialOfficer", officers, "", "Please select a valid Judicial Officer."
            ),
            booking=field("BookingNumber"),
        )
        return None if errors else criteria

    async def workspace(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is None:
            return self.redirect(self.smart_dashboard)
        columns = grid_columns(self.profile, self.state.faults.config.column_variant)
        grid = {
            "columns": columns,
            "dataSource": {
                "transport": {"read": {"url": f"{self.base}SmartSearch/SmartSearchResults"}},
                "type": "aspnetmvc-ajax",
                "schema": {"data": "Data", "total": "Total", "errors": "Errors"},
            },
        }
        return self.page(request, "workspace.html", session, grid=grid)

    async def results(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is None:
            return self.redirect(self.smart_dashboard)
        rows: list[dict[str, Any]] = []
        capped = False
        if session.criteria is not None:
            found = self.run_search(session.criteria, self.include_criminal(session))
            day = self.state.clock.today()
            signed_in = self.signed_in(session)
            rows = [
                self.view.result_row(
                    h.case, h.party, session.eid_for(h.case.case_key), day, signed_in=signed_in
                )
                for h in found.hits
            ]
            capped = found.max_results_hit
        return JSONResponse(envelope(rows, capped))

    def cap(self) -> int:
        """Rows at which a search is capped (`MaxResultsHit`): the `result_cap` knob."""
        return self.state.faults.config.result_cap

    def run_search(self, criteria: Criteria, include_criminal: bool) -> SearchResult:
        index, day, cap = self.state.index, self.state.clock.today(), self.cap()
        name = NameQuery.parse(criteria.text) if criteria.text else None
        if criteria.last:
            name = NameQuery(criteria.last, criteria.first, criteria.middle)
        if criteria.text and name is None:
            found = index.case_number_search(criteria.text, day, include_criminal=include_criminal)
        elif name is None:
            found = index.advanced_search(
                day,
                case_type=criteria.case_type,
                court=criteria.court,
                status=criteria.status,
                filed_from=criteria.filed_from,
                filed_to=criteria.filed_to,
                include_criminal=include_criminal,
                cap=cap * 10,
            )
        else:
            found = index.party_search(
                name,
                day,
                soundex_on=criteria.soundex,
                dob_from=criteria.dob_from,
                dob_to=criteria.dob_to,
                include_criminal=include_criminal,
                cap=cap * 10,
            )
        keep = self.filters(criteria, day)
        hits = [h for h in found.hits if keep(h)]
        capped = found.max_results_hit or len(hits) > cap
        return SearchResult(hits=hits[:cap], max_results_hit=capped)

    def filters(self, criteria: Criteria, day: date) -> Callable[[PartyHit], bool]:
        booked = self.booked_cases(criteria.booking) if criteria.booking else None

        def keep(hit: PartyHit) -> bool:
            case = hit.case
            return (
                (criteria.case_type is None or case.case_type == criteria.case_type)
                and (criteria.court is None or case.court == criteria.court)
                and (criteria.status is None or case.status_on(day) == criteria.status)
                and (criteria.filed_from is None or case.filed_date >= criteria.filed_from)
                and (criteria.filed_to is None or case.filed_date <= criteria.filed_to)
                and (criteria.officer is None or case.judicial_officer == criteria.officer)
                and (booked is None or case.case_number in booked)
            )

        return keep

    def booked_cases(self, booking_number: str) -> set[str]:
        booking = self.state.bookings_by_number.get(booking_number)
        if booking is None:
            return set()
        return {c.court_case_number for c in booking.charges if c.court_case_number}

    # -- case detail ------------------------------------------------------------------------

    def visible_case(self, case: Case | None) -> Case | None:
        day = self.state.clock.today()
        return case if case is not None and case.visible_on(day) else None

    async def case_detail(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is None:
            return self.redirect(self.smart_dashboard)
        case_key = session.eids.get(request.query_params.get("eid", ""))
        case = self.visible_case(self.state.index.by_key.get(case_key) if case_key else None)
        if case is None:
            return self.fragment(request, "case_not_found.html")
        if case.kind == "criminal" and not self.include_criminal(session):
            return self.redirect(f"{self.base}Account/Login")
        detail = self.view.case_page(case, self.state.clock.today(), self.base)
        return self.fragment(request, "case_detail.html", case=detail)

    async def financial(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is None:
            return self.redirect(self.smart_dashboard)
        try:
            case_id = int(request.query_params.get("caseId", ""))
        except ValueError:
            case_id = -1
        case = self.visible_case(self.state.index.by_portal_id.get(case_id))
        if case is None or not self.profile.has("financial"):
            return self.fragment(request, "case_not_found.html")
        if case.kind == "criminal" and not self.include_criminal(session):
            return self.redirect(f"{self.base}Account/Login")
        blocks = self.view.financial(case, self.state.clock.today())
        return self.fragment(request, "case_financial.html", blocks=blocks)

    # -- hearings ---------------------------------------------------------------------------

    async def hearing_search(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is None:
            return self.redirect(self.hearing_dashboard)
        if self.captcha_applies(session):
            return self.hearing_page(request, session, [CAPTCHA_MESSAGE])
        errors: list[str] = []
        criteria = self.hearing_criteria(await request.form(), errors)
        if criteria is None:
            return self.hearing_page(request, session, errors)
        session.hearing_criteria = criteria
        return self.redirect(f"{self.base}Home/WorkspaceMode?p=0")

    def hearing_criteria(self, form: FormData, errors: list[str]) -> HearingCriteria | None:
        def field(name: str) -> str:
            return str(form.get(f"SearchCriteria.{name}") or "").strip()

        court = field("SelectedCourt")
        if court not in ("", ALL_COURTS) and court not in self.locations:
            errors.append("Court location is required")
        hearing_type = field("SelectedHearingType")
        if hearing_type not in ("", ALL_HEARINGS) and hearing_type not in self.hearing_types:
            errors.append("Hearing type is required field")
        search_by = field("SearchByType")
        if search_by and search_by not in HEARING_SEARCH_TYPES:
            errors.append("Search type is a required field")
        officers = {str(300 + i): o for i, o in enumerate(self.officers)}
        rooms = {str(900 + i): r for i, r in enumerate(self.courtrooms)}
        date_from = parse_mdy(field("DateFrom"), "Date From", errors)
        date_to = parse_mdy(field("DateTo"), "Date To", errors)
        if date_from is None and not errors:
            errors.append("Date From is a required field")
        if date_to is None and not errors:
            errors.append("Date To is a required field")
        if errors or date_from is None or date_to is None:
            return None
        return HearingCriteria(
            court=self.locations.get(court),
            hearing_type=hearing_type if hearing_type in self.hearing_types else None,
            search_by=search_by,
            value=field("SearchValue"),
            last=field("LastNameValue"),
            first=field("FirstNameValue"),
            officer=officers.get(field("SelectedJudicialOfficer")),
            courtroom=rooms.get(field("SelectedCourtRoom")),
            date_from=date_from,
            date_to=date_to,
        )

    async def hearing_results(self, request: Request) -> Response:
        session = self.session_of(request)
        if session is None:
            return self.redirect(self.hearing_dashboard)
        criteria: HearingCriteria | None = session.hearing_criteria
        if criteria is None:
            return JSONResponse(envelope([], False, hearings=True))
        day = self.state.clock.today()
        found, _ = self.state.index.hearings(
            day,
            date_from=criteria.date_from,
            date_to=criteria.date_to,
            court=criteria.court,
            case_type=None,
            include_criminal=self.include_criminal(session),
            cap=len(self.state.world.cases) * 100,
        )
        keep = [(c, h) for c, h in found if hearing_matches(c, h, criteria, day)]
        cap = self.cap()
        rows = [
            self.view.hearing_row(case, hearing, session.eid_for(case.case_key), day)
            for case, hearing in keep[:cap]
        ]
        return JSONResponse(envelope(rows, len(keep) > cap, hearings=True))


def hearing_matches(case: Case, hearing: Hearing, criteria: HearingCriteria, day: date) -> bool:
    """A hearing the search lists: still on the calendar (not canceled) and matching."""
    if hearing.state_on(day)[0]:
        return False
    if criteria.hearing_type and hearing.hearing_type != criteria.hearing_type:
        return False
    by = criteria.search_by
    if by == "CaseNumber":
        return case.case_number == criteria.value.upper()
    if by == "JudicialOfficer":
        return hearing.judicial_officer == criteria.officer
    if by == "Courtroom":
        return hearing.courtroom == criteria.courtroom
    if by == "PartyName":
        last, first = fold(criteria.last), fold(criteria.first)
        return any(
            p.name is not None
            and fold(p.name.last) == last
            and fold(p.name.first).startswith(first)
            for p in case.parties
        )
    return True


def envelope(rows: list[dict[str, Any]], capped: bool, *, hearings: bool = False) -> dict:
    """The Kendo data source envelope the portal's grids read."""
    body: dict[str, Any] = {
        "AggregateResults": None,
        "Data": rows,
        "Errors": None,
        "Total": len(rows),
        "MaxResultsHit": capped,
    }
    if hearings:
        body.update(ForwardToROA=False, ROAAuthorized=True)
    return body


def bad_token() -> Response:
    return Response(
        "The required anti-forgery form field "
        "&quot;__RequestVerificationToken&quot; is not present.",
        status_code=400,
        media_type="text/html",
    )
