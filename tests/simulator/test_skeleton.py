"""The simulator's court pages have the tag-and-class skeleton of the real Odyssey Portal's.

A section's skeleton is the set of (parent, child) pairs inside it, each element written
`tag.class1.class2` (classes sorted; text, ids and other attributes ignored). For every
section the scrapers read, the simulator's skeleton (over a sample of its pages) must lie
within the union of the real pages' skeletons, so it invents no structure; and the paths
every real page has, plus the shapes the parsers rely on, must be in the simulator's, so
it leaves none out. Pages a browser renders (the Smart Search form with its Kendo widgets,
the results grid its script builds) are compared as Chromium shows them.

The real pages are those under `tests/examples/odyssey/` (copied from the anonymised
collection), else `../shared/real_pages/` when the copies are not there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from simulator.model import World
from simulator.server import RunningSimulator
from tests.simulator.portal_helpers import (
    client,
    dashboard_path,
    detail_url,
    login,
    open_session,
    search,
    serve,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "odyssey"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "real_pages"
REAL_CASE_PAGES = (
    "dekalb_ga_1.html",
    "dekalb_ga_2.html",
    "dekalb_ga_3_full_page.html",
    "dekalb_ga_4.html",
    "dekalb_ga_5.html",
    "chatham_ga_1.html",
    "napa_ca_1.html",
)
FULL_PAGE = "dekalb_ga_3_full_page.html"
HEARING_DASHBOARD = "dekalb_ga_dashboard_search_hearings.html"
HEARING_JSON = "dekalb_ga_hearing_results.json"

Pair = tuple[str, str]


def real_page(name: str) -> str:
    for candidate in (EXAMPLES / name, *sorted(SHARED.glob(f"*/{name}"))):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    pytest.skip(f"real page {name} is in neither {EXAMPLES} nor {SHARED}")


def signature(node: lxml.html.HtmlElement) -> str:
    return ".".join([node.tag, *sorted(set((node.get("class") or "").split()))])


def skeleton(root: lxml.html.HtmlElement) -> set[Pair]:
    """(parent, child) signatures of every element below `root`."""
    return {
        (signature(node.getparent()), signature(node))
        for node in root.iterdescendants()
        if isinstance(node.tag, str)
    }


def sections(html: str, selector: str) -> list[lxml.html.HtmlElement]:
    return lxml.html.fromstring(html).cssselect(selector)


def union(pages: Iterable[str], selector: str) -> set[Pair]:
    found: set[Pair] = set()
    for html in pages:
        for node in sections(html, selector):
            found |= skeleton(node)
    return found


def common(pages: Iterable[str], selector: str) -> set[Pair]:
    """The paths every real page that has the section shares."""
    shared: set[Pair] | None = None
    for html in pages:
        for node in sections(html, selector):
            shared = skeleton(node) if shared is None else shared & skeleton(node)
    assert shared is not None, f"no real page has {selector}"
    return shared


def assert_same_structure(sim: set[Pair], real: set[Pair], key: set[Pair], what: str) -> None:
    assert sim, f"the simulator showed no {what}"
    invented = sorted(sim - real)
    assert not invented, f"{what}: structure real pages do not have: {invented}"
    missing = sorted(key - sim)
    assert not missing, f"{what}: structure of the real pages the simulator lacks: {missing}"


# -- the simulator's pages -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sim(portal_world: World) -> Iterator[RunningSimulator]:
    with serve(portal_world) as server:
        yield server


@pytest.fixture(scope="module")
def sim_pages(sim: RunningSimulator) -> dict[str, list[str]]:
    """Case detail fragments and loaded Financial sections of a sample of cases (civil and
    criminal, signed in), plus the hearing search JSON."""
    pages: dict[str, list[str]] = {"case": [], "financial": []}
    with client(sim) as http:
        open_session(http, sim)
        login(http, sim)
        for case_type in ("Eviction", "Felony", "Misdemeanor"):
            rows = search(
                http, CaseType=case_type, FileDateStart="01/01/2026", FileDateEnd="10/31/2026"
            )["Data"]
            for row in rows[:: max(1, len(rows) // 60)]:
                pages["case"].append(http.get(detail_url(row)).text)
                pages["financial"].append(
                    http.get(
                        f"Case/CaseDetail/LoadFinancialInformation?caseId={row['CaseId']}"
                    ).text
                )
        http.post(
            "Hearing/SearchHearings/HearingSearch",
            data={
                "SearchCriteria.SelectedCourt": "All Courts",
                "SearchCriteria.DateFrom": "11/23/2026",
                "SearchCriteria.DateTo": "12/31/2026",
            },
        )
        pages["hearing_json"] = [
            http.post(
                "Hearing/HearingResults/Read",
                data={"sort": "", "group": "", "filter": "", "portletId": "27"},
            ).text
        ]
        pages["hearing_dashboard"] = [http.get("Home/Dashboard/26").text]
    return pages


@cache
def real_case_pages() -> tuple[str, ...]:
    return tuple(real_page(name) for name in REAL_CASE_PAGES)


# -- case detail sections --------------------------------------------------------------------

CASE_SECTIONS: dict[str, tuple[str, set[Pair]]] = {
    "case information": (
        "#caseInformationDiv",
        {
            ("div.col-md-4", "p"),
            ("p", "span.text-muted"),
            ("div.col-md-12", "p.text-primary"),
        },
    ),
    "party": (
        "#CasePartiesPrintSection",
        {
            ("div", "div.row.row-buff.tyler-span-2"),
            ("div", "div.row.tyler-span-2"),
            ("div", "div.row.tyler-span-3"),
            ("div.row.tyler-span-2", "div.col-md-4"),
            ("div.tyler-toggle-container", "div.tyler-bold"),
            ("div.col-md-8", "span.text-muted"),
            ("p", "span.text-muted"),
            ("div.row.tyler-span-2", "div.col-md-8"),
        },
    ),
    "disposition events": (
        "#DispositionEventsPrintSection",
        {
            ("div.row-buff.tyler-toggle-container", "div.JudgmentEvent"),
            ("div.JudgmentEvent", "p.text-primary"),
            ("div", "span.tyler-color-muted"),
            ("p.text-primary", "text"),
            ("p", "span.text-muted"),
        },
    ),
    "events and hearings": (
        "#OtherEventsPrintSection",
        {
            ("li.list-group-item", "div.portal-case-event"),
            ("li.list-group-item", "div"),
            ("div.portal-case-event", "div.open.tyler-toggle-controller"),
            ("div.portal-case-event", "div.row-buff.tyler-toggle-container"),
            ("div.portal-case-event", "div"),
            ("div", "div.open.tyler-toggle-controller"),
            ("div", "div.row-buff.tyler-toggle-container"),
            ("div.row-buff.tyler-toggle-container", "p.col-md-12.col-sm-12"),
            ("div.row-buff.tyler-toggle-container", "p"),
        },
    ),
}


@pytest.mark.parametrize("name", list(CASE_SECTIONS))
def test_case_page_sections_have_the_real_skeleton(name, sim_pages):
    selector, shapes = CASE_SECTIONS[name]
    real = real_case_pages()
    assert_same_structure(
        union(sim_pages["case"], selector),
        union(real, selector),
        common(real, selector) | shapes,
        name,
    )


def test_the_financial_placeholder_has_the_real_skeleton(sim_pages):
    real = [html for html in real_case_pages() if "Loading financial, please wait" in html]
    assert_same_structure(
        union(sim_pages["case"], "#FinancialInfoPrintSection"),
        union(real, "#FinancialInfoPrintSection"),
        common(real, "#FinancialInfoPrintSection"),
        "financial placeholder",
    )


def test_the_loaded_financial_section_has_the_real_skeleton(sim_pages):
    real = [real_page(FULL_PAGE)]
    shapes = {
        ("tbody", "tr"),
        ("tbody", "tr.k-alt"),
        ("tr", "td.tyler-text-align-right"),
        ("div.row", "div.col-md-6.text-left"),
        ("div.row", "div.col-md-6.text-right"),
    }
    assert_same_structure(
        union(sim_pages["financial"], "#financialSlider"),
        union(real, "#financialSlider"),
        common(real, "#financialSlider") | shapes,
        "loaded financial section",
    )


def test_sections_sit_where_the_real_ones_do(sim_pages):
    """Each section's chain of ancestors (up to the fragment) is the real one."""

    def ancestry(html: str, selector: str) -> tuple[str, ...] | None:
        found = sections(html, selector)
        if not found:
            return None
        chain = [signature(n) for n in found[0].iterancestors() if n.get("id") != "tcBody_2"]
        return tuple(chain[: chain.index("div.row") + 1]) if "div.row" in chain else tuple(chain)

    for selector in (
        "#caseInformationDiv",
        "#CasePartiesPrintSection",
        "#DispositionEventsPrintSection",
        "#OtherEventsPrintSection",
        "#FinancialInfoPrintSection",
        "nav#mysidebar",
    ):
        real = {ancestry(html, selector) for html in real_case_pages()} - {None}
        sim = {ancestry(html, selector) for html in sim_pages["case"]} - {None}
        assert sim and sim <= real, (selector, sim, real)


