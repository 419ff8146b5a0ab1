"""The simulator's court and jail pages have the tag-and-class skeleton of the real pages
(Odyssey Portal, IML Inmate Lookup).

A section's skeleton is the set of (parent, child) pairs inside it, each element written
`tag.class1.class2` (classes sorted; text, ids and other attributes ignored). For every
section the scrapers read, the simulator's skeleton (over a sample of its pages) must lie
within the union of the real pages' skeletons, so it invents no structure; and the paths
every real page has, plus the shapes the parsers rely on, must be in the simulator's, so
it leaves none out. Pages a browser renders (the Smart Search form with its Kendo widgets,
the results grid its script builds) are compared as Chromium shows them.

The jail's IML pages are nested layout tables with no ids, so their skeleton is the whole
page's: the simulator's roster and person pages must have exactly the paths of the real
roster and person page, and beyond that the rows, forms, scripts, section titles and label
cells the parsers and scrapers read must be the real ones (the few additions named here).

The real pages are those under `tests/examples/` (copied from the anonymised collection),
else `../shared/real_pages/` when the copies are not there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache
from pathlib import Path

import lxml.html
import pytest

from simulator.model import Booking, World
from simulator.server import RunningSimulator
from tests.simulator.portal_helpers import (
    client,
    dashboard_path,
    detail_url,
    jail_client,
    jail_post,
    jail_search,
    login,
    open_session,
    search,
    serve,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
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
    for candidate in (*sorted(EXAMPLES.glob(f"*/{name}")), *sorted(SHARED.glob(f"*/{name}"))):
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
    for name in (*REAL_CASE_PAGES, HEARING_DASHBOARD, REAL_ROSTER, REAL_PERSON):
        assert lxml.html.fromstring(real_page(name)) is not None
    assert json.loads(real_page(HEARING_JSON))["Data"]


# -- the jail's IML pages ---------------------------------------------------------------------

REAL_ROSTER = "bergen_nj_roster_page.html"
REAL_PERSON = "bergen_nj_person_page.html"
ROW_CLICKED = re.compile(r"rowClicked\('(\d+)','(\d+)','(\d+)'\)")
#: Structure the search page adds to the real pages' chrome: its form (no real search page
#: was available, so the form is built from the real pages' tables).
SEARCH_FORM_SHAPES = {
    ("td.body", "form"),
    ("form", "table"),
    ("td", "input"),
    ("div", "input"),
}
#: Labels the real person page lacks that the contract adds: the booking number and the
#: permanent id (where the profile prints them) and the bonds' grand total.
ADDED_LABELS = {"Booking Number:", "Permanent ID:", "Grand Total:"}
#: Section titles (and their column headers) the real person page lacks.
ADDED_SECTIONS = {"Hearing Information"}
ADDED_HEADERS = {
    ("Agency", "Date", "Type"),  # detainers, when there are some
    ("Hearing Date", "Time", "Case #", "Courtroom", "Hearing Type"),
}


def person_samples(world: World, day: date) -> list[Booking]:
    """Bookings the jail lists on `day`: one with aliases, one with a detainer, several
    bonds, a posted bond, no bond, a release date, several charges."""
    listed = [b for b in world.bookings if b.in_custody_on(day) or b.released_lately(day)]
    wanted: list[Callable[[Booking], bool]] = [
        lambda b: bool(world.people[b.person_key].aliases),
        lambda b: bool(b.detainers),
        lambda b: len(b.bonds_on(day)) > 2,
        lambda b: any(x.status_on(day) == "POSTED" for x in b.bonds_on(day)),
        lambda b: not b.bonds,
        lambda b: b.release_date_on(day) is not None,
        lambda b: len(b.charges) > 2,
    ]
    return [next(b for b in listed if want(b)) for want in wanted]


@pytest.fixture(scope="module")
def iml_pages(portal_world: World) -> dict[str, list[str]]:
    """Under the default county (five roster columns, hearings, id labels) and a Bergen-shaped
    one: the search page, the first, a middle and the last roster page with released people,
    and the person pages of bookings with aliases, detainers, several bonds, posted bonds,
    hearings, and a release; plus the page of an unknown record."""
    pages: dict[str, list[str]] = {"search": [], "roster": [], "person": [], "not_found": []}
    for county in ("bluff_tn", "dekalb_ga"):
        with serve(portal_world, county) as sim, jail_client(sim) as http:
            pages["search"].append(http.get("").text)
            first = jail_search(http, sim, released=True)
            total = int(re.search(r"of\s+(\d+)\s+results", first).group(1))
            pages["roster"] += [
                first,
                jail_post(http, sim, flow_action="next", currentStart="31").text,
                jail_post(http, sim, flow_action="last", currentStart=str(total)).text,
            ]
            for booking in person_samples(portal_world, sim.state.clock.today()):
                form = {"flow_action": "edit", "sysID": booking.sys_id, "imgSysID": "0"}
                pages["person"].append(jail_post(http, sim, **form).text)
            pages["not_found"].append(
                jail_post(http, sim, flow_action="edit", sysID="1", imgSysID="0").text
            )
    return pages


@pytest.mark.parametrize("kind, name", [("roster", REAL_ROSTER), ("person", REAL_PERSON)])
def test_iml_pages_have_exactly_the_real_skeleton(kind, name, iml_pages):
    real = [real_page(name)]
    assert_same_structure(
        union(iml_pages[kind], "html"), union(real, "html"), common(real, "html"), kind
    )


def test_the_search_and_not_found_pages_add_only_a_form_to_the_real_chrome(iml_pages):
    real = union([real_page(REAL_ROSTER), real_page(REAL_PERSON)], "html")
    assert union(iml_pages["search"], "html") - real == SEARCH_FORM_SHAPES
    assert union(iml_pages["not_found"], "html") <= real


def header_rows(root: lxml.html.HtmlElement) -> list[list[str]]:
    """The texts of the roster's column header rows (a `tr.bodybold` without a table)."""
    return [
        [" ".join(td.text_content().split()) for td in tr.findall("td")]
        for tr in root.cssselect("tr.bodybold")
        if not tr.xpath(".//table")
    ]


