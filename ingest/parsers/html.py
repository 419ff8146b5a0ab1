"""Small helpers shared by the parsers: parse HTML, select, read text, normalize values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import lxml.html
from lxml.html import HtmlElement

from ingest.errors import PageStructureError, PortalHTTPError

_MASKED_DATE = re.compile(r"[X*#]{1,2}/[X*#]{1,2}/(\d{4}|[X*#]{4})", re.IGNORECASE)
_JSON_DATE = re.compile(r"/Date\((-?\d+)(?:[+-]\d{4})?\)/")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})\s*([AP])\.?M\.?", re.IGNORECASE)
_MONEY = re.compile(r"(\()?(-)?\$?(-)?(\d[\d,]*(?:\.\d{1,2})?)(\))?")


# -- values ------------------------------------------------------------------------------


def collapse(value: str | None) -> str:
    """Whitespace (including no-break spaces and stray byte-order marks) collapsed."""
    return " ".join((value or "").replace("\ufeff", " ").split())


def iso_date(text: str | None) -> str | None:
    """`MM/DD/YYYY` or `M/D/YYYY` → `YYYY-MM-DD`; blank → None."""
    text = collapse(text)
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


def birth_date(text: str | None) -> tuple[str | None, int | None]:
    """A printed date of birth as (ISO date, birth year): `XX/XX/1972` (masked) gives only
    the year, `04/18/1995` both, blank or `XX/XX/XXXX` neither."""
    text = collapse(text)
    masked = _MASKED_DATE.fullmatch(text)
    if masked:
        year = masked.group(1)
        return None, int(year) if year.isdigit() else None
    dob = iso_date(text)
    return dob, int(dob[:4]) if dob else None


def json_date(value: str | None) -> str | None:
    """A JSON date as the portal sends it (`/Date(1643259600000)/`, milliseconds since the
    epoch, read in UTC, or `2/18/2022`) → `YYYY-MM-DD`; null, blank and .NET's empty date
    (year 1) → None."""
    if value is None or not str(value).strip():
        return None
    match = _JSON_DATE.fullmatch(str(value).strip())
    if match is None:
        return iso_date(str(value))
    moment = datetime.fromtimestamp(int(match.group(1)) / 1000, tz=UTC)
    return None if moment.year < 1800 else moment.date().isoformat()


def clock_time(text: str) -> str:
    """`8:30 AM`, `09:30 PM` → `08:30`, `21:30` (24-hour)."""
    match = _CLOCK.fullmatch(collapse(text))
    if match is None:
        raise PageStructureError(f"unexpected time {text!r}")
    hour, minute, half = int(match.group(1)), int(match.group(2)), match.group(3).upper()
    if not 1 <= hour <= 12 or minute > 59:
        raise PageStructureError(f"unexpected time {text!r}")
    return f"{hour % 12 + (12 if half == 'P' else 0):02d}:{minute:02d}"


def money(text: str | None) -> str | None:
    """`$1,234.50` → `1234.50`, `($124.00)` or `-$124.00` → `-124.00`; blank → None."""
    cleaned = collapse(text).replace(" ", "")
    if not cleaned:
        return None
    match = _MONEY.fullmatch(cleaned)
    if match is None or bool(match.group(1)) != bool(match.group(5)):
        raise PageStructureError(f"unexpected amount {text!r}")
    amount = Decimal(match.group(4).replace(",", ""))
    negative = any(match.group(g) for g in (1, 2, 3)) and amount != 0
    return f"{-amount if negative else amount:.2f}"


def is_money(text: str | None) -> bool:
    """Whether `text` reads as an amount (`$3,940.00`, `($5.00)`)."""
    try:
        return "$" in (text or "") and money(text) is not None
    except PageStructureError:
        return False


# -- pages -------------------------------------------------------------------------------


def parse_html(html: str) -> HtmlElement:
    """The page (or fragment) as a document: `root` is always the `<html>` element."""
    if not html or not html.strip():
        raise PageStructureError("empty page", html)
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise PageStructureError(f"unparseable page: {exc}", html) from None


def text(node: HtmlElement | None) -> str:
    """The node's text, whitespace collapsed; "" for no node."""
    return collapse(node.text_content()) if node is not None else ""


