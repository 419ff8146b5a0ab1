"""The court portal, in the shape of a Tyler Odyssey "Portal" (2017+ generation).

Flow a client must follow, as on the real portals:
1. `GET /Portal/Home/Dashboard/29` sets `ASP.NET_SessionId` and carries the hidden
   `__RequestVerificationToken` and `Settings.CaptchaEnabled` fields.
2. Criminal lookups need `POST /Portal/Account/Login` (UserName, Password, token).
3. `POST /Portal/SmartSearch/SmartSearch/SmartSearch` (form) → 302 to
   `/Portal/Home/WorkspaceMode?p=0`, an empty shell whose grid JavaScript fills from
   `GET /Portal/SmartSearch/SmartSearchResults` (JSON: Data, Columns, MaxResultsHit).
4. Each row links to `/Portal/Case/CaseDetail?eid=<opaque id>`; the id only works in the
   session that received it.
5. `GET /Portal/Hearing/SearchHearings/HearingResults/Read` → `{"Data": [...], "MaxResultsHit"}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from simulator.model import Case, Party
from simulator.search import NameQuery, PartyHit, SearchResult
from simulator.sessions import SESSION_COOKIE, Session
from simulator.state import PortalState

PREFIX = "/Portal"
COUNTY = "Bluff County"

COLUMNS_DEFAULT = [
    ("CaseNumber", "Case Number"),
    ("Style", "Style / Defendant"),
    ("FileDate", "File Date"),
    ("PartyName", "Party Name"),
    ("DateOfBirth", "Date of Birth"),
    ("Status", "Status"),
    ("Type", "Type"),
    ("Location", "Location"),
]
# Another county's grid: same data, different order and header wording.
COLUMNS_VARIANT = [
    ("CaseNumber", "Case #"),
    ("PartyName", "Party"),
    ("Type", "Case Type"),
    ("Status", "Case Status"),
    ("Location", "Court Location"),
    ("FileDate", "Filed"),
    ("DateOfBirth", "DOB"),
    ("Style", "Case Style"),
]


def mdy(value: date | datetime | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def hm(value: datetime) -> str:
    return value.strftime("%I:%M %p")


def mdyhm(value: datetime) -> str:
    return value.strftime("%m/%d/%Y %I:%M %p")


def money(value: Decimal | None) -> str:
    return "" if value is None else f"${value:,.2f}"


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
    templates.env.filters.update(mdy=mdy, hm=hm, mdyhm=mdyhm, money=money)
    return templates


def parse_mdy(text: str, label: str, errors: list[str]) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        errors.append(f"{label} is not a valid date (MM/DD/YYYY).")
        return None


@dataclass(frozen=True)
class Criteria:
    text: str
    last: str
    first: str
    middle: str
    soundex: bool
    case_type: str
    status: str
    court: str
    filed_from: date | None
    filed_to: date | None
    dob_from: date | None
    dob_to: date | None


class CourtPortal:
    def __init__(self, state: PortalState, templates: Jinja2Templates) -> None:
        self.state = state
        self.templates = templates

    # -- plumbing -------------------------------------------------------------------

    def routes(self) -> list[Route]:
        return [
            Route(f"{PREFIX}/", self.root),
            Route(f"{PREFIX}/Home/Dashboard/29", self.dashboard),
            Route(f"{PREFIX}/Account/Login", self.login, methods=["GET", "POST"]),
            Route(
                f"{PREFIX}/SmartSearch/SmartSearch/SmartSearch", self.smart_search, methods=["POST"]
            ),
            Route(f"{PREFIX}/Home/WorkspaceMode", self.workspace),
            Route(f"{PREFIX}/SmartSearch/SmartSearchResults", self.results),
            Route(f"{PREFIX}/Case/CaseDetail", self.case_detail),
            Route(f"{PREFIX}/Hearing/SearchHearings", self.hearing_page),
            Route(f"{PREFIX}/Hearing/SearchHearings/HearingResults/Read", self.hearing_results),
        ]

    def render(
        self, request: Request, name: str, session: Session | None, **context: Any
    ) -> Response:
        context.update(
            prefix=PREFIX,
            county=COUNTY,
            user=session.user if session else None,
            token=session.token if session else "",
        )
        response = self.templates.TemplateResponse(request, name, context)
        if session is not None:
            response.set_cookie(SESSION_COOKIE, session.session_id, httponly=True, path="/")
        return response

    def session_of(self, request: Request) -> tuple[Session | None, bool]:
        return self.state.sessions.get(request.cookies.get(SESSION_COOKIE))

    def to_dashboard(self, expired: bool) -> RedirectResponse:
        suffix = "?timeout=1" if expired else ""
        return RedirectResponse(f"{PREFIX}/Home/Dashboard/29{suffix}", status_code=302)

    # -- pages ----------------------------------------------------------------------

    async def root(self, request: Request) -> Response:
        return RedirectResponse(f"{PREFIX}/Home/Dashboard/29", status_code=302)

    async def dashboard(self, request: Request, errors: list[str] | None = None) -> Response:
        session, expired = self.session_of(request)
        if session is None:
            session = self.state.sessions.create()
        world = self.state.world
        return self.render(
            request,
            "dashboard.html",
            session,
            timed_out=expired or request.query_params.get("timeout") == "1",
            errors=errors or [],
            captcha=self.state.faults.config.captcha,
            courts=world.courts,
            case_types=sorted({c.case_type for c in world.cases}),
            statuses=sorted({s.status for c in world.cases for s in c.statuses}),
        )

    async def login(self, request: Request) -> Response:
        session, _ = self.session_of(request)
        if session is None:
            session = self.state.sessions.create()
        if request.method == "GET":
            return self.render(request, "login.html", session, error=None)
        form = await request.form()
        if form.get("__RequestVerificationToken") != session.token:
            return bad_token()
        creds = self.state.credentials
        if form.get("UserName") == creds.user and form.get("Password") == creds.password:
            session.user = creds.user
            return RedirectResponse(f"{PREFIX}/Home/Dashboard/29", status_code=302)
        return self.render(request, "login.html", session, error="Invalid user name or password.")

    async def smart_search(self, request: Request) -> Response:
        session, expired = self.session_of(request)
        if session is None:
            return self.to_dashboard(expired)
        form = await request.form()
        if form.get("__RequestVerificationToken") != session.token:
            return bad_token()
        if self.state.faults.config.captcha:
            return await self.dashboard(request, errors=["CAPTCHA validation failed."])
        errors: list[str] = []
        logged_in = session.user is not None

        def field(name: str) -> str:
            return str(form.get(f"caseCriteria.{name}") or "").strip()

        criteria = Criteria(
            text=field("SearchCriteria"),
            last=field("NameLast"),
            first=field("NameFirst"),
            middle=field("NameMiddle"),
            soundex=field("UseSoundex").lower() == "true",
            case_type=field("CaseType"),
            status=field("CaseStatus"),
            court=field("CourtLocation"),
            filed_from=parse_mdy(field("FileDateStart"), "File date from", errors),
            filed_to=parse_mdy(field("FileDateEnd"), "File date to", errors),
            dob_from=parse_mdy(field("DOBStart"), "Date of birth from", errors)
            if logged_in
            else None,
            dob_to=parse_mdy(field("DOBEnd"), "Date of birth to", errors) if logged_in else None,
        )
        if not errors and not any(
            (criteria.text, criteria.last, criteria.case_type, criteria.court, criteria.filed_from)
        ):
            errors.append("Please enter search criteria.")
        if errors:
            return await self.dashboard(request, errors=errors)
        session.criteria = criteria
        return RedirectResponse(f"{PREFIX}/Home/WorkspaceMode?p=0", status_code=302)

    async def workspace(self, request: Request) -> Response:
        session, expired = self.session_of(request)
        if session is None:
            return self.to_dashboard(expired)
        return self.render(request, "workspace.html", session)

    async def results(self, request: Request) -> Response:
        session, expired = self.session_of(request)
        if session is None:
            return self.to_dashboard(expired)
        if not session.criteria:
            return JSONResponse({"Data": [], "Columns": [], "MaxResultsHit": False, "Total": 0})
        criteria: Criteria = session.criteria
        result = self.run_search(criteria, include_criminal=session.user is not None)
        day = self.state.clock.today()
        columns = COLUMNS_VARIANT if self.state.faults.config.column_variant else COLUMNS_DEFAULT
        rows = [self.row(hit, session, day) for hit in result.hits]
        return JSONResponse(
            {
                "Data": rows,
                "Total": len(rows),
                "MaxResultsHit": result.max_results_hit,
                "Columns": [{"field": f, "title": t} for f, t in columns],
            }
        )

    def run_search(self, criteria: Criteria, *, include_criminal: bool) -> SearchResult:
        index, day = self.state.index, self.state.clock.today()
        cap = self.state.faults.config.result_cap
        name = NameQuery.parse(criteria.text) if criteria.text else None
        if criteria.last:
            name = NameQuery(criteria.last, criteria.first, criteria.middle)
        if criteria.text and name is None:
            return index.case_number_search(criteria.text, day, include_criminal=include_criminal)
        if name is None:
            return index.advanced_search(
                day,
                case_type=criteria.case_type or None,
                court=criteria.court or None,
                status=criteria.status or None,
                filed_from=criteria.filed_from,
                filed_to=criteria.filed_to,
                include_criminal=include_criminal,
                cap=cap,
            )
        found = index.party_search(
            name,
            day,
            soundex_on=criteria.soundex,
            dob_from=criteria.dob_from,
            dob_to=criteria.dob_to,
            include_criminal=include_criminal,
            cap=cap * 10,
        )
        hits = [h for h in found.hits if _matches_filters(h.case, criteria, day)]
        return SearchResult(
            hits=hits[:cap], max_results_hit=found.max_results_hit or len(hits) > cap
        )

    def row(self, hit: PartyHit, session: Session, day: date) -> dict[str, Any]:
        case, party = hit.case, hit.party
        court = next((c.name for c in self.state.world.courts if c.code == case.court), case.court)
        dob = self.state.index.dob_of(party) if case.kind == "criminal" else None
        return {
            "CaseNumber": case.case_number,
            "Style": style_of(case, day),
            "FileDate": mdy(case.filed_date),
            "PartyName": party.display_name_on(day),
            "DateOfBirth": mdy(dob),
            "Status": case.status_on(day),
            "Type": case.case_type,
            "Location": court,
            "CaseLink": f"{PREFIX}/Case/CaseDetail?eid={session.eid_for(case.case_key)}",
        }

    async def case_detail(self, request: Request) -> Response:
        session, expired = self.session_of(request)
        if session is None:
            return self.to_dashboard(expired)
        day = self.state.clock.today()
        case_key = session.eids.get(request.query_params.get("eid", ""))
        case = self.state.index.by_key.get(case_key) if case_key else None
        if case is None or not case.visible_on(day):
            return self.render(request, "case_not_found.html", session)
        if case.kind == "criminal" and session.user is None:
            return RedirectResponse(f"{PREFIX}/Account/Login", status_code=302)
        return self.render(request, "case_detail.html", session, **self.detail_context(case, day))

    def detail_context(self, case: Case, day: date) -> dict[str, Any]:
        court = next((c.name for c in self.state.world.courts if c.code == case.court), case.court)
        docket: list[dict[str, Any]] = [
            {"kind": "event", "event": e, "sort": (e.event_date, 0, e.event_type)}
            for e in case.events_on(day)
        ]
        for hearing in case.hearings_on(day):
            canceled, result = hearing.state_on(day)
            docket.append(
                {
                    "kind": "hearing",
                    "hearing": hearing,
                    "canceled": canceled,
                    "result": result,
                    "sort": (hearing.scheduled_at.date(), 1, hearing.hearing_key),
                }
            )
        docket.sort(key=lambda item: item["sort"])
        paid = case.fees_assessed - case.balance_on(day)
        return {
            "case": case,
            "court_name": court,
            "status": case.status_on(day),
            "parties": [self.party_view(case, p, day) for p in case.parties],
            "charges": [
                {**c.__dict__, "disposition": d, "disposition_date": dd}
                for c in case.charges
                for d, dd in [c.disposition_on(day)]
            ],
            "judgments": case.judgments_on(day),
            "docket": docket,
            "bonds": case.bonds_on(day),
            "paid": paid,
            "balance": case.balance_on(day),
            "today": day,
        }

    def party_view(self, case: Case, party: Party, day: date) -> dict[str, Any]:
        address = party.address_on(day)
        lines: list[str] = []
        if address is not None:
            street = f"{address.street} {address.unit}".strip()
            lines = [street, f"{address.city}, {address.state} {address.zip_code}"]
        dob = self.state.index.dob_of(party) if case.kind == "criminal" else None
        return {
            "role": party.role,
            "name": party.display_name_on(day),
            "dob": dob,
            "address": lines,
            "attorney": party.attorney_on(day),
        }

    async def hearing_page(self, request: Request) -> Response:
        session, expired = self.session_of(request)
        if session is None:
            return self.to_dashboard(expired)
        return self.render(request, "hearing_search.html", session)

    async def hearing_results(self, request: Request) -> Response:
        session, expired = self.session_of(request)
        if session is None:
            return self.to_dashboard(expired)
        errors: list[str] = []
        params = request.query_params
        date_from = parse_mdy(params.get("HearingDateFrom", ""), "HearingDateFrom", errors)
        date_to = parse_mdy(params.get("HearingDateTo", ""), "HearingDateTo", errors)
        if errors or date_from is None or date_to is None:
            message = errors or ["HearingDateFrom and HearingDateTo are required."]
            return JSONResponse({"Errors": message}, status_code=400)
        day = self.state.clock.today()
        found, capped = self.state.index.hearings(
            day,
            date_from=date_from,
            date_to=date_to,
            court=params.get("CourtLocation") or None,
            case_type=params.get("CaseType") or None,
            include_criminal=session.user is not None,
            cap=self.state.faults.config.result_cap,
        )
        data = []
        for case, hearing in found:
            canceled, result = hearing.state_on(day)  # type: ignore[attr-defined]
            defendants = case.defendants()
            data.append(
                {
                    "CaseId": session.eid_for(case.case_key),
                    "CaseNumber": case.case_number,
                    "HearingDate": mdy(hearing.scheduled_at),  # type: ignore[attr-defined]
                    "HearingTime": hm(hearing.scheduled_at),  # type: ignore[attr-defined]
                    "CourtRoom": hearing.courtroom,  # type: ignore[attr-defined]
                    "JudicialOfficer": hearing.judicial_officer,  # type: ignore[attr-defined]
                    "DefendantName": defendants[0].display_name_on(day) if defendants else "",
                    "CaseType": case.case_type,
                    "HearingType": hearing.hearing_type,  # type: ignore[attr-defined]
                    "Canceled": canceled,
                    "Result": result,
                }
            )
        return JSONResponse({"Data": data, "MaxResultsHit": capped})


def _matches_filters(case: Case, criteria: Criteria, day: date) -> bool:
    if criteria.case_type and case.case_type != criteria.case_type:
        return False
    if criteria.court and case.court != criteria.court:
        return False
    if criteria.status and case.status_on(day) != criteria.status:
        return False
    if criteria.filed_from and case.filed_date < criteria.filed_from:
        return False
    return not (criteria.filed_to and case.filed_date > criteria.filed_to)


def style_of(case: Case, day: date) -> str:
    plaintiffs = [p for p in case.parties if p.role == "Plaintiff"]
    defendants = case.defendants()
    left = "State of Tennessee" if case.kind == "criminal" else _names(plaintiffs, day)
    first_defendant = defendants[0].display_name_on(day) if defendants else ""
    et_al = " et al" if len(defendants) > 1 else ""
    return f"{left} vs. {first_defendant}{et_al}"


def _names(parties: list[Party], day: date) -> str:
    return "; ".join(p.display_name_on(day) for p in parties) or "Unknown"


def bad_token() -> Response:
    return Response(
        "The required anti-forgery form field "
        "&quot;__RequestVerificationToken&quot; is not present.",
        status_code=400,
        media_type="text/html",
    )