def test_roster_rows_and_header_are_the_real_ones(iml_pages):
    real = lxml.html.fromstring(real_page(REAL_ROSTER))
    (real_header,) = header_rows(real)
    real_rows = real.cssselect("tr[id^=row]")
    for html in iml_pages["roster"]:
        root = lxml.html.fromstring(html)
        (header,) = header_rows(root)
        assert [h for h in header if h != "Date of Birth"] == real_header
        rows = root.cssselect("tr[id^=row]")
        assert rows, "every sampled roster page has rows"
        for n, (row, like) in enumerate(zip(rows, real_rows * 2, strict=False), start=1):
            assert sorted(row.attrib) == sorted(like.attrib)
            assert (row.get("id"), row.get("class"), row.get("bgcolor")) == (
                f"row{n}",
                "body",
                like.get("bgcolor"),
            )
            clicked = ROW_CLICKED.fullmatch(row.get("onclick"))
            assert clicked and clicked.group(1) == str(n)
            submit = f"javascript:submitInmate('{clicked.group(2)}','{clicked.group(3)}')"
            cells = row.findall("td")
            assert len(cells) == len(header)
            for cell, real_cell in zip(cells, like.findall("td") * 2, strict=False):
                assert sorted(cell.attrib) == sorted(real_cell.attrib)
                (link,) = cell.findall("a")
                assert link.get("href") == submit
            assert [a.get("class") for a in row.iter("a")][:2] == ["underlined", None]
        showing = root.cssselect("font")
        assert len(showing) == 2 and all("Showing" in f.text_content() for f in showing)


def forms(root: lxml.html.HtmlElement) -> dict[str, list[str]]:
    return {f.get("name"): [i.get("name") for i in f.findall("input")] for f in root.iter("form")}


def scripts(root: lxml.html.HtmlElement) -> set[str]:
    return {
        name for s in root.iter("script") for name in re.findall(r"function (\w+)", s.text or "")
    }


@pytest.mark.parametrize("kind, name", [("roster", REAL_ROSTER), ("person", REAL_PERSON)])
def test_iml_pages_carry_the_real_forms_and_scripts(kind, name, iml_pages):
    real = lxml.html.fromstring(real_page(name))
    for html in iml_pages[kind] + (iml_pages["not_found"] if kind == "person" else []):
        root = lxml.html.fromstring(html)
        assert forms(root) == forms(real)
        assert scripts(root) == scripts(real)


def section_titles(root: lxml.html.HtmlElement) -> list[str]:
    return [
        " ".join(td.text_content().split())
        for td in root.cssselect("td.header")
        if not td.xpath(".//td")
    ]


def labels(root: lxml.html.HtmlElement) -> set[str]:
    """Label cells: `td.bodysmallbold` / `td.bodysmall` whose text ends with a colon."""
    found = set()
    for td in root.cssselect("td.bodysmallbold, td.bodysmall"):
        printed = " ".join(td.text_content().split())
        if printed.endswith(":"):
            found.add(printed)
    return found


def table_headers(root: lxml.html.HtmlElement) -> set[tuple[str, ...]]:
    return {
        tuple(" ".join(td.text_content().split()) for td in tr.findall("td"))
        for tr in root.cssselect("tr.bodysmallbold")
        if not tr.xpath(".//table")
    }


def test_person_pages_have_the_real_sections_and_label_cells(iml_pages):
    real = lxml.html.fromstring(real_page(REAL_PERSON))
    real_titles, real_labels = section_titles(real), labels(real)
    seen_labels: set[str] = set()
    for html in iml_pages["person"]:
        root = lxml.html.fromstring(html)
        titles = section_titles(root)
        assert [t for t in titles if t not in ADDED_SECTIONS] == real_titles
        assert set(labels(root)) - real_labels <= ADDED_LABELS
        assert real_labels <= labels(root)
        assert table_headers(root) - table_headers(real) <= ADDED_HEADERS
        seen_labels |= labels(root)
    assert seen_labels >= ADDED_LABELS, "the sample shows every added label"
