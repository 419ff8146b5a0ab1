"""The lake storage layer: the same cases against LocalLake and S3Lake (moto over HTTP)."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

from courtlake import lake as lake_module
from courtlake.lake import (
    Lake,
    LakeError,
    LocalLake,
    ObjectExistsError,
    ObjectNotFoundError,
    S3Lake,
    open_lake,
)

WRITER = Path(__file__).with_name("lake_writer.py")
KEY = "landing/roster/2026-11-23/v=1/abc.json.gz"


@pytest.fixture(params=["local", "s3"])
def lake(request: pytest.FixtureRequest, tmp_path: Path) -> Lake:
    """A fresh, empty lake: a folder under tmp_path, or a prefix in a fresh moto bucket
    (through the session's shared client; other tests cover clients made from the env)."""
    if request.param == "local":
        return LocalLake(tmp_path / "lake")
    bucket = request.getfixturevalue("s3_bucket")
    return S3Lake(bucket, "team/lake", client=request.getfixturevalue("s3_client"))


# --- writes -------------------------------------------------------------------------------


def test_put_new_refuses_a_second_create_and_keeps_the_first(lake: Lake) -> None:
    """GIVEN an object created with put_new WHEN put_new writes the key again
    THEN ObjectExistsError names the key and the first content stays."""
    lake.put_new(KEY, b"first")

    with pytest.raises(ObjectExistsError) as caught:
        lake.put_new(KEY, b"second")

    assert caught.value.key == KEY
    assert KEY in str(caught.value)
    assert lake.get(KEY) == b"first"
    assert lake.list("") == [KEY]


def test_put_replaces_an_existing_object(lake: Lake) -> None:
    """GIVEN an object WHEN put writes new bytes to its key THEN readers get the new bytes."""
    lake.put(KEY, b"old")
    lake.put(KEY, b"new and longer")

    assert lake.get(KEY) == b"new and longer"
    assert lake.size(KEY) == len(b"new and longer")
    assert lake.list("") == [KEY]


def test_keys_with_spaces_unicode_and_equals_round_trip(lake: Lake) -> None:
    """GIVEN keys with hive-style '=', spaces and non-ASCII WHEN written THEN read back as is."""
    keys = [
        "raw/cases/scrape_date=2026-11-23/part-0.parquet",
        "partners/p1/2026-11-23/café list.csv",
    ]
    for number, key in enumerate(keys):
        lake.put_new(key, bytes([number]) * 3)

    assert [lake.get(key) for key in keys] == [b"\x00\x00\x00", b"\x01\x01\x01"]
    assert lake.list("") == sorted(keys)


def test_empty_object_is_an_object(lake: Lake) -> None:
    """GIVEN an empty object WHEN inspected THEN it exists with size 0 and reads as b''."""
    lake.put_new("locks/2026-11-23", b"")

    assert lake.exists("locks/2026-11-23")
    assert lake.size("locks/2026-11-23") == 0
    assert lake.get("locks/2026-11-23") == b""


def test_data_must_be_bytes(lake: Lake) -> None:
    """GIVEN a str or memoryview instead of bytes WHEN written THEN TypeError and nothing is
    stored; GIVEN a bytearray THEN it is stored."""
    for wrong in ("text", memoryview(b"view")):
        with pytest.raises(TypeError, match="bytes"):
            lake.put_new(KEY, wrong)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="bytes"):
            lake.put(KEY, wrong)  # type: ignore[arg-type]
    assert lake.list("") == []

    lake.put_new(KEY, bytearray(b"array"))
    assert lake.get(KEY) == b"array"


