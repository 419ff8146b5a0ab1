"""The Athena API front: Athena's JSON protocol over HTTP, queries run on Trino.

Calls (X-Amz-Target `AmazonAthena.<call>`, JSON 1.1 bodies): StartQueryExecution,
GetQueryExecution, GetQueryResults (pages of at most 1000 rows with NextToken; the first
row of a query's first page is the header, DDL and DML return none), StopQueryExecution
and GetWorkGroup. A query runs in the background; its state goes QUEUED → RUNNING →
SUCCEEDED | FAILED | CANCELLED, a failure's reason reading `ERROR_NAME: message` as
Athena's do. Values come back as Athena prints them (NULL as a cell without
VarCharValue). Results are served through GetQueryResults only: nothing is written to
the workgroup's output location.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import trino
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from athena_local.statements import (
    AthenaSqlError,
    GlueCreateDatabase,
    GlueCreateTable,
    GlueDropDatabase,
    GlueDropTable,
    GlueSetProperties,
    Plan,
    TrinoStatement,
    plan,
)
from athena_local.trino import HIVE_CATALOG, ICEBERG_CATALOG

PAGE_MAX = 1000
UNBOUNDED_VARCHAR = 2147483647


class ApiError(Exception):
    """An Athena API error: `code` is the exception's name in Athena's model."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class QueryFailed(Exception):
    def __init__(self, reason: str, user_error: bool = True) -> None:
        super().__init__(reason)
        self.user_error = user_error


@dataclass
class Execution:
    id: str
    sql: str
    database: str
    workgroup: str
    output: str | None
    statement_type: str = "DML"
    state: str = "QUEUED"
    reason: str | None = None
    user_error: bool = True
    submitted: float = field(default_factory=time.time)
    completed: float | None = None
    columns: list[dict[str, Any]] = field(default_factory=list)
    rows: list[list[str | None]] = field(default_factory=list)
    update_count: int = 0
    scanned_bytes: int = 0
    cursor: Any = None


def athena_type(trino_type: str) -> dict[str, Any]:
    """ColumnInfo type fields for a Trino type: `varchar(9)` → varchar, precision 9."""
    base, _, arguments = trino_type.partition("(")
    info: dict[str, Any] = {"Type": base.strip(), "Precision": 0, "Scale": 0}
    if trino_type.endswith("with time zone"):
        info["Type"] = f"{base.strip()} with time zone"
    numbers = [a.strip() for a in arguments.rstrip(")").split(",")] if arguments else []
    if info["Type"] in ("varchar", "char", "decimal") and numbers and numbers[0].isdigit():
        info["Precision"] = int(numbers[0])
        info["Scale"] = int(numbers[1]) if len(numbers) > 1 and numbers[1].isdigit() else 0
    elif info["Type"] == "varchar":
        info["Precision"] = UNBOUNDED_VARCHAR
    if info["Type"] in ("array", "map", "row"):
        info["Type"] = base.strip()
    return info


