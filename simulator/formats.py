"""How the Odyssey Portal prints values: dates, times, money, JSON dates and code words."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: .NET's DateTime.MinValue as the portal's JSON prints an unset date.
JSON_MIN_DATE = "/Date(-62135596800000)/"


def mdy(value: date | datetime | None) -> str:
    """`03/04/2026`, the case page's dates; blank for None."""
    return value.strftime("%m/%d/%Y") if value else ""


def short_mdy(value: date) -> str:
    """`3/4/2026`, without leading zeros (financial grid, hearing JSON)."""
    return f"{value.month}/{value.day}/{value.year}"


def clock(value: datetime | time) -> str:
    """`8:30 AM`, without a leading zero."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def money(value: Decimal) -> str:
    """`$1,234.50`; negatives in parentheses, `($124.00)`."""
    text = f"${abs(value):,.2f}"
    return f"({text})" if value < 0 else text


def json_date(value: date | datetime | None) -> str | None:
    """`/Date(1643241600000)/`: milliseconds since the epoch, a date taken at UTC midnight."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    millis = int((value.replace(tzinfo=UTC) - _EPOCH).total_seconds() * 1000)
    return f"/Date({millis})/"


def code_word(text: str) -> str:
    """A short upper-case code for a listed value (`Stayed - Bankruptcy` → `STAYBANK`),
    the way the portal's code objects carry one next to the description."""
    words = re.findall(r"[A-Za-z0-9]+", text)
    return "".join(w[:4] for w in words).upper()[:8] or "NONE"


def initials_code(name: str) -> str:
    """A judicial officer's code from `Last, First M`: `Preston, Gwendolyn D` → `GDP`."""
    last, _, given = name.partition(",")
    letters = [w[0] for w in given.replace("(", " ").split() if w[0].isalpha()]
    return ("".join(letters) + (last.strip()[:1] or "")).upper()


def code_object(text: str | None, word: str | None = None) -> dict[str, object]:
    """`{"Word": ..., "Description": ..., "HasValue": ...}`, the JSON shape of a code."""
    if text is None:
        return {"Word": "0", "Description": None, "HasValue": False}
    return {"Word": word or code_word(text), "Description": text, "HasValue": True}