def test_concurrent_put_new_has_exactly_one_winner(lake: Lake) -> None:
    """GIVEN 8 threads released together WHEN each put_new's the same key
    THEN exactly one succeeds, the 7 others get ObjectExistsError, the winner's bytes stay."""
    writers = 8
    barrier = threading.Barrier(writers)
    winners: list[int] = []
    losers: list[int] = []
    unexpected: list[BaseException] = []

    def write(number: int) -> None:
        barrier.wait()
        try:
            lake.put_new(KEY, f"writer-{number}".encode() * 1000)
        except ObjectExistsError:
            losers.append(number)
        except BaseException as err:
            unexpected.append(err)
        else:
            winners.append(number)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    assert len(winners) == 1
    assert len(losers) == writers - 1
    assert lake.get(KEY) == f"writer-{winners[0]}".encode() * 1000
    assert lake.list("") == [KEY]


# --- reads, listing, deletes --------------------------------------------------------------


def test_get_and_size_of_a_missing_object_raise_not_found(lake: Lake) -> None:
    """GIVEN an empty lake WHEN a missing key is read THEN ObjectNotFoundError, a KeyError
    naming the key, and exists() is False."""
    with pytest.raises(ObjectNotFoundError) as caught:
        lake.get(KEY)
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, LookupError)
    assert KEY in str(caught.value)
    with pytest.raises(ObjectNotFoundError, match=re.escape(KEY)):
        lake.size(KEY)
    assert not lake.exists(KEY)


def test_a_folder_is_not_an_object(lake: Lake) -> None:
    """GIVEN an object under landing/roster/ WHEN the folder's name is used as a key
    THEN it does not exist, cannot be read, and deleting it is a no-op."""
    lake.put_new(KEY, b"x")

    assert not lake.exists("landing/roster")
    with pytest.raises(ObjectNotFoundError):
        lake.get("landing/roster")
    lake.delete("landing/roster")
    assert lake.list("") == [KEY]


def test_list_is_sorted_recursive_and_prefix_scoped(lake: Lake) -> None:
    """GIVEN objects in several folders WHEN listed by prefix THEN sorted keys, recursively,
    only under the prefix."""
    keys = [
        "raw/b/scrape_date=2026-11-23/part-1.parquet",
        "raw/a/scrape_date=2026-11-24/part-0.parquet",
        "raw/a/scrape_date=2026-11-23/part-0.parquet",
        "pages/court/2026-11-23/ff.html.gz",
        "raw/a/scrape_date=2026-11-23/part-1.parquet",
    ]
    for key in keys:
        lake.put_new(key, b"x")

    assert lake.list("") == sorted(keys)
    assert lake.list("raw/") == sorted(k for k in keys if k.startswith("raw/"))
    assert lake.list("raw/a/scrape_date=2026-11-23/") == [
        "raw/a/scrape_date=2026-11-23/part-0.parquet",
        "raw/a/scrape_date=2026-11-23/part-1.parquet",
    ]
    assert lake.list("ledger/") == []
    assert lake.list("nothing/here/") == []


def test_prefix_ending_with_slash_is_a_folder_otherwise_a_string_prefix(lake: Lake) -> None:
    """GIVEN raw/a/..., raw/ab/... and raw/a.csv WHEN listed
    THEN 'raw/a/' lists the folder raw/a only, while 'raw/a' matches all three (S3 semantics)."""
    lake.put_new("raw/a/x.parquet", b"1")
    lake.put_new("raw/ab/y.parquet", b"2")
    lake.put_new("raw/a.csv", b"3")

    assert lake.list("raw/a/") == ["raw/a/x.parquet"]
    assert lake.list("raw/a") == ["raw/a.csv", "raw/a/x.parquet", "raw/ab/y.parquet"]
    assert lake.list("raw/ab") == ["raw/ab/y.parquet"]
    assert lake.list("raw/a/x") == ["raw/a/x.parquet"]
    assert lake.list("raw/a/x.parquet") == ["raw/a/x.parquet"]


def test_delete_is_idempotent(lake: Lake) -> None:
    """GIVEN an object WHEN deleted twice THEN it is gone and the second delete is a no-op."""
    lake.put_new(KEY, b"x")
    lake.put_new("landing/roster/2026-11-23/v=1/other.json.gz", b"y")

    lake.delete(KEY)
    lake.delete(KEY)

    assert not lake.exists(KEY)
    assert lake.list("landing/") == ["landing/roster/2026-11-23/v=1/other.json.gz"]
    lake.put_new(KEY, b"again")  # a deleted key can be created anew
    assert lake.get(KEY) == b"again"


