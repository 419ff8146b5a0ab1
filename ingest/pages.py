"""The page archive: every fetched page, as fetched, content-addressed under `pages/`.

`pages/<portal>/<date>/<sha256>.html.gz` is create-only; the same content is stored once.
Records carry the sha256 of the page they came from, so `courtlake ingest reparse` can
re-derive them without touching the portal. Secrets (portal credentials) are redacted
before hashing, so no archived page can hold one.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from courtlake.lake import Lake, ObjectExistsError
from ingest.errors import PageStructureError

T = TypeVar("T")

REDACTED = "[redacted]"


class PageArchive:
    def __init__(self, lake: Lake, secrets: Iterable[str] = ()) -> None:
        self.lake = lake
        # Longest first, so a secret inside another is never left half-redacted.
        self._secrets = tuple(sorted((s for s in secrets if s), key=len, reverse=True))

    def redact(self, content: str) -> str:
        for secret in self._secrets:
            content = content.replace(secret, REDACTED)
        return content

    @staticmethod
    def key(portal: str, day: date, sha256: str) -> str:
        return f"pages/{portal}/{day.isoformat()}/{sha256}.html.gz"

    def put(self, portal: str, day: date, content: str) -> str:
        """Archive `content`; returns its sha256 (of the redacted text)."""
        content = self.redact(content)
        data = content.encode()
        sha256 = hashlib.sha256(data).hexdigest()
        # content-addressed: when the key exists, the same page is already there
        with contextlib.suppress(ObjectExistsError):
            self.lake.put_new(self.key(portal, day, sha256), gzip.compress(data, mtime=0))
        return sha256

    def get(self, portal: str, day: date, sha256: str) -> str:
        return gzip.decompress(self.lake.get(self.key(portal, day, sha256))).decode()

    def parse(
        self, portal: str, day: date, content: str, parser: Callable[[str], T]
    ) -> tuple[T, str]:
        """Archive the page, then parse it; a page that fails its structural check stays
        archived and the error says where."""
        sha256 = self.put(portal, day, content)
        try:
            return parser(content), sha256
        except PageStructureError as error:
            error.page_sha256 = sha256
            raise
