"""Navigation of a Tyler Odyssey "Portal" court site (2017+ generation).

URL shape, relative to the portal root (`https://host/<base path>/`, e.g. `/Portal/`,
`/portal/`, `/Secure/`; the county profile names it): `Home/Dashboard/<n>` (the Smart
Search form `form#frmSS`; sets `ASP.NET_SessionId`), `Account/Login`,
`SmartSearch/SmartSearch/SmartSearch` (form POST, no anti-forgery token → 302 to
`Home/WorkspaceMode?p=0`), `SmartSearch/SmartSearchResults` (the JSON the results grid is
filled from: a Kendo envelope with `Data` and `MaxResultsHit`), `Case/CaseDetail?eid=<id>`
(an HTML fragment) and `Case/CaseDetail/LoadFinancialInformation?caseId=<numeric id>` (the
Financial section, loaded by a second request).

Known quirks: the dashboard must be visited first; criminal lookups need an account, and a
signed-in session shows a Sign Out link; `Settings.CaptchaEnabled` together with
`Settings.CaptchaDisabledForAuthenticated` means a CAPTCHA for anonymous users only; the
session-timeout overlay is always in the page, hidden, so it says nothing; the results page
is an empty shell until JavaScript fills the grid, and no element marks "loaded", "empty" or
"capped" (readiness is the grid itself, the cap is the JSON's `MaxResultsHit`); case ids
(`eid`) are opaque and only valid in the session that listed them, so a case is always
reached by searching its number in the current session; the grid's columns vary by county
and some counties show no court location, in which case a search is made per location.

Two modes, same records: `browser` renders every page in Chromium; `session` opens the
session and logs in with the browser, then posts searches and fetches the results JSON and
the detail fragments over HTTP with the browser's cookies — far cheaper than rendering.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urljoin

import httpx
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from ingest.counties import CourtProfile, load_county
from ingest.errors import (
    CaptchaRequired,
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
    financial_url,
    login_error,
    parse_case_detail,
    parse_dashboard,
    parse_financial,
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
    """Smart Search fields; empty strings are left blank on the form. `court` is a court
    location as the form lists it, by its value or by its name."""

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
            "DOBFrom": self.dob_from,
            "DOBTo": self.dob_to,
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


#: One search: (its results, the sha256s of the pages it archived).
SearchOnce = Callable[[SearchCriteria], tuple[SearchPage, list[str]]]


class OdysseyPortal(PortalSession):
    """One (logged-in) court portal session (one per worker)."""

    LOGIN = "Account/Login"
    SEARCH = "SmartSearch/SmartSearch/SmartSearch"
    RESULTS = "SmartSearch/SmartSearchResults"
    WORKSPACE = "Home/WorkspaceMode"
    PORTAL = "court"
    SEARCH_FORM = (By.CSS_SELECTOR, "form#frmSS")
    SEARCH_BUTTON = (By.CSS_SELECTOR, "#btnSSSubmit")
    LOGIN_FORM = (By.ID, "LoginForm")
    LOGIN_USER = (By.ID, "UserName")
    LOGIN_PASSWORD = (By.ID, "Password")
    LOGIN_BUTTON = (By.ID, "btnSignIn")
    # The workspace has settled when the grid's table is there or it says the load failed.
    GRID_SETTLED = "#CasesGrid table.kgrid-card-table, #SmartSearchResults .alert-danger"
    CASE_READY = (By.CSS_SELECTOR, "#divCaseInformation_body, .alert-danger")
    # Sets a form field the way a person's typing would, hidden combo-box inputs included.
    FETCH_FAILED = "courtlake: fetch failed: "
    # Reads a URL with the page's own session (cookies), as the grid's script does.
    FETCH_JS = (
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'})"
        ".then(r => r.ok ? r.text() : Promise.reject('HTTP ' + r.status))"
        f".then(done, e => done('{FETCH_FAILED}' + e));"
    )
    SET_FIELD_JS = (
        "const el = arguments[0];"
        "if (el.type === 'checkbox') { el.checked = arguments[1] === 'true'; }"
        "else { el.value = arguments[1]; }"
        "el.dispatchEvent(new Event('change', {bubbles: true}));"
    )

    def __init__(
        self,
        base_url: str,
        context: PortalContext,
        credentials: PortalCredentials | None = None,
        profile: CourtProfile | None = None,
    ) -> None:
        super().__init__(base_url, context)
        self.credentials = credentials
        self.profile = profile or load_county().court
        self._dashboard: tuple[Dashboard, str] | None = None  # (parsed, archived sha256)

    @property
    def dashboard_path(self) -> str:
        return f"Home/Dashboard/{self.profile.smart_search_dashboard}"

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

    def close(self) -> None:
        super().close()
        self._dashboard = None

    def _start_session(self) -> None:
        """Dashboard first (it sets the session), then sign in when we have an account."""
        driver = self._driver
        assert driver is not None
        self._navigate(self.url(self.dashboard_path), self.SEARCH_FORM)
        if self.credentials is not None:
            self._navigate(self.url(self.LOGIN), self.LOGIN_FORM)
            driver.find_element(*self.LOGIN_USER).send_keys(self.credentials.user)
            driver.find_element(*self.LOGIN_PASSWORD).send_keys(self.credentials.password)
            button = driver.find_element(*self.LOGIN_BUTTON)
            button.click()
            self._wait_stale(button)
            self._wait_any(self.SEARCH_FORM, self.LOGIN_FORM, (By.TAG_NAME, "h1"))
            html = driver.page_source
            raise_for_error_page(html, self.url(self.LOGIN))
            error = login_error(html)
            if error is not None:
                raise LoginFailed(f"the court portal refused the login: {error}")
            if not driver.find_elements(*self.SEARCH_FORM):
                raise PageStructureError("the login did not lead back to the dashboard", html)
        self._remember_dashboard(driver.page_source)
        if self.mode == "session":
            self._http = self._stack.enter_context(
                httpx.Client(timeout=self.HTTP_TIMEOUT_S, follow_redirects=False)
            )
            for cookie in driver.get_cookies():
                self._http.cookies.set(
                    cookie["name"], cookie["value"], path=cookie.get("path", "/")
                )

    def _remember_dashboard(self, html: str) -> Dashboard:
        """Check the dashboard we are on and keep it (its court locations, archived)."""
        dashboard = self._check_dashboard(html)
        self._dashboard = (dashboard, self.archive.put(self.PORTAL, self.as_of, html))
        return dashboard

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
        if not any(driver.find_elements(*locator) for locator in ready):
            if driver.find_elements(*self.SEARCH_FORM):
                raise SessionExpired(f"the court portal sent {url} back to the dashboard")
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
        not). A page without the results container (an error page, the dashboard) ends
        the wait too."""

        def settled(driver: WebDriver) -> bool:
            if driver.find_elements(By.CSS_SELECTOR, self.GRID_SETTLED):
                return True
            no_grid = not driver.find_elements(By.ID, "SmartSearchResults")
            return no_grid and bool(driver.find_elements(By.CSS_SELECTOR, "h1, form#frmSS"))

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

    # -- HTTP primitives (session mode) -------------------------------------------------

    def _request(self, method: str, url: str, data: dict[str, str] | None = None) -> httpx.Response:
        http = self._http
        assert http is not None
        self.limiter.acquire()
        self.requests += 1
        response = send(http, method, url, data)
        self.limiter.success()
        return response

    def _get_page(self, url: str) -> str:
        """A page or fragment over HTTP (session mode) or in the browser; a redirect means
        the session is gone (to the dashboard) or the account is needed (to the login)."""
        if self.mode == "browser":
            return self._navigate(url, self.CASE_READY, (By.CSS_SELECTOR, "table, h1, p"))
        response = self._request("GET", url)
        if response.is_redirect:
            location = response.headers.get("location", "")
            raise SessionExpired(f"{url} redirected to {location}")
        return response.text

    def _check_dashboard(self, html: str) -> Dashboard:
        """A dashboard that asks for a CAPTCHA stops the portal; one that lost our sign-in
        means a lost session: searching on would silently drop every criminal case."""
        dashboard = parse_dashboard(html)
        if dashboard.captcha_applies:
            raise CaptchaRequired("the court portal asks for a CAPTCHA; a person has to look")
        if self.credentials is not None and not dashboard.signed_in:
            raise SessionExpired("the court portal session ended (signed out)")
        return dashboard

    def _refused(self, html: str) -> None:
        """A search answered with the dashboard instead of the workspace: say why."""
        dashboard = parse_dashboard(html)
        if not dashboard.errors and not dashboard.captcha_applies:
            raise SessionExpired("the court portal answered a search with its dashboard")
        check_search_refused(html)

    # -- what the streams call ----------------------------------------------------------

    def search(self, criteria: SearchCriteria) -> tuple[SearchPage, Fetched]:
        return self._step(lambda: self._search(criteria))

    def case_detail(self, court: str, case_number: str) -> CaseLookup:
        """Search the case number and open its detail page in the same session (case ids
        only live in the session that listed them, so both happen in one retried step)."""
        return self._step(
            lambda: find_case_detail(
                self._search, self._open_case, court, case_number, self.profile
            )
        )

    def _search(self, criteria: SearchCriteria) -> tuple[SearchPage, Fetched]:
        """One search, as many results pages as the county's grid needs (unretried)."""
        return search_locations(self._current_dashboard, self._search_once, criteria, self.profile)

    def _current_dashboard(self) -> tuple[Dashboard, str]:
        _ = self.driver  # opens the session (and signs in) on first use
        assert self._dashboard is not None
        return self._dashboard

    def _search_once(self, criteria: SearchCriteria) -> tuple[SearchPage, list[str]]:
        _ = self.driver
        if self.mode == "browser":
            return self._search_browser(criteria)
        return self._search_http(criteria)

    def _search_browser(self, criteria: SearchCriteria) -> tuple[SearchPage, list[str]]:
        """Fill the form, submit, read the rows off the rendered grid. The grid shows no
        cap, so the JSON it was filled from is read through the page too (same session):
        the two pages are archived in that order."""
        driver = self.driver
        self._remember_dashboard(self._navigate(self.url(self.dashboard_path), self.SEARCH_FORM))
        for name, value in criteria.form().items():
            fields = driver.find_elements(By.NAME, name)
            if not fields:
                raise PageStructureError(f"the Smart Search form has no field {name}")
            driver.execute_script(self.SET_FIELD_JS, fields[0], value)
        self.limiter.acquire()
        self.requests += 2  # the workspace shell and the JSON it loads
        button = driver.find_element(*self.SEARCH_BUTTON)
        button.click()
        self._wait_stale(button)
        self._wait_for_results()
        html = driver.page_source
        raise_for_error_page(html, self.url(self.SEARCH))
        if driver.find_elements(*self.SEARCH_FORM) and not driver.find_elements(
            By.ID, "SmartSearchResults"
        ):
            self._refused(html)
        grid, sha = self.archive.parse(self.PORTAL, self.as_of, html, parse_results_grid)
        self.limiter.acquire()
        self.requests += 1
        payload = driver.execute_async_script(self.FETCH_JS, self.url(self.RESULTS))
        if not isinstance(payload, str) or payload.startswith(self.FETCH_FAILED):
            raise PortalTimeout(f"the results JSON could not be read: {str(payload)[:200]}")
        envelope, json_sha = self.archive.parse(self.PORTAL, self.as_of, payload, results_json)
        self.limiter.success()
        return replace(grid, max_results_hit=envelope.max_results_hit), [sha, json_sha]

    def _search_http(self, criteria: SearchCriteria) -> tuple[SearchPage, list[str]]:
        posted = self._request("POST", self.url(self.SEARCH), data=criteria.form())
        if not posted.is_redirect:
            raise_for_error_page(posted.text, self.url(self.SEARCH))
            self._refused(posted.text)
        if self.WORKSPACE not in posted.headers.get("location", ""):
            raise SessionExpired(f"search redirected to {posted.headers.get('location')}")
        results = self._request("GET", self.url(self.RESULTS))
        if results.is_redirect or "json" not in results.headers.get("content-type", ""):
            error = PageStructureError("the results request did not return JSON", results.text)
            error.page_sha256 = self.archive.put(self.PORTAL, self.as_of, results.text)
            raise error
        page, sha = self.archive.parse(self.PORTAL, self.as_of, results.text, results_json)
        return page, [sha]

    def _open_case(self, row: SearchRow) -> tuple[CaseDetail, list[str]]:
        """The detail page behind a result row of this session, with its Financial
        section loaded when the page only holds the placeholder; (record, page sha256s)."""
        html = self._get_page(self.url(row.case_link))
        detail, sha = self.archive.parse(self.PORTAL, self.as_of, html, parse_case_detail)
        link = financial_url(html)
        if link is None:
            return detail, [sha]
        section = self._get_page(self.url(link))
        financial, fin_sha = self.archive.parse(self.PORTAL, self.as_of, section, parse_financial)
        return replace(detail, financial=financial), [sha, fin_sha]


