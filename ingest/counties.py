"""County profiles, as the scraper reads them: a portal instance's quirks as configuration.

Profiles are TOML files in the repository's `counties/` folder (its README lists every
key). This module reads the keys navigation needs into a typed, validated profile; the
parsers need none of them, since they read what a page says.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

COUNTIES_DIR = Path(__file__).resolve().parents[1] / "counties"
DEFAULT_COUNTY = "bluff_tn"

GridField = Literal[
    "CaseNumber",
    "Style",
    "FileDate",
    "CaseStatusId.Description",
    "DefendantName",
    "CaseTypeId.Description",
    "NodeDescription",
    "DateOfBirth",
]
Section = Literal["parties", "causes", "dispositions", "events", "financial", "charges", "bonds"]
SearchOption = Literal["soundex", "dob"]


class PublicAccessProfile(BaseModel):
    """What an Odyssey PublicAccess site calls its searches, by their visible texts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    case_searches: tuple[str, ...] = Field(min_length=1)  # main-menu links searched, in order
    all_locations: str = "All Courts"  # the location choice that means every court
    search_by_case: str = "Case"  # "Search By" options
    search_by_party: str = "Party"
    search_by_date_filed: str = "Date Filed"


class CourtProfile(BaseModel):
    """The court portal of one county: Odyssey Portal (2017+) or, where `generation` says
    so, the older Odyssey PublicAccess, whose searches `publicaccess` names."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    generation: Literal["portal", "publicaccess"] = "portal"
    publicaccess: PublicAccessProfile | None = None
    base_path: str = Field(pattern=r"^/[A-Za-z0-9_-]+/$")
    smart_search_dashboard: int
    hearing_dashboard: int
    criminal_requires_login: bool
    captcha_for_anonymous_only: bool
    search_options: tuple[SearchOption, ...]
    grid_columns: tuple[GridField, ...]
    case_sections: tuple[Section, ...]
    financial_loaded_separately: bool
    shows_judicial_officer: bool
    dob_masked: bool

    @model_validator(mode="after")
    def _searches_named(self) -> CourtProfile:
        if self.generation == "publicaccess" and self.publicaccess is None:
            raise ValueError("a publicaccess court needs a [court.publicaccess] table")
        return self

    @property
    def grid_has_location(self) -> bool:
        """Whether result rows say which court location a case is in."""
        return "NodeDescription" in self.grid_columns


RosterColumn = Literal[
    "Inmate Name", "Booking Number", "Permanent ID", "Date of Birth", "Release Date"
]
PersonSection = Literal[
    "inmate", "incarceration", "aliases", "detainers", "bonds", "charges", "hearings"
]


class JailProfile(BaseModel):
    """The jail roster of one county (an IML "Inmate Lookup" servlet)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    servlet: str = Field(pattern=r"^[A-Za-z0-9_./-]+$")
    page_size: int = Field(gt=0)
    roster_columns: tuple[RosterColumn, ...]
    released_option: bool
    person_sections: tuple[PersonSection, ...]
    person_ids: tuple[Literal["booking_number", "permanent_id"], ...]


class CountyProfile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    title: str
    court: CourtProfile
    jail: JailProfile


class UnknownCounty(ValueError):
    pass


def available_counties() -> list[str]:
    return sorted(path.stem for path in COUNTIES_DIR.glob("*.toml"))


def load_county(name: str = DEFAULT_COUNTY) -> CountyProfile:
    """The profile `counties/<name>.toml`, validated; a clear error for a name not there."""
    path = COUNTIES_DIR / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(available_counties())
        raise UnknownCounty(f"no county profile {name!r} (known: {known})")
    with path.open("rb") as handle:
        profile = CountyProfile.model_validate(tomllib.load(handle))
    if profile.name != name:
        raise UnknownCounty(f"{path} names itself {profile.name!r}, not {name!r}")
    return profile