def test_delete_prefix_removes_only_that_folder(lake: Lake) -> None:
    """GIVEN two weeks staged for a partner WHEN one week's folder is deleted
    THEN its objects are gone, the other week stays, and an empty prefix is refused."""
    for week in ("2026-11-16", "2026-11-23"):
        for name in ("batch.csv", "manifest.json"):
            lake.put(f"staging/p1/{week}/{name}", b"x")

    assert lake.delete_prefix("staging/p1/2026-11-23/") == 2
    assert lake.delete_prefix("staging/p1/2026-11-23/") == 0

    assert lake.list("staging/") == [
        "staging/p1/2026-11-16/batch.csv",
        "staging/p1/2026-11-16/manifest.json",
    ]
    with pytest.raises(ValueError, match="non-empty prefix"):
        lake.delete_prefix("")


# --- key validation -----------------------------------------------------------------------

BAD_KEYS = [
    pytest.param("", id="empty"),
    pytest.param("/landing/x.json", id="absolute"),
    pytest.param("landing/../x.json", id="dotdot"),
    pytest.param("..", id="only-dotdot"),
    pytest.param("landing/./x.json", id="dot"),
    pytest.param("landing//x.json", id="empty-segment"),
    pytest.param("landing\\x.json", id="backslash"),
    pytest.param("landing/", id="trailing-slash"),
    pytest.param("landing/.x.json.abc.tmp", id="temp-name"),
    pytest.param("landing/x\x00.json", id="nul"),
    pytest.param("landing/" + "x" * 256, id="segment-too-long"),
    pytest.param("/".join(["x" * 200] * 6), id="key-too-long"),
]


@pytest.mark.parametrize("bad_key", BAD_KEYS)
def test_invalid_keys_are_rejected_by_every_operation(lake: Lake, bad_key: str) -> None:
    """GIVEN an invalid key WHEN any keyed operation is called THEN ValueError before any I/O."""
    for operation in (
        lambda: lake.put_new(bad_key, b"x"),
        lambda: lake.put(bad_key, b"x"),
        lambda: lake.get(bad_key),
        lambda: lake.exists(bad_key),
        lambda: lake.size(bad_key),
        lambda: lake.delete(bad_key),
        lambda: lake.local_path(bad_key),
    ):
        with pytest.raises(ValueError, match="lake key"):
            operation()
    assert lake.list("") == []


@pytest.mark.parametrize("bad_prefix", ["/", "/raw/", "raw//", "../raw/", "raw\\a/", ".x"])
def test_invalid_prefixes_are_rejected(lake: Lake, bad_prefix: str) -> None:
    """GIVEN an invalid prefix WHEN listing, deleting or making a URI THEN ValueError."""
    for operation in (
        lambda: lake.list(bad_prefix),
        lambda: lake.delete_prefix(bad_prefix),
        lambda: lake.uri(bad_prefix),
    ):
        with pytest.raises(ValueError):
            operation()


# --- killed writers -----------------------------------------------------------------------

LOCAL_KILL_SIZE = 128 * 1024 * 1024  # ~0.5 s to write and fsync here: a wide window
S3_KILL_SIZE = 64 * 1024 * 1024


