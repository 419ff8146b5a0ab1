"""Person names as the portals print them (`Last, First Middle Suffix`), normalized for
matching, and the stable person key used by the person-history stream."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

import jellyfish

SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "v"}


def fold(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form: `O'Néal-Smith` → `onealsmith`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class PersonName:
    last: str
    first: str
    middle: str = ""
    suffix: str = ""

    @classmethod
    def parse(cls, display: str) -> PersonName:
        """`Peña-Ruiz, José Luis Jr` → last, first, middle, suffix. A name without a comma
        is taken as a last name (businesses, initials-only parties)."""
        last, _, given = display.partition(",")
        parts = given.split()
        suffix = ""
        if parts and fold(parts[-1]) in SUFFIXES and len(parts) > 1:
            suffix = parts.pop()
        return cls(
            last=last.strip(),
            first=parts[0] if parts else "",
            middle=" ".join(parts[1:]),
            suffix=suffix,
        )

    def matches(self, other: PersonName) -> bool:
        """Same person name for matching: last and first equal once folded."""
        return fold(self.last) == fold(other.last) and fold(self.first) == fold(other.first)

    def sounds_like(self, other: PersonName) -> bool:
        return (
            _soundex(self.last) == _soundex(other.last)
            and fold(self.first)[:1] == fold(other.first)[:1]
        )


def _soundex(text: str) -> str:
    folded = fold(text)
    return jellyfish.soundex(folded) if folded else ""


def person_key(name: PersonName, dob: str) -> str:
    """Stable across weeks and list positions: folded last + first + date of birth."""
    identity = f"{fold(name.last)}|{fold(name.first)}|{dob}"
    return "p_" + hashlib.sha256(identity.encode()).hexdigest()[:16]
