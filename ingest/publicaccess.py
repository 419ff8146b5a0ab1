"""Navigation of a Tyler Odyssey "PublicAccess" court site (the generation before the
Portal: ASP.NET WebForms in a table layout).

URL shape, relative to the site root (`https://host/<base path>/`, e.g. `/PublicAccess/`):
`default.aspx` (the main menu: a location choice and one link a search type, which posts
`NodeID` / `NodeDesc` to its search page; sets `ASP.NET_SessionId`), `Search.aspx?ID=<n>`
(the search form; its postback answers the results, "Record Count:" and a row a case,
linking `CaseDetail.aspx?CaseID=<n>`), `CaseDetail.aspx?CaseID=<n>` (the case page).

Known quirks: the form carries `__VIEWSTATE` and `__EVENTVALIDATION`, and a postback
without the values of the form it came from is refused (ASP.NET answers 500), so every
search fetches its form first and posts it back once; criminal and civil records are
separate searches (the county profile names the ones to run, by their link texts, and the
"Search By" options, by theirs); a date-filed search picks its case type from the form's
"Case Types" list, and a search type whose list lacks it is skipped; results rows print
their location, so one search covers every court ("All Courts"); `CaseID` is numeric and
stable, but a case is still reached by searching its number, as on the Portal.

Two modes, same records: `browser` renders every page in Chromium (menu, form, results,
case page); `session` opens the site in the browser, then fetches the forms, posts them
back with their hidden fields and reads the results and case pages over HTTP with the
browser's cookies.
"""

from __future__ import annotations

import httpx
from selenium.webdriver.common.by import By

from ingest.counties import CourtProfile, PublicAccessProfile
from ingest.errors import CaseNotFound, PageStructureError, PortalHTTPError, SessionExpired
from ingest.odyssey import (
    Fetched,
    OdysseyPortal,
    SearchCriteria,
)
from ingest.parsers.html import parse_html, raise_for_error_page
from ingest.parsers.publicaccess import (
    MainMenu,
    SearchForm,
    SearchLink,
    parse_case_detail,
    parse_main_menu,
    parse_search_form,
    parse_search_results,
)
from ingest.portal import PortalContext
from ingest.records import CaseDetail, SearchPage, SearchRow


