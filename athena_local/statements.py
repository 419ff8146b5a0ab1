"""Athena's two SQL surfaces, mapped onto Glue and Trino.

Athena runs DDL (`CREATE EXTERNAL TABLE`, `CREATE/DROP DATABASE`, `DROP TABLE`,
`ALTER TABLE … SET TBLPROPERTIES`) through its Hive engine, as Glue catalog operations
on backtick-quoted names; everything else (queries, DML, CTAS, Iceberg DDL) is Trino
SQL, with CTAS properties of its own (`table_type`, `external_location`, `is_external`,
`partitioned_by`, `write_compression`, …). `plan()` sorts a statement into one of those
and, for Trino, rewrites Athena's CTAS properties into the Hive or Iceberg connector's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import expressions as exp

from athena_local.trino import HIVE_CATALOG, ICEBERG_CATALOG


class AthenaSqlError(ValueError):
    """A statement Athena would reject (the message names Athena's error)."""


# Athena's defaults for CTAS (documented per format): Parquet, GZIP for Hive tables and
# ZSTD for Iceberg tables.
DEFAULT_COMPRESSION = {"hive": "GZIP", "iceberg": "ZSTD"}
HIVE_SERDES = {
    "parquet": (
        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
        "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    ),
    "text": (
        "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
        "org.apache.hadoop.mapred.TextInputFormat",
        "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    ),
}


@dataclass(frozen=True)
class GlueCreateTable:
    database: str
    table_input: dict[str, Any]
    if_not_exists: bool


@dataclass(frozen=True)
class GlueCreateDatabase:
    database: str
    if_not_exists: bool


@dataclass(frozen=True)
class GlueDropDatabase:
    database: str
    if_exists: bool
    cascade: bool


@dataclass(frozen=True)
class GlueDropTable:
    """Hive DROP TABLE: the catalog entry goes; an Iceberg table is dropped with its data."""

    database: str
    table: str
    if_exists: bool


@dataclass(frozen=True)
class GlueSetProperties:
    database: str
    table: str
    properties: dict[str, str]


@dataclass(frozen=True)
class TrinoStatement:
    sql: str
    statement_type: str  # Athena's StatementType: DML, DDL or UTILITY
    returns_rows: bool
    session: dict[str, str] = field(default_factory=dict)


Plan = (
    GlueCreateTable
    | GlueCreateDatabase
    | GlueDropDatabase
    | GlueDropTable
    | GlueSetProperties
    | TrinoStatement
)

_COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_NAME = r"(`[^`]+`|\"[^\"]+\"|\w+)"
_QUALIFIED = rf"{_NAME}(?:\s*\.\s*{_NAME})?"


def _unquote(name: str | None) -> str:
    return (name or "").strip('`"').lower()


def _split(qualified: re.Match[str], first: int, default_schema: str) -> tuple[str, str]:
    a, b = qualified.group(first), qualified.group(first + 1)
    return (_unquote(a), _unquote(b)) if b else (default_schema, _unquote(a))


def strip_comments(sql: str) -> str:
    return _COMMENTS.sub(" ", sql).strip().rstrip(";").strip()


def plan(sql: str, default_schema: str = "default") -> Plan:
    """What to do for one Athena statement."""
    text = strip_comments(sql)
    head = text.lower()
    if re.match(r"create\s+external\s+table\b", head):
        return _create_external_table(text, default_schema)
    if m := re.match(rf"create\s+(?:schema|database)\s+(if\s+not\s+exists\s+)?{_NAME}\s*$", head):
        return GlueCreateDatabase(_unquote(m.group(2)), bool(m.group(1)))
    if m := re.match(
        rf"drop\s+(?:schema|database)\s+(if\s+exists\s+)?{_NAME}(\s+cascade)?\s*$", head
    ):
        return GlueDropDatabase(_unquote(m.group(2)), bool(m.group(1)), bool(m.group(3)))
    if m := re.match(rf"drop\s+table\s+(if\s+exists\s+)?{_QUALIFIED}\s*$", head):
        database, table = _split(m, 2, default_schema)
        return GlueDropTable(database, table, bool(m.group(1)))
    if m := re.match(
        rf"alter\s+table\s+{_QUALIFIED}\s+set\s+tblproperties\s*\((.*)\)$", text, re.I | re.S
    ):
        database, table = _split(m, 1, default_schema)
        return GlueSetProperties(database, table, _string_pairs(m.group(3)))
    if re.match(r"create\s+table\b", head) and re.search(r"\bwith\s*\(", head):
        return _ctas(text)
    keyword = head.split(None, 1)[0] if head else ""
    if keyword in ("select", "with", "values", "show", "describe", "explain", "table"):
        return TrinoStatement(text, "UTILITY" if keyword in ("show", "describe") else "DML", True)
    if keyword in ("insert", "delete", "update", "merge"):
        return TrinoStatement(text, "DML", False)
    if keyword in ("alter", "drop", "create", "optimize", "vacuum"):
        return TrinoStatement(_hive_quotes(text), "DDL", False)
    raise AthenaSqlError(f"INVALID_INPUT: statement not supported here: {text[:80]!r}")


def _hive_quotes(sql: str) -> str:
    """Backtick identifiers (Athena's Hive DDL quoting) as Trino's double quotes."""
    return re.sub(r"`([^`]*)`", r'"\1"', sql)


def _string_pairs(body: str) -> dict[str, str]:
    return dict(re.findall(r"'((?:[^']|'')*)'\s*=\s*'((?:[^']|'')*)'", body))


def _literal(node: exp.Expression | None) -> str:
    return node.name if isinstance(node, exp.Literal) else ""


def _hive_type(kind: exp.DataType) -> str:
    return kind.sql(dialect="hive").lower()


def _column(column: exp.ColumnDef) -> dict[str, Any]:
    entry: dict[str, Any] = {"Name": column.name.lower(), "Type": _hive_type(column.args["kind"])}
    for constraint in column.args.get("constraints") or []:
        if isinstance(constraint.kind, exp.CommentColumnConstraint):
            entry["Comment"] = _literal(constraint.kind.this)
    return entry


def _create_external_table(sql: str, default_schema: str) -> GlueCreateTable:
    """The Glue TableInput Athena writes for a Hive CREATE EXTERNAL TABLE."""
    try:
        tree = sqlglot.parse_one(sql, read="athena")
    except sqlglot.errors.ParseError as exc:
        raise AthenaSqlError(f"INVALID_INPUT: {exc}") from None
    schema = tree.this
    table = schema.this
    columns = [_column(c) for c in schema.expressions if isinstance(c, exp.ColumnDef)]
    parameters: dict[str, str] = {"EXTERNAL": "TRUE"}
    partitions: list[dict[str, Any]] = []
    serde, input_format, output_format = HIVE_SERDES["text"]
    serde_parameters = {"serialization.format": "1"}
    location = ""
    for prop in tree.args["properties"].expressions:
        if isinstance(prop, exp.PartitionedByProperty):
            partitions = [_column(c) for c in prop.this.expressions]
        elif isinstance(prop, exp.RowFormatSerdeProperty):
            serde = _literal(prop.this)
            listed = prop.args.get("serde_properties")
            for pair in listed.expressions if listed else []:
                serde_parameters[_literal(pair.this)] = _literal(pair.args["value"])
        elif isinstance(prop, exp.FileFormatProperty):
            io = prop.this
            if isinstance(io, exp.InputOutputFormat):
                input_format = _literal(io.args["input_format"])
                output_format = _literal(io.args["output_format"])
            elif io is not None and io.name.lower() in HIVE_SERDES:
                serde, input_format, output_format = HIVE_SERDES[io.name.lower()]
        elif isinstance(prop, exp.LocationProperty):
            location = _literal(prop.this)
        elif isinstance(prop, exp.SchemaCommentProperty):
            parameters["comment"] = _literal(prop.this)
        elif type(prop) is exp.Property:  # its subclasses are the clauses above
            parameters[_literal(prop.this) or prop.name] = _literal(prop.args.get("value"))
    if not location.startswith("s3://"):
        raise AthenaSqlError("INVALID_INPUT: CREATE EXTERNAL TABLE needs an s3:// LOCATION")
    table_input = {
        "Name": table.name.lower(),
        "TableType": "EXTERNAL_TABLE",
        "Parameters": parameters,
        "PartitionKeys": partitions,
        "StorageDescriptor": {
            "Columns": columns,
            "Location": location,
            "InputFormat": input_format,
            "OutputFormat": output_format,
            "Compressed": False,
            "SerdeInfo": {"SerializationLibrary": serde, "Parameters": serde_parameters},
        },
    }
    database = _unquote(table.db) if table.db else default_schema
    return GlueCreateTable(database, table_input, bool(tree.args.get("exists")))


_CTAS = re.compile(rf"create\s+table\s+((?:{_NAME}\s*\.\s*)*{_NAME})\s+with\s*\(", re.I)


def _ctas_properties(body: str) -> dict[str, str | list[str]]:
    """`key='v', flag=true, cols=ARRAY['a','b']` → a dict (values unquoted)."""
    pattern = re.compile(
        r"\s*(\w+)\s*=\s*(ARRAY\s*\[[^\]]*\]|'(?:[^']|'')*'|[\w.]+)\s*(?:,|$)", re.I
    )
    found: dict[str, str | list[str]] = {}
    position = 0
    while position < len(body.strip()):
        match = pattern.match(body, position)
        if not match:
            raise AthenaSqlError(f"INVALID_INPUT: CTAS property list near {body[position:][:60]!r}")
        key, value = match.group(1).lower(), match.group(2)
        if value.upper().startswith("ARRAY"):
            found[key] = re.findall(r"'((?:[^']|'')*)'", value)
        else:
            found[key] = value.strip("'")
        position = match.end()
    return found


def _balanced(sql: str, start: int) -> int:
    """Index of the parenthesis closing the one just before `start`."""
    depth, quoted = 1, False
    for index in range(start, len(sql)):
        char = sql[index]
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth == 0:
                return index
    raise AthenaSqlError("INVALID_INPUT: unbalanced parentheses in CTAS properties")


def _ctas(sql: str) -> TrinoStatement:
    """Athena CTAS → a Trino CTAS on the Hive or Iceberg catalog."""
    head = _CTAS.match(sql)
    if not head:
        raise AthenaSqlError(f"INVALID_INPUT: CTAS not understood: {sql[:80]!r}")
    close = _balanced(sql, head.end())
    properties = _ctas_properties(sql[head.end() : close])
    query = sql[close + 1 :].strip()
    if not re.match(r"as\b", query, re.I):
        raise AthenaSqlError("INVALID_INPUT: CTAS without AS <query>")
    parts = [_unquote(p) for p in re.findall(_NAME, head.group(1))]
    schema, table = parts[-2], parts[-1]
    table_type = str(properties.pop("table_type", "hive")).lower()
    properties.pop("is_external", None)
    file_format = str(properties.pop("format", "parquet")).upper()
    compression = str(properties.pop("write_compression", DEFAULT_COMPRESSION[table_type]))
    catalog = ICEBERG_CATALOG if table_type == "iceberg" else HIVE_CATALOG
    allowed = (
        {"location", "partitioning"}
        if table_type == "iceberg"
        else {"external_location", "partitioned_by", "bucketed_by", "bucket_count"}
    )
    if unknown := set(properties) - allowed:
        raise AthenaSqlError(
            f"INVALID_TABLE_PROPERTY: {sorted(unknown)} not supported for {table_type} tables"
        )
    rendered = [f"format = '{file_format}'"]
    for key, value in properties.items():
        if isinstance(value, list):
            rendered.append(f"{key} = ARRAY[{', '.join(repr(v) for v in value)}]")
        elif key == "bucket_count":
            rendered.append(f"{key} = {int(value)}")
        else:
            rendered.append(f"{key} = '{value}'")
    trino_sql = f'create table {catalog}."{schema}"."{table}" with ({", ".join(rendered)}) {query}'
    session = {f"{catalog}.compression_codec": compression.upper()}
    return TrinoStatement(trino_sql, "DDL", False, session)