def first(root: HtmlElement, selector: str) -> HtmlElement | None:
    found = root.cssselect(selector)
    return found[0] if found else None


def text_of(root: HtmlElement, selector: str) -> str:
    return text(first(root, selector))


def has_class(node: HtmlElement, name: str) -> bool:
    return name in (node.get("class") or "").split()


def is_inside(node: HtmlElement, ancestors: tuple[HtmlElement, ...]) -> bool:
    """Whether `node` is one of `ancestors` or below one of them."""
    return any(node is a or a in node.iterancestors() for a in ancestors)


def br_lines(node: HtmlElement, after: HtmlElement | None = None) -> list[str]:
    """The node's content split at its `<br>`s into non-blank lines (whitespace collapsed);
    with `after`, only what follows that child."""
    lines: list[list[str]] = [[]]
    started = after is None
    if started:
        lines[-1].append(node.text or "")
    for child in node:
        if started and isinstance(child.tag, str):
            if child.tag == "br":
                lines.append([])
            else:
                lines[-1].append(child.text_content())
        started = started or child is after
        if started:
            lines[-1].append(child.tail or "")
    return [line for line in (collapse("".join(parts)) for parts in lines) if line]


def labelled_values(
    container: HtmlElement, skip: tuple[HtmlElement, ...] = ()
) -> Iterator[tuple[str, list[str]]]:
    """The label/value pairs a Portal section prints, in page order, as (label, value
    lines). Three shapes: `<p><span>Label</span><br/>value</p>` (any span class, or none);
    a label span outside a paragraph whose value is the next paragraph (`Address`); and a
    paragraph without a label span, read as its first line labelling the rest (`Action<br/>
    Dispossessory Warrant`) or, with one line, as a label without value (`Unserved`).
    Headers (`.text-primary`), document links and anything under `skip` are left out."""
    used: set[HtmlElement] = set()
    for node in container.iter("p", "span"):
        if node in used or is_inside(node, skip) or _is_header(node):
            continue
        if node.tag == "span":
            if has_class(node, "text-muted") and node.getparent().tag != "p":
                value = node.getnext()
                if value is not None and value.tag == "p":
                    used.add(value)
                    yield _label(text(node)), br_lines(value)
                else:
                    yield _label(text(node)), []
            continue
        pair = _paragraph_pair(node)
        if pair is not None:
            yield pair


def _is_header(node: HtmlElement) -> bool:
    """Section, item and party headers (`p.text-primary`, a role span) hold no labels."""
    if has_class(node, "text-primary"):
        return True
    children = [c for c in node if isinstance(c.tag, str)]
    return node.tag == "p" and bool(children) and has_class(children[0], "text-primary")


def _paragraph_pair(p: HtmlElement) -> tuple[str, list[str]] | None:
    """A paragraph's (label, value lines); None for document links and empty ones."""
    if p.xpath(".//p | .//a[contains(concat(' ', @class, ' '), ' document-download ')]"):
        return None
    children = [c for c in p if isinstance(c.tag, str)]
    if children and children[0].tag == "span" and not collapse(p.text):
        return _label(text(children[0])), br_lines(p, after=children[0])
    lines = br_lines(p)
    if not lines:
        return None
    return _label(lines[0]), lines[1:]


def _label(value: str) -> str:
    return value.rstrip(":").strip()


def raise_for_error_page(html: str, url: str) -> None:
    """Error pages that a browser shows with no status code in reach (429/503/504)."""
    head = html[:2000]
    for status, marker in ((429, "429 Too Many Requests"), (503, "503 Service Unavailable")):
        if marker in head:
            raise PortalHTTPError(status, url, retry_after=1.0 if status == 429 else None)
    if "504 Gateway Timeout" in head:
        raise PortalHTTPError(504, url)