class PublicAccessPortal(OdysseyPortal):
    """One court session on a PublicAccess site (one per worker). It shares the Portal
    session's browser and HTTP primitives (load and wait, fetch over HTTP, a page or
    fragment in either mode); its own are the main menu, the search forms and their
    postbacks."""

    MENU = "default.aspx"
    MENU_READY = (By.CSS_SELECTOR, "a.ssSearchHyperlink")
    # A page that shows the main menu where another was asked for: the session is gone.
    SEARCH_FORM = MENU_READY
    FORM_READY = (By.CSS_SELECTOR, "form input[name='__VIEWSTATE']")
    RESULTS_READY = (By.XPATH, "//b[contains(., 'Record Count')] | //p[@class='ssMessageText']")
    CASE_READY = (By.CSS_SELECTOR, "div.ssCaseDetailROA, p.ssMessageText")
    SUBMIT = (By.CSS_SELECTOR, "input[type='submit']")
    #: ASP.NET's words for a postback whose hidden state it does not accept.
    REFUSED = ("Validation of viewstate MAC failed", "Invalid postback or callback argument")
    #: Form fields by the label the page prints beside them.
    CASE_NUMBER, LAST, FIRST, DOB, SOUNDEX = (
        "Case Number",
        "Last Name",
        "First Name",
        "Date of Birth",
        "Use Soundex",
    )
    FILED_FROM, FILED_TO, CASE_TYPES = (
        "Date Filed On or After",
        "Date Filed On or Before",
        "Case Types",
    )
    # Chooses the menu's location and follows a search link, as a person's clicks would.
    LAUNCH_JS = (
        "const [value, label] = arguments;"
        "for (const s of document.querySelectorAll('select')) {"
        "  if ([...s.options].some(o => o.value === value)) { s.value = value; }"
        "}"
        "for (const a of document.querySelectorAll('a')) {"
        "  if (a.textContent.trim() === label) { a.click(); return true; }"
        "}"
        "return false;"
    )

    def __init__(self, base_url: str, context: PortalContext, profile: CourtProfile) -> None:
        super().__init__(base_url, context, profile=profile)
        if profile.publicaccess is None:
            raise ValueError("a PublicAccess session needs the profile's [court.publicaccess]")
        self.names: PublicAccessProfile = profile.publicaccess
        self._menu: tuple[MainMenu, str] | None = None  # (parsed, archived sha256)

    def close(self) -> None:
        super().close()
        self._menu = None

    def _start_session(self) -> None:
        """The main menu first (it sets the session), then, in session mode, HTTP with
        the browser's cookies."""
        driver = self._driver
        assert driver is not None
        html = self._navigate(self.url(self.MENU), self.MENU_READY)
        self._menu = (parse_main_menu(html), self.archive.put(self.PORTAL, self.as_of, html))
        if self.mode == "session":
            client = httpx.Client(timeout=self.HTTP_TIMEOUT_S, follow_redirects=False)
            self._http = self._stack.enter_context(client)
            client.cookies.update({c["name"]: c["value"] for c in driver.get_cookies()})

    def _settled(self, url: str, ready: tuple[str, str]) -> str:
        """The page a click led to, once `ready` (or an error page's heading) is there."""
        self._wait_any(ready, (By.TAG_NAME, "h1"))
        driver = self.driver
        html = driver.page_source
        raise_for_error_page(html, url)
        self._raise_if_refused(html, url)
        if not driver.find_elements(*ready):
            error = PageStructureError(f"{url} did not show {ready}", html)
            error.page_sha256 = self.archive.put(self.PORTAL, self.as_of, html)
            raise error
        return html

    def _raise_if_refused(self, html: str, url: str) -> None:
        """ASP.NET's refusal of a postback (a 500 page, whose status a browser hides)."""
        if any(marker in html[:3000] for marker in self.REFUSED):
            raise PortalHTTPError(500, url)

    def _fetch(self, method: str, url: str, data: dict[str, str] | None = None) -> str:
        """A page over HTTP; a redirect means the session is gone (to the main menu)."""
        response = self._request(method, url, data)
        if response.is_redirect:
            raise SessionExpired(f"{url} redirected to {response.headers.get('location')}")
        raise_for_error_page(response.text, url)
        return response.text

    # -- what the streams call (`search`, `case_detail`: the Portal session's) ------------

    def _search(self, criteria: SearchCriteria) -> tuple[SearchPage, Fetched]:
        """Every search type the profile names, in the location `criteria.court` names
        (every court when it names none); their rows together (unretried)."""
        _ = self.driver
        assert self._menu is not None
        menu, menu_sha = self._menu
        wanted = criteria.court or self.names.all_locations
        node = next((loc for loc in menu.locations if wanted in loc), None)
        if node is None:
            raise PageStructureError(f"the main menu lists no location {wanted!r}")
        rows: list[SearchRow] = []
        pages, capped = [menu_sha], False
        for link in self._links(menu):
            found = self._search_type(link, node, criteria)
            if found is None:
                continue
            page, shas = found
            rows.extend(page.rows)
            pages.extend(shas)
            capped = capped or page.max_results_hit
        return SearchPage(rows=tuple(rows), max_results_hit=capped), Fetched(pages=pages)

    def _links(self, menu: MainMenu) -> list[SearchLink]:
        links = []
        for name in self.names.case_searches:
            link = next((s for s in menu.searches if s.text == name), None)
            if link is None:
                raise PageStructureError(f"the main menu has no search {name!r}")
            links.append(link)
        return links

    def _search_type(
        self, link: SearchLink, node: tuple[str, str], criteria: SearchCriteria
    ) -> tuple[SearchPage, list[str]] | None:
        """One search type: its form, then its postback; None when its form cannot ask
        what `criteria` asks (a case type it does not list)."""
        html = self._open_form(link, node)
        form, form_sha = self.archive.parse(self.PORTAL, self.as_of, html, parse_search_form)
        fields = self._fields(form, criteria)
        if fields is None:
            return None
        results = self._post(form, html, fields)
        page, sha = self.archive.parse(self.PORTAL, self.as_of, results, parse_search_results)
        return page, [form_sha, sha]

    def _open_form(self, link: SearchLink, node: tuple[str, str]) -> str:
        value, name = node
        if self.mode == "browser":
            driver = self.driver
            self._navigate(self.url(self.MENU), self.MENU_READY)
            menu_link = driver.find_element(*self.MENU_READY)
            self.limiter.acquire()
            self.requests += 1
            if not driver.execute_script(self.LAUNCH_JS, value, link.text):
                raise PageStructureError(f"the main menu has no link {link.text!r}")
            self._wait_stale(menu_link)
            return self._settled(self.url(link.url), self.FORM_READY)
        location = {"NodeID": value, "NodeDesc": name} if link.posts_location else None
        return self._fetch("POST" if location else "GET", self.url(link.url), location)

    def _fields(self, form: SearchForm, criteria: SearchCriteria) -> dict[str, str] | None:
        """The fields a search posts, found by their labels; None when the form's case
        types do not list `criteria.case_type`."""
        by_label = {label: name for name, label in reversed(form.fields.items())}

        def name_of(label: str) -> str:
            if label not in by_label:
                raise PageStructureError(f"the search form has no field {label!r}")
            return by_label[label]

        if criteria.text:
            mode, values = self.names.search_by_case, {self.CASE_NUMBER: criteria.text}
        elif criteria.last:
            mode = self.names.search_by_party
            values = {self.LAST: criteria.last, self.FIRST: criteria.first}
            values |= {self.DOB: criteria.dob_from} if criteria.dob_from else {}
            values |= {self.SOUNDEX: "on"} if criteria.soundex else {}
        else:
            mode = self.names.search_by_date_filed
            values = {self.FILED_FROM: criteria.filed_from, self.FILED_TO: criteria.filed_to}
        search_by = next((v for v, text in form.search_by if text == mode), None)
        if search_by is None:
            raise PageStructureError(f"the search form has no Search By option {mode!r}")
        fields = {name_of("Search By"): search_by}
        fields |= {name_of(label): value for label, value in values.items()}
        if criteria.case_type:
            types = form.choices.get(name_of(self.CASE_TYPES), ())
            chosen = next((v for v, text in types if text == criteria.case_type), None)
            if chosen is None:
                return None
            fields[name_of(self.CASE_TYPES)] = chosen
        return fields

    def _post(self, form: SearchForm, html: str, fields: dict[str, str]) -> str:
        """The form posted back: in the browser by filling and submitting it, over HTTP
        with the hidden fields the form was given."""
        url = self.url(form.action)
        if self.mode == "browser":
            driver = self.driver
            for name, value in fields.items():
                elements = driver.find_elements(By.NAME, name)
                if not elements:
                    raise PageStructureError(f"the search form has no field {name}")
                checked = "true" if value == "on" else value
                driver.execute_script(self.SET_FIELD_JS, elements[0], checked)
            button = driver.find_element(*self.SUBMIT)
            self.limiter.acquire()
            self.requests += 1
            button.click()
            self._wait_stale(button)
            page = self._settled(url, self.RESULTS_READY)
            self.limiter.success()
            return page
        data = hidden_values(html, form.hidden_fields) | fields
        page = self._fetch("POST", url, data)
        self._raise_if_refused(page, url)
        return page

    def _open_case(self, row: SearchRow) -> tuple[CaseDetail, list[str]]:
        """The case page a result row links; a page that says no case matched is
        CaseNotFound (sealed or removed since it was listed)."""
        html = self._get_page(self.url(row.case_link))
        try:
            detail, sha = self.archive.parse(self.PORTAL, self.as_of, html, parse_case_detail)
        except PageStructureError:
            if _lists_no_case(html):
                raise CaseNotFound(f"{row.case_number} is no longer on the site") from None
            raise
        return detail, [sha]


def _lists_no_case(html: str) -> bool:
    try:
        return not parse_search_results(html).rows
    except PageStructureError:
        return False


def hidden_values(html: str, names: tuple[str, ...]) -> dict[str, str]:
    """The values of the form's hidden inputs `names`, as the page was given them."""
    wanted = set(names)
    return {
        str(node.get("name")): node.get("value") or ""
        for node in parse_html(html).iter("input")
        if node.get("name") in wanted and (node.get("type") or "").lower() == "hidden"
    }
