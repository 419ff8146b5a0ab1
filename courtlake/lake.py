"""Lake storage: one small interface over local disk and S3.

>>> lake = open_lake("./lake")            # or open_lake("s3://bucket/prefix")
>>> lake.put_new("landing/roster/2026-11-23/v=1/abc.json.gz", payload)

:class:`Lake` states the guarantees; :class:`LocalLake` and :class:`S3Lake` say how each
backend keeps them. Part of the shared core: imports nothing of ingest, orchestration,
simulator or expectations.
"""

from __future__ import annotations

import abc
import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from courtlake.errors import LakeError, ObjectExistsError, ObjectNotFoundError

if TYPE_CHECKING:
    from botocore.client import BaseClient

__all__ = [
    "Lake",
    "LakeError",
    "LocalLake",
    "ObjectExistsError",
    "ObjectNotFoundError",
    "S3Lake",
    "check_key",
    "check_prefix",
    "open_lake",
]

#: Suffix of the temporary files a local writer creates next to its target. Together with
#: the leading ``.`` it keeps them out of ``list()``, of readers that skip hidden files
#: (pyarrow datasets, Hive) and of globs that end with an extension (``*.parquet``).
#: A bare ``*`` in a DuckDB glob does match dot-files: always end globs with the extension.
TEMP_SUFFIX = ".tmp"

_MAX_KEY_BYTES = 1024  # S3's limit on a whole key
_MAX_SEGMENT_BYTES = 255  # the usual file-name limit of local file systems

# How much of the target's name goes into its temporary file's name (for diagnosis):
# short enough that ".<stem>.<16 hex>.tmp" fits a 255-byte file name.
_TEMP_STEM_CHARS = 40

_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_DELETE_BATCH = 1000  # DeleteObjects takes at most 1000 keys
# A create-only PUT that meets a concurrent conditional write on the same key gets
# 409 ConditionalRequestConflict; AWS says to retry, and the retry then either creates
# the object or gets 412 because the other writer's object now exists.
_CONFLICT_ATTEMPTS = 5
_CONFLICT_BACKOFF_S = 0.05


def check_key(key: str) -> str:
    """Return ``key`` if it is a valid lake key, else raise ``ValueError``.

    A key is a relative POSIX path such as ``landing/roster/2026-11-23/v=1/abc.json.gz``:
    ``/``-separated non-empty segments, no leading or trailing ``/``, no ``\\``, no control
    characters, and no segment starting with ``.`` (which also rules out ``.`` and ``..``;
    dot-names are reserved for the lake's temporary files). The same key must be valid
    on local disk and on S3, so segments are limited to 255 bytes and keys to 1024.
    """
    if not isinstance(key, str):
        raise TypeError(f"lake key must be a str, not {type(key).__name__}")
    if not key:
        raise ValueError("lake key must not be empty")
    if "\\" in key:
        raise ValueError(f"lake key {key!r} contains a backslash: use '/' to separate segments")
    if key.startswith("/"):
        raise ValueError(f"lake key {key!r} is absolute: keys are relative to the lake root")
    if key.endswith("/"):
        raise ValueError(f"lake key {key!r} ends with '/': it names a folder, not an object")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in key):
        raise ValueError(f"lake key {key!r} contains a control character")
    if len(key.encode()) > _MAX_KEY_BYTES:
        raise ValueError(f"lake key is longer than {_MAX_KEY_BYTES} bytes: {key[:80]!r}...")
    for segment in key.split("/"):
        if not segment:
            raise ValueError(f"lake key {key!r} has an empty segment ('//')")
        if segment in (".", ".."):
            raise ValueError(f"lake key {key!r} contains a '{segment}' segment")
        if segment.startswith("."):
            raise ValueError(
                f"lake key {key!r}: segment {segment!r} starts with '.', "
                "which is reserved for temporary files"
            )
        if len(segment.encode()) > _MAX_SEGMENT_BYTES:
            raise ValueError(f"lake key {key!r}: a segment is longer than 255 bytes")
    return key


