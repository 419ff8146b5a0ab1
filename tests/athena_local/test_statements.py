"""Athena SQL sorted onto Glue and Trino, and Athena's printing of values (no servers).

* Hive DDL (CREATE EXTERNAL TABLE with partition projection, CREATE/DROP DATABASE,
  DROP TABLE, SET TBLPROPERTIES) becomes Glue calls with the TableInput Athena writes.
* An Athena CTAS becomes a Trino CTAS on the Hive or Iceberg catalog with that
  connector's properties; a property Athena does not have for the table type fails.
* DML stays Trino SQL; values print as Athena prints them.
"""

from __future__ import annotations

import pytest
import trino

from athena_local.front import athena_type, athena_value, failure_reason
from athena_local.statements import (
    AthenaSqlError,
    GlueCreateDatabase,
    GlueCreateTable,
    GlueDropDatabase,
    GlueDropTable,
    GlueSetProperties,
    TrinoStatement,
    plan,
)

RAW_DDL = """-- /* {"app": "dbt"} */
create external table if not exists `courtlake_raw`.`court_cases` (
    `court` string comment 'Court, as `printed`',
    `party_count` int comment 'Parties'
)
comment 'Cases'
partitioned by (`scrape_date` string)
row format serde 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
stored as inputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'
outputformat 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
location 's3://lake/raw/court_cases/'
tblproperties (
    'projection.enabled' = 'true',
    'projection.scrape_date.type' = 'date',
    'storage.location.template' = 's3://lake/raw/court_cases/scrape_date=${scrape_date}/'
)"""


def test_create_external_table_is_the_glue_table_athena_writes() -> None:
    step = plan(RAW_DDL)
    assert isinstance(step, GlueCreateTable)
    assert (step.database, step.if_not_exists) == ("courtlake_raw", True)
    table = step.table_input
    assert table["Name"] == "court_cases"
    assert table["TableType"] == "EXTERNAL_TABLE"
    assert table["PartitionKeys"] == [{"Name": "scrape_date", "Type": "string"}]
    descriptor = table["StorageDescriptor"]
    assert descriptor["Columns"] == [
        {"Name": "court", "Type": "string", "Comment": "Court, as `printed`"},
        {"Name": "party_count", "Type": "int", "Comment": "Parties"},
    ]
    assert descriptor["Location"] == "s3://lake/raw/court_cases/"
    assert descriptor["SerdeInfo"]["SerializationLibrary"].endswith("ParquetHiveSerDe")
    assert descriptor["InputFormat"].endswith("MapredParquetInputFormat")
    assert table["Parameters"] == {
        "EXTERNAL": "TRUE",
        "comment": "Cases",
        "projection.enabled": "true",
        "projection.scrape_date.type": "date",
        "storage.location.template": "s3://lake/raw/court_cases/scrape_date=${scrape_date}/",
    }


def test_seed_csv_table_keeps_its_serde_and_header_skip() -> None:
    step = plan(
        "create external table `seeds`.`m__dbt_tmp` (`a` string, `b` string)\n"
        "row format serde 'org.apache.hadoop.hive.serde2.OpenCSVSerde'\n"
        "location 's3://b/seeds/m/'\ntblproperties ('skip.header.line.count'='1')"
    )
    assert isinstance(step, GlueCreateTable) and not step.if_not_exists
    serde = step.table_input["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"]
    assert serde == "org.apache.hadoop.hive.serde2.OpenCSVSerde"
    assert step.table_input["Parameters"]["skip.header.line.count"] == "1"


def test_external_table_without_s3_location_fails() -> None:
    with pytest.raises(AthenaSqlError, match="LOCATION"):
        plan("create external table `a`.`b` (`x` string) location '/tmp/x'")


def test_hive_ddl_on_databases_and_tables_goes_to_glue() -> None:
    assert plan("create schema if not exists `courtlake_marts`") == GlueCreateDatabase(
        "courtlake_marts", True
    )
    assert plan("drop schema if exists `x` cascade") == GlueDropDatabase("x", True, True)
    assert plan("drop table if exists `s`.`t`") == GlueDropTable("s", "t", True)
    assert plan("drop table t", default_schema="s") == GlueDropTable("s", "t", False)
    assert plan(
        "alter table `s`.`t` set tblproperties ('classification' = 'parquet')"
    ) == GlueSetProperties("s", "t", {"classification": "parquet"})


