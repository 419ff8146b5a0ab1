"""The court portal, in the shape of a Tyler Odyssey "PublicAccess" site (the generation
before the Portal): ASP.NET WebForms in a table layout, for counties whose profile says
`[court] generation = "publicaccess"`. The world, the searches and the case views are the
Portal's (`simulator.court`, `simulator.court_views`); only the pages differ.

Every path is below the county profile's base path (e.g. `/PublicAccess/`):
- `default.aspx` (the base path redirects there): the main menu, with a location choice
  ("All Courts" or one court, its value the court's node ids) and one link a search type,
  `javascript:LaunchSearch('Search.aspx?ID=…', false, …)`, which posts `NodeID` and
  `NodeDesc` to the search page. Sets `ASP.NET_SessionId`.
- `Search.aspx?ID=100` (criminal case records) and `Search.aspx?ID=200` (civil records):
  a GET, or the menu's POST of a location, answers the search form `SearchParameters`
  with fresh `__VIEWSTATE` and `__EVENTVALIDATION` values; a postback (a POST carrying
  `__VIEWSTATE`) must send back the values of the form this session was last given, or it
  is refused with ASP.NET's 500 error page ("Validation of viewstate MAC failed"). A valid
  postback answers the results: "Record Count:", one row a case party, each linking
  `CaseDetail.aspx?CaseID=<CaseId>` (the numeric id, stable across sessions).
- `CaseDetail.aspx?CaseID=…`: the "Register of Actions" page.
A request without a live session is sent to the main menu (302).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from simulator.court import ALL_COURTS, CourtPortal, Criteria, parse_mdy
from simulator.court_views import CourtView, style_of
from simulator.formats import mdy, money
from simulator.sessions import SESSION_COOKIE, Session
from simulator.state import PortalState

BANNER = "Courts Records Inquiry"
#: Search.aspx ids: (menu link text, form title, whether it lists criminal cases).
SEARCHES = {
    100: ("Criminal Case Records", "Criminal Case Records Search", True),
    200: ("Civil, Family &amp; Probate Case Records", "Civil Case Records Search", False),
}
#: The "Search By" choice: value → visible text.
SEARCH_BY = {"0": "Case", "1": "Party or Defendant Name", "6": "Date Filed"}
VIEWSTATE_ERROR = "Validation of viewstate MAC failed."
EVENT_VALIDATION_ERROR = "Invalid postback or callback argument."


@dataclass
class FormState:
    """The WebForms state of the form a session was last given, and its location."""

    search_id: int
    viewstate: str
    event_validation: str
    node_id: str
    node_desc: str


class PublicAccessCourt:
    """Routes and handlers of a PublicAccess court site under one county profile."""

    def __init__(self, state: PortalState, templates: Jinja2Templates) -> None:
        self.state = state
        self.templates = templates
        self.portal = CourtPortal(state, templates)  # its searches, over the same world
        self.profile = state.county.court
        self.base = self.profile.base_path
        self.view = CourtView(state.world, self.profile)
        self.title = f"{state.county.title.split(',')[0]} {BANNER}"
        # NodeID of each court location, as the Portal's hearing rows number them
        self.nodes = {c.code: str(2100 + n) for n, c in enumerate(state.world.courts)}
        self.courts = {self.nodes[c.code]: c for c in state.world.courts}
        self.all_nodes = ",".join(self.nodes.values())
        self.forms: dict[str, FormState] = {}  # session id → its current form

    def routes(self) -> list[Route]:
        base = self.base
        return [
            Route(base, self.root),
            Route(base.rstrip("/"), self.root),
            Route(f"{base}default.aspx", self.menu),
            Route(f"{base}Search.aspx", self.search, methods=["GET", "POST"]),
            Route(f"{base}CaseDetail.aspx", self.case_detail),
        ]

    # -- plumbing -------------------------------------------------------------------------

    def page(self, request: Request, name: str, session: Session, **context: Any) -> Response:
        context.update(base=self.base, banner=context.get("banner") or self.title)
        response = self.templates.TemplateResponse(request, name, context)
        response.set_cookie(SESSION_COOKIE, session.session_id, httponly=True, path="/")
        return response

    def to_menu(self) -> RedirectResponse:
        return RedirectResponse(f"{self.base}default.aspx", status_code=302)

    async def root(self, request: Request) -> Response:
        return self.to_menu()

    # -- the main menu and the search form ---------------------------------------------------

    async def menu(self, request: Request) -> Response:
        session = self.portal.live_or_new(request)
        locations = [(self.all_nodes, ALL_COURTS)] + [
            (self.nodes[c.code], c.name) for c in self.state.world.courts
        ]
        searches = [(search_id, text) for search_id, (text, _, _) in SEARCHES.items()]
        return self.page(
            request, "publicaccess_menu.html", session, locations=locations, searches=searches
        )

    async def search(self, request: Request) -> Response:
        session = self.portal.session_of(request)
        try:
            search_id = int(request.query_params.get("ID", ""))
        except ValueError:
            search_id = -1
        if session is None or search_id not in SEARCHES:
            return self.to_menu()
        form = await request.form() if request.method == "POST" else None
        current = self.forms.get(session.session_id)
        if form is None or "__VIEWSTATE" not in form:
            node_id = str(form.get("NodeID") or "") if form else ""
            node_desc = str(form.get("NodeDesc") or "") if form else ""
            if not node_id and current is not None:
                node_id, node_desc = current.node_id, current.node_desc
            return self.search_form(request, session, search_id, node_id, node_desc, "")
        if current is None or current.search_id != search_id:
            return asp_error(VIEWSTATE_ERROR)
        if form.get("__VIEWSTATE") != current.viewstate:
            return asp_error(VIEWSTATE_ERROR)
        if form.get("__EVENTVALIDATION") != current.event_validation:
            return asp_error(EVENT_VALIDATION_ERROR)
        errors: list[str] = []
        criteria = self.criteria(form, current, errors)
        if criteria is None:
            return self.search_form(
                request, session, search_id, current.node_id, current.node_desc, errors[0]
            )
        # The state is spent: the page it came from can only be posted back once.
        current.viewstate, current.event_validation = new_state()
        return self.results(request, session, search_id, criteria, current)

    def search_form(
        self,
        request: Request,
        session: Session,
        search_id: int,
        node_id: str,
        node_desc: str,
        message: str,
    ) -> Response:
        """The form, with new WebForms state that only its own postback may send back."""
        if node_id not in self.courts:
            node_id, node_desc = self.all_nodes, ALL_COURTS
        viewstate, event_validation = new_state()
        form = FormState(search_id, viewstate, event_validation, node_id, node_desc)
        self.forms[session.session_id] = form
        criminal = SEARCHES[search_id][2]
        case_types = sorted(
            {c.case_type for c in self.state.world.cases if (c.kind == "criminal") == criminal}
        )
        return self.page(
            request,
            "publicaccess_search.html",
            session,
            banner=self.title,
            form=form,
            search_by=SEARCH_BY,
            case_types=case_types,
            message=message,
        )

    def criteria(self, form: Any, current: FormState, errors: list[str]) -> Criteria | None:
        def field(name: str) -> str:
            return str(form.get(name) or "").strip()

        by = field("SearchBy")
        court = self.courts.get(current.node_id)
        case_type = field("CaseTypes") or None
        values: dict[str, Any] = {
            "text": "",
            "last": "",
            "first": "",
            "middle": "",
            "soundex": False,
            "case_type": None,
            "status": None,
            "court": court.code if court else None,
            "filed_from": None,
            "filed_to": None,
            "dob_from": None,
            "dob_to": None,
            "officer": None,
            "booking": "",
        }
        if by == "0":
            values["text"] = field("CaseSearchValue")
            if not values["text"]:
                errors.append("Please enter a Case Number.")
        elif by == "1":
            values.update(last=field("LastName"), first=field("FirstName"))
            values.update(middle=field("MiddleName"), soundex=bool(field("UseSoundex")))
            dob = parse_mdy(field("DateOfBirth"), "Date of Birth", errors)
            values.update(dob_from=dob, dob_to=dob)
            if not values["last"]:
                errors.append("Please enter a Last Name.")
        elif by == "6":
            values["case_type"] = case_type
            values["filed_from"] = parse_mdy(field("DateFiledOnAfter"), "Date on or After", errors)
            values["filed_to"] = parse_mdy(field("DateFiledOnBefore"), "Date on or Before", errors)
            if not errors and (values["filed_from"] is None or values["filed_to"] is None):
                errors.append("Please enter a Date Filed range.")
        else:
            errors.append("Please select a Search By option.")
        return None if errors else Criteria(**values)

    # -- results and case pages ---------------------------------------------------------------

    def results(
        self,
        request: Request,
        session: Session,
        search_id: int,
        criteria: Criteria,
        form: FormState,
    ) -> Response:
        """The results page: a row a case party; "Record Count:" counts more rows than it
        lists when the search was capped."""
        criminal = SEARCHES[search_id][2]
        day = self.state.clock.today()
        found = self.portal.run_search(criteria, include_criminal=True)
        hits = [h for h in found.hits if (h.case.kind == "criminal") == criminal]
        columns = set(self.profile.grid_columns)
        rows = []
        for hit in hits:
            person = self.view.shown_person(hit.case, hit.party)
            rows.append(
                {
                    "case_id": hit.case.portal_case_id,
                    "case_number": hit.case.case_number,
                    "style": style_of(hit.case, day),
                    "party": hit.party.display_name_on(day),
                    "dob": self.view.dob_text(person) if person else "",
                    "filed": mdy(hit.case.filed_date),
                    "location": self.view.court_name(hit.case),
                    "case_type": hit.case.case_type,
                    "status": hit.case.status_on(day),
                }
            )
        return self.page(
            request,
            "publicaccess_results.html",
            session,
            banner=SEARCHES[search_id][1] + " Results",
            search_id=search_id,
            rows=rows,
            count=len(rows) + (1 if found.max_results_hit else 0),
            location=form.node_desc,
            party_column="DefendantName" in columns,
            dob_column="DateOfBirth" in columns,
        )

    async def case_detail(self, request: Request) -> Response:
        session = self.portal.session_of(request)
        if session is None:
            return self.to_menu()
        try:
            case_id = int(request.query_params.get("CaseID", ""))
        except ValueError:
            case_id = -1
        day = self.state.clock.today()
        case = self.portal.visible_case(self.state.index.by_portal_id.get(case_id))
        if case is None:
            return self.page(request, "publicaccess_not_found.html", session)
        detail = self.view.case_page(case, day, self.base)
        # A disposition names the party it awards to; the world may name a role.
        named = {p["role"]: p["name"] for p in reversed(detail["parties"])}
        roles = {p["name"]: p["role"] for p in detail["parties"]}
        judgments = [
            {**j, "awarded_to": named.get(j["judgment_for"] or "", j["judgment_for"])}
            for j in detail["judgments"]
        ]
        financial = [
            {**block, "role": roles.get(block["name"], ""), "balance": money(case.balance_on(day))}
            for block in (self.view.financial(case, day) if self.profile.has("financial") else [])
        ]
        current = self.forms.get(session.session_id)
        return self.page(
            request,
            "publicaccess_case.html",
            session,
            case=detail,
            defendant=named.get("Defendant", ""),
            judgments=judgments,
            charge_dispositions=disposition_entries(detail["charges"], case.judicial_officer),
            financial=financial,
            balance_date=mdy(day),
            location=current.node_desc if current else ALL_COURTS,
        )


def disposition_entries(charges: list[dict[str, Any]], officer: str) -> list[dict[str, Any]]:
    """Criminal dispositions as the DISPOSITIONS part prints them: one entry a date, each
    naming its charges ("1. THEFT") with their outcome."""
    by_date: dict[str, list[dict[str, Any]]] = {}
    for charge in charges:
        if charge["disposition"]:
            by_date.setdefault(charge["disposition_date"], []).append(charge)
    return [
        {"date": day, "judicial_officer": officer, "charges": listed}
        for day, listed in sorted(by_date.items(), key=lambda item: item[0][6:] + item[0][:5])
    ]


def new_state() -> tuple[str, str]:
    """Fresh `__VIEWSTATE` and `__EVENTVALIDATION` values, shaped like ASP.NET's."""
    return "/wEPDwUK" + secrets.token_urlsafe(48), "/wEWAgL" + secrets.token_urlsafe(24)


def asp_error(message: str) -> Response:
    """ASP.NET's error page for a postback it refuses."""
    body = (
        "<html><head><title>" + message + "</title></head><body>"
        "<h1>Server Error in '/' Application.</h1><h2><i>" + message + "</i></h2>"
        "</body></html>"
    )
    return HTMLResponse(body, status_code=500)
