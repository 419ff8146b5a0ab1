"""A single-node Trino whose catalogs keep their tables in Glue and S3 (moto here).

Release: Trino 476. Athena engine v3 is built on Trino; the release closest to the
issue's first choice (435, the last on Java 17) cannot be had here: the Maven Central
this project's machines reach serves io.trino:trino-server only as 352, 356, 368, 470
and 476. 368 has no Iceberg-on-Glue catalog; 470 and 476 need Java 23 / 24. 476 is the
newest, has the native S3 file system (`s3.*`), Glue v2 metastore and Hive partition
projection, and runs on the Temurin JDK (25) that every machine of this project's kind
carries beside OpenJDK 17. The tarball (~820 MB) is cached outside the clone
(~/.cache/courtlake, or $COURTLAKE_CACHE), checked against Maven Central's .sha1, and
unpacked with only the Hive and Iceberg plugins.

Two catalogs on the same Glue database namespace, as Athena shows one:
`awsdatacatalog` (Hive connector) redirects Iceberg tables to `iceberg`, and back.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tarfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import httpx
import trino

TRINO_RELEASE = "476"
MIN_JAVA = 24
MAVEN = "https://repo1.maven.org/maven2/io/trino/trino-server"
PLUGINS = ("hive", "iceberg")
HIVE_CATALOG = "awsdatacatalog"
ICEBERG_CATALOG = "iceberg"
PR_SET_PDEATHSIG = 1


class TrinoError(RuntimeError):
    """Trino could not be installed or started."""


def cache_dir() -> Path:
    return Path(os.environ.get("COURTLAKE_CACHE", Path.home() / ".cache" / "courtlake"))


def _download(url: str, dest: Path) -> None:
    part = dest.with_name(dest.name + ".part")
    with urllib.request.urlopen(url, timeout=60) as response, part.open("wb") as out:
        shutil.copyfileobj(response, out, length=1 << 20)
    part.rename(dest)


def _sha1(path: Path) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def install_trino(cache: Path | None = None, release: str = TRINO_RELEASE) -> Path:
    """The unpacked Trino server (downloaded and checked once), with only PLUGINS."""
    cache = cache or cache_dir()
    home = cache / f"trino-server-{release}"
    if (home / ".complete").exists():
        return home
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / f"trino-server-{release}.tar.gz"
    url = f"{MAVEN}/{release}/trino-server-{release}.tar.gz"
    with urllib.request.urlopen(url + ".sha1", timeout=60) as response:
        expected = response.read().decode().split()[0].strip()
    if not tarball.exists() or _sha1(tarball) != expected:
        _download(url, tarball)
        if (actual := _sha1(tarball)) != expected:
            tarball.unlink()
            raise TrinoError(f"{url}: sha1 {actual}, Maven Central says {expected}")
    staging = cache / f"trino-server-{release}.unpacking"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    with tarfile.open(tarball) as archive:
        archive.extractall(staging, filter="tar")
    (unpacked,) = staging.iterdir()
    for plugin in (unpacked / "plugin").iterdir():
        if plugin.name not in PLUGINS:
            shutil.rmtree(plugin)
    shutil.rmtree(home, ignore_errors=True)
    unpacked.rename(home)
    staging.rmdir()
    (home / ".complete").write_text(expected + "\n")
    return home


def _java_major(java_home: Path) -> int | None:
    release = java_home / "release"
    if not (java_home / "bin" / "java").exists() or not release.exists():
        return None
    found = re.search(r'^JAVA_VERSION="(\d+)', release.read_text(), re.MULTILINE)
    return int(found.group(1)) if found else None


def find_java(minimum: int = MIN_JAVA) -> Path:
    """A JDK that runs the pinned Trino: $COURTLAKE_TRINO_JAVA_HOME, $JAVA_HOME, /usr/lib/jvm."""
    candidates = [
        Path(os.environ[name])
        for name in ("COURTLAKE_TRINO_JAVA_HOME", "JAVA_HOME")
        if os.environ.get(name)
    ]
    jvm = Path("/usr/lib/jvm")
    candidates += sorted(jvm.iterdir()) if jvm.is_dir() else []
    for home in candidates:
        if (major := _java_major(home)) is not None and major >= minimum:
            return home
    raise TrinoError(
        f"Trino {TRINO_RELEASE} needs Java {minimum} or newer; none found in "
        f"$COURTLAKE_TRINO_JAVA_HOME, $JAVA_HOME or /usr/lib/jvm"
    )


@dataclass(frozen=True)
class AwsEndpoint:
    """Where the catalogs find Glue and S3 (a moto server here), and as whom."""

    url: str
    region: str = "us-east-1"
    access_key: str = "testing"
    secret_key: str = "testing"
    warehouse: str = "s3://courtlake-athena-local/warehouse/"


def _aws_properties(aws: AwsEndpoint) -> dict[str, str]:
    return {
        "hive.metastore.glue.region": aws.region,
        "hive.metastore.glue.endpoint-url": aws.url,
        "hive.metastore.glue.aws-access-key": aws.access_key,
        "hive.metastore.glue.aws-secret-key": aws.secret_key,
        "hive.metastore.glue.default-warehouse-dir": aws.warehouse,
        "fs.native-s3.enabled": "true",
        "s3.endpoint": aws.url,
        "s3.region": aws.region,
        "s3.path-style-access": "true",
        "s3.aws-access-key": aws.access_key,
        "s3.aws-secret-key": aws.secret_key,
        # moto serves S3 from Python threads behind one accept queue (128 connections):
        # Trino's default pool (500) overflows it when a query checks every projected
        # partition's folder at once, and connects then time out. A smaller pool of
        # kept-alive connections, more patience and more retries keep every request.
        "s3.max-connections": "24",
        "s3.tcp-keep-alive": "true",
        "s3.socket-connect-timeout": "30s",
        "s3.socket-read-timeout": "120s",
        "s3.max-error-retries": "10",
    }


def catalog_properties(aws: AwsEndpoint) -> dict[str, dict[str, str]]:
    """The two catalogs' settings. Statistics stay off: moto has no Glue column statistics."""
    return {
        HIVE_CATALOG: {
            "connector.name": "hive",
            "hive.metastore": "glue",
            **_aws_properties(aws),
            "hive.iceberg-catalog-name": ICEBERG_CATALOG,
            "hive.non-managed-table-writes-enabled": "true",
            "hive.partition-projection-enabled": "true",
            "hive.table-statistics-enabled": "false",
            "hive.collect-column-statistics-on-write": "false",
            "hive.storage-format": "PARQUET",
            "hive.compression-codec": "SNAPPY",
        },
        ICEBERG_CATALOG: {
            "connector.name": "iceberg",
            "iceberg.catalog.type": "glue",
            **_aws_properties(aws),
            "iceberg.hive-catalog-name": HIVE_CATALOG,
            "iceberg.file-format": "PARQUET",
            "iceberg.compression-codec": "SNAPPY",
        },
    }


