"""Partner configurations read from dbt's manifest (`meta.delivery` of each delivery model).

Small hand-made manifests check that a good configuration parses and that each kind of
inconsistency is refused with a message naming the model and the problem; one test parses
this project's real manifest and finds exactly the two shipped partners.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from orchestration.dbt import DbtProject
from orchestration.partners import (
    BOOKKEEPING_COLUMNS,
    PartnerConfigError,
    ResendPolicy,
    ReviewMode,
    partners_from_manifest,
)

COLUMNS = ["case_number", "court", "filed_date", "status", "has_writ"]


def delivery(**changes: Any) -> dict[str, Any]:
    """A good meta.delivery for partner `acme`, with `changes` applied (None deletes)."""
    meta: dict[str, Any] = {
        "partner": "acme",
        "display_name": "Acme Legal Aid",
        "source_model": "fct_eviction_filings",
        "key_column": "defendant_party_id",
        "eligibility": {"date_column": "filed_date", "within_days": 30, "courts": ["Court A"]},
        "columns": list(COLUMNS),
        "resend": {"policy": "on_change", "fields": ["status", "has_writ"]},
        "file_format": "csv",
        "review": "manual",
    }
    for key, value in changes.items():
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    return meta


def node(meta: dict[str, Any] | None, *, name: str | None = None, contract=None) -> dict:
    """A delivery model's manifest node whose contract matches `meta` unless given."""
    partner = (meta or {}).get("partner", "acme")
    name = name or f"delivery__{partner}"
    columns = (
        contract
        if contract is not None
        else [*BOOKKEEPING_COLUMNS, *(meta or {}).get("columns", [])]
    )
    return {
        "resource_type": "model",
        "name": name,
        "fqn": ["courtlake", "deliveries", partner, name],
        "relation_name": f'"courtlake"."main_deliveries"."{name}"',
        "config": {"meta": {} if meta is None else {"delivery": meta}},
        "columns": {column: {"name": column} for column in columns},
    }


def manifest(*nodes: dict[str, Any]) -> dict[str, Any]:
    """A manifest with the given delivery nodes plus nodes that must be ignored: a mart,
    and a data test that lives under deliveries/."""
    others = {
        "model.courtlake.fct_eviction_filings": {
            "resource_type": "model",
            "name": "fct_eviction_filings",
            "fqn": ["courtlake", "marts", "court", "fct_eviction_filings"],
            "config": {"meta": {}},
            "columns": {},
        },
        "test.courtlake.not_null_delivery__acme_delivery_week": {
            "resource_type": "test",
            "name": "not_null_delivery__acme_delivery_week",
            "fqn": ["courtlake", "deliveries", "acme", "not_null_delivery__acme_delivery_week"],
            "config": {},
        },
    }
    return {"nodes": {**others, **{f"model.courtlake.{n['name']}": n for n in nodes}}}


def test_a_good_configuration_parses_into_partners() -> None:
    """GIVEN two delivery models with consistent meta.delivery WHEN the manifest is read
    THEN each becomes a Partner with its settings, model and relation; nothing else does."""
    never = delivery(
        partner="zenith",
        resend={"policy": "never"},
        review=None,
        file_format=None,
        eligibility={"within_days": 7, "require_true": ["has_address"]},
    )
    partners = partners_from_manifest(manifest(node(delivery()), node(never)))

    assert list(partners) == ["acme", "zenith"]
    acme, zenith = partners["acme"], partners["zenith"]
    assert acme.model == "delivery__acme"
    assert acme.relation == '"courtlake"."main_deliveries"."delivery__acme"'
    assert acme.resend.policy is ResendPolicy.ON_CHANGE
    assert acme.resend.fields == ("status", "has_writ")
    assert acme.review is ReviewMode.MANUAL
    assert acme.file_columns == ("delivery_key", *COLUMNS)
    assert acme.eligibility.courts == ("Court A",)
    assert acme.window(date(2026, 9, 14)) == (date(2026, 8, 15), date(2026, 9, 14))
    assert zenith.resend.policy is ResendPolicy.NEVER and zenith.resend.fields == ()
    assert zenith.review is ReviewMode.AUTO and zenith.file_format == "csv"  # the defaults
    assert zenith.eligibility.date_column == "filed_date"
    assert zenith.eligibility.require_true == ("has_address",)


