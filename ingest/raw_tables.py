"""Schemas of the raw tables that compaction writes and dbt reads.

One Parquet file per table per scrape date: ``raw/<table>/scrape_date=<date>/data.parquet``.
``scrape_date`` is the Hive partition, never a column inside the file. Values are kept
exactly as landed: dates are ISO strings (``YYYY-MM-DD``, date-times ``YYYY-MM-DDTHH:MM``)
and money is a string with two decimals (negatives ``-124.00``); staging models in dbt
cast them. Lists and labelled values a page shows beyond the named fields (``…_json``) are
JSON text: a list in page order or an object with sorted keys, null when the page shows
none. ``scraped_at`` is the landing task's ``finished_at`` (ISO UTC, ``…Z``).
``page_sha256`` names the archived page (``pages/<portal>/<scrape_date>/<sha256>.html.gz``)
a row was parsed from.

The court case tables are keyed by the court location the case was found under and its
number (the landing output's ``court`` and ``case_number``); the page's own "Court" label
is ``court_cases.court_label``. ``court_cases.fees_assessed`` / ``paid`` / ``balance_due``
are the totals over the case's ``court_financials`` (``CaseDetail.fees_assessed`` …), null
when the page has no Financial section loaded.

The jail tables (an IML "Inmate Lookup" roster) are keyed by ``booking_key``, the landing
outputs' key of a roster row: its booking number when the roster prints one, else
``sys:<sysID>``. ``jail_roster`` holds every roster row of the scrape date, released people
the roster still lists too (with their ``release_date``). ``jail_bookings`` and its child
tables hold the person page behind each row; its ``booking_number`` and ``permanent_id``
are the page's, else the roster row's (some counties print them only on the roster), its
stay columns (commitment and release date, location, housing) the page's Incarceration
Information.

Lineage notes, where a row's page cannot be told from the landing output:

* the court case tables (``court_cases`` and the tables of its parts) name the visit's
  last page: the detail page, or, when the Financial section was loaded by a second
  request, that section's page (the landing output lists the detail page just before it).

* ``jail_roster.page_sha256`` is always null: the roster output keeps the roster pages in
  order but merges their rows (deduplicated on the booking key), so which page a row came
  from is not recorded. The roster's pages are listed in its landing output.
* ``person_case_candidates`` and ``court_filings`` have no ``page_sha256`` for the same
  reason (a candidate can come from either of two searches, a filing from any search of
  a split window).
"""

from __future__ import annotations

import pyarrow as pa

_STR = pa.string()
_INT = pa.int32()
_BOOL = pa.bool_()


def _schema(*columns: tuple[str, pa.DataType]) -> pa.Schema:
    """A schema of nullable columns, in the given order."""
    return pa.schema([pa.field(name, kind) for name, kind in columns])


_CASE_REF = (("court", _STR), ("case_number", _STR))
_PROVENANCE = (("page_sha256", _STR), ("scraped_at", _STR))