def results_json(text: str) -> SearchPage:
    """The results JSON (the Kendo envelope), from its text."""
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise PageStructureError(f"unreadable results JSON: {error}", text) from None
    return parse_results_json(payload)


def search_locations(
    dashboard: Callable[[], tuple[Dashboard, str]],
    search_once: SearchOnce,
    criteria: SearchCriteria,
    profile: CourtProfile,
) -> tuple[SearchPage, Fetched]:
    """A search whose every row says its court location (and case type when searched by
    one). Where the county's grid shows locations, one search; where it does not, one
    search per location the dashboard lists (or the one `criteria.court` names), each row
    taking the location it was searched in. Pages: the results pages, preceded by the
    dashboard when it was needed."""
    if profile.grid_has_location:
        page, shas = search_once(criteria)
        return _filled(page, criteria, None, profile), Fetched(pages=shas)
    board, board_sha = dashboard()
    wanted = [
        (value, name)
        for value, name in board.locations
        if not criteria.court or criteria.court in (value, name)
    ]
    if not wanted:
        raise PageStructureError(f"the portal lists no court location {criteria.court!r}")
    rows: list[SearchRow] = []
    pages, capped = [board_sha], False
    for value, name in wanted:
        page, shas = search_once(replace(criteria, court=value))
        rows.extend(_filled(page, criteria, name, profile).rows)
        pages.extend(shas)
        capped = capped or page.max_results_hit
    return SearchPage(rows=tuple(rows), max_results_hit=capped), Fetched(pages=pages)


