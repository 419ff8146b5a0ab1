"""The whole local Athena: moto (S3, Glue, STS) + Trino + the Athena front.

    with LocalAthena(workdir) as athena:
        subprocess.run([...dbt, "build", "--target", "prod"], env={**os.environ, **athena.env()})

`env()` is what a client needs: `AWS_ENDPOINT_URL` sends every boto3 client to moto,
`AWS_ENDPOINT_URL_ATHENA` sends the Athena client to the front, and the
COURTLAKE_ATHENA_* settings of the prod dbt target point into one bucket.
"""

from __future__ import annotations

import logging
import socket
import time
from pathlib import Path
from types import TracebackType

import boto3
import httpx
from moto.server import ThreadedMotoServer

from athena_local import glue_statistics
from athena_local.front import AthenaFront, FrontServer
from athena_local.trino import AwsEndpoint, TrinoServer, find_java, install_trino

BUCKET = "courtlake-athena-local"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LocalAthena:
    def __init__(self, workdir: Path, bucket: str = BUCKET, front_port: int = 0) -> None:
        self.workdir, self.bucket, self.front_port = workdir, bucket, front_port
        self.moto: ThreadedMotoServer | None = None
        self.trino: TrinoServer | None = None
        self.front: FrontServer | None = None
        self.timings: dict[str, float] = {}

    @property
    def moto_url(self) -> str:
        assert self.moto is not None
        host, port = self.moto.get_host_and_port()
        return f"http://{host}:{port}"

    def client(self, service: str) -> object:
        return boto3.client(
            service,
            endpoint_url=self.moto_url,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        glue_statistics.install()
        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
        self.moto.start()
        # moto keeps its accounts in process memory, shared by every server of the
        # process: start from an empty AWS
        httpx.post(f"{self.moto_url}/moto-api/reset", timeout=30).raise_for_status()
        self.client("s3").create_bucket(Bucket=self.bucket)  # type: ignore[attr-defined]
        # every Athena account's catalog has it
        self.client("glue").create_database(DatabaseInput={"Name": "default"})  # type: ignore[attr-defined]
        started = time.monotonic()
        aws = AwsEndpoint(self.moto_url, REGION, warehouse=f"s3://{self.bucket}/warehouse/")
        self.trino = TrinoServer(
            install_trino(), find_java(), self.workdir / "trino", free_port(), aws
        )
        self.trino.start()
        self.timings["trino_start_s"] = time.monotonic() - started
        front = AthenaFront(self.trino.port, self.client("glue"), self.staging_dir)
        self.front = FrontServer(front, self.front_port)
        self.front.start()

    def stop(self) -> None:
        if self.front is not None:
            self.front.stop()
        if self.trino is not None:
            self.trino.stop()
        if self.moto is not None:
            self.moto.stop()
        self.front = self.trino = self.moto = None

    def __enter__(self) -> LocalAthena:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def staging_dir(self) -> str:
        return f"s3://{self.bucket}/athena-results/"

    def env(self) -> dict[str, str]:
        assert self.front is not None
        return {
            "AWS_ENDPOINT_URL": self.moto_url,
            "AWS_ENDPOINT_URL_ATHENA": self.front.url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "COURTLAKE_ATHENA_REGION": REGION,
            "COURTLAKE_ATHENA_S3_STAGING_DIR": self.staging_dir,
            "COURTLAKE_ATHENA_S3_DATA_DIR": f"s3://{self.bucket}/warehouse/",
            "COURTLAKE_ATHENA_WORKGROUP": "primary",
        }
