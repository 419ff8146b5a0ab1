"""Errors raised by courtlake's shared core.

Bad arguments (an invalid lake key or URI, data that is not bytes) raise the built-in
``ValueError`` / ``TypeError``; everything that goes wrong while talking to the storage
itself raises a :class:`LakeError`. Messages name keys and locations, never credentials.
"""

from __future__ import annotations


class LakeError(Exception):
    """A lake operation failed (I/O error, S3 error, conflicting layout, ...)."""


class ObjectExistsError(LakeError):
    """A create-only write found the object already there; the existing object is untouched."""

    def __init__(self, key: str, location: str | None = None) -> None:
        super().__init__(key, location)
        self.key = key
        self.location = location

    def __str__(self) -> str:
        return f"object already exists: {self.location or self.key}"


class ObjectNotFoundError(LakeError, KeyError):
    """The object does not exist. Also a ``KeyError`` (and so a ``LookupError``)."""

    def __init__(self, key: str, location: str | None = None) -> None:
        super().__init__(key, location)
        self.key = key
        self.location = location

    def __str__(self) -> str:
        return f"no such object: {self.location or self.key}"