def _java_double(value: float) -> str:
    """A DOUBLE as Athena (Java's Double.toString) prints it."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = repr(float(value))
        return text if "e" not in text else f"{value:.1f}"
    mantissa, exponent = f"{value:.16e}".split("e")
    digits = repr(float(mantissa)).rstrip("0")
    digits = digits + "0" if digits.endswith(".") else digits
    return f"{digits}E{int(exponent)}"


def athena_value(value: Any) -> str | None:
    """A Trino value (legacy primitive types: temporal and decimal values as text)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _java_double(value)
    if isinstance(value, list):
        return "[" + ", ".join(_nested(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_nested(k)}={_nested(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bytes):
        return " ".join(f"{b:02x}" for b in value)
    return str(value)


def _nested(value: Any) -> str:
    """An element of an array or map: NULL prints as `null` there."""
    return "null" if value is None else str(athena_value(value))


def failure_reason(error: trino.exceptions.TrinoQueryError) -> str:
    """`ERROR_NAME: message`, and the innermost cause when Trino wrapped one (an S3 or
    Glue answer behind a file-system or metastore error), as Athena adds the service's."""
    reason = f"{error.error_name}: {error.message}"
    info, root = error.failure_info or {}, None
    while isinstance(info.get("cause"), dict):
        info = info["cause"]
        root = f"{info.get('type', '').rsplit('.', 1)[-1]}: {info.get('message', '')}"
    return f"{reason} (caused by {root})" if root else reason


class AthenaFront:
    """Query executions, run on Trino and Glue (a boto3 Glue client on moto)."""

    WORKERS = 4
    ANSWER_WITHIN_S = 2.0

    def __init__(self, trino_port: int, glue: Any, output_location: str | None = None) -> None:
        self.trino_port = trino_port
        self.glue = glue
        self.output_location = output_location
        self.executions: dict[str, Execution] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(self.WORKERS, thread_name_prefix="athena-query")

    # -- API calls ------------------------------------------------------------------

    def start_query_execution(self, body: dict[str, Any]) -> dict[str, Any]:
        sql = body.get("QueryString") or ""
        if not sql.strip():
            raise ApiError("InvalidRequestException", "QueryString is empty")
        context = body.get("QueryExecutionContext") or {}
        output = (body.get("ResultConfiguration") or {}).get("OutputLocation")
        execution = Execution(
            id=str(uuid.uuid4()),
            sql=sql,
            database=(context.get("Database") or "default").lower(),
            workgroup=body.get("WorkGroup") or "primary",
            output=output or self.output_location,
        )
        with self.lock:
            self.executions[execution.id] = execution
        # answered once the query is done or after a moment: a client's first poll then
        # finds a short statement finished instead of sleeping its poll interval
        wait([self.pool.submit(self._run, execution)], timeout=self.ANSWER_WITHIN_S)
        return {"QueryExecutionId": execution.id}

    def get_query_execution(self, body: dict[str, Any]) -> dict[str, Any]:
        e = self._execution(body)
        status: dict[str, Any] = {"State": e.state, "SubmissionDateTime": e.submitted}
        if e.completed is not None:
            status["CompletionDateTime"] = e.completed
        if e.reason:
            status["StateChangeReason"] = e.reason
            status["AthenaError"] = {
                "ErrorCategory": 2 if e.user_error else 1,
                "ErrorType": 1306 if e.user_error else 401,
                "Retryable": False,
                "ErrorMessage": e.reason,
            }
        elapsed_ms = int(((e.completed or time.time()) - e.submitted) * 1000)
        result: dict[str, Any] = {
            "QueryExecutionId": e.id,
            "Query": e.sql,
            "StatementType": e.statement_type,
            "QueryExecutionContext": {"Database": e.database, "Catalog": HIVE_CATALOG},
            "Status": status,
            "Statistics": {
                "EngineExecutionTimeInMillis": elapsed_ms,
                "TotalExecutionTimeInMillis": elapsed_ms,
                "DataScannedInBytes": e.scanned_bytes,
            },
            "WorkGroup": e.workgroup,
            "EngineVersion": {
                "SelectedEngineVersion": "AUTO",
                "EffectiveEngineVersion": "Athena engine version 3",
            },
        }
        if e.output:
            result["ResultConfiguration"] = {"OutputLocation": f"{e.output.rstrip('/')}/{e.id}.csv"}
        return {"QueryExecution": result}

    def get_query_results(self, body: dict[str, Any]) -> dict[str, Any]:
        e = self._execution(body)
        if e.state != "SUCCEEDED":
            raise ApiError(
                "InvalidRequestException",
                f"Query has not yet finished. Current state: {e.state}"
                if e.state in ("QUEUED", "RUNNING")
                else f"Query did not finish successfully. Final query state: {e.state}",
            )
        limit = min(int(body.get("MaxResults") or PAGE_MAX), PAGE_MAX)
        start = int(body.get("NextToken") or 0)
        header = [[c["Name"] for c in e.columns]] if e.columns else []
        rows = header + e.rows
        page = rows[start : start + limit]
        result: dict[str, Any] = {
            "UpdateCount": e.update_count,
            "ResultSet": {
                "Rows": [
                    {"Data": [{} if v is None else {"VarCharValue": v} for v in row]}
                    for row in page
                ],
                "ResultSetMetadata": {"ColumnInfo": e.columns},
            },
        }
        if start + limit < len(rows):
            result["NextToken"] = str(start + limit)
        return result

    def stop_query_execution(self, body: dict[str, Any]) -> dict[str, Any]:
        e = self._execution(body)
        if e.state in ("QUEUED", "RUNNING"):
            e.state, e.completed = "CANCELLED", time.time()
            if e.cursor is not None:
                e.cursor.cancel()
        return {}

    def get_work_group(self, body: dict[str, Any]) -> dict[str, Any]:
        configuration: dict[str, Any] = {
            "EnforceWorkGroupConfiguration": False,
            "EngineVersion": {
                "SelectedEngineVersion": "AUTO",
                "EffectiveEngineVersion": "Athena engine version 3",
            },
        }
        if self.output_location:
            configuration["ResultConfiguration"] = {"OutputLocation": self.output_location}
        return {
            "WorkGroup": {
                "Name": body.get("WorkGroup") or "primary",
                "State": "ENABLED",
                "Configuration": configuration,
            }
        }

    def _execution(self, body: dict[str, Any]) -> Execution:
        with self.lock:
            found = self.executions.get(body.get("QueryExecutionId") or "")
        if found is None:
            raise ApiError("InvalidRequestException", "QueryExecution not found")
        return found

    # -- running a query ----------------------------------------------------------

    def _run(self, e: Execution) -> None:
        if e.state == "CANCELLED":
            return
        e.state = "RUNNING"
        try:
            step = plan(e.sql, e.database)
            e.statement_type = (
                "DDL" if not isinstance(step, TrinoStatement) else step.statement_type
            )
            self._apply(step, e)
        except AthenaSqlError as exc:
            self._fail(e, str(exc), True)
        except QueryFailed as exc:
            self._fail(e, str(exc), exc.user_error)
        except Exception as exc:  # every failure becomes the query's reason
            self._fail(e, f"INTERNAL_ERROR: {type(exc).__name__}: {exc}", False)
        else:
            if e.state == "RUNNING":
                e.state = "SUCCEEDED"
        finally:
            e.completed = e.completed or time.time()
            e.cursor = None

    @staticmethod
    def _fail(e: Execution, reason: str, user_error: bool) -> None:
        if e.state != "CANCELLED":
            e.state, e.reason, e.user_error = "FAILED", reason, user_error

    def _apply(self, step: Plan, e: Execution) -> None:
        if isinstance(step, TrinoStatement):
            self._trino(step, e)
        elif isinstance(step, GlueCreateTable):
            if step.if_not_exists and self._glue_table(step.database, step.table_input["Name"]):
                return
            self._glue_call("create_table", DatabaseName=step.database, TableInput=step.table_input)
        elif isinstance(step, GlueCreateDatabase):
            if step.if_not_exists and self._glue_database(step.database):
                return
            self._glue_call("create_database", DatabaseInput={"Name": step.database})
        elif isinstance(step, GlueDropTable):
            self._drop_table(step.database, step.table, step.if_exists, e)
        elif isinstance(step, GlueDropDatabase):
            self._drop_database(step, e)
        elif isinstance(step, GlueSetProperties):
            self._set_properties(step)

    def _trino(self, step: TrinoStatement, e: Execution) -> None:
        connection = trino.dbapi.connect(
            host="127.0.0.1",
            port=self.trino_port,
            user="athena-local",
            catalog=HIVE_CATALOG,
            schema=e.database if self._glue_database(e.database) else None,
            session_properties=step.session,
            legacy_primitive_types=True,
        )
        cursor = connection.cursor()
        e.cursor = cursor
        try:
            cursor.execute(step.sql)
            rows = cursor.fetchall()
        except trino.exceptions.TrinoUserError as exc:
            raise QueryFailed(failure_reason(exc)) from None
        except trino.exceptions.TrinoQueryError as exc:
            raise QueryFailed(failure_reason(exc), user_error=False) from None
        finally:
            connection.close()
        e.scanned_bytes = int((cursor.stats or {}).get("processedBytes") or 0)
        if step.returns_rows:
            e.columns = [
                {
                    "CatalogName": "hive",
                    "SchemaName": "",
                    "TableName": "",
                    "Name": d[0],
                    "Label": d[0],
                    **athena_type(d[1]),
                    "Nullable": "UNKNOWN",
                    "CaseSensitive": athena_type(d[1])["Type"] in ("varchar", "char"),
                }
                for d in cursor.description or []
            ]
            e.rows = [[athena_value(v) for v in row] for row in rows]
        elif rows and rows[0] and isinstance(rows[0][0], int):
            e.update_count = rows[0][0]

    # -- Hive DDL on Glue ---------------------------------------------------------

    def _glue_call(self, name: str, **arguments: Any) -> Any:
        try:
            return getattr(self.glue, name)(**arguments)
        except self.glue.exceptions.AlreadyExistsException as exc:
            raise QueryFailed(f"ALREADY_EXISTS: {exc.response['Error']['Message']}") from None
        except self.glue.exceptions.EntityNotFoundException as exc:
            raise QueryFailed(f"NOT_FOUND: {exc.response['Error']['Message']}") from None

    def _glue_database(self, name: str) -> bool:
        try:
            self.glue.get_database(Name=name)
        except self.glue.exceptions.EntityNotFoundException:
            return False
        return True

    def _glue_table(self, database: str, name: str) -> dict[str, Any] | None:
        try:
            return self.glue.get_table(DatabaseName=database, Name=name)["Table"]
        except self.glue.exceptions.EntityNotFoundException:
            return None

    def _drop_table(self, database: str, name: str, if_exists: bool, e: Execution) -> None:
        table = self._glue_table(database, name)
        if table is None:
            if if_exists:
                return
            raise QueryFailed(f"TABLE_NOT_FOUND: Table {database}.{name} does not exist")
        if (table.get("Parameters") or {}).get("table_type", "").upper() == "ICEBERG":
            # Athena drops an Iceberg table with its data
            sql = f'drop table {ICEBERG_CATALOG}."{database}"."{name}"'
            self._trino(TrinoStatement(sql, "DDL", False), e)
        else:
            self._glue_call("delete_table", DatabaseName=database, Name=name)

    def _drop_database(self, step: GlueDropDatabase, e: Execution) -> None:
        if not self._glue_database(step.database):
            if step.if_exists:
                return
            raise QueryFailed(f"SCHEMA_NOT_FOUND: Database {step.database} does not exist")
        tables = self.glue.get_paginator("get_tables").paginate(DatabaseName=step.database)
        names = [t["Name"] for page in tables for t in page["TableList"]]
        if names and not step.cascade:
            raise QueryFailed(f"SCHEMA_NOT_EMPTY: Database {step.database} is not empty")
        for name in names:
            self._drop_table(step.database, name, True, e)
        self._glue_call("delete_database", Name=step.database)

    def _set_properties(self, step: GlueSetProperties) -> None:
        table = self._glue_table(step.database, step.table)
        if table is None:
            raise QueryFailed(f"TABLE_NOT_FOUND: Table {step.database}.{step.table} does not exist")
        keys = (
            "Name",
            "Description",
            "Owner",
            "Retention",
            "StorageDescriptor",
            "PartitionKeys",
            "TableType",
            "Parameters",
            "ViewOriginalText",
            "ViewExpandedText",
        )
        table_input = {k: table[k] for k in keys if k in table}
        table_input["Parameters"] = {**table.get("Parameters", {}), **step.properties}
        self._glue_call("update_table", DatabaseName=step.database, TableInput=table_input)


CALLS = {
    "StartQueryExecution": AthenaFront.start_query_execution,
    "GetQueryExecution": AthenaFront.get_query_execution,
    "GetQueryResults": AthenaFront.get_query_results,
    "StopQueryExecution": AthenaFront.stop_query_execution,
    "GetWorkGroup": AthenaFront.get_work_group,
}


def wsgi_app(front: AthenaFront) -> Any:
    @Request.application
    def application(request: Request) -> Response:
        target = request.headers.get("X-Amz-Target", "")
        call = CALLS.get(target.removeprefix("AmazonAthena."))
        try:
            if call is None:
                raise ApiError("InvalidRequestException", f"unsupported call {target!r}")
            body = json.loads(request.get_data() or b"{}")
            payload, status = call(front, body), 200
        except ApiError as exc:
            payload, status = {"__type": exc.code, "Message": str(exc)}, 400
        return Response(
            json.dumps(payload), status=status, content_type="application/x-amz-json-1.1"
        )

    return application


class FrontServer:
    """The front on 127.0.0.1:`port` (0: any free port), served from a thread."""

    def __init__(self, front: AthenaFront, port: int = 0) -> None:
        self.server: BaseWSGIServer = make_server("127.0.0.1", port, wsgi_app(front), threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.front = front

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.front.pool.shutdown(wait=False, cancel_futures=True)
