"""Pure parsers for the county jail roster ("inmate lookup") pages."""

from __future__ import annotations

from datetime import datetime

from ingest.errors import CaseNotFound, PageStructureError
from ingest.parsers.html import first, iso_date, money, parse_html, required_date, text, text_of
from ingest.records import BookingChargeRecord, BookingDetail, RosterPage, RosterRow


def iso_minute(text: str) -> str:
    """`11/20/2026 02:15 PM` → `2026-11-20T14:15`."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y %I:%M %p").strftime("%Y-%m-%dT%H:%M")
    except ValueError:
        raise PageStructureError(f"unexpected date-time {text!r}") from None


def parse_roster_page(html: str) -> RosterPage:
    root = parse_html(html)
    count = first(root, "#result-count")
    if first(root, "#InmateSearch") is None or count is None:
        raise PageStructureError("not a roster results page", html)
    total = int(text(count).split()[0])
    page = int(text_of(root, "#page-number"))
    pages = int(text_of(root, "#page-count"))
    rows = []
    for tr in root.cssselect("#inmate-results tbody tr.inmate-row"):
        cells = [text(td) for td in tr.cssselect("td")]
        if len(cells) != 6:
            raise PageStructureError(f"a roster row with {len(cells)} cells", html)
        number, name, dob, booked, housing, status = cells
        rows.append(
            RosterRow(
                booking_number=number,
                name=name,
                dob=required_date(dob, "date of birth"),
                booked_at=iso_minute(booked),
                housing=housing,
                custody_status=status,
            )
        )
    if total and not rows and page <= pages:
        raise PageStructureError("the roster says it has rows but shows none", html)
    return RosterPage(rows=tuple(rows), page=page, pages=pages, total=total)


def parse_booking(html: str) -> BookingDetail:
    root = parse_html(html)
    if first(root, "#no-inmate") is not None:
        raise CaseNotFound("booking not on the roster (released?)")
    if first(root, "#booking-detail") is None or first(root, "#booking-charges") is None:
        raise PageStructureError("not a booking detail page", html)
    charges = []
    for seq, tr in enumerate(root.cssselect("#booking-charges tbody tr.charge-row"), start=1):
        cells = [text(td) for td in tr.cssselect("td")]
        if len(cells) != 5:
            raise PageStructureError(f"a booking charge row with {len(cells)} cells", html)
        statute, description, degree, charge_class, case_number = cells
        charges.append(
            BookingChargeRecord(
                charge_seq=seq,
                statute=statute,
                description=description,
                degree=degree,
                charge_class=charge_class,
                court_case_number=case_number or None,
            )
        )
    return BookingDetail(
        booking_number=text_of(root, "#BookingNumber"),
        name=text_of(root, ".inmate-name"),
        dob=iso_date(text_of(root, "#DOB")) or "",
        race=text_of(root, "#Race"),
        sex=text_of(root, "#Sex"),
        booked_at=iso_minute(text_of(root, "#BookingDate")),
        arresting_agency=text_of(root, "#ArrestingAgency"),
        housing=text_of(root, "#Housing"),
        custody_status=text_of(root, "#CustodyStatus"),
        bond_type=text_of(root, "#BondType"),
        bond_amount=money(text_of(root, "#BondAmount")),
        charges=tuple(charges),
    )
