"""The county jail roster ("inmate lookup").

- `GET /jail/search?LastName=&FirstName=&BookingNumber=&page=N`: an empty query lists
  everyone in custody on the simulated date, 50 a page, ordered by booking number.
- `GET /jail/booking/<booking number>`: charges, bond, arresting agency, custody status.
Released people are gone from both the list and the detail pages.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from simulator.search import fold
from simulator.state import PortalState

PREFIX = "/jail"
COUNTY = "Bluff County"
PAGE_SIZE = 50


class JailRoster:
    def __init__(self, state: PortalState, templates: Jinja2Templates) -> None:
        self.state = state
        self.templates = templates

    def routes(self) -> list[Route]:
        return [
            Route(f"{PREFIX}/", self.home),
            Route(f"{PREFIX}/search", self.search),
            Route(f"{PREFIX}/booking/{{booking_number}}", self.booking),
        ]

    def render(self, request: Request, template: str, **context: object) -> Response:
        context.update(prefix=PREFIX, county=COUNTY)
        return self.templates.TemplateResponse(request, template, context)

    async def home(self, request: Request) -> Response:
        form = {"LastName": "", "FirstName": "", "BookingNumber": ""}
        return self.render(request, "jail_search.html", form=form, searched=False)

    async def search(self, request: Request) -> Response:
        params = request.query_params
        form = {k: params.get(k, "").strip() for k in ("LastName", "FirstName", "BookingNumber")}
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        day = self.state.clock.today()
        people = self.state.world.people
        last, first = fold(form["LastName"]), fold(form["FirstName"])
        matches = []
        for booking in self.state.world.bookings:
            if not booking.in_custody_on(day):
                continue
            if form["BookingNumber"] and booking.booking_number != form["BookingNumber"]:
                continue
            name = people[booking.person_key].name
            if last and fold(name.last) != last:
                continue
            if first and not fold(name.first).startswith(first):
                continue
            matches.append(booking)
        matches.sort(key=lambda b: b.booking_number)
        pages = max(1, math.ceil(len(matches) / PAGE_SIZE))
        chunk = matches[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        rows = [
            {
                "booking_number": b.booking_number,
                "name": people[b.person_key].name.display(),
                "dob": people[b.person_key].dob,
                "booked_at": b.booked_at,
                "housing": b.housing,
                "status": b.custody_on(day),
            }
            for b in chunk
        ]
        return self.render(
            request,
            "jail_search.html",
            form=form,
            searched=True,
            rows=rows,
            total=len(matches),
            page=page,
            pages=pages,
            query=urlencode(form),
        )

    async def booking(self, request: Request) -> Response:
        number = request.path_params["booking_number"]
        booking = self.state.bookings_by_number.get(number)
        day = self.state.clock.today()
        if booking is None or not booking.in_custody_on(day):
            response = self.render(request, "jail_not_found.html")
            response.status_code = 404
            return response
        person = self.state.world.people[booking.person_key]
        return self.render(
            request,
            "jail_booking.html",
            booking=booking,
            name=person.name.display(),
            dob=person.dob,
            race=person.race,
            sex=person.sex,
            status=booking.custody_on(day),
        )
