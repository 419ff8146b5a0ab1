"""County profiles, as the simulator reads them: which real portal instance to imitate.

A profile is `counties/<name>.toml` at the repository root (its README lists the keys).
The simulator reads the `[court]` and `[jail]` tables itself, into small frozen
dataclasses, so that it depends on nothing of the product it stands in for. Unknown names,
missing tables or keys and values of the wrong type fail with a message that names them;
keys the simulator has no use for are left to the scraper.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

COUNTIES_DIR = Path(__file__).resolve().parents[1] / "counties"
DEFAULT_COUNTY = "bluff_tn"
T = TypeVar("T")

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
GENERATIONS = ("portal", "publicaccess")
ROSTER_COLUMNS = ("Inmate Name", "Booking Number", "Permanent ID", "Date of Birth", "Release Date")
PERSON_SECTIONS = (
    "inmate",
    "incarceration",
    "aliases",
    "detainers",
    "bonds",
    "charges",
    "hearings",
)
PERSON_IDS = ("booking_number", "permanent_id")


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
    generation: str = "portal"  # GENERATIONS: the Portal (2017+) or the older PublicAccess

    def has(self, section: str) -> bool:
        """Whether case pages of this portal can show `section`."""
        return section in self.case_sections


@dataclass(frozen=True)
class JailProfile:
    """The jail roster of one county: an IML "Inmate Lookup" servlet, its roster columns
    and the sections and identifiers its person pages print."""

    servlet: str  # relative to the jail root: "IML"
    page_size: int  # roster rows a page when the search posts no quantity
    roster_columns: tuple[str, ...]  # header texts, in order (ROSTER_COLUMNS)
    released_option: bool  # the search offers systemUser_includereleasedinmate
    person_sections: tuple[str, ...]  # PERSON_SECTIONS the person page shows, in order
    person_ids: tuple[str, ...]  # PERSON_IDS the person page labels print

    def shows(self, section: str) -> bool:
        """Whether person pages of this roster have `section`."""
        return section in self.person_sections


@dataclass(frozen=True)
class County:
    name: str
    title: str
    court: CourtProfile
    jail: JailProfile


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
    tables = {}
    for table in ("court", "jail"):
        if not isinstance(data.get(table), dict):
            raise CountyError(f"{path} has no [{table}] table")
        tables[table] = data[table]
    return County(
        name=name,
        title=str(data.get("title", "")),
        court=_court(tables["court"], path),
        jail=_jail(tables["jail"], path),
    )


def _court(table: dict[str, Any], path: Path) -> CourtProfile:
    profile = _read(CourtProfile, "court", table, path)
    if not re.fullmatch(r"/[A-Za-z0-9_-]+/", profile.base_path):
        raise CountyError(f"{path}: court.base_path must look like /Portal/")
    _known(
        profile,
        "court",
        path,
        grid_columns=GRID_FIELDS,
        case_sections=SECTIONS,
        search_options=SEARCH_OPTIONS,
    )
    if profile.generation not in GENERATIONS:
        raise CountyError(f"{path}: court.generation must be one of {', '.join(GENERATIONS)}")
    return profile


def _jail(table: dict[str, Any], path: Path) -> JailProfile:
    profile = _read(JailProfile, "jail", table, path)
    if not re.fullmatch(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*", profile.servlet):
        raise CountyError(f"{path}: jail.servlet must be a relative path such as IML")
    if profile.page_size < 1:
        raise CountyError(f"{path}: jail.page_size must be positive")
    if "Inmate Name" not in profile.roster_columns:
        raise CountyError(f"{path}: jail.roster_columns must have the Inmate Name column")
    _known(
        profile,
        "jail",
        path,
        roster_columns=ROSTER_COLUMNS,
        person_sections=PERSON_SECTIONS,
        person_ids=PERSON_IDS,
    )
    return profile


def _read(kind: type[T], table_name: str, table: dict[str, Any], path: Path) -> T:
    """The dataclass `kind` from a profile table: every field present, of its type."""
    values: dict[str, Any] = {}
    for spec in fields(kind):  # type: ignore[arg-type]
        key = f"{table_name}.{spec.name}"
        if spec.name not in table:
            if spec.default is not MISSING:
                continue
            raise CountyError(f"{path}: {key} is missing")
        values[spec.name] = _checked(key, str(spec.type), table[spec.name], path)
    return kind(**values)


def _known(profile: object, table_name: str, path: Path, **allowed: tuple[str, ...]) -> None:
    """Each listed key of `profile` holds only values from its allowed tuple."""
    for key, values in allowed.items():
        unknown = set(getattr(profile, key)) - set(values)
        if unknown:
            raise CountyError(f"{path}: {table_name}.{key} has unknown {sorted(unknown)}")


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
        raise CountyError(f"{path}: {key} should be a {name}, not {value!r}")
    return value