BAD = {
    "bad policy": (
        node(delivery(resend={"policy": "sometimes"})),
        r"delivery__acme: meta\.delivery is invalid: resend\.policy: .*'never' or 'on_change'",
    ),
    "on_change without fields": (
        node(delivery(resend={"policy": "on_change"})),
        r"delivery__acme: .*resend policy on_change needs resend\.fields",
    ),
    "never with fields": (
        node(delivery(resend={"policy": "never", "fields": ["status"]})),
        r"delivery__acme: .*resend policy never takes no resend\.fields",
    ),
    "resend field not delivered": (
        node(delivery(resend={"policy": "on_change", "fields": ["status", "judgment_date"]})),
        r"delivery__acme: .*resend\.fields \['judgment_date'\] are not delivered columns",
    ),
    "contract lacks a column": (
        node(delivery(), contract=[*BOOKKEEPING_COLUMNS, *COLUMNS[:-1]]),
        r"delivery__acme: the contract's columns must be the bookkeeping columns plus "
        r"meta\.delivery\.columns \(missing \['has_writ'\], extra \[\]\)",
    ),
    "contract has an extra column": (
        node(delivery(), contract=[*BOOKKEEPING_COLUMNS, *COLUMNS, "defendant_dob"]),
        r"\(missing \[\], extra \['defendant_dob'\]\)",
    ),
    "contract lacks a bookkeeping column": (
        node(
            delivery(), contract=[c for c in [*BOOKKEEPING_COLUMNS, *COLUMNS] if c != "change_hash"]
        ),
        r"\(missing \['change_hash'\], extra \[\]\)",
    ),
    "model not named delivery__<partner>": (
        node(delivery(), name="delivery__acme_legal"),
        r"delivery__acme_legal: the model of partner 'acme' must be named delivery__acme",
    ),
    "no case_number": (
        node(delivery(columns=["court", "filed_date", "status", "has_writ"])),
        r"delivery__acme: .*columns must include case_number and court \(for withdrawals\)",
    ),
    "no court": (
        node(delivery(columns=["case_number", "filed_date", "status", "has_writ"])),
        r"columns must include case_number and court",
    ),
    "delivery_key among the columns": (
        node(delivery(columns=[*COLUMNS, "delivery_key"])),
        r"columns must be distinct and not include delivery_key",
    ),
    "a column twice": (
        node(delivery(columns=[*COLUMNS, "court"])),
        r"columns must be distinct",
    ),
    "unsupported file_format": (
        node(delivery(file_format="parquet")),
        r"delivery__acme: .*file_format 'parquet' is not supported \(csv\)",
    ),
    "unknown setting": (
        node(delivery(resend_policy="never")),
        r"delivery__acme: meta\.delivery is invalid: resend_policy: Extra inputs",
    ),
    "missing setting": (
        node(delivery(display_name=None)),
        r"delivery__acme: meta\.delivery is invalid: display_name: Field required",
    ),
    "bad review mode": (
        node(delivery(review="sometimes")),
        r"review: .*'auto' or 'manual'",
    ),
    "no meta.delivery": (
        node(None),
        r"delivery__acme: no config\.meta\.delivery in its YAML",
    ),
}


@pytest.mark.parametrize("bad, message", BAD.values(), ids=BAD.keys())
def test_an_inconsistent_configuration_is_refused_with_a_clear_message(
    bad: dict[str, Any], message: str
) -> None:
    """GIVEN a delivery model whose configuration does not hold together, beside a good
    one WHEN the manifest is read THEN PartnerConfigError says which model and what."""
    good = node(delivery(partner="zenith", resend={"policy": "never"}))
    with pytest.raises(PartnerConfigError, match=message):
        partners_from_manifest(manifest(good, copy.deepcopy(bad)))


def test_the_same_partner_twice_is_refused() -> None:
    first = node(delivery())
    second = {**copy.deepcopy(first), "fqn": ["other_package", "deliveries", "acme", "x"]}
    nodes = {"model.courtlake.delivery__acme": first, "model.other.delivery__acme": second}
    with pytest.raises(PartnerConfigError, match="partner 'acme' is configured twice"):
        partners_from_manifest({"nodes": nodes})


@pytest.mark.slow
def test_the_project_manifest_has_the_two_shipped_partners(tmp_path: Path) -> None:
    """GIVEN this dbt project WHEN its manifest is parsed (into a fresh target path)
    THEN it configures exactly the two shipped partners, with their policies and review
    modes, each model's contract matching its columns."""
    dbt = DbtProject(
        lake=str(tmp_path / "lake"), warehouse=tmp_path / "warehouse", target_path=tmp_path / "t"
    )
    partners = partners_from_manifest(dbt.manifest())

    assert list(partners) == ["eastside_tenant_law", "northgate_housing"]
    eastside, northgate = partners["eastside_tenant_law"], partners["northgate_housing"]
    assert eastside.display_name == "Eastside Tenant Law Project"
    assert eastside.resend.policy is ResendPolicy.NEVER and eastside.resend.fields == ()
    assert eastside.review is ReviewMode.AUTO
    assert eastside.eligibility.within_days == 14 and len(eastside.eligibility.courts) == 3
    assert eastside.model == "delivery__eastside_tenant_law"
    assert eastside.relation == '"courtlake"."main_deliveries"."delivery__eastside_tenant_law"'
    assert northgate.display_name == "Northgate Housing Advocates"
    assert northgate.resend.policy is ResendPolicy.ON_CHANGE
    assert northgate.resend.fields == (
        "status", "next_hearing_date", "judgment_type", "judgment_date", "has_writ",
    )  # fmt: skip
    assert northgate.review is ReviewMode.MANUAL
    assert northgate.eligibility.within_days == 60 and northgate.eligibility.courts == ()
    for partner in partners.values():
        assert partner.source_model == "fct_eviction_filings"
        assert partner.key_column == "defendant_party_id"
        assert partner.file_format == "csv"
        assert partner.file_columns[:3] == ("delivery_key", "case_number", "court")