#: Table name → schema of its Parquet files (column order is the file's column order).
RAW_TABLES: dict[str, pa.Schema] = {
    # The jail tables are keyed by the booking key: the booking number when the roster
    # prints one, else `sys:<sysID>` (the record id behind the roster row).
    "jail_roster": _schema(
        ("booking_key", _STR),
        ("booking_number", _STR),
        ("name", _STR),  # "LAST, FIRST MIDDLE" as the roster prints it
        ("permanent_id", _STR),
        ("dob", _STR),
        ("release_date", _STR),
        ("attributes_json", _STR),  # roster columns without a field, by header
        *_PROVENANCE,
    ),
    "jail_bookings": _schema(
        ("booking_key", _STR),
        ("booking_number", _STR),
        ("permanent_id", _STR),
        ("name", _STR),  # as the person page prints it (often "FIRST MIDDLE LAST")
        ("sex", _STR),
        ("dob", _STR),
        ("race", _STR),
        ("commitment_date", _STR),
        ("release_date", _STR),
        ("location", _STR),
        ("housing", _STR),
        ("bond_grand_total", _STR),
        ("aliases_json", _STR),
        ("detainers_json", _STR),
        *_PROVENANCE,
    ),
    "jail_booking_charges": _schema(
        ("booking_key", _STR),
        ("charge_seq", _INT),
        ("case_number", _STR),
        ("offense_date", _STR),
        ("code", _STR),
        ("description", _STR),
        ("grade", _STR),
        ("degree", _STR),
        *_PROVENANCE,
    ),
    "jail_booking_bonds": _schema(
        ("booking_key", _STR),
        ("bond_seq", _INT),
        ("case_number", _STR),
        ("amount", _STR),
        ("status", _STR),
        ("posted_by", _STR),
        ("post_date", _STR),
        *_PROVENANCE,
    ),
    "jail_booking_hearings": _schema(
        ("booking_key", _STR),
        ("hearing_seq", _INT),
        ("hearing_date", _STR),
        ("attributes_json", _STR),  # the hearing table's other columns, by header
        *_PROVENANCE,
    ),
    "court_cases": _schema(
        *_CASE_REF,
        ("court_label", _STR),  # the page's "Court" label (CaseDetail.court)
        ("portal_case_id", _STR),
        ("case_type", _STR),
        ("filed_date", _STR),
        ("status", _STR),
        ("style", _STR),
        ("judicial_officer", _STR),
        ("attributes_json", _STR),
        ("has_financial", _BOOL),
        ("fees_assessed", _STR),
        ("paid", _STR),
        ("balance_due", _STR),
        ("change_hash", _STR),
        *_PROVENANCE,
    ),
    "court_parties": _schema(
        *_CASE_REF,
        ("party_seq", _INT),
        ("role", _STR),
        ("name", _STR),
        ("dob", _STR),
        ("birth_year", _INT),
        ("gender", _STR),
        ("race", _STR),
        ("address_raw", _STR),
        ("is_pro_se", _BOOL),
        *_PROVENANCE,
    ),
    "court_party_attorneys": _schema(
        *_CASE_REF,
        ("party_seq", _INT),
        ("attorney_seq", _INT),
        ("name", _STR),
        ("is_lead", _BOOL),
        ("kind", _STR),
        ("phone", _STR),
        *_PROVENANCE,
    ),
    "court_events": _schema(
        *_CASE_REF,
        ("event_seq", _INT),
        ("event_date", _STR),
        ("event_type", _STR),
        ("comment", _STR),
        ("documents_json", _STR),
        ("attributes_json", _STR),
        *_PROVENANCE,
    ),
    "court_hearings": _schema(
        *_CASE_REF,
        ("hearing_key", _STR),
        ("hearing_date", _STR),
        ("hearing_time", _STR),
        ("hearing_type", _STR),
        ("judicial_officer", _STR),
        ("is_canceled", _BOOL),
        ("cancel_reason", _STR),
        ("result", _STR),
        ("comment", _STR),
        ("original_type", _STR),
        ("hearing_id", _STR),
        ("courtroom", _STR),
        *_PROVENANCE,
    ),
    "court_judgments": _schema(
        *_CASE_REF,
        ("judgment_seq", _INT),
        ("judgment_date", _STR),
        ("judgment_type", _STR),
        ("judgment_for", _STR),
        ("amount", _STR),
        ("judicial_officer", _STR),
        ("party_names_json", _STR),
        ("amounts_json", _STR),
        *_PROVENANCE,
    ),
    "court_financials": _schema(
        *_CASE_REF,
        ("financial_seq", _INT),
        ("party_name", _STR),
        ("total_assessment", _STR),
        ("payments_and_credits", _STR),
        *_PROVENANCE,
    ),
    "court_financial_transactions": _schema(
        *_CASE_REF,
        ("financial_seq", _INT),
        ("transaction_seq", _INT),
        ("party_name", _STR),
        ("transaction_date", _STR),
        ("description", _STR),
        ("receipt", _STR),
        ("payer", _STR),
        ("amount", _STR),
        *_PROVENANCE,
    ),
    "court_charges": _schema(
        *_CASE_REF,
        ("charge_seq", _INT),
        ("statute", _STR),
        ("description", _STR),
        ("degree", _STR),
        ("charge_class", _STR),
        ("offense_date", _STR),
        ("disposition", _STR),
        ("disposition_date", _STR),
        *_PROVENANCE,
    ),
    "court_bonds": _schema(
        *_CASE_REF,
        ("bond_seq", _INT),
        ("set_date", _STR),
        ("bond_type", _STR),
        ("amount", _STR),
        *_PROVENANCE,
    ),
    # One row per case visited on the scrape date, found or not. `page_sha256` is the
    # last page of the visit: the detail page when found, the search page when not.
    "court_case_visits": _schema(
        *_CASE_REF,
        ("outcome", _STR),  # "found" | "not_found"
        ("status", _STR),
        ("filed_date", _STR),
        ("change_hash", _STR),
        *_PROVENANCE,
    ),
    # Tombstones: a case not found on two consecutive visits, issued once.
    "court_removals": _schema(
        *_CASE_REF,
        ("detected_date", _STR),
        ("last_found_date", _STR),
        ("reason", _STR),
    ),
    "person_case_candidates": _schema(
        ("person_key", _STR),
        ("person_name", _STR),
        ("person_dob", _STR),
        ("booking_numbers", _STR),  # booking keys of the roster rows, comma-joined, sorted
        *_CASE_REF,
        ("case_type", _STR),
        ("party_name", _STR),
        ("party_dob", _STR),
        ("match_rule", _STR),
        ("scraped_at", _STR),
    ),
    "court_filings": _schema(
        *_CASE_REF,
        ("case_type", _STR),
        ("filed_date", _STR),
        ("style", _STR),
        ("party_name", _STR),
        ("status", _STR),
        ("scraped_at", _STR),
    ),
}


def partition_key(table: str, scrape_date: str) -> str:
    """The lake key of ``table``'s one file for ``scrape_date`` (ISO)."""
    if table not in RAW_TABLES:
        raise ValueError(f"unknown raw table {table!r}")
    return f"raw/{table}/scrape_date={scrape_date}/data.parquet"