def test_hive_ctas_becomes_a_trino_hive_ctas() -> None:
    step = plan(
        'create table "awsdatacatalog"."marts"."dim_people"\n    with (\n'
        "      table_type='hive',\n      is_external=true,\n"
        "      external_location='s3://b/warehouse/marts/dim_people',\n"
        "      partitioned_by=ARRAY['birth_year'],\n"
        "      write_compression='snappy',\n      format='parquet'\n    )\n"
        "    as\n      select 1 as id, 'a(b)' as birth_year"
    )
    assert step == TrinoStatement(
        'create table awsdatacatalog."marts"."dim_people" with (format = \'PARQUET\', '
        "external_location = 's3://b/warehouse/marts/dim_people', "
        "partitioned_by = ARRAY['birth_year']) as\n      select 1 as id, 'a(b)' as birth_year",
        "DDL",
        False,
        {"awsdatacatalog.compression_codec": "SNAPPY"},
    )


def test_iceberg_ctas_goes_to_the_iceberg_catalog_with_athenas_default_codec() -> None:
    step = plan(
        'create table "awsdatacatalog"."s"."t" with (table_type=\'iceberg\', '
        "is_external=false, location='s3://b/w/s/t', partitioning=ARRAY['filed_year'], "
        "format='parquet') as select 1 as filed_year"
    )
    assert isinstance(step, TrinoStatement)
    assert step.sql.startswith('create table iceberg."s"."t" with (format = \'PARQUET\', ')
    assert "location = 's3://b/w/s/t'" in step.sql
    assert "partitioning = ARRAY['filed_year']" in step.sql
    assert step.session == {"iceberg.compression_codec": "ZSTD"}


def test_ctas_property_athena_lacks_for_the_table_type_fails() -> None:
    with pytest.raises(AthenaSqlError, match="INVALID_TABLE_PROPERTY"):
        plan("create table s.t with (table_type='iceberg', external_location='s3://x') as select 1")


def test_queries_and_dml_stay_trino_sql() -> None:
    select = plan('select * from "awsdatacatalog"."s"."t" where x = \'`q`\'')
    assert select == TrinoStatement(
        'select * from "awsdatacatalog"."s"."t" where x = \'`q`\'', "DML", True
    )
    delete = plan("delete from s.t where k in (select k from s.u)")
    assert isinstance(delete, TrinoStatement) and not delete.returns_rows
    rename = plan("alter table `s`.`t__ha` rename to `s`.`t`")
    assert rename == TrinoStatement('alter table "s"."t__ha" rename to "s"."t"', "DDL", False)


def test_values_print_as_athena_prints_them() -> None:
    assert athena_value(None) is None
    assert athena_value(True) == "true"
    assert athena_value(12) == "12"
    assert athena_value(0.5) == "0.5"
    assert athena_value(3.0) == "3.0"
    assert athena_value(1e10) == "1.0E10"
    assert athena_value(1.5e-5) == "1.5E-5"
    assert athena_value("2026-11-23 00:00:00.000") == "2026-11-23 00:00:00.000"
    assert athena_value(["a", None]) == "[a, null]"
    assert athena_value({"k": 1}) == "{k=1}"


def test_column_types_carry_athenas_precision() -> None:
    assert athena_type("varchar") == {"Type": "varchar", "Precision": 2147483647, "Scale": 0}
    assert athena_type("varchar(9)")["Precision"] == 9
    assert athena_type("decimal(12,2)") == {"Type": "decimal", "Precision": 12, "Scale": 2}
    assert athena_type("timestamp(3)")["Type"] == "timestamp"
    assert athena_type("array(varchar)")["Type"] == "array"


def test_a_failure_reason_names_its_innermost_cause() -> None:
    """What the S3 or Glue answer behind a file-system error was, as Athena appends it."""
    cause = {"type": "java.net.SocketTimeoutException", "message": "Connect timed out"}
    wrapped = {"type": "java.io.UncheckedIOException", "message": "listing", "cause": cause}
    error = trino.exceptions.TrinoExternalError(
        {
            "errorName": "HIVE_FILESYSTEM_ERROR",
            "message": "Failed checking directory path: s3://b/t/d=1/",
            "failureInfo": {"type": "io.trino.spi.TrinoException", "cause": wrapped},
        }
    )
    assert failure_reason(error) == (
        "HIVE_FILESYSTEM_ERROR: Failed checking directory path: s3://b/t/d=1/ "
        "(caused by SocketTimeoutException: Connect timed out)"
    )
    plain = trino.exceptions.TrinoUserError({"errorName": "SYNTAX_ERROR", "message": "x"})
    assert failure_reason(plain) == "SYNTAX_ERROR: x"