#: Grid columns that not every county shows → the SearchRow field each one fills.
OPTIONAL_COLUMNS: dict[str, str] = {
    "DefendantName": "party_name",
    "DateOfBirth": "dob",
    "CaseStatusId.Description": "status",
    "CaseTypeId.Description": "case_type",
    "NodeDescription": "location",
}


def _filled(
    page: SearchPage, criteria: SearchCriteria, location: str | None, profile: CourtProfile
) -> SearchPage:
    """Rows holding what the county's grid shows — the results JSON carries every field,
    the grid only its columns, and both modes must land the same records — plus the
    location and case type the search fixed, where the grid shows none."""
    hidden = {f: None for c, f in OPTIONAL_COLUMNS.items() if c not in profile.grid_columns}
    rows = []
    for row in page.rows:
        shown = replace(row, **hidden)
        rows.append(
            replace(
                shown,
                location=shown.location or location,
                case_type=shown.case_type or criteria.case_type or None,
            )
        )
    return replace(page, rows=tuple(rows))


@dataclass(frozen=True)
class CaseLookup:
    """A case looked up by court location + number: its record (None when the portal no
    longer has it), every page read, and which of them is the detail page itself."""

    detail: CaseDetail | None
    pages: list[str]
    detail_page: str | None = None


def find_case_detail(
    search: Callable[[SearchCriteria], tuple[SearchPage, Fetched]],
    open_case: Callable[[SearchRow], tuple[CaseDetail, list[str]]],
    court: str,
    case_number: str,
    profile: CourtProfile,
) -> CaseLookup:
    """A case by court location + number: search its number (in that location, where the
    grid shows no locations), open the matching row. No detail when no row matches or the
    detail page says the case is gone."""
    criteria = SearchCriteria(text=case_number, court="" if profile.grid_has_location else court)
    page, fetched = search(criteria)
    rows = [r for r in page.rows if r.case_number == case_number and r.location == court]
    if not rows:
        return CaseLookup(None, fetched.pages)
    try:
        detail, shas = open_case(rows[0])
    except CaseNotFound:
        return CaseLookup(None, fetched.pages)
    return CaseLookup(detail, [*fetched.pages, *shas], detail_page=shas[0])
