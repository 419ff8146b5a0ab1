"""The dbt project against the production engine (Athena), offline.

* The source YAML declares exactly the raw tables and columns of ingest's compaction
  contract (ingest.raw_tables), with Hive types the Athena DDL can use.
* `dbt parse --target prod` needs no AWS credentials.
* GIVEN a moto server standing in for S3 + Glue, WHEN `dbt compile --target prod` runs,
  THEN every compiled model and analysis parses as Athena SQL (sqlglot) and carries no
  DuckDB-only construct; and `create_raw_tables` renders one CREATE EXTERNAL TABLE per
  raw table with partition projection (moto's Athena does not execute SQL, so the DDL
  is checked as text).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
import sqlglot
import yaml

from ingest.raw_tables import RAW_TABLES

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")
SOURCE_FILES = (
    REPO / "models/staging/court/_court__sources.yml",
    REPO / "models/staging/jail/_jail__sources.yml",
)
HIVE_TYPES = {pa.string(): "string", pa.int32(): "int", pa.bool_(): "boolean"}
# DuckDB spellings that Athena (Trino) rejects; engine differences belong in macros.
DUCKDB_ONLY = (
    r"\bqualify\b",
    r"::",
    r"\bgroup\s+by\s+all\b",
    r"\bstrip_accents\s*\(",
    r"\btry_strptime\s*\(",
    r"\bregexp_matches\s*\(",
    r"\bstring_agg\s*\(",
    r"\bto_days\s*\(",
    r"\bquantile_cont\s*\(",
    r"\bread_parquet\s*\(",
    r"\btimestamptz\b|\bwith time zone\b",
)


def _sources() -> dict[str, dict]:
    tables = {}
    for path in SOURCE_FILES:
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                tables[table["name"]] = table
    return tables


def test_source_yaml_declares_the_raw_table_contract() -> None:
    sources = _sources()
    assert set(sources) == set(RAW_TABLES)
    for name, schema in RAW_TABLES.items():
        declared = {c["name"]: c["data_type"] for c in sources[name]["columns"]}
        expected = {field.name: HIVE_TYPES[field.type] for field in schema}
        assert declared == {**expected, "scrape_date": "string"}, name
        assert all(c.get("description") for c in sources[name]["columns"]), name


def _athena_env(extra: dict[str, str]) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "COURTLAKE_"))
    }
    return {
        **env,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
        **extra,
    }


def _dbt(args: list[str], env: dict[str, str], target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DBT), *args, "--profiles-dir", str(REPO), "--project-dir", str(REPO)],
        cwd=REPO,
        env={**env, "DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(target / "logs")},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_parse_for_athena_needs_no_credentials(tmp_path: Path) -> None:
    done = _dbt(["parse", "--target", "prod", "--no-partial-parse"], _athena_env({}), tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    assert (tmp_path / "manifest.json").exists()


@pytest.fixture
def athena_env(s3_env: str, s3_bucket: str) -> Iterator[dict[str, str]]:
    """Athena target settings pointing at the moto server, with its Glue databases."""
    import boto3

    glue = boto3.client("glue", endpoint_url=s3_env, region_name="us-east-1")
    for database in ("courtlake", "courtlake_raw"):
        glue.create_database(DatabaseInput={"Name": database})
    yield _athena_env(
        {
            "AWS_ENDPOINT_URL": s3_env,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "COURTLAKE_ATHENA_S3_STAGING_DIR": f"s3://{s3_bucket}/athena-results/",
            "COURTLAKE_ATHENA_S3_DATA_DIR": f"s3://{s3_bucket}/warehouse/",
            "COURTLAKE_ATHENA_REGION": "us-east-1",
            "COURTLAKE_ATHENA_SCHEMA": "courtlake",
            "COURTLAKE_LAKE": f"s3://{s3_bucket}/lake",
        }
    )
    for database in ("courtlake", "courtlake_raw"):
        glue.delete_database(Name=database)


@pytest.mark.slow
def test_compiled_models_and_analyses_are_athena_sql(
    athena_env: dict[str, str], tmp_path: Path
) -> None:
    done = _dbt(["compile", "--target", "prod"], athena_env, tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    compiled = tmp_path / "compiled" / "courtlake"
    files = sorted((compiled / "models").rglob("*.sql")) + sorted(
        (compiled / "analyses").rglob("*.sql")
    )
    models = [f for f in files if "/models/" in str(f) and not f.name.startswith("_")]
    assert len(models) >= 28 and len(list((compiled / "analyses").rglob("*.sql"))) == 3
    problems: dict[str, str] = {}
    for path in files:
        sql = path.read_text()
        try:
            statements = [s for s in sqlglot.parse(sql, read="athena") if s is not None]
        except sqlglot.errors.ParseError as error:
            problems[path.name] = str(error)[:300]
            continue
        if not statements:
            problems[path.name] = "no statement"
        code = re.sub(r"--[^\n]*|'(?:[^']|'')*'", "''", sql.lower())  # drop comments, strings
        leaks = [pattern for pattern in DUCKDB_ONLY if re.search(pattern, code)]
        if leaks:
            problems[path.name] = f"DuckDB-only syntax: {leaks}"
    assert problems == {}


@pytest.mark.slow
def test_create_raw_tables_renders_projected_external_tables(
    athena_env: dict[str, str], tmp_path: Path
) -> None:
    done = _dbt(
        ["run-operation", "create_raw_tables", "--target", "prod", "--args", "{dry_run: true}"],
        athena_env,
        tmp_path,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    statements = re.findall(r"create external table.*?\n\);", done.stdout, flags=re.S)
    tables = {re.search(r"`courtlake_raw`\.`(\w+)`", s).group(1): s for s in statements}  # type: ignore[union-attr]
    assert set(tables) == {*RAW_TABLES, "ledger"}
    lake = athena_env["COURTLAKE_LAKE"]
    for name, ddl in tables.items():
        assert "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" in ddl
        assert "'projection.enabled' = 'true'" in ddl
        assert "msck" not in ddl.lower()
        if name == "ledger":
            assert "'projection.partner.type' = 'injected'" in ddl
            template = f"{lake}/ledger/partner=${{partner}}/delivery_week=${{delivery_week}}/"
        else:
            assert "partitioned by (\n    `scrape_date` string" in ddl
            assert "'projection.scrape_date.type' = 'date'" in ddl
            assert "'projection.scrape_date.range' = '2025-01-01,NOW'" in ddl
            template = f"{lake}/raw/{name}/scrape_date=${{scrape_date}}/"
            for field in RAW_TABLES[name]:
                assert f"`{field.name}` {HIVE_TYPES[field.type]}" in ddl, (name, field.name)
        assert f"'storage.location.template' = '{template}'" in ddl, name
        assert "`scrape_date` string comment" not in ddl  # partitions are not columns
