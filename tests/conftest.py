"""Shared fixtures: a moto S3 server over HTTP for the session, fresh buckets per test.

Tests that need S3 take ``s3_bucket`` (or ``s3_env``): the AWS environment then points at
the local moto server with dummy credentials, for that test only, so code that builds its
own client from the environment (and subprocesses) reach it. ``s3_client`` is one client
for the whole session (making a boto3 client costs ~0.1 s; clients are thread-safe).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from botocore.client import BaseClient

_bucket_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """Start a moto server on a free loopback port for the session; yield its endpoint URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def s3_client(moto_server: str) -> BaseClient:
    """An S3 client of the moto server, with explicit dummy credentials (no environment)."""
    import boto3

    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    return session.client("s3", endpoint_url=moto_server)


@pytest.fixture
def s3_env(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the standard AWS environment at the moto server (this test only); yield the URL."""
    for name in (
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_ENDPOINT_URL_S3",
        "AWS_CA_BUNDLE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    # Never read a developer's real AWS config or credentials files.
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    return moto_server


@pytest.fixture
def s3_bucket(s3_env: str, s3_client: BaseClient) -> str:
    """Create a fresh, empty bucket on the moto server and return its name."""
    name = f"lake-test-{next(_bucket_numbers)}"
    s3_client.create_bucket(Bucket=name)
    return name
