"""The browser path works on this machine: headless Chromium drives the court search."""

from __future__ import annotations

from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait

from ingest.browser import open_browser
from simulator.server import build_state, running
from simulator.truth import truth_on

AS_OF = date(2026, 11, 23)


@pytest.mark.browser
@pytest.mark.slow
def test_headless_chromium_searches_filings_and_reads_the_js_filled_grid():
    # GIVEN the simulator and a headless Chromium
    state = build_state(11, AS_OF, scale=0.2)
    truth = truth_on(state.world, AS_OF)
    expected = {
        c["case_number"]
        for c in truth["cases"]
        if c["case_type"] == "Eviction" and "2026-11-02" <= c["filed_date"] <= "2026-11-20"
    }
    with running(state) as sim, open_browser() as driver:
        wait = WebDriverWait(driver, 20)
        # WHEN it fills the Smart Search form the way a person would
        driver.get(f"{sim.court_url}Home/Dashboard/29")
        Select(driver.find_element(By.NAME, "caseCriteria.CaseType")).select_by_value("Eviction")
        driver.find_element(By.NAME, "caseCriteria.FileDateStart").send_keys("11/02/2026")
        driver.find_element(By.NAME, "caseCriteria.FileDateEnd").send_keys("11/20/2026")
        driver.find_element(By.ID, "btnSSSubmit").click()
        wait.until(ec.presence_of_element_located((By.ID, "results-loaded")))
        # THEN the grid, filled by JavaScript, lists exactly the filings of the window
        links = driver.find_elements(By.CSS_SELECTOR, "#CasesGrid a.caseLink")
        assert {a.text for a in links} == expected
        # AND a case link opens its detail page in the same session
        links[0].click()
        wait.until(ec.presence_of_element_located((By.ID, "CaseNumber")))
        assert driver.find_element(By.ID, "CaseNumber").text in expected
        assert not [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"], (
            "the portal pages raised console errors"
        )
