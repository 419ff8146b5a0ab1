"""What can go wrong when scraping, sorted by what the runner does about it."""

from __future__ import annotations


class ScrapeError(Exception):
    """Base class. `retryable` tells the runner whether another attempt can help."""

    retryable = True


class PageStructureError(ScrapeError):
    """A 200 page that fails its structural check (error body, empty shell, missing
    section). Retried; the page is kept for diagnosis."""

    def __init__(self, message: str, html: str = "") -> None:
        super().__init__(message)
        self.html = html
        self.page_sha256: str | None = None  # where the archive kept the page


class PortalHTTPError(ScrapeError):
    """5xx, 429 or another unexpected status from the portal."""

    def __init__(self, status: int, url: str, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status} from {url}")
        self.status = status
        self.retry_after = retry_after


class PortalTimeout(ScrapeError):
    """No response (or no expected element) within the wait."""


class SessionExpired(ScrapeError):
    """The portal sent us back to the dashboard: log in and search again."""


class CaseNotFound(ScrapeError):
    """The portal says the case is not there (sealed, expunged, or never existed)."""

    retryable = False


class CaptchaRequired(ScrapeError):
    """The portal switched a CAPTCHA on. Stop that portal cleanly; a person must look."""

    retryable = False


class LoginFailed(ScrapeError):
    """The portal refused the configured credentials."""

    retryable = False
