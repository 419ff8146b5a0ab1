"""Typed settings read from the environment at call time (never at import time).

| variable | meaning | default |
| --- | --- | --- |
| COURTLAKE_LAKE | lake root: a folder or s3://bucket/prefix | ./lake |
| COURTLAKE_WAREHOUSE | folder of the local DuckDB warehouse | ./warehouse |
| COURTLAKE_DBT_TARGET | dbt target: dev (DuckDB) or prod (Athena) | dev |
| COURTLAKE_COURT_USER | court portal account for criminal lookups | (none) |
| COURTLAKE_COURT_PASSWORD | its password (secret: never printed) | (none) |
| COURTLAKE_REMOTE_WEBDRIVER | Selenium Grid / remote WebDriver URL | (local Chromium) |
| COURTLAKE_COUNTY | county profile of the portals, a name in `counties/` | (the default county) |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Secret:
    """A value that must never be printed: its repr and str are masked."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def reveal(self) -> str:
        return self.value


@dataclass(frozen=True)
class Settings:
    lake: str = "lake"
    warehouse: str = "warehouse"
    dbt_target: str = "dev"
    court_user: str | None = None
    court_password: Secret | None = None
    remote_webdriver: str | None = None
    county: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        password = env.get("COURTLAKE_COURT_PASSWORD")
        return cls(
            lake=env.get("COURTLAKE_LAKE") or "lake",
            warehouse=env.get("COURTLAKE_WAREHOUSE") or "warehouse",
            dbt_target=env.get("COURTLAKE_DBT_TARGET") or "dev",
            court_user=env.get("COURTLAKE_COURT_USER") or None,
            court_password=Secret(password) if password else None,
            remote_webdriver=env.get("COURTLAKE_REMOTE_WEBDRIVER") or None,
            county=env.get("COURTLAKE_COUNTY") or None,
        )
