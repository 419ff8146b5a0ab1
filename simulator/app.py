"""The simulator's ASGI application: court portal, jail roster, fault injection, admin.

Admin endpoints (loopback clients only, never faulted):
- `GET /_admin/clock`, `POST /_admin/clock` with `{"as_of": "YYYY-MM-DD"}` or
  `{"advance_days": N}`: read or move the simulated date;
- `GET /_admin/truth`: everything visible on the simulated date (same as
  `courtlake simulator truth`);
- `GET /_admin/stats`: requests served per portal and per outcome;
- `POST /_admin/faults` with `{"spec": "flaky,error_rate=0.2"}`: change faults live;
- `POST /_admin/sessions/expire`: expire every portal session now;
- `POST /_admin/remove` with `{"case_number": "26-GC-000123", "kind": "sealed"}` (or
  "expunged"): a court seals or expunges the case as of the simulated date, so it
  vanishes from search and detail pages from now on.
"""

from __future__ import annotations

import asyncio
import ipaddress
from datetime import date, timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from simulator import court, jail
from simulator.faults import parse_faults
from simulator.state import PortalState

ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>Error</title></head><body>"
    "<h1>An unexpected error has occurred.</h1><p>Please try again later.</p></body></html>"
)
EMPTY_SHELL = (
    "<!DOCTYPE html><html><head><title>Portal</title></head>"
    '<body><div id="app"></div></body></html>'
)


def make_templates() -> Jinja2Templates:
    """The templates of both portals."""
    templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
    # Inline script data the way the portal writes it: compact, keys in their order.
    templates.env.policies["json.dumps_kwargs"] = {"separators": (",", ":")}
    return templates


def portal_of(path: str, court_base: str) -> str | None:
    if path.startswith(court_base.rstrip("/")):
        return "court"
    if path.startswith(jail.PREFIX):
        return "jail"
    return None


class FaultMiddleware(BaseHTTPMiddleware):
    """Applies the fault profile to portal pages (not to static files or admin)."""

    def __init__(self, app: object, state: PortalState) -> None:
        super().__init__(app)  # type: ignore[arg-type]
        self.state = state

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        portal = portal_of(request.url.path, self.state.county.court.base_path)
        if portal is None or "/Scripts/" in request.url.path or "/Content/" in request.url.path:
            return await call_next(request)
        faults, counts = self.state.faults, self.state.requests
        counts[f"{portal}.requests"] += 1
        if faults.in_outage():
            counts[f"{portal}.outage"] += 1
            return HTMLResponse("<h1>503 Service Unavailable</h1>", status_code=503)
        client = request.client.host if request.client else "unknown"
        if not faults.admit(client):
            counts[f"{portal}.rate_limited"] += 1
            return HTMLResponse(
                "<h1>429 Too Many Requests</h1>", status_code=429, headers={"Retry-After": "1"}
            )
        try:
            decision, latency = faults.decide()
            if latency:
                await asyncio.sleep(latency)
            counts[f"{portal}.{decision}"] += 1
            if decision == "error":
                return HTMLResponse(ERROR_PAGE, status_code=500)
            if decision == "hang":
                await asyncio.sleep(faults.config.hang_s)
                return HTMLResponse("<h1>504 Gateway Timeout</h1>", status_code=504)
            if decision == "soft_error":
                return HTMLResponse(ERROR_PAGE, status_code=200)
            if decision == "soft_empty":
                return HTMLResponse(EMPTY_SHELL, status_code=200)
            return await call_next(request)
        finally:
            faults.release(client)


def is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in {"localhost", "testclient"}


class Admin:
    def __init__(self, state: PortalState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [
            Route("/_admin/clock", self.clock, methods=["GET", "POST"]),
            Route("/_admin/truth", self.truth),
            Route("/_admin/stats", self.stats),
            Route("/_admin/faults", self.faults, methods=["GET", "POST"]),
            Route("/_admin/sessions/expire", self.expire_sessions, methods=["POST"]),
            Route("/_admin/remove", self.remove_case, methods=["POST"]),
        ]

    async def remove_case(self, request: Request) -> Response:
        if not is_loopback(request):
            return JSONResponse({"error": "admin is loopback-only"}, status_code=403)
        body = await request.json()
        number, kind = str(body.get("case_number", "")), body.get("kind", "sealed")
        if kind not in ("sealed", "expunged"):
            return JSONResponse({"error": "kind is sealed or expunged"}, status_code=400)
        today = self.state.clock.today()
        for case in self.state.world.cases:
            if case.case_number == number:
                if not case.visible_on(today):
                    return JSONResponse({"error": f"{number} is not visible"}, status_code=409)
                case.removed_on, case.removal_kind = today, kind
                return JSONResponse({"case_number": number, "removed_on": today.isoformat()})
        return JSONResponse({"error": f"no case {number}"}, status_code=404)

    async def clock(self, request: Request) -> Response:
        if not is_loopback(request):
            return JSONResponse({"error": "admin is loopback-only"}, status_code=403)
        clock = self.state.clock
        if request.method == "POST":
            body = await request.json()
            try:
                if "as_of" in body:
                    clock.set(date.fromisoformat(str(body["as_of"])))
                elif "advance_days" in body:
                    clock.set(clock.today() + timedelta(days=int(body["advance_days"])))
                else:
                    raise ValueError("send as_of (YYYY-MM-DD) or advance_days (int)")
            except (ValueError, TypeError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"as_of": clock.today().isoformat()})

    async def truth(self, request: Request) -> Response:
        if not is_loopback(request):
            return JSONResponse({"error": "admin is loopback-only"}, status_code=403)
        from simulator.truth import truth_on  # only the admin truth endpoint needs it

        payload = await asyncio.to_thread(truth_on, self.state.world, self.state.clock.today())
        return JSONResponse(payload)

    async def stats(self, request: Request) -> Response:
        if not is_loopback(request):
            return JSONResponse({"error": "admin is loopback-only"}, status_code=403)
        return JSONResponse(
            {
                "as_of": self.state.clock.today().isoformat(),
                "requests": dict(sorted(self.state.requests.items())),
                "sessions": len(self.state.sessions),
                "in_flight": self.state.faults.in_flight(),
                "faults": self.state.faults.config.describe(),
            }
        )

    async def faults(self, request: Request) -> Response:
        if not is_loopback(request):
            return JSONResponse({"error": "admin is loopback-only"}, status_code=403)
        if request.method == "POST":
            body = await request.json()
            try:
                self.state.set_faults(parse_faults(str(body.get("spec", ""))))
            except ValueError as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"faults": self.state.faults.config.describe()})

    async def expire_sessions(self, request: Request) -> Response:
        if not is_loopback(request):
            return JSONResponse({"error": "admin is loopback-only"}, status_code=403)
        return JSONResponse({"expired": self.state.sessions.expire_all()})


def create_app(state: PortalState) -> Starlette:
    """The ASGI app serving `state`: the court portal under its county's base path."""
    templates = make_templates()
    static = StaticFiles(directory=str(Path(__file__).parent / "static"))
    base = state.county.court.base_path
    routes = [
        *court.CourtPortal(state, templates).routes(),
        Mount(f"{base}Scripts", app=static),
        Mount(f"{base}Content", app=static),
        *jail.JailRoster(state, templates).routes(),
        *Admin(state).routes(),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(FaultMiddleware, state=state)])
    app.state.portal = state
    return app
