"""The weekly report page: figures match the lake, missing parts are said, the page is
self-contained (no network, no script) and renders in headless Chromium without errors."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from lxml import html

from courtlake.lake import LocalLake
from ingest.raw_tables import RAW_TABLES, partition_key
from ingest.runner import RunReport, StreamReport
from orchestration.deliveries.layout import MANIFEST, BatchLayout
from orchestration.deliveries.ledger import ledger_bytes
from orchestration.deliveries.records import (
    BatchCounts,
    FileEntry,
    PartnerManifest,
    StagedManifest,
    ValidationRecord,
    sha256_hex,
)
from orchestration.report import RunSummary, StepRecord, build_report, report_key, write_report

WEEK = date(2026, 11, 23)
PROMOTED_AT = datetime(2026, 11, 23, 7, 15, tzinfo=UTC)
# Personal data that sits in the raw tables and must never reach the page.
PERSONAL = ("Jane Q Tenant", "John Roe", "12 Elm Street", "1990-04-01")


def _staged(
    partner: str,
    week: date,
    counts: BatchCounts,
    *,
    review: str = "auto",
    sha: str | None = None,
) -> StagedManifest:
    layout = BatchLayout(partner, week)
    rows = counts.delivered
    return StagedManifest(
        partner=partner,
        week=week,
        model=f"delivery__{partner}",
        relation=f"main_deliveries.delivery__{partner}",
        resend_policy="never",
        review=review,
        dbt_invocation_id="00000000-0000-0000-0000-000000000001",
        code_version="0123abcd",
        exported_at=datetime(2026, 11, 23, 6, 0, tzinfo=UTC),
        counts=counts,
        data=FileEntry(
            name=layout.data_name,
            sha256=sha or sha256_hex(f"{partner}{week}".encode()),
            rows=rows,
            columns=("delivery_key", "court", "case_number"),
        ),
        withdrawals=FileEntry(
            name=layout.withdrawals_name,
            sha256=sha256_hex(b"w"),
            rows=counts.withdraw,
            columns=("court", "case_number"),
        ),
        keys=FileEntry(
            name="keys.parquet",
            sha256=sha256_hex(b"k"),
            rows=rows + counts.skip + counts.withdraw,
            columns=("record_kind", "delivery_key"),
        ),
        empty=rows == 0,
    )


def _stage(lake: LocalLake, manifest: StagedManifest, *, success: bool, problems=()) -> None:
    layout = BatchLayout(manifest.partner, manifest.week)
    lake.put(layout.staged(MANIFEST), manifest.to_bytes())
    record = ValidationRecord(
        partner=manifest.partner,
        week=manifest.week,
        manifest_sha256=sha256_hex(manifest.to_bytes()),
        data_sha256=manifest.data.sha256,
        success=success,
        problems=tuple(problems),
        parameters={"min_rows": 0, "max_rows": None},
        checks=(),
        gx_version="1.24.0",
        data_docs=f"{layout.data_docs}index.html" if success else None,
        validated_at=datetime(2026, 11, 23, 6, 5, tzinfo=UTC),
    )
    lake.put(layout.validation, record.to_bytes())


def _promote(lake: LocalLake, partner: str, week: date, rows: int) -> None:
    layout = BatchLayout(partner, week)
    entry = FileEntry(
        name=layout.data_name,
        sha256=sha256_hex(f"{partner}{week}".encode()),
        rows=rows,
        columns=("delivery_key", "court", "case_number"),
    )
    manifest = PartnerManifest(
        partner=partner,
        display_name=f"{partner.title()} Legal Aid",
        week=week,
        file=entry,
        withdrawals=None,
        promoted_at=PROMOTED_AT if week == WEEK else datetime.combine(week, PROMOTED_AT.timetz()),
    )
    lake.put_new(layout.delivered(layout.data_name), b"delivery_key,court,case_number\n")
    lake.put_new(layout.delivered(MANIFEST), manifest.to_bytes())
    keys = pd.DataFrame(
        {
            "record_kind": ["delivered"],
            "delivery_key": ["k1"],
            "change_hash": ["h1"],
            "case_number": ["2026-EV-000001"],
            "court": ["District 1"],
        }
    )
    lake.put_new(layout.ledger, ledger_bytes(keys, manifest.promoted_at))


def _run_report(run_id: str, started: str, *, degraded: bool) -> bytes:
    report = RunReport(
        run_id=run_id,
        as_of=WEEK.isoformat(),
        mode="session",
        workers=2,
        shard="1/1",
        started_at=started,
        finished_at=started.replace("T06", "T07"),
        seconds=1234.5,
        failure_rate=0.0125 if not degraded else 0.3,
        degraded=degraded,
        messages=["court portal stopped: CaptchaRequired: a CAPTCHA is shown"] if degraded else [],
    )
    report.streams = {
        "roster": StreamReport(stream="roster", planned=1, done=1, seconds=3.2),
        "booking": StreamReport(
            stream="booking",
            planned=40,
            done=37,
            skipped=2,
            failed=1,
            retried_tasks=3,
            retries=5,
            seconds=80.0,
            failures=[
                {
                    "task": "B2026-0042",
                    "error": "PortalTimeout: no answer for Jane Q Tenant",
                    "page": None,
                }
            ],
            slowest=[{"task": "B2026-0007", "seconds": 9.5}, {"task": "B2026-0008", "seconds": 2}],
        ),
        "case_detail": StreamReport(
            stream="case_detail",
            planned=120,
            done=118,
            not_found=2,
            skipped=2,
            seconds=300.0,
            slowest=[{"task": "District 1|2026-EV-000123", "seconds": 12.25}],
        ),
    }
    report.portals = {
        "court": {"requests": 640, "final_rps": 8.5, "slowdowns": 1, "stopped": None},
        "jail": {"requests": 44, "final_rps": 10.0, "slowdowns": 0, "stopped": None},
    }
    return report.to_json()


def _parquet(table: str, rows: list[dict]) -> bytes:
    schema = RAW_TABLES[table]
    data = pa.Table.from_pylist(
        [{name: row.get(name) for name in schema.names} for row in rows], schema=schema
    )
    out = io.BytesIO()
    pq.write_table(data, out)
    return out.getvalue()


def _filing(number: str, filed: str) -> dict:
    return {
        "court": "District 1",
        "case_number": number,
        "case_type": "Eviction",
        "filed_date": filed,
        "style": "Landlord LLC vs. Jane Q Tenant",
        "party_name": "Jane Q Tenant",
        "status": "Open",
        "scraped_at": "2026-11-23T06:10:00Z",
    }


@pytest.fixture
def lake(tmp_path: Path) -> LocalLake:
    lake = LocalLake(tmp_path / "lake")
    # alpha: auto review, validated and promoted this week (and two weeks before)
    alpha = _staged("alpha", WEEK, BatchCounts(send=5, resend=2, skip=3, withdraw=1))
    _stage(lake, alpha, success=True)
    _promote(lake, "alpha", date(2026, 11, 9), rows=4)
    _promote(lake, "alpha", date(2026, 11, 16), rows=6)
    _promote(lake, "alpha", WEEK, rows=7)
    # beta: manual review, validated, waiting for a person
    beta = _staged("beta", WEEK, BatchCounts(send=10, skip=4), review="manual")
    _stage(lake, beta, success=True)
    _promote(lake, "beta", date(2026, 11, 16), rows=12)
    # gamma: validation failed (one problem carries markup that must be escaped)
    gamma = _staged("gamma", WEEK, BatchCounts(send=3, resend=1))
    _stage(
        lake,
        gamma,
        success=False,
        problems=[
            "expect_column_values_to_not_be_null(court) failed (2 unexpected)",
            "<script>alert('x')</script>",
        ],
    )
    # two ingest runs this week: the later one is shown
    lake.put(
        f"reports/{WEEK}/ingest/20261123T050000Z-aaaaaa.json",
        _run_report("20261123T050000Z-aaaaaa", "2026-11-23T05:00:00Z", degraded=True),
    )
    lake.put(
        f"reports/{WEEK}/ingest/20261123T060000Z-bbbbbb.json",
        _run_report("20261123T060000Z-bbbbbb", "2026-11-23T06:00:00Z", degraded=False),
    )
    for n in range(3):
        lake.put(f"pages/court/{WEEK}/{n:064x}.html.gz", b"x")
    # raw tables: filings over two scrape dates (one case in both), a stale roster
    lake.put(
        partition_key("court_filings", "2026-11-16"),
        _parquet(
            "court_filings",
            [
                _filing("2026-EV-000001", "2026-11-10"),
                _filing("2026-EV-000002", "2026-11-12"),
                _filing("2026-EV-000003", "2026-11-03"),
            ],
        ),
    )
    lake.put(
        partition_key("court_filings", "2026-11-23"),
        _parquet(
            "court_filings",
            [
                _filing("2026-EV-000002", "2026-11-12"),
                _filing("2026-EV-000004", "2026-11-16"),
                _filing("2026-EV-000005", "2026-11-18"),
                _filing("2026-EV-000006", "2026-11-20"),
            ],
        ),
    )
    lake.put(
        partition_key("jail_roster", "2026-11-02"),
        _parquet(
            "jail_roster",
            [{"booking_number": "B2026-0001", "name": "John Roe", "dob": "1990-04-01"}],
        ),
    )
    lake.put(
        partition_key("court_parties", "2026-11-23"),
        _parquet("court_parties", [{"name": "Jane Q Tenant", "address_raw": "12 Elm Street"}]),
    )
    return lake


def _cells(doc, partner: str) -> dict[str, str]:
    (row,) = doc.xpath(f'//table[@id="partners-table"]//tr[@data-partner="{partner}"]')
    return {
        cls: " ".join(cell.text_content().split())
        for cell in row.xpath("./td")
        for cls in cell.get("class", "").split()
        if cls not in {"n", "muted"}
    }


def test_page_figures_match_the_lake(lake: LocalLake) -> None:
    steps = [
        StepRecord("ingest", "ok", 1234.5),
        StepRecord("dbt build", "ok", 301.25, "120 models"),
        StepRecord("promote", "failed", 2.0, "gamma: validation failed <b>bold</b>"),
    ]
    key = write_report(lake, WEEK, steps, RunSummary(exit_code=1))
    assert key == report_key(WEEK) == f"reports/{WEEK}/index.html"
    page = lake.get(key).decode()
    doc = html.fromstring(page)

    alpha = _cells(doc, "alpha")
    assert alpha["eligible"] == "10"
    assert alpha["delivered"] == "7"
    assert alpha["skip"] == "3"
    assert alpha["resend"] == "2"
    assert alpha["withdraw"] == "1"
    assert alpha["validation"].startswith("passed")
    assert alpha["promotion"] == "promoted at 2026-11-23 07:15 UTC"
    assert alpha["rows"] == "7"
    assert alpha["sha"] == sha256_hex(f"alpha{WEEK}".encode())[:12]
    (docs,) = doc.xpath('//tr[@data-partner="alpha"]//a[@class="docs"]')
    assert docs.get("href") == "data_docs/alpha/index.html"

    beta = _cells(doc, "beta")
    assert (beta["eligible"], beta["delivered"], beta["skip"]) == ("14", "10", "4")
    assert beta["promotion"] == "awaiting review"

    gamma = _cells(doc, "gamma")
    assert gamma["validation"].startswith("failed")
    assert "expect_column_values_to_not_be_null(court) failed (2 unexpected)" in gamma["validation"]
    assert "<script>alert('x')</script>" in gamma["validation"]  # shown as text
    assert gamma["promotion"] == "not promoted"
    assert not doc.xpath('//tr[@data-partner="gamma"]//a')

    # the run's steps, escaped
    step_rows = doc.xpath('//table[@id="steps-table"]/tbody/tr')
    assert [r.xpath("./td")[0].text_content() for r in step_rows] == [
        "ingest",
        "dbt build",
        "promote",
    ]
    assert "gamma: validation failed <b>bold</b>" in step_rows[2].text_content()
    # the outcome line comes from the exit code and the partners' state in the lake
    outcome = doc.xpath('//*[@id="outcome"]')[0]
    assert outcome.text_content().startswith(f"week {WEEK}: NOT COMPLETE. NOT delivered to gamma")
    assert "awaiting review: beta" in outcome.text_content()
    assert "bad" in outcome.get("class")

    # scrape health: the latest of two runs, per stream, failures by kind only
    text = doc.text_content()
    assert "Latest of 2 ingest runs" in " ".join(text.split())
    assert "20261123T060000Z-bbbbbb" in text
    assert doc.xpath('//*[@id="degraded"]')[0].text_content() == "not degraded"
    (booking,) = doc.xpath('//table[@data-portal="jail"]//tr[@data-stream="booking"]')
    cells = [c.text_content().strip() for c in booking.xpath("./td")]
    assert cells[:7] == ["booking", "40", "37", "2", "0", "3 (5)", "1"]
    assert cells[-1] == "PortalTimeout ×1"
    assert doc.xpath('//table[@data-portal="court"]//tr[@data-stream="case_detail"]')
    assert "640 requests, 3 distinct pages archived" in " ".join(text.split())
    slowest = [r.xpath("./td")[1].text_content() for r in doc.xpath('//*[@id="slowest"]//tbody/tr')]
    assert slowest[:2] == ["District 1|2026-EV-000123", "B2026-0007"]

    # freshness: newest partition and age in days
    fresh = {
        r.get("data-table"): [c.text_content().strip() for c in r.xpath("./td")]
        for r in doc.xpath('//table[@id="freshness-table"]//tr[@data-table]')
    }
    assert fresh["court_filings"][:3] == ["court_filings", "2026-11-23", "0"]
    assert fresh["jail_roster"][:3] == ["jail_roster", "2026-11-02", "21"]
    assert "none on or before the week" in fresh["court_bonds"][1]

    # charts: filings by ISO week (distinct cases), deliveries per promoted partner
    bars = {
        t.text_content().split(":")[0]: t.text_content().split(": ")[1]
        for t in doc.xpath("//svg//rect[@class='bar']/title")
    }
    assert len(bars) == 16
    assert (bars["11-02"], bars["11-09"], bars["11-16"], bars["11-23"]) == ("1", "2", "3", "0")
    points = [t.text_content() for t in doc.xpath("//svg//circle/title")]
    assert points == ["alpha 11-09: 4", "alpha 11-16: 6", "alpha 11-23: 7", "beta 11-16: 12"]
    assert len(doc.xpath("//svg//text[@class='al']")) == 4  # axis labels on both charts

    # needs attention: the failed step and validation, the review, the stale table
    attention = " ".join(doc.xpath('//*[@id="attention"]')[0].text_content().split())
    for expected in ("step promote: failed", "gamma: validation failed", "beta: awaiting review"):
        assert expected in attention
    assert "jail_roster" in attention

    # self-contained, nothing personal, nothing executable
    for word in PERSONAL:
        assert word not in page
    assert "http://" not in page and "https://" not in page
    assert not doc.xpath("//script | //link | //img | //iframe | //object | //*[@src]")
    assert not doc.xpath("//*[@style]")


def test_empty_lake_renders_and_says_what_is_missing(tmp_path: Path) -> None:
    page = build_report(LocalLake(tmp_path / "empty"), WEEK)
    doc = html.fromstring(page)
    for missing in ("no-partners", "no-ingest", "no-raw", "no-filings", "no-deliveries"):
        assert doc.xpath(f'//*[@id="{missing}"]'), missing
    assert not doc.xpath('//*[@id="steps"]')
    attention = doc.xpath('//*[@id="attention"]')[0].text_content()
    assert "no ingest run report for this week" in attention
    assert "no partner batch in the lake for this week" in attention


def test_unreadable_records_do_not_break_the_page(tmp_path: Path) -> None:
    lake = LocalLake(tmp_path / "lake")
    lake.put(BatchLayout("alpha", WEEK).staged(MANIFEST), b'{"partner": "alpha"}')
    lake.put(f"reports/{WEEK}/ingest/broken.json", b"{not json")
    lake.put(f"reports/{WEEK}/ingest/list.json", json.dumps([1, 2]).encode())
    doc = html.fromstring(build_report(lake, WEEK, run=RunSummary(exit_code=0)))
    text = " ".join(doc.text_content().split())
    assert "staging/alpha/2026-11-23/manifest.json is unreadable" in text
    assert "Unreadable ingest report: reports/2026-11-23/ingest/broken.json" in text
    assert _cells(doc, "alpha")["promotion"] == "nothing staged this week"


@pytest.mark.browser
def test_page_renders_in_chromium_without_errors_or_network(
    lake: LocalLake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selenium.webdriver.common.by import By

    from ingest import browser

    plain_options = browser.chrome_options

    def logging_options(*args, **kwargs):
        options = plain_options(*args, **kwargs)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        return options

    monkeypatch.setattr(browser, "chrome_options", logging_options)
    key = write_report(lake, WEEK, [StepRecord("ingest", "ok", 12.0)], RunSummary(exit_code=0))
    path = lake.local_path(key)
    assert path is not None

    with browser.open_browser() as driver:
        driver.get(path.as_uri())
        assert driver.title == f"courtlake weekly report — week {WEEK}"
        cell = driver.find_element(By.CSS_SELECTOR, 'tr[data-partner="alpha"] td.eligible')
        assert cell.is_displayed() and cell.text == "10"
        alpha = driver.find_element(By.CSS_SELECTOR, 'tr[data-partner="alpha"]')
        assert "promoted at 2026-11-23 07:15 UTC" in alpha.text
        beta = driver.find_element(By.CSS_SELECTOR, 'tr[data-partner="beta"]')
        assert "awaiting review" in beta.text
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
        assert len(charts) == 2 and all(c.size["height"] > 100 for c in charts)

        errors = [e for e in driver.get_log("browser") if e["level"] in {"SEVERE", "WARNING"}]
        assert not errors, errors
        sent = [
            message["params"]
            for entry in driver.get_log("performance")
            if (message := json.loads(entry["message"])["message"])["method"]
            == "Network.requestWillBeSent"
        ]
        # the browser's own start page loads chrome:// resources; nothing goes out to a
        # network, and the report's document requests nothing but itself
        assert not [
            p["request"]["url"]
            for p in sent
            if "://" in p["request"]["url"]
            and not p["request"]["url"].startswith(("file://", "chrome://"))
        ]
        ours = {p["request"]["url"] for p in sent if p.get("documentURL") == path.as_uri()}
        assert ours == {path.as_uri()}

        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1280, min(int(height) + 120, 6000))
        shot = tmp_path / "report.png"
        assert driver.save_screenshot(str(shot))
    assert shot.exists() and shot.stat().st_size > 20_000


def test_the_outcome_follows_the_lake_after_a_reviewer_promotes(tmp_path: Path) -> None:
    # GIVEN a run that ended with exit 0 and a manual partner awaiting review
    lake = LocalLake(tmp_path / "lake")
    _stage(lake, _staged("beta", WEEK, BatchCounts(send=4), review="manual"), success=True)
    run = RunSummary(exit_code=0)
    doc = html.fromstring(build_report(lake, WEEK, run=run))
    outcome = doc.xpath('//*[@id="outcome"]')[0]
    assert "awaiting review: beta" in outcome.text_content() and "warn" in outcome.get("class")
    assert "beta: awaiting review" in doc.xpath('//*[@id="attention"]')[0].text_content()
    # WHEN the reviewer promotes it, THEN the refreshed page says done, with nothing to do
    _promote(lake, "beta", WEEK, rows=4)
    doc = html.fromstring(build_report(lake, WEEK, run=run))
    outcome = doc.xpath('//*[@id="outcome"]')[0]
    assert outcome.text_content() == f"week {WEEK}: done." and "ok" in outcome.get("class")
    assert "awaiting" not in doc.xpath('//*[@id="attention"]')[0].text_content()
    assert _cells(doc, "beta")["promotion"].startswith("promoted at")


def test_a_failed_run_says_which_step_failed_and_a_held_partner_why(tmp_path: Path) -> None:
    lake = LocalLake(tmp_path / "lake")
    failed = RunSummary(exit_code=4, failed_step="export", failure="warehouse: disk full")
    doc = html.fromstring(build_report(lake, WEEK, run=failed))
    text = doc.xpath('//*[@id="outcome"]')[0].text_content()
    assert text.startswith(f"week {WEEK}: FAILED at export — warehouse: disk full.")
    assert "it resumes there" in text
    attention = doc.xpath('//*[@id="attention"]')[0].text_content()
    assert "weekly run (exit 4)" in attention
    held = RunSummary(exit_code=3, held={"gamma": "booking blocked by failed roster"})
    doc = html.fromstring(build_report(lake, WEEK, run=held))
    assert "DEGRADED" in doc.xpath('//*[@id="outcome"]')[0].text_content()
    (item,) = doc.xpath('//ul[@id="held"]/li')
    assert item.text_content() == "gamma: booking blocked by failed roster"
    assert "gamma: held this week" in doc.xpath('//*[@id="attention"]')[0].text_content()
