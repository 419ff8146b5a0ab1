"""County profiles, as the simulator reads them: which real portal instance to imitate.

A profile is `counties/<name>.toml` at the repository root (its README lists the keys).
The simulator reads the `[court]` table itself, into small frozen dataclasses, so that it
depends on nothing of the product it stands in for. Unknown names, missing keys and
values of the wrong type fail with a message that names them; keys the simulator has no
use for are left to the scraper.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

COUNTIES_DIR = Path(__file__).resolve().parents[1] / "counties"
DEFAULT_COUNTY = "bluff_tn"

GRID_FIELDS = (
    "CaseNumber",
    "Style",
    "FileDate",
    "CaseStatusId.Description",
    "DefendantName",
    "CaseTypeId.Description",
    "NodeDescription",
    "DateOfBirth",
)
SECTIONS = ("parties", "causes", "dispositions", "events", "financial", "charges", "bonds")
SEARCH_OPTIONS = ("soundex", "dob")


class CountyError(ValueError):
    """A profile that does not exist or does not read."""


@dataclass(frozen=True)
class CourtProfile:
    """The court portal of one county: paths, dashboards, grid, case page sections."""

    base_path: str  # "/Portal/", "/portal/", "/Secure/", ...
    smart_search_dashboard: int
    hearing_dashboard: int
    criminal_requires_login: bool
    captcha_for_anonymous_only: bool
    search_options: tuple[str, ...]
    grid_columns: tuple[str, ...]
    case_sections: tuple[str, ...]
    financial_loaded_separately: bool
    shows_judicial_officer: bool
    dob_masked: bool

    def has(self, section: str) -> bool:
        """Whether case pages of this portal can show `section`."""
        return section in self.case_sections


@dataclass(frozen=True)
class County:
    name: str
    title: str
    court: CourtProfile


def available_counties(directory: Path = COUNTIES_DIR) -> list[str]:
    return sorted(path.stem for path in directory.glob("*.toml"))


def load_county(name: str = DEFAULT_COUNTY, directory: Path = COUNTIES_DIR) -> County:
    """The profile `<directory>/<name>.toml`, checked."""
    path = directory / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(available_counties(directory)) or "none"
        raise CountyError(f"no county profile {name!r} (known: {known})")
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    if data.get("name") != name:
        raise CountyError(f"{path} names itself {data.get('name')!r}, not {name!r}")
    court = data.get("court")
    if not isinstance(court, dict):
        raise CountyError(f"{path} has no [court] table")
    return County(name=name, title=str(data.get("title", "")), court=_court(court, path))


def _court(table: dict[str, Any], path: Path) -> CourtProfile:
    values: dict[str, Any] = {}
    for spec in fields(CourtProfile):
        if spec.name not in table:
            raise CountyError(f"{path}: court.{spec.name} is missing")
        values[spec.name] = _checked(spec.name, str(spec.type), table[spec.name], path)
    profile = CourtProfile(**values)
    if not re.fullmatch(r"/[A-Za-z0-9_-]+/", profile.base_path):
        raise CountyError(f"{path}: court.base_path must look like /Portal/")
    for key, allowed in (
        ("grid_columns", GRID_FIELDS),
        ("case_sections", SECTIONS),
        ("search_options", SEARCH_OPTIONS),
    ):
        unknown = set(getattr(profile, key)) - set(allowed)
        if unknown:
            raise CountyError(f"{path}: court.{key} has unknown {sorted(unknown)}")
    return profile


def _checked(key: str, type_name: str, value: Any, path: Path) -> Any:
    """`value` as the field's type: bool, int, str or a tuple of str."""
    expected: type | tuple[type, ...]
    if type_name == "bool":
        ok, expected = isinstance(value, bool), bool
    elif type_name == "int":
        ok, expected = isinstance(value, int) and not isinstance(value, bool), int
    elif type_name == "str":
        ok, expected = isinstance(value, str), str
    else:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        expected = list
        value = tuple(value) if ok else value
    if not ok:
        name = expected.__name__ if isinstance(expected, type) else str(expected)
        raise CountyError(f"{path}: court.{key} should be a {name}, not {value!r}")
    return value