def _properties(values: dict[str, str]) -> str:
    return "".join(f"{key}={value}\n" for key, value in values.items())


def _die_with_parent() -> None:
    """In the child before exec: Linux sends it SIGTERM when its parent exits."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class TrinoServer:
    """A Trino coordinator (also its only worker) on 127.0.0.1:`port`, run from `workdir`."""

    JVM = (
        "-Xmx3G",
        "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:-UsePerfData",
        "-Djdk.attach.allowAttachSelf=true",
        "-XX:TieredStopAtLevel=1",
    )
    START_TIMEOUT_S = 240.0

    def __init__(self, home: Path, java_home: Path, workdir: Path, port: int, aws: AwsEndpoint):
        self.home, self.java_home, self.workdir = home, java_home, workdir
        self.port, self.aws = port, aws
        self.process: subprocess.Popen[bytes] | None = None
        self.log = workdir / "trino.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _write_config(self) -> Path:
        etc = self.workdir / "etc"
        (etc / "catalog").mkdir(parents=True, exist_ok=True)
        config = {
            "coordinator": "true",
            "node-scheduler.include-coordinator": "true",
            "http-server.http.port": str(self.port),
            "discovery.uri": self.url,
            "catalog.config-dir": str(etc / "catalog"),
            "plugin.dir": str(self.home / "plugin"),
            "query.max-memory": "1GB",
            "query.max-memory-per-node": "1GB",
            "task.concurrency": "2",
            "log.path": str(self.workdir / "server.log"),
        }
        (etc / "config.properties").write_text(_properties(config))
        (etc / "log.properties").write_text("io.trino=WARN\n")
        for name, values in catalog_properties(self.aws).items():
            (etc / "catalog" / f"{name}.properties").write_text(_properties(values))
        return etc

    def start(self) -> None:
        etc = self._write_config()
        command = [
            str(self.java_home / "bin" / "java"),
            *self.JVM,
            f"-Dconfig={etc / 'config.properties'}",
            f"-Dlog.levels-file={etc / 'log.properties'}",
            "-Dnode.environment=courtlake",
            "-Dnode.id=athena-local",
            f"-Dnode.data-dir={self.workdir / 'data'}",
            "-cp",
            str(self.home / "lib" / "*"),
            "io.trino.server.TrinoServer",
        ]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise TrinoError(f"Trino exited ({self.process.returncode}): {self._log_tail()}")
            try:
                info = httpx.get(f"{self.url}/v1/info", timeout=2).json()
                # the coordinator answers before it has announced itself as a worker
                if not info.get("starting", True) and self._runs_a_query():
                    return
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.5)
        self.stop()
        raise TrinoError(f"Trino not ready after {self.START_TIMEOUT_S:.0f} s: {self._log_tail()}")

    def connect(self) -> trino.dbapi.Connection:
        return trino.dbapi.connect(
            host="127.0.0.1", port=self.port, user="athena-local", catalog=HIVE_CATALOG
        )

    def _runs_a_query(self) -> bool:
        """Whether a query that reads a catalog's table is scheduled: Trino answers, and
        lists itself as a node, a moment before it assigns splits to that node
        (NO_NODES_AVAILABLE), so the probe writes, reads and drops a table of its own."""
        cursor = self.connect().cursor()
        schema = f"{HIVE_CATALOG}.athena_local_probe"
        try:
            for sql in (
                f"create schema if not exists {schema} "
                f"with (location = '{self.aws.warehouse}athena_local_probe/')",
                f"drop table if exists {schema}.ready",
                f"create table {schema}.ready as select 1 as ready",
                f"select count(*) from {schema}.ready",
                f"drop table {schema}.ready",
                f"drop schema {schema}",
            ):
                cursor.execute(sql)
                cursor.fetchall()
            return True
        except trino.exceptions.TrinoQueryError:
            return False
        finally:
            cursor.close()

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
