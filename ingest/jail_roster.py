"""Navigation of an IML "Inmate Lookup" jail roster (Digital Solutions' servlet).

URL shape: one servlet (`<roster root>/IML`; the county profile names it) driven by POSTed
forms, all in one session (`JSESSIONID`, set by the search page):
`flow_action=searchbyname` with empty name fields lists everyone (with
`systemUser_includereleasedinmate=Y`, people released lately too, with their release
date), 30 a page; the roster page's hidden forms page through that search
(`flow_action=next&currentStart=31`, …); a row opens the person page through
`submitInmate(sysID, imgSysID)`, which posts `flow_action=edit&sysID=…&imgSysID=…`.

Known quirks: there are no per-booking URLs, and paging only works inside the session
that searched, so a lost session searches again before it asks for a page; the roster can
shift while it is paged, so rows are keyed by booking number (or the record id behind the
row where the county prints no booking number), never by position; the column set differs
by county (the profile names the columns, the parser reads them by header); there is no
custody status, booking time or housing on the roster, and no arresting agency anywhere.

In `browser` mode every page is rendered in Chromium and the forms are submitted the way
the page's own scripts submit them; in `session` mode the same forms are posted over HTTP
(the search page sets the session cookie; no sign-in). The parsers are the same, so are
the records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urljoin

import httpx
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from ingest.counties import JailProfile, load_county
from ingest.errors import PortalTimeout, SessionExpired
from ingest.http import send
from ingest.parsers.html import raise_for_error_page
from ingest.parsers.iml import parse_inmate, parse_roster
from ingest.portal import PortalContext, PortalSession
from ingest.records import InmateDetail, InmateRosterPage, InmateRow

T = TypeVar("T")


class JailRoster(PortalSession):
    """One session with a county's IML roster (one per worker)."""

    PORTAL = "jail"
    SEARCH_FORM = (By.CSS_SELECTOR, "form input[name='systemUser_lastName']")
    PAGE_READY = (By.CSS_SELECTOR, "td.header, tr[id^='row'], form[name='nextSearch']")
    # Posts a form the way the page's scripts do (submitInmate fills and submits one).
    POST_JS = (
        "const form = document.createElement('form');"
        "form.method = 'post'; form.action = arguments[0];"
        "for (const [name, value] of Object.entries(arguments[1])) {"
        "  const input = document.createElement('input');"
        "  input.type = 'hidden'; input.name = name; input.value = value;"
        "  form.appendChild(input);"
        "}"
        "document.body.appendChild(form); form.submit();"
    )

    def __init__(
        self, base_url: str, context: PortalContext, profile: JailProfile | None = None
    ) -> None:
        super().__init__(base_url, context)
        self.profile = profile or load_county().jail
        self._searched = False  # whether this session holds the roster search

    @property
    def include_released(self) -> bool:
        """Released people are listed (with their release date) where the form offers it."""
        return self.profile.released_option

    @property
    def servlet(self) -> str:
        return urljoin(self.base_url, self.profile.servlet)

    def close(self) -> None:
        super().close()
        self._searched = False

    def search_form(self) -> dict[str, str]:
        """The roster search: empty names list everyone."""
        form = {
            "flow_action": "searchbyname",
            "systemUser_lastName": "",
            "systemUser_firstName": "",
            "systemUser_dateOfBirth": "",
            "quantity": str(self.profile.page_size),
            "searchtype": "name",
        }
        if self.include_released:
            form["systemUser_includereleasedinmate"] = "Y"
        return form

    # -- what the streams call ----------------------------------------------------------

    def roster_page(self, start: int) -> tuple[InmateRosterPage, str]:
        """The roster page whose first row is number `start` (1 for the first page)."""
        return self._step(lambda: self._archived(self._roster_html(start), parse_roster))

    def inmate(self, row: InmateRow) -> tuple[InmateDetail, str]:
        """The person page behind a roster row (CaseNotFound when the roster no longer has
        the record)."""
        form = {"flow_action": "edit", "sysID": row.sys_id, "imgSysID": row.img_sys_id}

        def visit() -> str:
            if not self._searched:
                self._search()  # person pages open from a session's search, as on a browser
            return self._post(form)

        return self._step(lambda: self._archived(visit(), parse_inmate))

    # -- pages ------------------------------------------------------------------------------

    def _archived(self, html: str, parser: Callable[[str], T]) -> tuple[T, str]:
        return self.archive.parse(self.PORTAL, self.as_of, html, parser)

    def _roster_html(self, start: int) -> str:
        """Search when this session has not (first use, or after a lost session), then page
        to `start` through the session's search."""
        if not self._searched or start == 1:
            html = self._search()
            if start == 1:
                return html
        return self._post({"flow_action": "next", "currentStart": str(start)})

    def _search(self) -> str:
        if self.mode == "browser":
            self._open_search_page()
        else:
            self._get(self.base_url)  # the search page sets the session cookie
        html = self._post(self.search_form())
        self._searched = True
        return html

    def _post(self, form: dict[str, str]) -> str:
        """Post `form` to the servlet. Answered with the search page, the session (and its
        search) is gone: a SessionExpired, so the retry starts a new one."""
        html = self._post_browser(form) if self.mode == "browser" else self._get(self.servlet, form)
        if form["flow_action"] != "searchbyname" and 'name="systemUser_lastName"' in html:
            raise SessionExpired("the jail roster session ended: it answered with its search page")
        return html

    # -- session mode ----------------------------------------------------------------------

    def _get(self, url: str, form: dict[str, str] | None = None) -> str:
        """GET `url`, or POST `form` to it, over HTTP in this session."""
        if self._http is None:
            self._http = self._stack.enter_context(
                httpx.Client(timeout=self.HTTP_TIMEOUT_S, follow_redirects=True)
            )
        self.limiter.acquire()
        self.requests += 1
        response = send(self._http, "POST" if form is not None else "GET", url, form)
        self.limiter.success()
        return response.text

    # -- browser mode ----------------------------------------------------------------------

    @property
    def _browser(self) -> WebDriver:
        if self._driver is None:
            self._driver = self._stack.enter_context(self.context.open_driver())
        return self._driver

    def _open_search_page(self) -> None:
        self.limiter.acquire()
        self.requests += 1
        try:
            self._browser.get(self.base_url)
        except TimeoutException:
            raise PortalTimeout(f"no page from {self.base_url} in time") from None
        except WebDriverException as exc:
            raise PortalTimeout(f"browser error loading {self.base_url}: {exc.msg}") from None
        self._wait(self.SEARCH_FORM)
        raise_for_error_page(self._browser.page_source, self.base_url)
        self.limiter.success()

    def _post_browser(self, form: dict[str, str]) -> str:
        """Submit `form` to the servlet from the current page and wait for the next one."""
        driver = self._browser
        self.limiter.acquire()
        self.requests += 1
        if not driver.current_url.startswith(("http://", "https://")):
            self._open_search_page()
        body = driver.find_element(By.TAG_NAME, "body")
        try:
            driver.execute_script(self.POST_JS, self.servlet, form)
            WebDriverWait(driver, self.WAIT_S).until(ec.staleness_of(body))
        except TimeoutException:
            raise PortalTimeout(f"no page from {self.servlet} in time") from None
        except WebDriverException as exc:
            raise PortalTimeout(f"browser error posting to {self.servlet}: {exc.msg}") from None
        self._wait(self.PAGE_READY, (By.TAG_NAME, "body"))
        html = driver.page_source
        raise_for_error_page(html, self.servlet)
        self.limiter.success()
        return html

    def _wait(self, *locators: tuple[str, str]) -> None:
        try:
            WebDriverWait(self._browser, self.WAIT_S).until(
                ec.any_of(*(ec.presence_of_element_located(loc) for loc in locators))
            )
        except TimeoutException:
            raise PortalTimeout(f"page not ready within {self.WAIT_S:.0f} s") from None
