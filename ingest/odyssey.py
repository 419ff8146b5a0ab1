"""Navigation of a Tyler Odyssey "Portal" court site (2017+ generation).

URL shape (relative to the portal root, e.g. `https://host/Portal/`):
`Home/Dashboard/29` (Smart Search; sets `ASP.NET_SessionId`, carries the anti-forgery
`__RequestVerificationToken`), `Account/Login`, `SmartSearch/SmartSearch/SmartSearch`
(form POST → 302 to `Home/WorkspaceMode?p=0`), `SmartSearch/SmartSearchResults` (the
JSON the results grid is filled from), `Case/CaseDetail?eid=<opaque id>`.

Known quirks: the dashboard must be visited first; criminal lookups need an account; the
results page is an empty shell until JavaScript fills it; case ids are opaque and only
valid in the session that listed them (so a case is always reached by searching its number
in the current session); results are capped with a flag; an expired session redirects to
the dashboard with a timeout notice; a CAPTCHA can be switched on at any time; the grid's
column order and wording vary by county.

Two modes, same records: `browser` renders every page in Chromium; `session` opens the
session and logs in with the browser, then posts searches and fetches the results JSON and
detail pages over HTTP with the browser's cookies and the session's anti-forgery token —
far cheaper than rendering every page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from ingest.errors import (
    CaseNotFound,
    LoginFailed,
    PageStructureError,
    PortalTimeout,
    SessionExpired,
)
from ingest.http import send
from ingest.parsers.html import raise_for_error_page
from ingest.parsers.odyssey import (
    Dashboard,
    check_search_refused,
    login_error,
    parse_case_detail,
    parse_dashboard,
    parse_results_grid,
    parse_results_json,
)
from ingest.portal import PortalContext, PortalSession
from ingest.records import CaseDetail, SearchPage, SearchRow


@dataclass(frozen=True)
class PortalCredentials:
    user: str
    password: str

    def __repr__(self) -> str:  # never print the password
        return f"PortalCredentials(user={self.user!r}, password='***')"


@dataclass(frozen=True)
class SearchCriteria:
    """Smart Search fields; empty strings are left blank on the form."""

    text: str = ""
    last: str = ""
    first: str = ""
    dob_from: str = ""  # MM/DD/YYYY, as the form wants it
    dob_to: str = ""
    case_type: str = ""
    court: str = ""
    filed_from: str = ""
    filed_to: str = ""
    soundex: bool = False

    def form(self) -> dict[str, str]:
        fields = {
            "SearchCriteria": self.text,
            "NameLast": self.last,
            "NameFirst": self.first,
            "DOBStart": self.dob_from,
            "DOBEnd": self.dob_to,
            "CaseType": self.case_type,
            "CourtLocation": self.court,
            "FileDateStart": self.filed_from,
            "FileDateEnd": self.filed_to,
        }
        form = {f"caseCriteria.{k}": v for k, v in fields.items() if v}
        if self.soundex:
            form["caseCriteria.UseSoundex"] = "true"
        return form


@dataclass
class Fetched:
    """What a navigation step read, for the archive and for the record's provenance."""

    pages: list[str]