# -- hearings ---------------------------------------------------------------------------------


def test_the_hearing_json_has_the_real_envelope_and_row_keys(sim_pages):
    real = json.loads(real_page(HEARING_JSON))
    (text,) = sim_pages["hearing_json"]
    served = json.loads(text)
    assert list(served) == list(real)
    assert served["Data"], "the sample window should hold hearings"
    real_row = real["Data"][0]
    for row in served["Data"]:
        assert list(row) == list(real_row)
        for key, value in real_row.items():
            if value is not None:
                assert type(row[key]) is type(value), key
    for key in ("CaseTypeId", "HearingTypeId", "JudgeId", "StatusId"):
        assert set(served["Data"][0][key]) == set(real_row[key])
    assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", served["Data"][0]["HearingDate"])


def test_the_hearing_dashboard_and_page_chrome_have_the_real_skeleton(sim_pages):
    real = [real_page(HEARING_DASHBOARD)]
    (html,) = sim_pages["hearing_dashboard"]
    shapes = {
        ("fieldset", "select.form-control"),
        ("fieldset", "input.form-control"),
        ("fieldset", "input.form-control.tyler-datepicker"),
        ("form.HearingSearchPortlet", "input"),
        ("div.row", "div.col-md-12.validation-summary-valid"),
    }
    assert_same_structure(union([html], "#frmHS"), union(real, "#frmHS"), shapes, "frmHS")
    chrome = [*real, real_page(FULL_PAGE)]  # anonymous and signed in
    for selector in ("#navbar", "#timeout-wrapper"):
        assert_same_structure(
            union([html], selector), union(chrome, selector), common(chrome, selector), selector
        )