def _writer(lake: Lake, key: str, mode: str, size: int, fill: str) -> subprocess.Popen[str]:
    """Start lake_writer.py writing ``size`` copies of ``fill`` to ``key``."""
    command = [sys.executable, str(WRITER), lake.uri(), key, "--mode", mode]
    command += ["--size", str(size), "--fill", fill]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_temp_file(folder: Path, writer: subprocess.Popen[str]) -> Path:
    """Poll until the writer's temp file exists in ``folder``; fail if the writer ends first."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        temps = list(folder.glob(".*.tmp")) if folder.is_dir() else []
        if temps:
            return temps[0]
        if writer.poll() is not None:
            pytest.fail(f"writer ended before it could be killed: {writer.communicate()}")
        time.sleep(0.001)
    pytest.fail("the writer's temp file never appeared")


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["put_new", "put"])
def test_writer_killed_mid_write_leaves_no_partial_object(lake: Lake, mode: str) -> None:
    """GIVEN (for put) an old version of the object WHEN a writer of a large new version is
    SIGKILLed mid-write THEN the key is absent (put_new) or holds the old bytes (put), list()
    shows no partial or temp file, and re-running the writer succeeds."""
    key = "raw/cases/scrape_date=2026-11-23/part-0.parquet"
    expected = [key] if mode == "put" else []
    if mode == "put":
        lake.put(key, b"old version")
    size = LOCAL_KILL_SIZE if isinstance(lake, LocalLake) else S3_KILL_SIZE

    writer = _writer(lake, key, mode, size, "n")
    assert writer.stdout is not None
    assert writer.stdout.readline() == "started\n", writer.communicate()
    temp = None
    local_path = lake.local_path(key)
    if local_path is not None:
        temp = _wait_for_temp_file(local_path.parent, writer)
    writer.send_signal(signal.SIGKILL)
    assert writer.wait(timeout=30) == -signal.SIGKILL

    assert lake.list("") == expected
    if mode == "put":
        assert lake.get(key) == b"old version"
    else:
        assert not lake.exists(key)
    if temp is not None:  # the killed writer's temp file stays behind, invisible to list()
        assert temp.exists()
        assert temp.stat().st_size < LOCAL_KILL_SIZE

    rerun = _writer(lake, key, mode, size, "n")
    out, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err
    assert out == "started\ndone\n"
    assert lake.list("") == [key]
    assert lake.size(key) == size
    assert lake.get(key)[-4:] == b"nnnn"


# --- LocalLake specifics ------------------------------------------------------------------


def test_local_lake_default_root_is_dot_lake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a working directory WHEN LocalLake() is made THEN its root is ./lake, absolute."""
    monkeypatch.chdir(tmp_path)
    assert LocalLake().root == tmp_path / "lake"
    assert open_lake("lake").uri() == str(tmp_path / "lake")


def test_local_uri_and_local_path(tmp_path: Path) -> None:
    """GIVEN a local lake WHEN asked for locations THEN absolute paths (folders keep '/')."""
    lake = LocalLake(tmp_path / "lake")
    lake.put_new(KEY, b"x")

    path = lake.local_path(KEY)
    assert path == tmp_path / "lake" / KEY
    assert path.read_bytes() == b"x"
    assert lake.uri(KEY) == str(path)
    assert lake.uri("raw/") == f"{tmp_path}/lake/raw/"
    assert lake.uri() == str(tmp_path / "lake")
    assert repr(lake) == f"LocalLake({str(tmp_path / 'lake')!r})"


