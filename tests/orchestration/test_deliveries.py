"""Partner deliveries on the local default (lake on disk, DuckDB warehouse): the
`courtlake deliver` steps end to end, and everything fail-closed promotion must refuse.

One module-scoped world serves every test: about 2,000 generated cases over two weekly
scrapes, one dbt build (seeds and every model upstream of both delivery models) for
EMPTY_WEEK, long after the data, so nothing is eligible, then the two delivery models for
WEEK (the second scrape: a real batch). Each test starts from that lake with the raw tables
only (staging/, reports/, partners/ and ledger/ cleared, added tombstones removed), so the
tests do not depend on each other; only the last one runs dbt again.

The two shipped partners: eastside_tenant_law (resend never, review auto) and
northgate_housing (resend on_change, review manual).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from benchmarks.raw_generator import write_raw_tables
from courtlake.lake import LocalLake
from ingest.raw_tables import RAW_TABLES
from orchestration.cli import main
from orchestration.dbt import DbtProject
from orchestration.deliver import Deliveries
from orchestration.deliveries.layout import KEYS, MANIFEST, BatchLayout
from orchestration.deliveries.ledger import read_ledger
from orchestration.deliveries.promote import PromoteStatus
from orchestration.deliveries.records import (
    PartnerManifest,
    StagedManifest,
    ValidationRecord,
    sha256_hex,
)
from orchestration.deliveries.validate import read_csv
from orchestration.partners import BOOKKEEPING_COLUMNS, Partner, ResendPolicy, ReviewMode
from orchestration.warehouse import DuckDBWarehouse

START = date(2026, 9, 7)  # a Monday: the generator's first scrape
WEEK = date(2026, 9, 14)  # the second scrape: a batch with rows for both partners
EMPTY_WEEK = date(2027, 6, 7)  # months after the last filing: nothing eligible
NEVER, ON_CHANGE = "eastside_tenant_law", "northgate_housing"
MODELS = [f"delivery__{NEVER}", f"delivery__{ON_CHANGE}"]
#: The partners' files, column by column, as their YAML (meta.delivery.columns) lists them.
FILE_COLUMNS = {
    NEVER: [
        "delivery_key", "case_number", "court", "filed_date", "defendant_name",
        "defendant_address", "defendant_zip", "plaintiff_name", "next_hearing_date",
    ],
    ON_CHANGE: [
        "delivery_key", "case_number", "court", "filed_date", "defendant_name",
        "defendant_address", "defendant_zip", "plaintiff_name", "status",
        "next_hearing_date", "judgment_type", "judgment_date", "has_writ",
    ],
}  # fmt: skip
#: What a partner must never see: the model's columns that are not the partner's own.
INTERNAL_COLUMNS = set(BOOKKEEPING_COLUMNS) - {"delivery_key"}
TOMBSTONE = f"raw/court_removals/scrape_date={WEEK}/tombstone-test.parquet"


@dataclass(frozen=True)
class World:
    lake: LocalLake
    dbt: DbtProject
    deliveries: Deliveries
    never: Partner
    on_change: Partner
    raw_keys: frozenset[str]  # every object under raw/ as generated

    def reset(self) -> None:
        """Back to the generated lake: nothing staged, validated, sent or in the ledger."""
        for prefix in ("staging/", "reports/", "partners/", "ledger/"):
            self.lake.delete_prefix(prefix)
        for key in set(self.lake.list("raw/")) - self.raw_keys:
            self.lake.delete(key)

    def batch(self, partner: Partner, week: date) -> pd.DataFrame:
        """The week's rows of the partner's delivery model, as the warehouse holds them."""
        return DuckDBWarehouse(self.dbt.warehouse).query(
            "select delivery_action, delivery_key, dbt_invocation_id "
            f"from {partner.relation} where delivery_week = date '{week}'"
        )

    def sent_keys(self, partner: Partner, week: date) -> set[str]:
        batch = self.batch(partner, week)
        return set(batch.loc[batch["delivery_action"].isin(["send", "resend"]), "delivery_key"])

    def staged(self, partner: Partner, week: date) -> StagedManifest:
        layout = BatchLayout(partner.name, week)
        return StagedManifest.model_validate_json(self.lake.get(layout.staged(MANIFEST)))

    def nothing_sent(self, partner: Partner, week: date) -> bool:
        layout = BatchLayout(partner.name, week)
        return not self.lake.list(layout.delivered("")) and not self.lake.exists(layout.ledger)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("deliveries")
    lake = LocalLake(root / "lake")
    write_raw_tables(root / "lake", cases=2000, weeks=2, seed=23, start=START)
    dbt = DbtProject(lake=lake.uri(), warehouse=root / "warehouse", target_path=root / "target")
    # seeds and models in one dbt process (each dbt start-up and var change costs a parse)
    upstream = ["--resource-type", "seed", "--resource-type", "model"]
    dbt.run(
        ["build", "--select", *(f"+{m}" for m in MODELS), *upstream],
        {"delivery_week": EMPTY_WEEK.isoformat()},
    )
    dbt.run(["run", "--select", *MODELS], {"delivery_week": WEEK.isoformat()})
    deliveries = Deliveries.open(lake, dbt)
    partners = {p.name: p for p in deliveries.partners()}
    world = World(
        lake, dbt, deliveries, partners[NEVER], partners[ON_CHANGE], frozenset(lake.list("raw/"))
    )
    for partner in (world.never, world.on_change):
        assert len(world.sent_keys(partner, WEEK)) >= 3, "the world needs rows to deliver"
    return world


@pytest.fixture
def world(built: World) -> World:
    built.reset()
    return built


Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """`courtlake <args>` in this process against the world (via the environment, as the
    Monday job sets it); returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("COURTLAKE_LAKE", world.lake.uri())
    monkeypatch.setenv("COURTLAKE_WAREHOUSE", str(world.dbt.warehouse))
    monkeypatch.setenv("DBT_TARGET_PATH", str(world.dbt.target_path))
    monkeypatch.delenv("COURTLAKE_DBT_TARGET", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _restage(
    world: World, partner: Partner, week: date, *, data: bytes, keys: bytes | None = None
) -> None:
    """Replace the staged file (and keys) and rewrite the manifest to match them: a bad
    export that is consistent with itself."""
    layout = BatchLayout(partner.name, week)
    manifest = world.staged(partner, week)
    world.lake.put(layout.staged(manifest.data.name), data)
    rows = len(read_csv(data))
    update = {"data": manifest.data.model_copy(update={"sha256": sha256_hex(data), "rows": rows})}
    if keys is not None:
        world.lake.put(layout.staged(KEYS), keys)
        entry = {"sha256": sha256_hex(keys), "rows": pq.read_metadata(io.BytesIO(keys)).num_rows}
        update["keys"] = manifest.keys.model_copy(update=entry)
    world.lake.put(layout.staged(MANIFEST), manifest.model_copy(update=update).to_bytes())


# -- the steps end to end, through the command line --------------------------------------


@pytest.mark.slow
def test_cli_exports_validates_and_promotes_each_partner_once(world: World, cli: Cli) -> None:
    """GIVEN the week's batches built in the warehouse
    WHEN `courtlake deliver export`, `validate`, `promote` run for the week
    THEN each partner's staged file holds exactly its allowed columns, in order, and the
    batch's send rows; both validate; the auto partner is promoted (file, manifest whose
    sha256 is the file's, ledger rows = the file's keys) while the manual partner awaits
    review until named with --partner; a second promote says "already promoted"."""
    week, lake = str(WEEK), world.lake
    code, out, _ = cli("deliver", "export", "--week", week)
    assert code == 0, out
    assert f"{NEVER}: staged {len(world.sent_keys(world.never, WEEK))} rows" in out

    for partner in (world.never, world.on_change):
        layout = BatchLayout(partner.name, WEEK)
        staged = world.staged(partner, WEEK)
        data = lake.get(layout.staged(layout.data_name))
        assert sha256_hex(data) == staged.data.sha256
        frame = read_csv(data)
        assert list(frame.columns) == FILE_COLUMNS[partner.name]
        assert not INTERNAL_COLUMNS & set(frame.columns)
        assert set(frame["delivery_key"]) == world.sent_keys(partner, WEEK)
        assert frame["delivery_key"].is_unique and frame["delivery_key"].is_monotonic_increasing
        assert staged.data.rows == len(frame) and not staged.empty
        assert staged.dbt_invocation_id == world.batch(partner, WEEK)["dbt_invocation_id"].iloc[0]

    code, out, _ = cli("deliver", "validate", "--week", week)
    assert code == 0, out
    assert f"{NEVER}: validation passed" in out and f"{ON_CHANGE}: validation passed" in out
    for partner in (world.never, world.on_change):
        layout = BatchLayout(partner.name, WEEK)
        record = ValidationRecord.model_validate_json(lake.get(layout.validation))
        assert record.success
        assert record.manifest_sha256 == sha256_hex(lake.get(layout.staged(MANIFEST)))

    code, out, _ = cli("deliver", "promote", "--week", week)
    assert code == 0, out
    assert f"{NEVER}: promoted" in out and f"{ON_CHANGE}: awaiting review" in out
    assert world.nothing_sent(world.on_change, WEEK)
    _check_promoted(world, world.never)

    code, out, _ = cli("deliver", "promote", "--week", week, "--partner", ON_CHANGE)
    assert code == 0, out
    assert f"{ON_CHANGE}: promoted" in out
    _check_promoted(world, world.on_change)

    before = {key: lake.get(key) for key in lake.list("partners/") + lake.list("ledger/")}
    code, out, _ = cli("deliver", "promote", "--week", week)
    assert code == 0, out
    assert f"{NEVER}: already promoted" in out and f"{ON_CHANGE}: already promoted" in out
    after = {key: lake.get(key) for key in lake.list("partners/") + lake.list("ledger/")}
    assert after == before
    # export after promotion leaves what was sent as it was
    code, out, _ = cli("deliver", "export", "--week", week, "--partner", NEVER)
    assert code == 0 and "already promoted; staging left as sent" in out


def _check_promoted(world: World, partner: Partner) -> None:
    """The partner's folder holds the staged file as it was validated, a manifest that
    describes it and nothing internal; the ledger holds exactly its keys."""
    lake, layout = world.lake, BatchLayout(partner.name, WEEK)
    staged = world.staged(partner, WEEK)
    folder = lake.list(layout.delivered(""))
    assert set(folder) == {layout.delivered(layout.data_name), layout.delivered(MANIFEST)}
    data = lake.get(layout.delivered(layout.data_name))
    assert data == lake.get(layout.staged(layout.data_name))
    manifest = PartnerManifest.model_validate_json(lake.get(layout.delivered(MANIFEST)))
    assert manifest.file.sha256 == sha256_hex(data)
    assert manifest.file == staged.data  # what was validated is what was sent
    assert manifest.file.rows == len(read_csv(data))
    assert list(manifest.file.columns) == FILE_COLUMNS[partner.name]
    assert manifest.withdrawals is None
    for key in folder:
        assert b"change_hash" not in lake.get(key) and b"dbt_invocation" not in lake.get(key)

    ledger = read_ledger(lake, partner.name)
    assert set(ledger["delivery_week"]) == {WEEK}
    assert set(ledger["record_kind"]) == {"delivered"}
    assert set(ledger["delivery_key"]) == set(read_csv(data)["delivery_key"])
    assert len(ledger) == manifest.file.rows
    keys = pq.read_table(io.BytesIO(lake.get(layout.staged(KEYS)))).to_pandas()
    hashes = dict(zip(keys["delivery_key"], keys["change_hash"], strict=True))
    assert all(
        hashes[k] == h for k, h in zip(ledger["delivery_key"], ledger["change_hash"], strict=True)
    )
    assert ledger["change_hash"].notna().all()


# -- fail closed ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_case_sealed_after_export_is_caught_and_never_sent(world: World, cli: Cli) -> None:
    """GIVEN the auto partner's batch exported
    WHEN one of its cases is tombstoned in the lake's raw court_removals afterwards
    THEN validation fails on the removed-case check and promotion refuses (nothing in the
    partner's folder or the ledger); once the tombstone is gone, both pass."""
    week, lake = str(WEEK), world.lake
    assert cli("deliver", "export", "--week", week, "--partner", NEVER)[0] == 0
    layout = BatchLayout(NEVER, WEEK)
    staged = read_csv(lake.get(layout.staged(layout.data_name)))
    sealed = staged.iloc[-1]
    rows_of_case = (
        (staged["court"] == sealed["court"]) & (staged["case_number"] == sealed["case_number"])
    ).sum()  # one row per defendant
    tombstone = {
        "court": [f" {sealed['court']} "],  # as landed: not trimmed
        "case_number": [sealed["case_number"]],
        "detected_date": [week],
        "last_found_date": [str(date.fromordinal(WEEK.toordinal() - 7))],
        "reason": ["not_found_twice"],
    }
    out = io.BytesIO()
    pq.write_table(pa.table(tombstone, schema=RAW_TABLES["court_removals"]), out)
    lake.put(TOMBSTONE, out.getvalue())

    code, out_text, _ = cli("deliver", "validate", "--week", week, "--partner", NEVER)
    assert code == 1
    assert "validation FAILED" in out_text and "ctx__removed_date" in out_text
    record = ValidationRecord.model_validate_json(lake.get(layout.validation))
    [removed] = [c for c in record.checks if c["column"] == "ctx__removed_date"]
    assert not removed["success"] and removed["unexpected_count"] == rows_of_case
    code, out_text, _ = cli("deliver", "promote", "--week", week, "--partner", NEVER)
    assert code == 1 and f"{NEVER}: refused: validation failed" in out_text
    assert world.nothing_sent(world.never, WEEK)
    assert not lake.list(f"partners/{NEVER}/") and not lake.list(f"ledger/partner={NEVER}/")

    lake.delete(TOMBSTONE)
    assert cli("deliver", "validate", "--week", week, "--partner", NEVER)[0] == 0
    code, out_text, _ = cli("deliver", "promote", "--week", week, "--partner", NEVER)
    assert code == 0 and f"{NEVER}: promoted" in out_text
    assert lake.exists(layout.ledger)


@pytest.mark.slow
def test_a_duplicated_key_fails_validation_and_is_refused(world: World) -> None:
    """GIVEN an export whose file and keys carry one record twice, with a manifest that
    matches them (a bad batch, not a corrupted file)
    WHEN it is validated and promoted
    THEN validation fails on the uniqueness of delivery_key and promotion refuses."""
    d, lake, partner = world.deliveries, world.lake, world.never
    d.export(WEEK, [partner])
    layout = BatchLayout(partner.name, WEEK)
    lines = lake.get(layout.staged(layout.data_name)).decode().splitlines(keepends=True)
    keys = pq.read_table(io.BytesIO(lake.get(layout.staged(KEYS))))
    twice = keys.filter(pc.equal(keys["delivery_key"], lines[1].split(",", 1)[0]))
    assert twice.num_rows == 1
    extra = io.BytesIO()
    pq.write_table(pa.concat_tables([keys, twice]), extra)
    _restage(world, partner, WEEK, data="".join([*lines, lines[1]]).encode(), keys=extra.getvalue())

    [record] = d.validate(WEEK, [partner])
    assert not record.success
    assert not any("differs from its manifest" in p for p in record.problems), record.problems
    assert any("expect_column_values_to_be_unique(delivery_key)" in p for p in record.problems)
    [result] = d.promote(WEEK, [partner])
    assert result.status is PromoteStatus.REFUSED and "validation failed" in result.message
    assert world.nothing_sent(partner, WEEK)


@pytest.mark.slow
def test_a_file_changed_after_validation_is_refused_until_exported_again(world: World) -> None:
    """GIVEN a validated export
    WHEN one byte of the staged file changes (manifest unchanged), or the file changes
    together with its manifest
    THEN promotion refuses (the validation holds for the exact file only) and sends
    nothing; re-exporting restores the same bytes, which validate and promote."""
    d, lake, partner = world.deliveries, world.lake, world.never
    layout = BatchLayout(partner.name, WEEK)
    d.export(WEEK, [partner])
    [record] = d.validate(WEEK, [partner])
    assert record.success
    good = lake.get(layout.staged(layout.data_name))

    bad = bytearray(good)
    at = good.index(b"\n") + 1  # the first byte of the first record
    bad[at] = ord("X") if bad[at] != ord("X") else ord("Y")
    lake.put(layout.staged(layout.data_name), bytes(bad))
    [result] = d.promote(WEEK, [partner])
    assert result.status is PromoteStatus.REFUSED
    assert "differs from its manifest" in result.message
    assert world.nothing_sent(partner, WEEK)

    _restage(world, partner, WEEK, data=bytes(bad))  # consistent, but not what was validated
    [result] = d.promote(WEEK, [partner])
    assert result.status is PromoteStatus.REFUSED
    assert "validation is of another export" in result.message
    assert world.nothing_sent(partner, WEEK)

    [exported] = d.export(WEEK, [partner])
    assert exported.exported and lake.get(layout.staged(layout.data_name)) == good
    [record] = d.validate(WEEK, [partner])
    assert record.success
    [result] = d.promote(WEEK, [partner])
    assert result.status is PromoteStatus.PROMOTED, result
    assert lake.get(layout.delivered(layout.data_name)) == good


@pytest.mark.slow
def test_an_empty_week_is_exported_validated_and_promoted_as_empty(world: World) -> None:
    """GIVEN a week in which nothing is eligible (built long after the data)
    WHEN both partners' batches are exported, validated and promoted
    THEN each manifest says empty, each file is the header only, validation passes with
    min_rows 0, and each partner receives a header-only file with an empty ledger entry."""
    d, lake = world.deliveries, world.lake
    partners = [world.never, world.on_change]
    for exported in d.export(EMPTY_WEEK, partners):
        assert exported.exported and exported.counts.eligible == exported.counts.withdraw == 0
    for record in d.validate(EMPTY_WEEK, partners):
        assert record.success, record.problems
        assert record.parameters["min_rows"] == 0
    assert [r.status for r in d.promote(EMPTY_WEEK, partners, reviewed=True)] == [
        PromoteStatus.PROMOTED,
        PromoteStatus.PROMOTED,
    ]
    for partner in partners:
        layout = BatchLayout(partner.name, EMPTY_WEEK)
        staged = world.staged(partner, EMPTY_WEEK)
        header = (",".join(FILE_COLUMNS[partner.name]) + "\n").encode()
        assert staged.empty and staged.data.rows == 0
        assert lake.get(layout.staged(layout.data_name)) == header
        assert lake.get(layout.delivered(layout.data_name)) == header
        assert not lake.exists(layout.delivered(layout.withdrawals_name))
        assert lake.exists(layout.ledger) and read_ledger(lake, partner.name).empty


@pytest.mark.slow
def test_a_stale_batch_is_refused_after_a_later_week_was_promoted(world: World) -> None:
    """GIVEN week W exported and validated for the never partner, but not promoted
    WHEN a later week is promoted first, and then W
    THEN W is refused (a later week already went out) and nothing of W is sent.

    (The later week here is EMPTY_WEEK, not W + 1: the refusal is about week order only,
    and one more dbt build would double this file's run time.)"""
    d, lake, partner = world.deliveries, world.lake, world.never
    d.export(WEEK, [partner])
    [record] = d.validate(WEEK, [partner])
    assert record.success
    d.export(EMPTY_WEEK, [partner])
    d.validate(EMPTY_WEEK, [partner])
    [later] = d.promote(EMPTY_WEEK, [partner])
    assert later.status is PromoteStatus.PROMOTED

    [stale] = d.promote(WEEK, [partner])
    assert stale.status is PromoteStatus.REFUSED
    assert f"week {EMPTY_WEEK} is already promoted" in stale.message
    assert world.nothing_sent(partner, WEEK)
    assert set(read_ledger(lake, partner.name)["delivery_week"]) <= {EMPTY_WEEK}


# -- the command line's input errors ------------------------------------------------------


def test_a_week_that_is_not_a_monday_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """GIVEN `courtlake deliver export --week <a Tuesday>` WHEN it runs THEN it exits 2
    naming the Monday to use, before touching a lake."""
    monkeypatch.setenv("COURTLAKE_LAKE", str(tmp_path / "lake"))
    for step in ("export", "validate", "promote"):
        assert main(["deliver", step, "--week", "2026-09-15"]) == 2
        err = capsys.readouterr().err
        assert "--week: a delivery week is a Monday; 2026-09-15 is a Tuesday" in err
        assert "(use 2026-09-14)" in err and "Traceback" not in err
    assert not (tmp_path / "lake").exists()


@pytest.mark.slow
def test_an_unknown_partner_or_an_unbuilt_week_gets_a_clear_error(world: World, cli: Cli) -> None:
    """GIVEN the world WHEN a step names a partner that is not configured THEN it exits 2
    listing the configured ones; WHEN export asks for a week never built THEN it exits 4
    saying which dbt build to run. Nothing is staged either way."""
    code, _, err = cli("deliver", "export", "--week", str(WEEK), "--partner", f"{NEVER},nobody")
    assert code == 2
    assert f"--partner: unknown partner nobody; configured: {NEVER}, {ON_CHANGE}" in err
    code, _, err = cli("deliver", "export", "--week", "2026-09-21", "--partner", NEVER)
    assert code == 4
    assert f"delivery__{NEVER} has no batch for week 2026-09-21" in err
    assert "dbt build --select" in err
    assert not world.lake.list("staging/")


# -- re-running the week's build (runs dbt: keep last) -----------------------------------


@pytest.mark.slow
def test_rebuilding_a_promoted_week_replaces_its_batch_and_keeps_its_rows(world: World) -> None:
    """GIVEN the week promoted to both partners
    WHEN the week's delivery models are built again
    THEN each model still has exactly one batch (one marker row) for that week and for
    the other week, the week's batch is replaced (new invocation, same rows), and the
    week's own rows are still `send` (its ledger entry does not count against itself)."""
    d, partners = world.deliveries, [world.never, world.on_change]
    before = {p.name: world.batch(p, WEEK) for p in partners}
    d.export(WEEK, partners)
    d.validate(WEEK, partners)
    results = d.promote(WEEK, partners, reviewed=True)
    assert all(r.status is PromoteStatus.PROMOTED for r in results), results
    assert partners[0].resend.policy is ResendPolicy.NEVER
    assert partners[1].review is ReviewMode.MANUAL

    world.dbt.run(["run", "--select", *MODELS], {"delivery_week": WEEK.isoformat()})

    for partner in partners:
        counts = DuckDBWarehouse(world.dbt.warehouse).query(
            f"select cast(delivery_week as varchar) as week, count(*) as markers "
            f"from {partner.relation} where delivery_action = 'batch' group by 1 order by 1"
        )
        assert counts.values.tolist() == [[str(WEEK), 1], [str(EMPTY_WEEK), 1]]
        after = world.batch(partner, WEEK)
        old = before[partner.name]
        assert after["dbt_invocation_id"].nunique() == 1
        assert after["dbt_invocation_id"].iloc[0] != old["dbt_invocation_id"].iloc[0]
        assert sorted(after["delivery_action"].value_counts().items()) == sorted(
            old["delivery_action"].value_counts().items()
        )
        sent = set(read_ledger(world.lake, partner.name)["delivery_key"])
        assert world.sent_keys(partner, WEEK) == sent
        assert "skip" not in set(after["delivery_action"])


def _position_key(court: str, case_number: str, party_seq: int) -> str:
    """The delivery key before party identity was tracked: md5(court|case_number|seq)."""
    return hashlib.md5(f"{court}|{case_number}|{party_seq}".encode()).hexdigest()


def test_a_ledger_written_with_position_keys_sends_no_one_again(world: World) -> None:
    """GIVEN a lake whose ledger was written before party identity was tracked: a file
    for the week before, in the old format (no key_scheme column), holding the old
    position keys md5(court|case_number|party_seq) of every defendant the week would send,
    with the content they were sent with
    WHEN the week's delivery models are built by this version
    THEN nobody is sent again: every one of them is skipped (never) or unchanged
    (on_change), under the same key."""
    mart = DuckDBWarehouse(world.dbt.warehouse).query(
        "select defendant_party_id, court, case_number, defendant_seq "
        "from main_marts.fct_eviction_filings"
    )
    position = {
        row.defendant_party_id: _position_key(row.court, row.case_number, row.defendant_seq)
        for row in mart.itertuples(index=False)
    }
    old_schema = pa.schema([(n, pa.string()) for n in ("record_kind", "delivery_key",
                            "change_hash", "case_number", "court", "promoted_at")])  # fmt: skip
    sent: dict[str, set[str]] = {}
    try:
        for partner in (world.never, world.on_change):
            batch = DuckDBWarehouse(world.dbt.warehouse).query(
                "select delivery_key, change_hash, case_number, court "
                f"from {partner.relation} where delivery_week = date '{WEEK}' "
                "and delivery_action = 'send'"
            )
            old_keys = [position[key] for key in batch["delivery_key"]]
            sent[partner.name] = set(old_keys)
            table = pa.table(
                {
                    "record_kind": ["delivered"] * len(batch),
                    "delivery_key": old_keys,
                    "change_hash": batch["change_hash"].tolist(),
                    "case_number": batch["case_number"].tolist(),
                    "court": batch["court"].tolist(),
                    "promoted_at": ["2026-09-07T12:00:00Z"] * len(batch),
                },
                schema=old_schema,
            )
            out = io.BytesIO()
            pq.write_table(table, out)
            world.lake.put(BatchLayout(partner.name, START).ledger, out.getvalue())

        world.dbt.run(["run", "--select", *MODELS], {"delivery_week": WEEK.isoformat()})

        for partner in (world.never, world.on_change):
            after = world.batch(partner, WEEK)
            rows = after[after["delivery_key"].isin(sent[partner.name])]
            assert len(rows) == len(sent[partner.name]) >= 3
            assert set(rows["delivery_action"]) == {"skip"}, rows["delivery_action"].value_counts()
    finally:
        world.reset()
        world.dbt.run(["run", "--select", *MODELS], {"delivery_week": WEEK.isoformat()})
