"""Parsers against saved pages: each page has a reviewed expected-output JSON.

tests/examples/odyssey/ holds real Odyssey Portal pages (copied unchanged from the
anonymised real_pages) and three hand-made ones in the real shapes (case_criminal.html,
case_not_found.html, results_dekalb_ga.json; see that folder's README). Beside each page,
`<name>.expected.json` maps a parser's name to what it must return for the page, written
by reading the page. To add a page, save it there and write its expectation by hand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from ingest.errors import CaptchaRequired, CaseNotFound, PageStructureError
from ingest.parsers.describe import describe_page
from ingest.parsers.html import birth_date, clock_time, json_date, money
from ingest.parsers.iml import parse_inmate, parse_roster
from ingest.parsers.odyssey import (
    check_search_refused,
    financial_url,
    login_error,
    parse_case_detail,
    parse_dashboard,
    parse_financial,
    parse_hearing_dashboard,
    parse_hearing_results,
    parse_login_token,
    parse_results_grid,
    parse_results_json,
)

EXAMPLES = Path(__file__).parents[1] / "examples"
ODYSSEY = EXAMPLES / "odyssey"
FULL_PAGE = "dekalb_ga_3_full_page.html"
REAL_PAGES = {
    "chatham_ga_1.html",
    "dekalb_ga_1.html",
    "dekalb_ga_2.html",
    FULL_PAGE,
    "dekalb_ga_4.html",
    "dekalb_ga_5.html",
    "napa_ca_1.html",
    "dekalb_ga_dashboard_search_hearings.html",
    "dekalb_ga_hearing_results.json",
}

READERS: dict[str, Callable[[str], Any]] = {
    "parse_case_detail": parse_case_detail,
    "financial_url": financial_url,
    "parse_financial": parse_financial,
    "parse_results_grid": parse_results_grid,
    "parse_dashboard": parse_dashboard,
    "parse_hearing_dashboard": parse_hearing_dashboard,
    "parse_results_json": lambda text: parse_results_json(json.loads(text)),
    "parse_hearing_results": lambda text: parse_hearing_results(json.loads(text)),
}


def page(name: str) -> str:
    return (ODYSSEY / name).read_text()


def as_json(value: Any) -> Any:
    """Parser output as JSON data (records via asdict, tuples as lists)."""
    if isinstance(value, tuple):
        return [as_json(v) for v in value]
    if value is None or isinstance(value, str):
        return value
    return json.loads(json.dumps(asdict(value), ensure_ascii=False))


def example_pages() -> list[Path]:
    return sorted(p for p in ODYSSEY.iterdir() if p.suffix in (".html", ".json"))


def expectations() -> list[tuple[str, str]]:
    """(page, parser name) for every expectation written beside an example page."""
    found = []
    for source in example_pages():
        expected = source.with_name(source.stem + ".expected.json")
        if expected.exists() and not source.name.endswith(".expected.json"):
            found.extend((source.name, reader) for reader in json.loads(expected.read_text()))
    return found


def expected(name: str) -> dict[str, Any]:
    return json.loads((ODYSSEY / name).with_suffix(".expected.json").read_text())


@pytest.mark.parametrize(("name", "reader"), expectations())
def test_parser_output_equals_the_reviewed_expectation(name: str, reader: str) -> None:
    assert as_json(READERS[reader](page(name))) == expected(name)[reader]


def test_every_example_page_has_an_expectation_except_the_not_found_page() -> None:
    pages = {p.name for p in example_pages() if not p.name.endswith(".expected.json")}
    with_expectations = {name for name, _ in expectations()}
    assert pages - with_expectations == {"case_not_found.html"}
    assert REAL_PAGES.issubset(with_expectations)


# -- value formats -----------------------------------------------------------------------


def test_a_masked_date_of_birth_gives_the_birth_year_only() -> None:
    assert birth_date("XX/XX/1972") == (None, 1972)
    assert birth_date("4/18/1995") == ("1995-04-18", 1995)
    assert birth_date("") == (None, None)
    assert birth_date("XX/XX/XXXX") == (None, None)
    chatham = page("chatham_ga_1.html")
    masked = parse_case_detail(chatham).parties[1]
    assert (masked.dob, masked.birth_year) == (None, 1969)
    full = parse_case_detail(chatham.replace("XX/XX/1969", "03/07/1969")).parties[1]
    assert (full.dob, full.birth_year) == ("1969-03-07", 1969)


def test_amounts_in_parentheses_are_negative() -> None:
    assert money("($124.00)") == "-124.00"
    assert money("-$5.10") == "-5.10"
    assert money("$1,903.00") == "1903.00"
    assert money("($0.00)") == "0.00"
    with pytest.raises(PageStructureError):
        money("($124.00")
    payment = parse_financial(page(FULL_PAGE))[0].transactions[1]
    assert (payment.description, payment.amount) == ("Mag-Payment", "-124.00")


def test_json_dates_are_read_in_utc_and_dotnet_empty_dates_are_none() -> None:
    assert json_date("/Date(1643259600000)/") == "2022-01-27"  # 05:00 UTC
    assert json_date("/Date(1546387200000)/") == "2019-01-02"  # UTC midnight
    assert json_date("/Date(-62135578800000)/") is None  # DateTime.MinValue
    assert json_date("2/18/2022") == "2022-02-18"
    assert json_date(None) is None


def test_times_without_leading_zeros_become_24_hour() -> None:
    assert clock_time("8:30 AM") == "08:30"
    assert clock_time("1:30 PM") == "13:30"
    assert clock_time("12:05 AM") == "00:05"
    assert clock_time("12:30 PM") == "12:30"
    with pytest.raises(PageStructureError):
        clock_time("13:30 PM")


def test_entities_are_decoded_and_whitespace_collapsed() -> None:
    detail = parse_case_detail(page("dekalb_ga_1.html"))
    assert detail.parties[1].name == "O'NEAL, TAMIKA R"
    assert detail.style is not None and "TAMIKA O'NEAL," in detail.style
    napa = parse_case_detail(page("napa_ca_1.html"))
    assert napa.parties[5].role == "Claimant (Participant)"  # "Claimant\n (Participant)"
    assert napa.parties[2].name == "Quintanilla, Lucía"  # &#237;


# -- case detail: structure --------------------------------------------------------------


def test_a_page_without_disposition_events_has_no_judgments_and_the_rest() -> None:
    original = page("dekalb_ga_1.html")
    start = original.index('<div id="DispositionEventsPrintSection"')
    end = original.index('<div id="OtherEventsPrintSection"')
    without = parse_case_detail(original[:start] + original[end:])
    assert without.judgments == ()
    full = parse_case_detail(original)
    assert (without.parties, without.events, without.hearings) == (
        full.parties,
        full.events,
        full.hearings,
    )
    assert parse_case_detail(page("dekalb_ga_5.html")).judgments == ()


@pytest.mark.parametrize(
    "name", ["dekalb_ga_dashboard_search_hearings.html", "dekalb_ga_hearing_results.json"]
)
def test_a_page_that_is_not_a_case_page_says_what_is_missing(name: str) -> None:
    with pytest.raises(PageStructureError, match="no Case Information section with a Case Number"):
        parse_case_detail(page(name))


def test_a_case_page_without_a_case_number_fails_the_structural_check() -> None:
    broken = page("dekalb_ga_1.html").replace(">Case Number<", ">Reference<")
    with pytest.raises(PageStructureError, match="Case Number"):
        parse_case_detail(broken)


def test_unknown_case_information_labels_are_kept_as_attributes() -> None:
    detail = parse_case_detail(page("case_criminal.html"))
    assert detail.attributes == {"Citation Number": "E1234567"}
    assert detail.judicial_officer == "Preston, Gwendolyn D"
    assert parse_case_detail(page("chatham_ga_1.html")).judicial_officer is None


def test_a_not_found_page_raises_case_not_found() -> None:
    with pytest.raises(CaseNotFound, match="could not be found"):
        parse_case_detail(page("case_not_found.html"))
    gone = (
        "<html><body><table><tr><td class='body'>"
        "The inmate record could not be found.</td></tr></table></body></html>"
    )
    with pytest.raises(CaseNotFound):
        parse_inmate(gone)


@pytest.mark.parametrize(
    "body",
    [
        "",
        "<html><body><div id='app'></div></body></html>",
        "<html><body><h1>An unexpected error has occurred.</h1></body></html>",
    ],
)
def test_soft_failures_fail_the_structural_check_instead_of_parsing_as_empty(body: str) -> None:
    for parser in (
        parse_case_detail,
        parse_results_grid,
        parse_dashboard,
        parse_hearing_dashboard,
        parse_financial,
        parse_roster,
        parse_inmate,
    ):
        with pytest.raises(PageStructureError):
            parser(body)


def test_render_noise_does_not_change_the_record() -> None:
    original = page("dekalb_ga_1.html")
    rerendered = original.replace("14235817", "99887766").replace(
        "q_1cB3wJfSBxAFv1UD0tlQ2", "ZZ_other_session_idQ2"
    )
    assert parse_case_detail(rerendered) == parse_case_detail(original)
    moved = parse_case_detail(original.replace("caseId=6757181", "caseId=1"))
    assert moved.portal_case_id == "1"
    assert moved.change_hash() == parse_case_detail(original).change_hash()


# -- parties -----------------------------------------------------------------------------


def test_parties_carry_every_attorney_with_lead_kind_and_phone_or_pro_se() -> None:
    napa = parse_case_detail(page("napa_ca_1.html")).parties
    assert [(a.name, a.is_lead, a.phone) for a in napa[0].attorneys] == [
        ("Hallberg, Nathaniel Ross", True, "707-253-4790"),
        ("DeMarco, Gina Rae", False, "9495138207"),
    ]
    ferrante = napa[3]  # pro se, with an attorney listed too
    assert ferrante.is_pro_se
    assert [a.name for a in ferrante.attorneys] == ["Bonaventura, Philip Anthony"]
    criminal = parse_case_detail(page("case_criminal.html")).parties[0]
    assert criminal.attorneys[0].kind == "Court Appointed"
    assert criminal.address_raw == "2400 Memorial DR | APT 5 | Decatur GA 30032"


# -- docket ------------------------------------------------------------------------------


def test_hearings_are_told_from_events_by_their_labels() -> None:
    napa = parse_case_detail(page("napa_ca_1.html"))  # no event wrappers on this portal
    assert (len(napa.events), len(napa.hearings)) == (105, 23)
    judge_only = next(e for e in napa.events if e.event_type.startswith("Motion: Peremptory"))
    assert judge_only.attributes == {"Judicial Officer": "Lindgren, Patricia"}
    dekalb = parse_case_detail(page("dekalb_ga_1.html"))
    service = dekalb.events[1]
    assert service.event_type == "Dispossessory Service"
    assert service.attributes["Anticipated Server"] == "Private Process Servers"
    assert [h.hearing_type for h in dekalb.hearings] == ["Dispossessory Attorney"]


def test_a_wrapped_event_stays_an_event_whatever_its_labels() -> None:
    original = page("dekalb_ga_1.html")
    comment = '<span class="text-muted">Comment</span><br />\n      trash out\n    </p>'
    assert comment in original
    with_result = original.replace(
        comment, comment + '<p><span class="text-muted">Result</span><br />Executed</p>'
    )
    detail = parse_case_detail(with_result)
    assert len(detail.hearings) == 1
    ejected = detail.events[-1]
    assert (ejected.event_type, ejected.attributes) == ("Tenant Ejected", {"Result": "Executed"})


def test_a_hearing_is_canceled_exactly_when_it_carries_a_cancel_reason() -> None:
    hearings = parse_case_detail(page("napa_ca_1.html")).hearings
    assert {h.is_canceled for h in hearings if h.cancel_reason} == {True}
    assert {h.is_canceled for h in hearings if not h.cancel_reason} == {False}
    assert sum(h.is_canceled for h in hearings) == 6


def test_the_hearing_key_survives_a_later_cancellation() -> None:
    original = page("dekalb_ga_1.html")
    time_label = '<span class="text-muted">Hearing Time</span><br />\n        9:00 AM\n      </p>'
    assert time_label in original
    canceled = original.replace(
        time_label,
        time_label + '<p><span class="text-muted">Cancel Reason</span><br />Settled</p>',
    )
    before = parse_case_detail(original).hearings[0]
    after = parse_case_detail(canceled).hearings[0]
    assert (after.is_canceled, after.cancel_reason) == (True, "Settled")
    assert after.hearing_key == before.hearing_key


def test_hearings_alike_in_date_time_and_type_get_distinct_keys() -> None:
    motions = [
        h for h in parse_case_detail(page("napa_ca_1.html")).hearings if h.hearing_type == "Motion"
    ]
    assert len(motions) == 2
    assert motions[0].hearing_key != motions[1].hearing_key


def test_documents_are_listed_under_their_event() -> None:
    events = parse_case_detail(page(FULL_PAGE)).events
    assert events[0].documents == ("Tack and Mail Service",)
    assert events[0].comment == "answer due by January 11, 2019"


# -- dispositions ------------------------------------------------------------------------


def test_judgments_carry_type_judgment_for_amounts_and_party_names() -> None:
    chatham = parse_case_detail(page("chatham_ga_1.html")).judgments[0]
    assert (chatham.judgment_type, chatham.judgment_for, chatham.amount) == (
        "Judgment",
        "Plaintiff",
        "3940.00",
    )
    assert chatham.amounts == {"Compensatory": "3940.00"}
    napa = parse_case_detail(page("napa_ca_1.html")).judgments
    assert napa[0].party_names == (
        "Golden Vine Realty Group, LLC",
        "Quintanilla, Ramon",
        "Quintanilla, Lucía",
    )


# -- financial ---------------------------------------------------------------------------


def test_a_loading_financial_section_gives_its_url_and_a_loaded_one_none() -> None:
    placeholder = page("dekalb_ga_4.html")
    assert financial_url(placeholder) == (
        "/portal/Case/CaseDetail/LoadFinancialInformation?caseId=5144198"
    )
    detail = parse_case_detail(placeholder)
    assert (detail.has_financial, detail.financial, detail.fees_assessed) == (True, (), None)
    assert financial_url(page(FULL_PAGE)) is None
    assert financial_url(page("chatham_ga_1.html")) is None  # no Financial section at all
    with pytest.raises(PageStructureError, match="LoadFinancialInformation"):
        financial_url(re.sub(r"'[^']*LoadFinancialInformation[^']*'", "''", placeholder))
    with pytest.raises(PageStructureError, match="still loading"):
        parse_financial(placeholder)


def test_the_loaded_financial_fragment_reads_like_the_section_in_the_page() -> None:
    root = lxml.html.document_fromstring(page(FULL_PAGE))
    body = root.get_element_by_id("divFinancialInformation_body")
    fragment = "".join(lxml.html.tostring(child, encoding="unicode") for child in body)
    in_page = parse_financial(page(FULL_PAGE))
    assert parse_financial(fragment) == in_page
    assert "<h1>Financial</h1>" in fragment
    assert parse_financial(fragment.replace("<h1>Financial</h1>", "")) == in_page
    detail = parse_case_detail(page(FULL_PAGE))
    assert (detail.fees_assessed, detail.paid, detail.balance_due) == ("124.00", "124.00", "0.00")


# -- charges and bonds -------------------------------------------------------------------


def test_charge_and_bond_columns_are_found_by_header_text() -> None:
    original = page("case_criminal.html")
    swapped = original.replace(
        "<th>Statute</th><th>Description</th>", "<th>Description</th><th>Statute</th>"
    )
    for statute, description in (
        ("16-5-23.1", "Battery - Family Violence"),
        ("16-11-39", "Disorderly Conduct"),
    ):
        swapped = swapped.replace(
            f"<td>{statute}</td><td>{description}</td>",
            f"<td>{description}</td><td>{statute}</td>",
        )
    assert swapped != original
    assert parse_case_detail(swapped).charges == parse_case_detail(original).charges
    assert parse_case_detail(page("dekalb_ga_1.html")).charges == ()


# -- search ------------------------------------------------------------------------------


def test_grid_columns_are_found_by_header_text_without_data_fields() -> None:
    original = page(FULL_PAGE)
    renamed = re.sub(r' data-field="[^"]*"', "", original)
    for old, new in (("Case Number", "Case #"), ("Style / Defendant", "Case Style")):
        renamed = renamed.replace(f'">{old}</a></th>', f'">{new}</a></th>')
    assert renamed.count("data-field") == 0
    assert parse_results_grid(renamed) == parse_results_grid(original)


def test_the_grid_and_the_json_give_the_same_row() -> None:
    grid = parse_results_grid(page(FULL_PAGE)).rows[0]
    from_json = parse_results_json(json.loads(page("results_dekalb_ga.json"))).rows[0]
    fields = ("case_number", "style", "filed_date", "party_name", "status", "portal_case_id")
    assert [getattr(grid, f) for f in fields] == [getattr(from_json, f) for f in fields]
    assert grid.case_link.endswith(from_json.case_link)


def test_an_error_alert_or_error_envelope_is_not_an_empty_result() -> None:
    alert = '<div id="SmartSearchResults"><div class="alert alert-danger">Search failed</div></div>'
    with pytest.raises(PageStructureError, match="Search failed"):
        parse_results_grid(alert)
    payload = json.loads(page("results_dekalb_ga.json"))
    with pytest.raises(PageStructureError, match="errors"):
        parse_results_json({**payload, "Errors": ["timeout"]})
    with pytest.raises(PageStructureError):
        parse_hearing_results({"Total": 0})


# -- dashboards and login ----------------------------------------------------------------


def anonymous(html: str) -> str:
    """The page as a visitor who has not signed in sees it."""
    for signed_in, visitor in (
        ("Account/LogOff", "Account/Login"),
        (">Sign Out<", ">Sign In<"),
        ('"isAuthenticated":true', '"isAuthenticated":false'),
    ):
        assert signed_in in html
        html = html.replace(signed_in, visitor)
    return html


def test_the_captcha_applies_to_anonymous_users_only_when_so_configured() -> None:
    signed_in = parse_dashboard(page(FULL_PAGE))
    assert (signed_in.captcha_enabled, signed_in.signed_in, signed_in.captcha_applies) == (
        True,
        True,
        False,
    )
    visitor = parse_dashboard(anonymous(page(FULL_PAGE)))
    assert (visitor.signed_in, visitor.captcha_applies) == (False, True)
    for_everyone = parse_dashboard(
        page(FULL_PAGE).replace(
            'name="Settings.CaptchaDisabledForAuthenticated" type="hidden" value="True"',
            'name="Settings.CaptchaDisabledForAuthenticated" type="hidden" value="False"',
        )
    )
    assert for_everyone.captcha_applies


def with_errors(html: str, *messages: str) -> str:
    items = "".join(f"<li>{m}</li>" for m in messages)
    return html.replace(
        '<div class="validation-summary-valid col-md-12" data-valmsg-summary="true">'
        "<span>One or more fields was completed incorrectly:</span>"
        '<ul style="text-indent: 2.5em;"></ul>',
        '<div class="validation-summary-errors col-md-12" data-valmsg-summary="true">'
        f"<span>One or more fields was completed incorrectly:</span><ul>{items}</ul>",
    )


def test_a_refused_search_says_why() -> None:
    refused = with_errors(page(FULL_PAGE), "Please enter a valid date.")
    assert parse_dashboard(refused).errors == ("Please enter a valid date.",)
    with pytest.raises(PageStructureError, match="Please enter a valid date"):
        check_search_refused(refused)
    with pytest.raises(CaptchaRequired):
        check_search_refused(with_errors(page(FULL_PAGE), "Please complete the captcha."))
    with pytest.raises(CaptchaRequired):
        check_search_refused(anonymous(page(FULL_PAGE)))


def test_the_hidden_timeout_overlay_means_nothing() -> None:
    dashboard = parse_dashboard(page(FULL_PAGE))
    assert "timeout-wrapper" in page(FULL_PAGE)
    assert (dashboard.signed_in, dashboard.errors) == (True, ())


def test_the_login_page_gives_its_token_and_its_refusal() -> None:
    login = (
        "<html><body><h1>Sign In</h1>{error}<form id='LoginForm' method='post'>"
        "<input type='hidden' name='__RequestVerificationToken' value='tok-123'>"
        "<input id='UserName' name='UserName'><input id='Password' name='Password'>"
        "</form></body></html>"
    )
    assert parse_login_token(login.format(error="")) == "tok-123"
    assert login_error(login.format(error="")) is None
    refused = login.format(error="<div class='validation-summary-errors'>Invalid login</div>")
    assert login_error(refused) == "Invalid login"
    assert login_error(page(FULL_PAGE)) is None
    with pytest.raises(PageStructureError):
        parse_login_token(page(FULL_PAGE))


# -- describe_page -----------------------------------------------------------------------


def fragment_of(html: str, element_id: str) -> str:
    root = lxml.html.document_fromstring(html)
    return lxml.html.tostring(root.get_element_by_id(element_id), encoding="unicode")


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        (lambda: page("dekalb_ga_1.html"), "case_detail"),
        (lambda: page(FULL_PAGE), "case_detail"),
        (lambda: fragment_of(page(FULL_PAGE), "SmartSearchResults"), "results_grid"),
        (lambda: fragment_of(page(FULL_PAGE), "frmSS"), "dashboard"),
        (lambda: fragment_of(page(FULL_PAGE), "financialInformationDiv"), "financial"),
        (lambda: page("dekalb_ga_dashboard_search_hearings.html"), "hearing_dashboard"),
        (lambda: page("dekalb_ga_hearing_results.json"), "hearing_json"),
        (lambda: page("results_dekalb_ga.json"), "results_json"),
        (lambda: page("case_not_found.html"), "case_not_found"),
    ],
)
def test_describe_page_tells_the_page_kind(source: Callable[[], str], kind: str) -> None:
    assert describe_page(source())["page"] == kind


def test_describe_page_prints_a_case_in_the_issue_shape() -> None:
    described = describe_page(page("chatham_ga_1.html"))
    assert set(described) == {
        "page",
        "case",
        "parties",
        "events",
        "hearings",
        "judgments",
        "financial",
        "charges",
        "bonds",
    }
    assert described["case"]["case_number"] == "MGCV20-11372"
    assert described["case"]["filed_date"] == "2020-12-04"
    assert described["parties"][1]["birth_year"] == 1969
    assert described["events"][0] == {
        "date": "2020-12-04",
        "type": "Dispossessory Filed",
        "comment": None,
        "documents": [],
        "attributes": {},
    }
    hearing = described["hearings"][0]
    assert (hearing["time"], hearing["canceled"], hearing["result"]) == (
        "10:00",
        False,
        "Hearing Held",
    )
    assert described["judgments"][0]["judgment_for"] == "Plaintiff"
    json.dumps(described)  # plain JSON data throughout
    loading = describe_page(page("dekalb_ga_4.html"))["case"]
    assert loading["financial_url"].endswith("caseId=5144198")


def test_describe_page_says_what_a_page_it_cannot_read_lacks() -> None:
    with pytest.raises(PageStructureError) as raised:
        describe_page("<html><body><p>Hello</p></body></html>")
    message = str(raised.value)
    for needed in ("Case Information", "#CasesGrid", "form#frmSS", "form#frmHS", "Financial"):
        assert needed in message
    with pytest.raises(PageStructureError, match="Kendo"):
        describe_page('{"hello": 1}')