def test_local_writes_fsync_the_file_and_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN fsync is watched WHEN put_new and put write THEN each fsyncs a file and a folder,
    and no temp file remains."""
    synced: list[str] = []
    real_fsync = os.fsync

    def watched_fsync(fd: int) -> None:
        synced.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(lake_module.os, "fsync", watched_fsync)
    lake = LocalLake(tmp_path / "lake")
    lake.put_new(KEY, b"x")  # creates 6 folders: each one's parent is fsynced too
    assert synced.count("file") == 1
    assert synced[-1] == "dir"

    synced.clear()
    lake.put(KEY, b"y")
    assert synced == ["file", "dir"]
    assert [p.name for p in (tmp_path / "lake").rglob(".*")] == []


def test_local_stale_temp_files_are_ignored_and_swept(tmp_path: Path) -> None:
    """GIVEN temp files left by killed writers WHEN listing THEN they never show;
    WHEN sweeping THEN only those older than the threshold are removed."""
    lake = LocalLake(tmp_path / "lake")
    lake.put_new("raw/t/scrape_date=2026-11-23/part-0.parquet", b"x")
    folder = tmp_path / "lake/raw/t/scrape_date=2026-11-23"
    stale = folder / ".part-1.parquet.0123456789abcdef.tmp"
    fresh = folder / ".part-2.parquet.fedcba9876543210.tmp"
    stale.write_bytes(b"partial")
    fresh.write_bytes(b"partial")
    an_hour_ago = time.time() - 3700
    os.utime(stale, (an_hour_ago, an_hour_ago))

    assert lake.list("") == ["raw/t/scrape_date=2026-11-23/part-0.parquet"]
    with pytest.raises(ValueError, match="reserved for temporary files"):
        lake.list("raw/t/scrape_date=2026-11-23/.part")

    assert lake.sweep_temp(older_than_s=3600) == 1
    assert not stale.exists()
    assert fresh.exists()
    assert lake.sweep_temp(older_than_s=0) == 1
    assert lake.list("") == ["raw/t/scrape_date=2026-11-23/part-0.parquet"]


def test_local_object_and_folder_of_the_same_name_conflict(tmp_path: Path) -> None:
    """GIVEN an object 'a/b' WHEN writing 'a/b/c' THEN LakeError; GIVEN a folder 'x/y'
    WHEN writing an object 'x/y' THEN LakeError (S3 allows both; local disk cannot)."""
    lake = LocalLake(tmp_path / "lake")
    lake.put_new("a/b", b"object")
    lake.put_new("x/y/z", b"object")

    with pytest.raises(LakeError, match="in the way"):
        lake.put_new("a/b/c", b"x")
    with pytest.raises(LakeError, match="folder"):
        lake.put_new("x/y", b"x")
    with pytest.raises(LakeError, match="folder"):
        lake.put("x/y", b"x")
    assert lake.list("") == ["a/b", "x/y/z"]


# --- S3Lake specifics ---------------------------------------------------------------------


def test_s3_uri_prefix_isolation_and_no_local_path(s3_bucket: str) -> None:
    """GIVEN a lake under s3://bucket/team/lake and an object beside it under team/lakeside
    WHEN listing THEN only the lake's own keys show, relative to its prefix."""
    lake = S3Lake(s3_bucket, "team/lake/")
    S3Lake(s3_bucket, "team/lakeside").put_new(KEY, b"neighbour")
    lake.put_new(KEY, b"mine")

    assert lake.list("") == [KEY]
    assert lake.uri(KEY) == f"s3://{s3_bucket}/team/lake/{KEY}"
    assert lake.uri("raw/") == f"s3://{s3_bucket}/team/lake/raw/"
    assert lake.uri() == f"s3://{s3_bucket}/team/lake"
    assert lake.local_path(KEY) is None
    assert lake.sweep_temp(older_than_s=0) == 0
    assert repr(lake) == f"S3Lake('s3://{s3_bucket}/team/lake')"

    whole_bucket = open_lake(f"s3://{s3_bucket}")
    assert whole_bucket.uri() == f"s3://{s3_bucket}"
    assert whole_bucket.list("") == [f"team/lake/{KEY}", f"team/lakeside/{KEY}"]
    assert whole_bucket.get(f"team/lakeside/{KEY}") == b"neighbour"


def test_s3_list_reads_every_page(s3_bucket: str) -> None:
    """GIVEN 10 objects and pages of 4 keys WHEN listed THEN all 10 come back from 3 pages."""
    lake = S3Lake(s3_bucket, "p", list_page_size=4)
    keys = [f"raw/t/part-{number:02d}.parquet" for number in range(10)]
    for key in reversed(keys):
        lake.put_new(key, b"")
    requests: list[str] = []
    lake.client.meta.events.register(
        "before-call.s3.ListObjectsV2", lambda **_: requests.append("list")
    )

    assert lake.list("raw/") == keys
    assert len(requests) == 3
    with pytest.raises(ValueError, match="list_page_size"):
        S3Lake(s3_bucket, list_page_size=1001)


