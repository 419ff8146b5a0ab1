"""What every portal session shares: its context, its lifecycle, and retried steps."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from datetime import date
from typing import Literal, Self, TypeVar

import httpx
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.webdriver import WebDriver

from ingest.errors import PortalTimeout, SessionExpired
from ingest.pages import PageArchive
from ingest.politeness import RateLimiter, RetryPolicy, with_retries

Mode = Literal["browser", "session"]
T = TypeVar("T")


@dataclass(frozen=True)
class PortalContext:
    mode: Mode
    open_driver: Callable[[], AbstractContextManager[WebDriver]]
    archive: PageArchive
    limiter: RateLimiter
    as_of: date
    retry: RetryPolicy  # per navigation step


class PortalSession:
    """One worker's session with one portal: a browser and/or an HTTP client, opened on
    first use and closed (or reset, to start over) as a whole."""

    PORTAL = ""
    WAIT_S = 30.0
    HTTP_TIMEOUT_S = 30.0

    def __init__(self, base_url: str, context: PortalContext) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.context = context
        self.mode = context.mode
        self.archive = context.archive
        self.limiter = context.limiter
        self.as_of = context.as_of
        self._stack = ExitStack()
        self._driver: WebDriver | None = None
        self._http: httpx.Client | None = None
        self.requests = 0
        self.retries = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stack.close()
        self._stack = ExitStack()
        self._driver = None
        self._http = None

    def reset(self) -> None:
        """Start over with a new session (after an expiry or a broken browser)."""
        self.close()

    def _recover(self, error: BaseException) -> None:
        """Before a retry: a lost session or a stuck browser means starting over."""
        self.retries += 1
        if isinstance(error, SessionExpired | PortalTimeout | WebDriverException):
            self.reset()

    def _step(self, action: Callable[[], T]) -> T:
        """One navigation step, retried as a whole (backoff with jitter, rate-limit aware)."""
        return with_retries(
            action, self.context.retry, limiter=self.limiter, on_retry=self._recover
        )