def check_prefix(prefix: str) -> str:
    """Return ``prefix`` if it is a valid listing prefix, else raise ``ValueError``.

    A prefix is ``""`` (the whole lake), a folder ending with ``/`` (``raw/roster/``), or
    the start of a key (``raw/ros``), following the key rules for its segments.
    """
    if not isinstance(prefix, str):
        raise TypeError(f"lake prefix must be a str, not {type(prefix).__name__}")
    body = prefix.removesuffix("/")
    if prefix and not body:
        raise ValueError("lake prefix '/' is absolute: use '' for the whole lake")
    if body:
        check_key(body)
    return prefix


def _is_temp_name(name: str) -> bool:
    """Whether a file name is one of the lake's temporary files (``.<name>.<random>.tmp``)."""
    return name.startswith(".") and name.endswith(TEMP_SUFFIX)


def _check_data(data: bytes) -> None:
    """Raise ``TypeError`` unless ``data`` is bytes or bytearray (what both backends take)."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"lake objects are bytes, not {type(data).__name__}")


class Lake(abc.ABC):
    """Object storage for the lake: a flat namespace of keys, identical on disk and on S3.

    Keys are relative POSIX strings (see :func:`check_key`); invalid keys raise
    ``ValueError`` before any I/O. Guarantees every implementation gives:

    * **No partial objects.** A reader sees either no object or a complete one, never a
      prefix of the bytes, even if the writer is killed (``SIGKILL``) mid-write.
    * **Create-only writes** (:meth:`put_new`) succeed for exactly one of any number of
      concurrent writers of the same key; every other one gets
      :class:`~courtlake.errors.ObjectExistsError` and the winner's object is untouched.
    * **Replacing writes** (:meth:`put`) are atomic: readers see the old or the new object.
    * :meth:`list` never returns temporary or partial files.

    Failures of the storage itself raise :class:`~courtlake.errors.LakeError`.
    """

    @abc.abstractmethod
    def put_new(self, key: str, data: bytes) -> None:
        """Create the object ``key`` with ``data``, only if it does not exist yet.

        Raises :class:`~courtlake.errors.ObjectExistsError` if it exists (also when a
        concurrent writer won the race); the existing object is left as it is.
        """

    @abc.abstractmethod
    def put(self, key: str, data: bytes) -> None:
        """Create or atomically replace the object ``key`` with ``data``."""

    @abc.abstractmethod
    def get(self, key: str) -> bytes:
        """Return the object's bytes; :class:`~courtlake.errors.ObjectNotFoundError` if absent."""

    @abc.abstractmethod
    def exists(self, key: str) -> bool:
        """Whether the object ``key`` exists (a folder of that name is not an object)."""

    @abc.abstractmethod
    def size(self, key: str) -> int:
        """The object's size in bytes; :class:`~courtlake.errors.ObjectNotFoundError` if absent."""

    @abc.abstractmethod
    def list(self, prefix: str = "") -> list[str]:
        """Sorted keys of every object under ``prefix``, recursively.

        The prefix matches like an S3 prefix, character by character: ``raw/a`` lists
        ``raw/a/x`` and ``raw/ab/y``. To list one folder only, end it with ``/``:
        ``raw/a/`` lists ``raw/a/x`` but not ``raw/ab/y``. ``""`` lists the whole lake.
        """

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Delete the object ``key``; deleting a missing object is a no-op."""

    @abc.abstractmethod
    def delete_prefix(self, prefix: str) -> int:
        """Delete every object :meth:`list` returns for a non-empty ``prefix``; return how many.

        Not atomic: a reader may see some of the objects gone and others still there.
        """

    @abc.abstractmethod
    def sweep_temp(self, older_than_s: float = 3600.0) -> int:
        """Remove temporary files left by killed writers, older than ``older_than_s``.

        Returns how many were removed. Never needed for correctness (readers never see
        them); it only reclaims space. Keep the age well above the longest write.
        """

    @abc.abstractmethod
    def uri(self, key: str = "") -> str:
        """A location DuckDB or pyarrow can read: a local path or an ``s3://`` URI.

        ``key`` may also be a folder prefix ending with ``/`` (the result keeps the
        ``/``) or ``""`` for the lake root, so readers can append a glob.
        """

    @abc.abstractmethod
    def local_path(self, key: str) -> Path | None:
        """The object's path on local disk, or ``None`` for lakes that are not local."""