def test_s3_missing_bucket_error_names_the_bucket_but_no_secret(
    s3_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a bucket that does not exist and a recognisable secret key WHEN writing or
    listing THEN LakeError names the bucket and S3's error code, never the secret."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "sekrit-Do-Not-Log-42")
    lake = open_lake("s3://no-such-bucket-here/lake")

    for operation in (lambda: lake.put_new(KEY, b"x"), lambda: lake.list("")):
        with pytest.raises(LakeError) as caught:
            operation()
        message = str(caught.value)
        assert "s3://no-such-bucket-here/lake" in message
        assert "NoSuchBucket" in message
        assert "sekrit" not in message
        assert not isinstance(caught.value, ObjectNotFoundError)


def _stubbed_lake() -> tuple[S3Lake, Stubber]:
    """An S3Lake whose client answers from a botocore Stubber (no network)."""
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    client = session.client("s3", endpoint_url="http://127.0.0.1:9")
    return S3Lake("lake-test-stub", client=client), Stubber(client)


def test_s3_put_new_retries_a_409_conflict(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN S3 answers 409 ConditionalRequestConflict (a concurrent conditional write)
    WHEN put_new THEN it retries: a following 412 means the other writer won (exists),
    a following 200 means this one did; endless 409s end in LakeError."""
    monkeypatch.setattr(lake_module.time, "sleep", lambda _: None)
    conflict = {"service_error_code": "ConditionalRequestConflict", "http_status_code": 409}

    lake, stubber = _stubbed_lake()
    with stubber:
        stubber.add_client_error("put_object", **conflict)
        stubber.add_client_error(
            "put_object", service_error_code="PreconditionFailed", http_status_code=412
        )
        with pytest.raises(ObjectExistsError):
            lake.put_new(KEY, b"x")
        stubber.assert_no_pending_responses()

        stubber.add_client_error("put_object", **conflict)
        stubber.add_response("put_object", {"ETag": '"abc"'})
        lake.put_new(KEY, b"x")
        stubber.assert_no_pending_responses()

        for _ in range(5):
            stubber.add_client_error("put_object", **conflict)
        with pytest.raises(LakeError, match="kept conflicting"):
            lake.put_new(KEY, b"x")


# --- open_lake ----------------------------------------------------------------------------


def test_open_lake_dispatches_on_the_uri(s3_env: str, tmp_path: Path) -> None:
    """GIVEN local paths and s3:// URIs WHEN opened THEN the matching lake, bucket and prefix."""
    assert isinstance(open_lake(tmp_path), LocalLake)
    assert open_lake(str(tmp_path / "x")).uri() == str(tmp_path / "x")

    lake = open_lake("s3://lake-test-open/some/prefix/")
    assert isinstance(lake, S3Lake)
    assert (lake.bucket, lake.prefix) == ("lake-test-open", "some/prefix")
    assert open_lake("S3://lake-test-open").uri() == "s3://lake-test-open"


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("", "empty lake URI"),
        ("s3://", "names no bucket"),
        ("s3:///prefix", "names no bucket"),
        ("s3:/bucket/prefix", "malformed S3"),
        ("s3://Bad_Bucket/x", "invalid S3 bucket name"),
        ("s3://lk", "invalid S3 bucket name"),
        ("s3://lake-test/a//b", "empty segment"),
        ("s3://lake-test/../b", "'..' segment"),
        ("s3://lake-test/x?versionId=1", "query"),
        ("gs://bucket/prefix", "unsupported lake URI scheme 'gs'"),
    ],
)
def test_open_lake_rejects_bad_uris_clearly(uri: str, message: str) -> None:
    """GIVEN a malformed or unsupported URI WHEN opened THEN ValueError explaining why."""
    with pytest.raises(ValueError, match=re.escape(message)):
        open_lake(uri)
