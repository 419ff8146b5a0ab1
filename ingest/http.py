"""Plain HTTP fetches (session mode), mapped onto the scrape errors the runner retries."""

from __future__ import annotations

import httpx

from ingest.errors import PortalHTTPError, PortalTimeout


def send(
    client: httpx.Client, method: str, url: str, data: dict[str, str] | None = None
) -> httpx.Response:
    """One request; timeouts, connection errors, 429 and 5xx become retryable errors."""
    try:
        response = client.request(method, url, data=data)
    except httpx.TimeoutException:
        raise PortalTimeout(f"no response from {url} in time") from None
    except httpx.TransportError as exc:
        raise PortalTimeout(f"connection error on {url}: {exc}") from None
    if response.status_code == 429 or response.status_code >= 500:
        retry_after = response.headers.get("retry-after", "")
        raise PortalHTTPError(
            response.status_code,
            url,
            retry_after=float(retry_after) if retry_after.isdigit() else None,
        )
    return response
