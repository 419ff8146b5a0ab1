"""Helpers for the simulator's portal tests: serve a world under a county profile, drive
the court portal and the jail's IML servlet over HTTP, read their pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import httpx
import lxml.html

from simulator.counties import load_county
from simulator.faults import FaultConfig
from simulator.model import World
from simulator.server import RunningSimulator, running
from simulator.state import Credentials, PortalState

SEED, SCALE = 7, 0.3
AS_OF = date(2026, 11, 23)


@contextmanager
def serve(world: World, county: str = "bluff_tn") -> Iterator[RunningSimulator]:
    """The world served under `county` on a free loopback port."""
    state = PortalState.build(world, AS_OF, FaultConfig(), Credentials(), load_county(county))
    with running(state) as server:
        yield server


def client(sim: RunningSimulator, **kwargs: object) -> httpx.Client:
    """An HTTP client at the court portal's base path that does not follow redirects."""
    return httpx.Client(base_url=sim.court_url, timeout=10, **kwargs)  # type: ignore[arg-type]


def relative(sim: RunningSimulator, location: str) -> str:
    """A redirect's location (an absolute path) relative to the portal's base path."""
    base = sim.state.county.court.base_path
    assert location.startswith(base), location
    return location.removeprefix(base)


def dashboard_path(sim: RunningSimulator) -> str:
    return f"Home/Dashboard/{sim.state.county.court.smart_search_dashboard}"


def open_session(http: httpx.Client, sim: RunningSimulator) -> str:
    """Visit the Smart Search dashboard (it sets the session); its HTML."""
    page = http.get(dashboard_path(sim))
    assert page.status_code == 200
    return page.text


def login(http: httpx.Client, sim: RunningSimulator) -> None:
    page = http.get("Account/Login").text
    token = re.search(r'name="__RequestVerificationToken" value="([^"]+)"', page)
    assert token, "the login form carries no anti-forgery token"
    creds = sim.state.credentials
    response = http.post(
        "Account/Login",
        data={
            "__RequestVerificationToken": token.group(1),
            "UserName": creds.user,
            "Password": creds.password,
        },
    )
    assert response.status_code == 302


def post_search(http: httpx.Client, **criteria: str) -> httpx.Response:
    form = {f"caseCriteria.{k}": v for k, v in criteria.items()}
    return http.post("SmartSearch/SmartSearch/SmartSearch", data=form)


def search(http: httpx.Client, **criteria: str) -> dict:
    """A Smart Search and the results JSON it leads to (the Kendo envelope)."""
    response = post_search(http, **criteria)
    assert response.status_code == 302, response.text[:500]
    assert response.headers["location"].endswith("Home/WorkspaceMode?p=0")
    results = http.get("SmartSearch/SmartSearchResults")
    assert results.headers["content-type"].startswith("application/json")
    return results.json()


def grid_config(workspace: str) -> dict:
    """The results grid's configuration from the workspace's inline Kendo script."""
    match = re.search(r"\.kendoGrid\((\{.*?\})\);\}\);", workspace)
    assert match, "the workspace configures no results grid"
    return json.loads(match.group(1))


def detail_url(row: dict) -> str:
    return f"Case/CaseDetail?eid={row['EncryptedCaseId']}&tabIndex=3"


def mdy(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def doc(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html)


def text(node: lxml.html.HtmlElement) -> str:
    return " ".join(node.text_content().split())


def labelled(root: lxml.html.HtmlElement, label: str) -> list[str]:
    """Values of `<p><span class="text-muted">label</span><br/>value</p>` paragraphs."""
    values = []
    for span in root.xpath(f'.//span[@class="text-muted"][normalize-space()="{label}"]'):
        paragraph = span.getparent()
        values.append(" ".join((text(paragraph)[len(text(span)) :]).split()))
    return values


# -- the jail's IML servlet ----------------------------------------------------------------


def jail_client(sim: RunningSimulator) -> httpx.Client:
    """An HTTP client at the jail root (`/jail/`), holding the session cookie."""
    return httpx.Client(base_url=sim.jail_url, timeout=10)


def jail_post(http: httpx.Client, sim: RunningSimulator, **form: str) -> httpx.Response:
    """POST `form` to the county's servlet (`IML`)."""
    response = http.post(sim.state.county.jail.servlet, data=form)
    assert response.status_code == 200, response.text[:300]
    return response


def jail_search(
    http: httpx.Client, sim: RunningSimulator, *, released: bool = False, **names: str
) -> str:
    """Open the search page (it sets the session), post a name search; the roster page."""
    assert http.get("").status_code == 200
    form = {
        "flow_action": "searchbyname",
        "systemUser_lastName": names.get("last", ""),
        "systemUser_firstName": names.get("first", ""),
        "systemUser_dateOfBirth": names.get("dob", ""),
        "quantity": str(sim.state.county.jail.page_size),
        "searchtype": "PIN",
    }
    if released:
        form["systemUser_includereleasedinmate"] = "Y"
    return jail_post(http, sim, **form).text
