"""Navigation of a county jail roster ("inmate lookup").

URL shape (relative to the roster root, e.g. `https://host/jail/`):
`search?LastName=&FirstName=&BookingNumber=&page=N` (a GET form; an empty query lists
everyone in custody, 50 a page, with "Page X of Y") and `booking/<booking number>`.

Known quirks: no session or login; released people vanish from both the list and the
detail pages (the detail answers "No inmate found"); the list can shift while it is being
paged, so bookings are keyed by booking number, never by position.

In `browser` mode pages are rendered in Chromium; in `session` mode they are fetched over
HTTP. The parsers are the same, so are the records.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode, urljoin

import httpx
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from ingest.errors import PortalTimeout
from ingest.http import send
from ingest.parsers.html import raise_for_error_page
from ingest.parsers.jail_roster import parse_booking, parse_roster_page
from ingest.portal import PortalSession
from ingest.records import BookingDetail, RosterPage

T = TypeVar("T")


class JailRoster(PortalSession):
    SEARCH = "search"
    BOOKING = "booking/"
    PORTAL = "jail"

    def _fetch(self, url: str, ready: str) -> str:
        self.limiter.acquire()
        self.requests += 1
        browser = self.mode == "browser"
        html = self._fetch_browser(url, ready) if browser else self._fetch_http(url)
        self.limiter.success()
        return html

    def _fetch_browser(self, url: str, ready: str) -> str:
        if self._driver is None:
            self._driver = self._stack.enter_context(self.context.open_driver())
        driver = self._driver
        try:
            driver.get(url)
            WebDriverWait(driver, self.WAIT_S).until(
                ec.any_of(
                    ec.presence_of_element_located((By.CSS_SELECTOR, ready)),
                    ec.presence_of_element_located((By.TAG_NAME, "h1")),
                    ec.presence_of_element_located((By.ID, "no-inmate")),
                )
            )
        except TimeoutException:
            raise PortalTimeout(f"no page from {url} within {self.WAIT_S:.0f} s") from None
        except WebDriverException as exc:
            raise PortalTimeout(f"browser error loading {url}: {exc.msg}") from None
        html = driver.page_source
        raise_for_error_page(html, url)
        return html

    def _fetch_http(self, url: str) -> str:
        if self._http is None:
            self._http = self._stack.enter_context(httpx.Client(timeout=self.HTTP_TIMEOUT_S))
        response = send(self._http, "GET", url)
        return response.text  # 404 "No inmate found" is a page the parser understands

    def _page(self, url: str, ready: str, parser: Callable[[str], T]) -> tuple[T, str]:
        """Fetch, archive and parse one page, retried as a whole."""
        return self._step(
            lambda: self.archive.parse(self.PORTAL, self.as_of, self._fetch(url, ready), parser)
        )

    def roster_page(self, page: int) -> tuple[RosterPage, str]:
        query = urlencode({"LastName": "", "FirstName": "", "BookingNumber": "", "page": page})
        url = urljoin(self.base_url, f"{self.SEARCH}?{query}")
        return self._page(url, "#result-count", parse_roster_page)

    def booking(self, booking_number: str) -> tuple[BookingDetail, str]:
        url = urljoin(self.base_url, self.BOOKING + booking_number)
        return self._page(url, "#booking-detail", parse_booking)