@contextmanager
def _os_errors(operation: str, location: Path) -> Iterator[None]:
    """Turn an ``OSError`` that escapes the block into a :class:`LakeError`."""
    try:
        yield
    except OSError as err:
        raise LakeError(f"{operation} {location} failed: {err.strerror or err}") from err


def _fsync_dir(directory: Path) -> None:
    """Make the entries of ``directory`` (a new or renamed file) durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalLake(Lake):
    """A lake in a local folder (default ``./lake``), created on the first write.

    Writes go to a temporary file ``.<name>.<random>.tmp`` in the target's own folder,
    which is written, flushed and ``fsync``-ed before it is published: by ``os.link``
    for :meth:`put_new` (which fails if the target exists, so exactly one concurrent
    writer wins) and by ``os.replace`` for :meth:`put`; the folder is then ``fsync``-ed.
    A writer killed before publishing leaves only its temporary file, which
    :meth:`list` never returns and :meth:`sweep_temp` removes. Needs a file system with
    hard links (any local POSIX one). Folders emptied by deletes are left in place;
    :meth:`list` does not show folders.
    """

    def __init__(self, root: str | os.PathLike[str] = "lake") -> None:
        """Use the folder ``root`` (``~`` expanded, made absolute so :meth:`uri` works from
        any working directory)."""
        self.root = Path(root).expanduser().absolute()

    def __repr__(self) -> str:
        return f"LocalLake({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*key.split("/")) if key else self.root

    def _make_folder(self, folder: Path) -> None:
        """Create ``folder`` and its missing parents below the root, durably."""
        if folder.is_dir():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        missing: list[Path] = []
        while folder != self.root and not folder.is_dir():
            missing.append(folder)
            folder = folder.parent
        for new in reversed(missing):
            try:
                new.mkdir()
            except FileExistsError:
                if not new.is_dir():
                    key = new.relative_to(self.root).as_posix()
                    raise LakeError(
                        f"cannot make folder {new}: object {key} is in the way"
                    ) from None
            _fsync_dir(new.parent)

    def _write_temp(self, path: Path, data: bytes) -> Path:
        """Write ``data`` durably to a new temporary file next to ``path``; return it."""
        self._make_folder(path.parent)
        temp = path.with_name(
            f".{path.name[:_TEMP_STEM_CHARS]}.{secrets.token_hex(8)}{TEMP_SUFFIX}"
        )
        try:
            with open(temp, "xb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return temp

    def put_new(self, key: str, data: bytes) -> None:
        """Create-only write: temp file, fsync, ``os.link`` to the key, fsync the folder."""
        check_key(key)
        _check_data(data)
        path = self._path(key)
        if path.is_file():
            raise ObjectExistsError(key, str(path))
        with _os_errors("writing", path):
            temp = self._write_temp(path, data)
            try:
                os.link(temp, path)
            except FileExistsError:
                if path.is_dir():
                    raise LakeError(f"cannot write {path}: it is a folder") from None
                raise ObjectExistsError(key, str(path)) from None
            finally:
                temp.unlink()
            _fsync_dir(path.parent)

    def put(self, key: str, data: bytes) -> None:
        """Atomic replace: temp file, fsync, ``os.replace`` onto the key, fsync the folder."""
        check_key(key)
        _check_data(data)
        path = self._path(key)
        with _os_errors("writing", path):
            temp = self._write_temp(path, data)
            try:
                os.replace(temp, path)
            except IsADirectoryError:
                raise LakeError(f"cannot write {path}: it is a folder") from None
            finally:
                temp.unlink(missing_ok=True)
            _fsync_dir(path.parent)

    def get(self, key: str) -> bytes:
        """Read the whole object."""
        path = self._path(check_key(key))
        with _os_errors("reading", path):
            try:
                return path.read_bytes()
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                raise ObjectNotFoundError(key, str(path)) from None

    def exists(self, key: str) -> bool:
        """Whether a file exists at the key."""
        return self._path(check_key(key)).is_file()

    def size(self, key: str) -> int:
        """The file's size in bytes."""
        path = self._path(check_key(key))
        if not path.is_file():
            raise ObjectNotFoundError(key, str(path))
        with _os_errors("reading", path):
            return path.stat().st_size

    def _walk(self, folder: str, start: str) -> Iterator[str]:
        """Keys of the files below ``folder`` whose first name starts with ``start``."""
        directory = self._path(folder)
        base = f"{folder}/" if folder else ""
        try:
            entries = os.scandir(directory)
        except (FileNotFoundError, NotADirectoryError):
            return
        with entries:
            for entry in entries:
                # Dot-names are temporary files (or not lake objects at all).
                if entry.name.startswith(".") or not entry.name.startswith(start):
                    continue
                if entry.is_dir():
                    yield from self._walk(base + entry.name, "")
                elif entry.is_file():
                    yield base + entry.name

    def list(self, prefix: str = "") -> list[str]:
        """Sorted keys under ``prefix`` (see :meth:`Lake.list`); temp files are skipped."""
        folder, _, start = check_prefix(prefix).rpartition("/")
        with _os_errors("listing", self._path(folder)):
            return sorted(self._walk(folder, start))

    def delete(self, key: str) -> None:
        """Unlink the file; a missing key (or a folder) is a no-op."""
        path = self._path(check_key(key))
        with (
            _os_errors("deleting", path),
            suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError),
        ):
            path.unlink()

    def delete_prefix(self, prefix: str) -> int:
        """Delete every file under a non-empty ``prefix``; empty folders remain."""
        if not check_prefix(prefix):
            raise ValueError("delete_prefix needs a non-empty prefix (refusing to empty the lake)")
        keys = self.list(prefix)
        for key in keys:
            self.delete(key)
        return len(keys)

    def sweep_temp(self, older_than_s: float = 3600.0) -> int:
        """Remove temporary files last modified more than ``older_than_s`` seconds ago."""
        cutoff = time.time() - older_than_s
        removed = 0
        for folder, _, names in os.walk(self.root):
            for name in filter(_is_temp_name, names):
                temp = Path(folder, name)
                with suppress(FileNotFoundError):
                    if temp.stat().st_mtime < cutoff:
                        temp.unlink()
                        removed += 1
        return removed

    def uri(self, key: str = "") -> str:
        """The absolute path of the object, folder (keeps the trailing ``/``) or root."""
        check_prefix(key)
        path = str(self._path(key.removesuffix("/")))
        return f"{path}/" if key.endswith("/") else path

    def local_path(self, key: str) -> Path:
        """The object's absolute path (whether or not it exists)."""
        return self._path(check_key(key))