# -- what a browser renders: the Smart Search form and the results grid -----------------------

GRID_SHAPES = {
    ("div.can-morph-to-card.is-morph-ready.k-grid.k-widget", "table.kgrid-card-table"),
    ("thead.k-grid-header.kgrid-card-thead", "tr"),
    ("tr", "th.k-header"),
    ("tr", "th.k-header.k-hierarchy-cell"),
    ("tbody", "tr.k-master-row"),
    ("tbody", "tr.k-detail-row"),
    ("tr.k-master-row", "td.k-hierarchy-cell"),
    ("tr.k-master-row", "td.card-heading.owa-break-all.party-case-caseid"),
    ("td.card-heading.owa-break-all.party-case-caseid", "a.caseLink"),
    ("td.card-subheading.party-case-style", "div.big-search-type"),
    ("td.card-data.party-case-filedate", "span"),
    ("tr.k-master-row", "td.card-data.party-case-status"),
    ("tr.k-master-row", "td.card-data.party-case-partyname"),
    ("tr.k-detail-row", "td.k-detail-cell"),
}
#: Real grid structure the simulator leaves out on purpose: the sort arrow of the column
#: the real grid happened to be sorted by, and a Kendo template script.
GRID_NOT_SIMULATED = {
    ("a.k-link", "span.k-i-arrow-s.k-icon"),
    ("div.tyler-padding-15.tyler-toggle-container", "script"),
}
FORM_SHAPES = {
    ("form", "input"),
    ("div.row", "div.col-md-12.validation-summary-valid"),
    ("fieldset", "input.form-control"),
    ("fieldset", "input.form-control.hasDatepicker.tyler-datepicker"),
    ("fieldset", "span.k-combobox.k-header.k-widget"),
    ("div.col-sm-12", "span.k-combobox.k-header.k-widget"),
    ("span.k-combobox.k-header.k-widget", "span.k-dropdown-wrap.k-state-default"),
    ("span.k-combobox.k-header.k-widget", "input"),
    ("span.k-dropdown-wrap.k-state-default", "input.k-input"),
    ("div.col-sm-12", "script"),
    ("div.form-check-box", "input"),
    ("p.col-sm-12", "input.btn.btn-primary.pull-right"),
}


