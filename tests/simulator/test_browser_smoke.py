"""The browser path: headless Chromium drives the simulated court portal as a person would,
and the results grid exists only once the page's script has built it; on the jail's IML
roster, the pages' own scripts (submitMe, rowClicked, submitInmate) page and open people."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from ingest.browser import open_browser
from simulator.model import World
from simulator.server import RunningSimulator
from simulator.truth import truth_on
from tests.simulator.portal_helpers import AS_OF, grid_config, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SETTLED = "#CasesGrid table.kgrid-card-table, #SmartSearchResults .alert-danger"
RERUN_GRID = 'var cfg = JSON.parse(arguments[0]);jQuery("#SmartSearchResults").kendoGrid(cfg);'


@pytest.fixture(scope="module")
def sim(portal_world: World) -> Iterator[RunningSimulator]:
    with serve(portal_world) as server:
        yield server


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    with open_browser() as browser:
        yield browser


@pytest.fixture(autouse=True)
def fresh(sim: RunningSimulator, driver: WebDriver) -> Iterator[None]:
    driver.delete_all_cookies()
    yield
    httpx.post(f"{sim.admin_url}/faults", json={"spec": "none"})


def smart_search(driver: WebDriver, sim: RunningSimulator, case_type: str, start: str, end: str):
    wait = WebDriverWait(driver, 20)
    driver.get(f"{sim.court_url}Home/Dashboard/29")
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "form#frmSS input.k-input")))
    driver.find_element(By.ID, "AdvOptions").click()
    driver.find_element(By.NAME, "caseCriteria.CaseType_input").send_keys(case_type)
    driver.find_element(By.NAME, "caseCriteria.FileDateStart").send_keys(start)
    driver.find_element(By.NAME, "caseCriteria.FileDateEnd").send_keys(end)
    driver.find_element(By.ID, "btnSSSubmit").click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, SETTLED)))


def severe(driver: WebDriver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def test_chromium_searches_filings_reads_the_script_built_grid_and_opens_a_case(sim, driver):
    # GIVEN the eviction filings of a window, as the truth export lists them
    truth = truth_on(sim.state.world, AS_OF)
    expected = {
        c["case_number"]: c
        for c in truth["cases"]
        if c["case_type"] == "Eviction" and "2026-11-02" <= c["filed_date"] <= "2026-11-20"
    }
    # WHEN Chromium fills the Smart Search form the way a person would and submits it
    smart_search(driver, sim, "Eviction", "11/02/2026", "11/20/2026")
    # THEN the grid its script built lists exactly those filings, in the real markup
    headers = driver.find_elements(By.CSS_SELECTOR, "#CasesGrid thead th.k-header[data-field]")
    assert [h.get_attribute("data-field") for h in headers] == list(
        sim.state.county.court.grid_columns
    )
    rows = driver.find_elements(By.CSS_SELECTOR, "#CasesGrid tbody tr.k-master-row")
    details = driver.find_elements(By.CSS_SELECTOR, "#CasesGrid tbody tr.k-detail-row")
    assert len(rows) == len(details) == len(expected)
    links = driver.find_elements(By.CSS_SELECTOR, "td.party-case-caseid a.caseLink")
    assert {a.text for a in links} == set(expected)
    for link in links:
        case = expected[link.text]
        assert link.get_attribute("href").endswith("#")
        assert link.get_attribute("data-caseid") == str(case["portal_case_id"])
        assert "/Portal/Case/CaseDetail?eid=" in link.get_attribute("data-url")
        assert link.get_attribute("title") == link.text
    # AND a case link opens its detail fragment in the same session
    number = links[0].text
    links[0].click()
    WebDriverWait(driver, 20).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#divCaseInformation_body"))
    )
    assert number in driver.find_element(By.CSS_SELECTOR, "#divCaseInformation_body").text
    assert "Loading financial, please wait..." in driver.page_source
    assert not severe(driver), "the portal pages raised console errors"


def test_a_search_without_matches_shows_the_grid_without_rows(sim, driver):
    smart_search(driver, sim, "Eviction", "01/01/2030", "01/31/2030")
    assert driver.find_elements(By.CSS_SELECTOR, "#CasesGrid table.kgrid-card-table thead th")
    assert not driver.find_elements(By.CSS_SELECTOR, "#CasesGrid tr.k-master-row")
    assert not driver.find_elements(By.CSS_SELECTOR, "#SmartSearchResults .alert-danger")


def test_a_failing_results_request_shows_an_alert_instead_of_the_grid(sim, driver):
    smart_search(driver, sim, "Eviction", "11/02/2026", "11/20/2026")
    grid = json.dumps(grid_config(driver.page_source))
    httpx.post(f"{sim.admin_url}/faults", json={"spec": "none,soft_error_rate=1"})
    driver.execute_script(RERUN_GRID, grid)
    alert = WebDriverWait(driver, 20).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#SmartSearchResults .alert-danger"))
    )
    assert "error" in alert.text
    assert not driver.find_elements(By.ID, "CasesGrid")


def test_an_expired_session_sends_the_browser_back_to_the_dashboard(sim, driver):
    smart_search(driver, sim, "Eviction", "11/02/2026", "11/20/2026")
    grid = json.dumps(grid_config(driver.page_source))
    httpx.post(f"{sim.admin_url}/sessions/expire")
    driver.execute_script(RERUN_GRID, grid)
    WebDriverWait(driver, 20).until(ec.url_contains("/Portal/Home/Dashboard/29"))
    WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.ID, "frmSS")))
    overlay = driver.find_element(By.ID, "timeout-wrapper")
    assert not overlay.is_displayed()


def test_signing_in_in_the_browser_shows_sign_out(sim, driver):
    driver.get(f"{sim.court_url}Account/Login")
    creds = sim.state.credentials
    driver.find_element(By.ID, "UserName").send_keys(creds.user)
    driver.find_element(By.ID, "Password").send_keys(creds.password)
    driver.find_element(By.ID, "btnSignIn").click()
    WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.ID, "frmSS")))
    assert driver.find_elements(By.XPATH, '//a[normalize-space(.)="Sign Out"]')
    assert driver.execute_script("return window.odyPortal.sessionInfo.isAuthenticated") is True


def submitted(driver: WebDriver, act: Callable[[], object], ready: str) -> None:
    """Do `act` (which submits a form) and wait for the next page to show `ready`."""
    body = driver.find_element(By.TAG_NAME, "body")
    act()
    wait = WebDriverWait(driver, 20)
    wait.until(ec.staleness_of(body))
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ready)))


def test_chromium_pages_the_jail_roster_and_opens_people_by_row_and_by_link(sim, driver):
    # GIVEN the bookings the roster lists with released people, as the truth says
    truth = truth_on(sim.state.world, AS_OF)
    listed = {b["sys_id"]: b for b in truth["bookings"] + truth["released_bookings"]}
    # WHEN Chromium fills the search form and submits it
    driver.get(sim.jail_url)
    WebDriverWait(driver, 20).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "form[name=inmateSearch]"))
    )
    driver.find_element(By.NAME, "systemUser_includereleasedinmate").click()
    submitted(driver, driver.find_element(By.NAME, "search").click, "tr#row1")
    # THEN the first page shows 30 rows, and its Next> link (submitMe) shows the next 30
    assert len(driver.find_elements(By.CSS_SELECTOR, "tr[id^=row]")) == 30
    assert f"of {len(listed)} results" in " ".join(
        driver.find_element(By.TAG_NAME, "font").text.split()
    )
    submitted(driver, driver.find_element(By.LINK_TEXT, "Next>").click, "tr#row1")
    assert "Showing 31 to" in " ".join(driver.find_element(By.TAG_NAME, "font").text.split())
    # AND clicking a row (rowClicked) opens that booking's person page
    row = driver.find_element(By.ID, "row2")
    sys_id = row.get_attribute("onclick").split("'")[3]
    submitted(driver, lambda: driver.execute_script("arguments[0].click();", row), "td.header")
    name = driver.find_element(By.CSS_SELECTOR, "font.bodywhite").text
    assert name == listed[sys_id]["page_name"]
    # AND the Search Results tab (its map area submits retToSearch) shows that roster page
    # again, where a row's name link (submitInmate) opens its own person page
    tab = driver.find_element(By.CSS_SELECTOR, "map[name=Map] area").get_attribute("href")
    script = tab.removeprefix("javascript:")
    submitted(driver, lambda: driver.execute_script(script), "tr#row3")
    assert "Showing 31 to" in " ".join(driver.find_element(By.TAG_NAME, "font").text.split())
    link = driver.find_element(By.CSS_SELECTOR, "tr#row3 a.underlined")
    sys_id = link.get_attribute("href").split("'")[1]
    submitted(driver, link.click, "td.header")
    assert (
        driver.find_element(By.CSS_SELECTOR, "font.bodywhite").text == listed[sys_id]["page_name"]
    )
    assert not severe(driver), "the jail pages raised console errors"