def _check_bucket(bucket: str) -> str:
    """Return ``bucket`` if it is a valid S3 bucket name, else raise ``ValueError``."""
    if not bucket:
        raise ValueError("S3 lake needs a bucket: expected s3://bucket[/prefix]")
    if not _BUCKET_NAME.fullmatch(bucket) or ".." in bucket:
        raise ValueError(
            f"invalid S3 bucket name {bucket!r}: use 3-63 lowercase letters, digits, "
            "'-' and '.', starting and ending with a letter or digit"
        )
    return bucket


def _check_root_prefix(prefix: str) -> str:
    """Normalise an S3 lake's prefix (no trailing ``/``) and check it like a key."""
    prefix = prefix.removesuffix("/")
    return check_key(prefix) if prefix else ""


def _describe(err: ClientError | BotoCoreError) -> str:
    """A short description of a boto error: S3's error code and message, nothing else."""
    if isinstance(err, ClientError):
        error = err.response.get("Error", {})
        return f"{error.get('Code', 'error')}: {error.get('Message', '')}".rstrip(": ")
    return str(err)


def _status(err: ClientError) -> int | None:
    """The HTTP status of a failed S3 request."""
    return err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")


class S3Lake(Lake):
    """A lake under ``s3://bucket/prefix``, one S3 object per key.

    Every write is a single ``PutObject`` (up to 5 GB), which S3 applies atomically: a
    killed writer leaves no object behind. :meth:`put_new` sends ``If-None-Match: *``,
    so S3 itself refuses a second creation (412 → ``ObjectExistsError``). The endpoint,
    region and credentials come from the standard AWS environment (``AWS_ENDPOINT_URL``
    or ``AWS_ENDPOINT_URL_S3``, ``AWS_DEFAULT_REGION``, ``AWS_PROFILE``, ...), so real
    S3 and a moto server work alike.
    """

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        client: BaseClient | None = None,
        list_page_size: int = 1000,
    ) -> None:
        """Use ``bucket`` under ``prefix`` (``""`` for the whole bucket).

        ``client`` is an S3 client to use instead of a new one from the environment;
        ``list_page_size`` is the number of keys per ``ListObjectsV2`` page (1-1000).
        """
        self.bucket = _check_bucket(bucket)
        self.prefix = _check_root_prefix(prefix)
        if not 1 <= list_page_size <= 1000:
            raise ValueError(f"list_page_size must be within 1-1000, not {list_page_size}")
        self.list_page_size = list_page_size
        if client is None:
            import boto3  # ~0.4 s to import: only lakes on S3 pay for it

            try:
                client = boto3.session.Session().client("s3")
            except BotoCoreError as err:
                raise LakeError(f"cannot make an S3 client for s3://{bucket}: {err}") from err
        self.client = client

    def __repr__(self) -> str:
        return f"S3Lake({self.uri()!r})"

    def _object_key(self, key: str) -> str:
        """The S3 key of a lake key or prefix (the lake's prefix put in front)."""
        return f"{self.prefix}/{key}" if self.prefix else key

    def _error(self, operation: str, key: str, err: ClientError | BotoCoreError) -> LakeError:
        """The lake error for a failed S3 request about ``key``."""
        if isinstance(err, ClientError):
            status = _status(err)
            code = err.response.get("Error", {}).get("Code")
            if status == 412:
                return ObjectExistsError(key, self.uri(key))
            if code == "NoSuchKey" or (status == 404 and code != "NoSuchBucket"):
                return ObjectNotFoundError(key, self.uri(key))
        return LakeError(f"S3 {operation} on {self.uri(key)} failed: {_describe(err)}")

    def put_new(self, key: str, data: bytes) -> None:
        """One ``PutObject`` with ``If-None-Match: *``; retried on 409 conflicts."""
        check_key(key)
        _check_data(data)
        for attempt in range(_CONFLICT_ATTEMPTS):
            try:
                self.client.put_object(
                    Bucket=self.bucket, Key=self._object_key(key), Body=data, IfNoneMatch="*"
                )
                return
            except ClientError as err:
                if _status(err) != 409:
                    raise self._error("PutObject", key, err) from err
            except BotoCoreError as err:
                raise self._error("PutObject", key, err) from err
            time.sleep(_CONFLICT_BACKOFF_S * 2**attempt)
        raise LakeError(
            f"S3 PutObject on {self.uri(key)} kept conflicting with concurrent writes "
            f"({_CONFLICT_ATTEMPTS} attempts); try again later"
        )

    def put(self, key: str, data: bytes) -> None:
        """One unconditional ``PutObject``."""
        check_key(key)
        _check_data(data)
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._object_key(key), Body=data)
        except (ClientError, BotoCoreError) as err:
            raise self._error("PutObject", key, err) from err

    def get(self, key: str) -> bytes:
        """``GetObject`` and read the whole body."""
        check_key(key)
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._object_key(key))
            return response["Body"].read()
        except (ClientError, BotoCoreError) as err:
            raise self._error("GetObject", key, err) from err

    def exists(self, key: str) -> bool:
        """``HeadObject``: true unless S3 answers 404."""
        try:
            self.size(key)
        except ObjectNotFoundError:
            return False
        return True

    def size(self, key: str) -> int:
        """``HeadObject``'s ``ContentLength``."""
        check_key(key)
        try:
            response = self.client.head_object(Bucket=self.bucket, Key=self._object_key(key))
        except (ClientError, BotoCoreError) as err:
            raise self._error("HeadObject", key, err) from err
        return int(response["ContentLength"])

    def list(self, prefix: str = "") -> list[str]:
        """Every page of ``ListObjectsV2`` under the prefix; folder markers are skipped."""
        check_prefix(prefix)
        start = len(self._object_key(""))
        paginator = self.client.get_paginator("list_objects_v2")
        pages = paginator.paginate(
            Bucket=self.bucket,
            Prefix=self._object_key(prefix),
            PaginationConfig={"PageSize": self.list_page_size},
        )
        try:
            keys = [
                item["Key"][start:]
                for page in pages
                for item in page.get("Contents", [])
                if not item["Key"].endswith("/")
            ]
        except (ClientError, BotoCoreError) as err:
            raise self._error("ListObjectsV2", prefix, err) from err
        return sorted(keys)

    def delete(self, key: str) -> None:
        """``DeleteObject`` (S3 accepts deleting a missing key)."""
        check_key(key)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._object_key(key))
        except (ClientError, BotoCoreError) as err:
            raise self._error("DeleteObject", key, err) from err

    def delete_prefix(self, prefix: str) -> int:
        """List, then ``DeleteObjects`` in batches of 1000."""
        if not check_prefix(prefix):
            raise ValueError("delete_prefix needs a non-empty prefix (refusing to empty the lake)")
        keys = self.list(prefix)
        for first in range(0, len(keys), _DELETE_BATCH):
            batch = keys[first : first + _DELETE_BATCH]
            objects = [{"Key": self._object_key(key)} for key in batch]
            try:
                response = self.client.delete_objects(
                    Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True}
                )
            except (ClientError, BotoCoreError) as err:
                raise self._error("DeleteObjects", prefix, err) from err
            if failed := response.get("Errors"):
                error = failed[0]
                raise LakeError(
                    f"S3 DeleteObjects under {self.uri(prefix)}: {len(failed)} not deleted, "
                    f"e.g. {error.get('Key')}: {error.get('Code')}: {error.get('Message')}"
                )
        return len(keys)

    def sweep_temp(self, older_than_s: float = 3600.0) -> int:
        """Nothing to sweep: single PUTs leave no temporary objects. Returns 0."""
        return 0

    def uri(self, key: str = "") -> str:
        """``s3://bucket/prefix/key`` (folders keep their ``/``; ``""`` is the lake root)."""
        check_prefix(key)
        path = "/".join(part for part in (self.prefix, key) if part)
        return f"s3://{self.bucket}/{path}" if path else f"s3://{self.bucket}"

    def local_path(self, key: str) -> Path | None:
        """Always ``None``: objects on S3 have no local path."""
        check_key(key)
        return None