@pytest.fixture(scope="module")
def rendered(portal_world: World) -> dict[str, str]:
    """Pages as headless Chromium shows them: the Smart Search dashboard and the filled
    results grid under the county whose grid the real page shows (DeKalb), and the grid
    under the default county (every column)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from ingest.browser import open_browser

    found: dict[str, str] = {}
    with open_browser() as driver:
        for county in ("dekalb_ga", "bluff_tn"):
            with serve(portal_world, county) as server:
                driver.delete_all_cookies()
                driver.get(server.court_url + dashboard_path(server))
                wait = WebDriverWait(driver, 15)
                wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "input.k-input")))
                found[f"dashboard/{county}"] = driver.page_source
                driver.find_element(By.ID, "AdvOptions").click()
                driver.find_element(By.NAME, "caseCriteria.CaseType_input").send_keys("Eviction")
                driver.find_element(By.NAME, "caseCriteria.FileDateStart").send_keys("10/01/2026")
                driver.find_element(By.NAME, "caseCriteria.FileDateEnd").send_keys("11/20/2026")
                driver.find_element(By.ID, "btnSSSubmit").click()
                wait.until(
                    ec.presence_of_element_located((By.CSS_SELECTOR, "#CasesGrid tr.k-master-row"))
                )
                found[f"grid/{county}"] = driver.page_source
    return found


@pytest.mark.browser
def test_the_rendered_smart_search_form_has_the_real_skeleton(rendered):
    real = [real_page(FULL_PAGE)]
    assert_same_structure(
        union([rendered["dashboard/dekalb_ga"]], "form#frmSS"),
        union(real, "form#frmSS"),
        FORM_SHAPES,
        "Smart Search form",
    )


@pytest.mark.browser
def test_the_rendered_results_grid_has_the_real_skeleton(rendered):
    real = union([real_page(FULL_PAGE)], "#SmartSearchResults")
    sim = union([rendered["grid/dekalb_ga"]], "#SmartSearchResults")
    assert_same_structure(sim, real, (real - GRID_NOT_SIMULATED) | GRID_SHAPES, "results grid")


@pytest.mark.browser
def test_a_grid_with_more_columns_adds_only_cells_of_the_same_shape(rendered):
    real = union([real_page(FULL_PAGE)], "#SmartSearchResults")
    sim = union([rendered["grid/bluff_tn"]], "#SmartSearchResults")
    extra = sim - real
    assert extra == {
        ("tr.k-master-row", f"td.card-data.party-case-{kind}")
        for kind in ("type", "location", "dob")
    }


def test_the_real_pages_are_readable():
    """Guards the guard: every real page the comparisons use is there and parses."""
    for name in (*REAL_CASE_PAGES, HEARING_DASHBOARD):
        assert lxml.html.fromstring(real_page(name)) is not None
    assert json.loads(real_page(HEARING_JSON))["Data"]
