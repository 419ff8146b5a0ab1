"""Running dbt on this project from Python: one subprocess per command, one environment.

dbt reads the lake root and the warehouse from the environment (profiles.yml and the
source YAML use ``env_var``), so :class:`DbtProject` builds that environment once and
every command gets it. :meth:`DbtProject.manifest` returns dbt's manifest, parsing first
when the project changed since the last one was written: the partner configurations
(``meta.delivery``) are read from it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from courtlake.children import watch_group
from courtlake.crashpoints import crash_point

PROJECT_DIR = Path(__file__).resolve().parent.parent
#: What the manifest depends on: a newer file here means it must be parsed again.
_PROJECT_INPUTS = ("models", "macros", "seeds", "analyses", "tests/dbt")
_TARGET_ADAPTERS = {"dev": "duckdb", "prod": "athena"}


class DbtError(RuntimeError):
    """A dbt command failed; the message ends with the tail of its output."""


@dataclass(frozen=True)
class DbtProject:
    """The dbt project run against one lake, warehouse and target.

    `lake` is the lake root as dbt's sources read it (an absolute folder or s3://…);
    `warehouse` the folder of the DuckDB file (dev target); `target_path` where dbt
    writes its manifest, run results and logs.
    """

    lake: str
    warehouse: Path
    target: str = "dev"
    project_dir: Path = PROJECT_DIR
    target_path: Path = field(default_factory=lambda: _default_target_path())
    extra_env: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.target not in _TARGET_ADAPTERS:
            raise ValueError(f"unknown dbt target {self.target!r}: use dev or prod")

    def env(self) -> dict[str, str]:
        """The environment of a dbt subprocess."""
        self._ensure_profiles()
        return {
            **os.environ,
            **self.extra_env,
            "COURTLAKE_LAKE": self.lake,
            "COURTLAKE_WAREHOUSE": str(self.warehouse),
            "COURTLAKE_DBT_TARGET": self.target,
            "DBT_TARGET_PATH": str(self.target_path),
            "DBT_LOG_PATH": str(self.target_path / "logs"),
            "DBT_PROFILES_DIR": str(self.project_dir),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
        }

    def _ensure_profiles(self) -> None:
        profiles = self.project_dir / "profiles.yml"
        if not profiles.exists():
            shutil.copyfile(self.project_dir / "profiles.yml.example", profiles)

    def run(
        self, args: Sequence[str], variables: Mapping[str, Any] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run `dbt <args>` (with `--vars` from `variables`); raise DbtError on failure."""
        self.warehouse.mkdir(parents=True, exist_ok=True)
        command = [_dbt_executable(), *args, "--project-dir", str(self.project_dir)]
        if variables:
            command += ["--vars", json.dumps(dict(variables), default=str)]
        # dbt in a process group of its own, killed with this process however it ends
        # (courtlake.children): a killed run never leaves a build writing the warehouse
        with (
            subprocess.Popen(
                command,
                cwd=self.project_dir,
                env=self.env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            ) as process,
            watch_group(process.pid),
        ):
            assert process.stdout is not None
            lines = []
            for line in process.stdout:
                lines.append(line)
                if " OK created " in line:
                    crash_point("dbt.after_first_model")
            returncode = process.wait()
        output = "".join(lines)
        if returncode != 0:
            tail = "\n".join(output.splitlines()[-30:])
            raise DbtError(f"dbt {' '.join(args[:1])} exited {returncode}:\n{tail}")
        return subprocess.CompletedProcess(command, returncode, output, "")

    @property
    def manifest_path(self) -> Path:
        return self.target_path / "manifest.json"

    def manifest(self) -> dict[str, Any]:
        """dbt's manifest for this target, parsed again if the project changed since."""
        if self._manifest_is_stale():
            self.run(["parse"])
        return json.loads(self.manifest_path.read_text())

    def _manifest_is_stale(self) -> bool:
        path = self.manifest_path
        if not path.exists():
            return True
        try:
            metadata = json.loads(path.read_text()).get("metadata", {})
        except json.JSONDecodeError:
            return True
        if metadata.get("adapter_type") != _TARGET_ADAPTERS[self.target]:
            return True
        built = path.stat().st_mtime
        inputs = [self.project_dir / "dbt_project.yml"]
        for folder in _PROJECT_INPUTS:
            inputs += (self.project_dir / folder).rglob("*")
        return any(p.stat().st_mtime > built for p in inputs if p.is_file())


def _default_target_path() -> Path:
    """dbt's own DBT_TARGET_PATH when set, else the project's target/."""
    return Path(os.environ.get("DBT_TARGET_PATH") or PROJECT_DIR / "target").resolve()


def _dbt_executable() -> str:
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else "dbt"