def open_lake(uri: str | os.PathLike[str] = "lake") -> Lake:
    """Open the lake at ``uri``: ``s3://bucket[/prefix]`` or a local folder path.

    Raises ``ValueError`` for an empty URI, an S3 URI without a valid bucket or with an
    invalid prefix, and any other ``scheme://`` (only local paths and S3 are supported).
    """
    if not isinstance(uri, str):
        return LocalLake(uri)
    if not uri:
        raise ValueError("empty lake URI: give a folder (e.g. ./lake) or s3://bucket/prefix")
    scheme, separator, rest = uri.partition("://")
    if not separator:
        if uri.lower().startswith("s3:"):
            raise ValueError(f"malformed S3 lake URI {uri!r}: expected s3://bucket[/prefix]")
        return LocalLake(uri)
    if scheme.lower() != "s3":
        raise ValueError(
            f"unsupported lake URI scheme {scheme!r} in {uri!r}: "
            "use a local folder or s3://bucket[/prefix]"
        )
    if "?" in rest or "#" in rest:
        raise ValueError(f"S3 lake URI {uri!r} must not have a query or fragment")
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise ValueError(f"S3 lake URI {uri!r} names no bucket: expected s3://bucket[/prefix]")
    try:
        _check_bucket(bucket)
        _check_root_prefix(prefix)
    except ValueError as err:
        raise ValueError(f"invalid S3 lake URI {uri!r}: {err}") from None
    return S3Lake(bucket, prefix)