class OdysseyPortal(PortalSession):
    """One logged-in court portal session (one per worker)."""

    DASHBOARD = "Home/Dashboard/29"
    LOGIN = "Account/Login"
    SEARCH = "SmartSearch/SmartSearch/SmartSearch"
    RESULTS = "SmartSearch/SmartSearchResults"
    WORKSPACE = "Home/WorkspaceMode"
    PORTAL = "court"
    GRID_SETTLED = (
        "#results-loaded, #SmartSearchResults .no-results, #SmartSearchResults .results-error"
    )

    def __init__(
        self,
        base_url: str,
        context: PortalContext,
        credentials: PortalCredentials | None = None,
    ) -> None:
        super().__init__(base_url, context)
        self.credentials = credentials
        self._token = ""

    def url(self, path: str) -> str:
        return urljoin(self.base_url, path)

    @property
    def driver(self) -> WebDriver:
        if self._driver is None:
            self._driver = self._stack.enter_context(self.context.open_driver())
            try:
                self._start_session()
            except BaseException:
                self.close()  # half a session is no session: the next use starts over
                raise
        return self._driver

    def _start_session(self) -> None:
        """Dashboard first (it sets the session), then log in when we have an account."""
        driver = self._driver
        assert driver is not None
        self._navigate(self.url(self.DASHBOARD), (By.ID, "SmartSearchForm"))
        if self.credentials is not None:
            self._navigate(self.url(self.LOGIN), (By.ID, "LoginForm"))
            driver.find_element(By.ID, "UserName").send_keys(self.credentials.user)
            driver.find_element(By.ID, "Password").send_keys(self.credentials.password)
            button = driver.find_element(By.ID, "btnSignIn")
            button.click()
            self._wait_stale(button)
            self._wait_any((By.ID, "SmartSearchForm"), (By.ID, "LoginForm"), (By.TAG_NAME, "h1"))
            html = driver.page_source
            raise_for_error_page(html, self.url(self.LOGIN))
            error = login_error(html)
            if error is not None:
                raise LoginFailed(f"the court portal refused the login: {error}")
            if "SmartSearchForm" not in html:
                raise PageStructureError("the login did not lead back to the dashboard", html)
        if self.mode == "session":
            # The anti-forgery token lives as long as the session: read it once.
            self._token = self._check_dashboard(driver.page_source).token
            self._http = self._stack.enter_context(
                httpx.Client(timeout=self.HTTP_TIMEOUT_S, follow_redirects=False)
            )
            for cookie in driver.get_cookies():
                self._http.cookies.set(
                    cookie["name"], cookie["value"], path=cookie.get("path", "/")
                )

    # -- browser primitives -------------------------------------------------------------

    def _navigate(self, url: str, *ready: tuple[str, str]) -> str:
        """Load `url` and wait for one of the `ready` elements; anything else (an error
        body, an empty shell) is a PageStructureError, archived for diagnosis."""
        self.limiter.acquire()
        self.requests += 1
        driver = self._driver
        assert driver is not None
        try:
            driver.get(url)
        except TimeoutException:
            raise PortalTimeout(f"no page from {url} within {self.WAIT_S:.0f} s") from None
        except WebDriverException as exc:
            raise PortalTimeout(f"browser error loading {url}: {exc.msg}") from None
        self._wait_any(*ready, (By.CSS_SELECTOR, "h1"), (By.TAG_NAME, "body"))
        html = driver.page_source
        raise_for_error_page(html, url)
        self._check_expired(url)
        if not any(driver.find_elements(*locator) for locator in ready):
            error = PageStructureError(f"{url} did not show {ready}", html)
            error.page_sha256 = self.archive.put(self.PORTAL, self.as_of, html)
            raise error
        return html

    def _wait_any(self, *locators: tuple[str, str]) -> None:
        driver = self._driver
        assert driver is not None
        try:
            WebDriverWait(driver, self.WAIT_S).until(
                ec.any_of(*(ec.presence_of_element_located(loc) for loc in locators))
            )
        except TimeoutException:
            raise PortalTimeout(f"page not ready within {self.WAIT_S:.0f} s") from None

    def _wait_for_results(self) -> None:
        """The workspace shell shows at once; wait until its grid is filled (or says why
        not). A page without the grid (an error page, the dashboard) ends the wait too."""

        def settled(driver: WebDriver) -> bool:
            if driver.find_elements(By.CSS_SELECTOR, self.GRID_SETTLED):
                return True
            no_grid = not driver.find_elements(By.ID, "SmartSearchResults")
            return no_grid and bool(driver.find_elements(By.CSS_SELECTOR, "h1, #SmartSearchForm"))

        try:
            WebDriverWait(self._driver, self.WAIT_S).until(settled)
        except TimeoutException:
            raise PortalTimeout(f"results not loaded within {self.WAIT_S:.0f} s") from None

    def _wait_stale(self, element: object) -> None:
        """Wait until the page that held `element` has been replaced (a form submitted)."""
        try:
            WebDriverWait(self._driver, self.WAIT_S).until(ec.staleness_of(element))
        except TimeoutException:
            raise PortalTimeout(f"no new page within {self.WAIT_S:.0f} s") from None

    def _check_expired(self, requested: str) -> None:
        driver = self._driver
        assert driver is not None
        if "timeout=1" in driver.current_url and "timeout=1" not in requested:
            raise SessionExpired("the court portal session timed out")

    # -- HTTP primitives (session mode) -------------------------------------------------

    def _request(self, method: str, url: str, data: dict[str, str] | None = None) -> httpx.Response:
        http = self._http
        assert http is not None
        self.limiter.acquire()
        self.requests += 1
        response = send(http, method, url, data)
        location = response.headers.get("location", "") if response.is_redirect else ""
        if "Dashboard" in location and "timeout=1" in location:
            raise SessionExpired("the court portal session timed out")
        self.limiter.success()
        return response

    def _check_dashboard(self, html: str) -> Dashboard:
        """A dashboard that shows a timeout, or lost our sign-in, means a lost session:
        searching on would silently drop every criminal case."""
        dashboard = parse_dashboard(html)
        if dashboard.captcha_enabled:
            check_search_refused(html)
        if dashboard.timed_out or (self.credentials is not None and not dashboard.signed_in):
            raise SessionExpired("the court portal session ended (timed out or signed out)")
        return dashboard

    # -- what the streams call ----------------------------------------------------------

    def search(self, criteria: SearchCriteria) -> tuple[SearchPage, Fetched]:
        return self._step(lambda: self._search(criteria))

    def _search(self, criteria: SearchCriteria) -> tuple[SearchPage, Fetched]:
        _ = self.driver  # opens the session (and logs in) on first use
        if self.mode == "browser":
            return self._search_browser(criteria)
        return self._search_http(criteria)

    def case_detail(self, court: str, case_number: str) -> tuple[CaseDetail | None, list[str]]:
        """Search the case number and open its detail page in the same session (case ids
        only live in the session that listed them, so both happen in one retried step).
        (None, pages) when the portal no longer has the case."""
        return self._step(
            lambda: find_case_detail(self._search, self._open_case, court, case_number)
        )

    def _search_browser(self, criteria: SearchCriteria) -> tuple[SearchPage, Fetched]:
        driver = self.driver
        self._navigate(self.url(self.DASHBOARD), (By.ID, "SmartSearchForm"))
        self._check_dashboard(driver.page_source)
        for name, value in criteria.form().items():
            element = driver.find_element(By.NAME, name)
            if element.tag_name == "select":
                Select(element).select_by_value(value)
            elif element.get_attribute("type") == "checkbox":
                if not element.is_selected():
                    element.click()
            else:
                element.send_keys(value)
        self.limiter.acquire()
        self.requests += 2  # the workspace shell and the JSON it loads
        button = driver.find_element(By.ID, "btnSSSubmit")
        button.click()
        self._wait_stale(button)
        self._wait_for_results()
        html = driver.page_source
        raise_for_error_page(html, self.url(self.SEARCH))
        self._check_expired(self.url(self.SEARCH))
        if "SmartSearchForm" in html:
            check_search_refused(html)
        page, sha = self.archive.parse(self.PORTAL, self.as_of, html, parse_results_grid)
        self.limiter.success()
        return page, Fetched(pages=[sha])

    def _search_http(self, criteria: SearchCriteria) -> tuple[SearchPage, Fetched]:
        form = {"__RequestVerificationToken": self._token, **criteria.form()}
        posted = self._request("POST", self.url(self.SEARCH), data=form)
        if not posted.is_redirect:
            raise_for_error_page(posted.text, self.url(self.SEARCH))
            check_search_refused(posted.text)
        if self.WORKSPACE not in posted.headers.get("location", ""):
            raise PageStructureError(f"search redirected to {posted.headers.get('location')}")
        results = self._request("GET", self.url(self.RESULTS))
        if "application/json" not in results.headers.get("content-type", ""):
            error = PageStructureError("the results request did not return JSON", results.text)
            error.page_sha256 = self.archive.put(self.PORTAL, self.as_of, results.text)
            raise error
        page, sha = self.archive.parse(
            self.PORTAL, self.as_of, results.text, lambda text: parse_results_json(json.loads(text))
        )
        return page, Fetched(pages=[sha])

    def _open_case(self, row: SearchRow) -> tuple[CaseDetail, str]:
        """The detail page behind a result row of this session; (record, page sha256)."""
        url = self.url(row.case_link)
        if self.mode == "browser":
            html = self._navigate(url, (By.ID, "CaseNumber"), (By.ID, "case-not-found"))
        else:
            response = self._request("GET", url)
            if response.is_redirect:
                location = response.headers.get("location", "")
                raise PageStructureError(f"case detail redirected to {location}")
            html = response.text
        return self.archive.parse(self.PORTAL, self.as_of, html, parse_case_detail)


def find_case_detail(
    search: Callable[[SearchCriteria], tuple[SearchPage, Fetched]],
    open_case: Callable[[SearchRow], tuple[CaseDetail, str]],
    court: str,
    case_number: str,
) -> tuple[CaseDetail | None, list[str]]:
    """A case by court + number: search its number, open the matching row. (None, pages)
    when no row matches or the detail page says the case is gone."""
    page, fetched = search(SearchCriteria(text=case_number))
    rows = [r for r in page.rows if r.case_number == case_number and r.location == court]
    if not rows:
        return None, fetched.pages
    try:
        detail, sha = open_case(rows[0])
    except CaseNotFound:
        return None, fetched.pages
    return detail, [*fetched.pages, sha]
