"""The county jail roster, in the shape of an IML "Inmate Lookup Tool" servlet.

One servlet below the jail root (`/jail/` + the profile's `servlet`, e.g. `/jail/IML`)
answers every form by its `flow_action`, inside a session (`JSESSIONID`, a session of the
portal's store, so idle expiry and the admin's expire-all apply to it):
- `GET /jail/` or `GET /jail/IML`: the search page (`form[name=inmateSearch]`); starts a
  session.
- `POST flow_action=searchbyname` with `systemUser_lastName`, `systemUser_firstName`
  (starts of the names, empty for everyone), `systemUser_dateOfBirth` (MM/DD/YYYY),
  `systemUser_includereleasedinmate=Y` (where the profile offers it: people released on
  one of the last RELEASED_LISTED_DAYS days stay listed, with their release date),
  `quantity` (rows a page; the profile's page size when absent) and `searchtype`: the
  first roster page; the search is kept in the session. Posted without a session, it
  starts one.
- `POST flow_action=first|prev|next|last&currentStart=N`: the roster page from row N of
  the session's search (the page's hidden forms carry N); `inmatedb_srchresults` (the
  person page's "Search Results" tab): the page last shown.
- `POST flow_action=edit&sysID=…&imgSysID=…` (`details_print&inmateID=…` likewise): the
  person page of a booking in custody or released lately; any other sysID, a page saying
  no inmate was found.
Without a live session (or without a search in it for paging) the servlet answers with the
search page, as the real one does once its session is gone. The pages' stylesheets and
images are served where their `../css/`, `../images/` links point.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from simulator.jail_views import MAX_QUANTITY, JailView, RosterSearch
from simulator.search import fold
from simulator.sessions import Session
from simulator.state import PortalState

PREFIX = "/jail"
COUNTY = "Bluff County"
SESSION_COOKIE = "JSESSIONID"
PAGING = ("first", "prev", "next", "last")
BAD_DOB = "Please enter the date of birth as MM/DD/YYYY."
STYLESHEETS = ("heading.css", "footer.css", "body.css", "print.css")  # all iml.css here
IMAGES = (
    "bgrd.gif",
    "header.gif",
    "header_right.gif",
    "spacer.gif",
    "rucorner.gif",
    "tab_1.gif",
    "tab_1a.gif",
    "tab_2.gif",
    "tab_2a.gif",
    "tab_3.gif",
)
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
STYLESHEET = Path(__file__).parent / "static" / "iml.css"


@dataclass(frozen=True)
class RosterState:
    """What a session remembers of the roster: the search and the first row shown."""

    search: RosterSearch
    start: int


class JailRoster:
    """Routes and handlers of the IML servlet under one county profile."""

    def __init__(self, state: PortalState, templates: Jinja2Templates) -> None:
        self.state = state
        self.templates = templates
        self.profile = state.county.jail
        self.servlet_url = f"{PREFIX}/{self.profile.servlet}"
        self.view = JailView(state.world, self.profile)

    def routes(self) -> list[Route]:
        return [
            Route(f"{PREFIX}/", self.home),
            Route(self.servlet_url, self.home, methods=["GET"]),
            Route(self.servlet_url, self.servlet, methods=["POST"]),
            Route("/css/{name}", self.stylesheet),
            Route("/images/{name}", self.image),
        ]

    # -- plumbing ---------------------------------------------------------------------

    def page(
        self, request: Request, name: str, session: Session, *, new: bool, **context: object
    ) -> Response:
        """A servlet page; a session started by this request gets its cookie."""
        context.update(
            servlet_url=self.servlet_url,
            county=COUNTY,
            printable=name in ("jail_person.html", "jail_not_found.html"),
        )
        response = self.templates.TemplateResponse(request, name, context)
        if new:
            response.set_cookie(SESSION_COOKIE, session.session_id, httponly=True, path="/")
        return response

    def search_page(
        self, request: Request, session: Session, *, new: bool, message: str = ""
    ) -> Response:
        return self.page(
            request,
            "jail_search.html",
            session,
            new=new,
            message=message,
            quantity=self.profile.page_size,
            released_option=self.profile.released_option,
        )

    def roster_page(
        self, request: Request, session: Session, roster: RosterState, *, new: bool
    ) -> Response:
        page = self.view.roster_page(roster.search, roster.start, self.state.clock.today())
        session.roster = replace(roster, start=max(page["first"], 1))
        return self.page(request, "jail_roster.html", session, new=new, page=page)

    def person_page(self, request: Request, session: Session, sys_id: str) -> Response:
        day = self.state.clock.today()
        booking = self.view.booking(sys_id, day)
        roster: RosterState | None = session.roster
        paging = {
            "quantity": roster.search.quantity if roster else self.profile.page_size,
            "start": roster.start if roster else 1,
        }
        if booking is None:
            return self.page(request, "jail_not_found.html", session, new=False, **paging)
        person = self.view.person_page(booking, day)
        return self.page(request, "jail_person.html", session, new=False, person=person, **paging)

    # -- handlers -----------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        session = self.state.sessions.get(request.cookies.get(SESSION_COOKIE))
        if session is not None:
            return self.search_page(request, session, new=False)
        return self.search_page(request, self.state.sessions.create(), new=True)

    async def servlet(self, request: Request) -> Response:
        form = await request.form()
        action = str(form.get("flow_action") or "")
        session = self.state.sessions.get(request.cookies.get(SESSION_COOKIE))
        if session is None:
            session = self.state.sessions.create()
            if action != "searchbyname":
                return self.search_page(request, session, new=True)
            return self.search(request, session, form, new=True)
        roster: RosterState | None = session.roster
        if action == "searchbyname":
            return self.search(request, session, form, new=False)
        if action in PAGING and roster is not None:
            start = number(form.get("currentStart"), 1)
            return self.roster_page(request, session, replace(roster, start=start), new=False)
        if action == "inmatedb_srchresults" and roster is not None:
            return self.roster_page(request, session, roster, new=False)
        if action in ("edit", "details_print"):
            field = "sysID" if action == "edit" else "inmateID"
            return self.person_page(request, session, str(form.get(field) or ""))
        return self.search_page(request, session, new=False)

    def search(self, request: Request, session: Session, form: FormData, *, new: bool) -> Response:
        typed = str(form.get("systemUser_dateOfBirth") or "").strip()
        try:
            dob = datetime.strptime(typed, "%m/%d/%Y").date() if typed else None
        except ValueError:
            return self.search_page(request, session, new=new, message=BAD_DOB)
        quantity = number(form.get("quantity"), self.profile.page_size)
        search = RosterSearch(
            last=fold(str(form.get("systemUser_lastName") or "").strip()),
            first=fold(str(form.get("systemUser_firstName") or "").strip()),
            dob=dob,
            include_released=self.profile.released_option
            and form.get("systemUser_includereleasedinmate") == "Y",
            quantity=min(max(quantity, 1), MAX_QUANTITY),
        )
        return self.roster_page(request, session, RosterState(search, 1), new=new)

    async def stylesheet(self, request: Request) -> Response:
        if request.path_params["name"] not in STYLESHEETS:
            return Response(status_code=404)
        return FileResponse(STYLESHEET, media_type="text/css")

    async def image(self, request: Request) -> Response:
        """The chrome's images, each a transparent pixel here."""
        if request.path_params["name"] not in IMAGES:
            return Response(status_code=404)
        return Response(PIXEL, media_type="image/gif")


def number(value: object, default: int) -> int:
    """A posted whole number (`currentStart`, `quantity`), else `default`."""
    try:
        return int(str(value).strip())
    except ValueError:
        return default
