"""Small helpers shared by the parsers: parse HTML, select, read text, normalize values."""

from __future__ import annotations

import re
from datetime import datetime

import lxml.html
from lxml.html import HtmlElement

from ingest.errors import PageStructureError, PortalHTTPError


def iso_date(text: str | None) -> str | None:
    """`MM/DD/YYYY` → `YYYY-MM-DD`; blank → None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%m/%d/%Y").date().isoformat()
    except ValueError:
        raise PageStructureError(f"unexpected date {text!r}") from None


def required_date(text: str | None, what: str) -> str:
    value = iso_date(text)
    if value is None:
        raise PageStructureError(f"{what} is missing")
    return value


def clock_time(text: str) -> str:
    """`09:30 AM` → `09:30`."""
    try:
        return datetime.strptime(text.strip(), "%I:%M %p").strftime("%H:%M")
    except ValueError:
        raise PageStructureError(f"unexpected time {text!r}") from None


def money(text: str | None) -> str | None:
    """`$1,234.50` → `1234.50`; blank → None."""
    cleaned = (text or "").strip().replace("$", "").replace(",", "")
    if not cleaned:
        return None
    if not re.fullmatch(r"-?\d+(\.\d{1,2})?", cleaned):
        raise PageStructureError(f"unexpected amount {text!r}")
    return f"{float(cleaned):.2f}"


def parse_html(html: str) -> HtmlElement:
    if not html or not html.strip():
        raise PageStructureError("empty page", html)
    try:
        return lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise PageStructureError(f"unparseable page: {exc}", html) from None


def text(node: HtmlElement | None) -> str:
    return " ".join(node.text_content().split()) if node is not None else ""


def first(root: HtmlElement, selector: str) -> HtmlElement | None:
    found = root.cssselect(selector)
    return found[0] if found else None


def text_of(root: HtmlElement, selector: str) -> str:
    return text(first(root, selector))


def raise_for_error_page(html: str, url: str) -> None:
    """Error pages that a browser shows with no status code in reach (429/503/504)."""
    head = html[:2000]
    for status, marker in ((429, "429 Too Many Requests"), (503, "503 Service Unavailable")):
        if marker in head:
            raise PortalHTTPError(status, url, retry_after=1.0 if status == 429 else None)
    if "504 Gateway Timeout" in head:
        raise PortalHTTPError(504, url)
