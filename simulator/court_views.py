"""What the court portal's pages and JSON show of a case on a day, as plain values.

Pure functions over the world, the day and the county profile; the templates and the
JSON endpoints of `simulator.court` only lay these values out. Formats follow the real
Odyssey Portal (see `simulator.formats`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from simulator.counties import CourtProfile
from simulator.formats import (
    JSON_MIN_DATE,
    clock,
    code_object,
    initials_code,
    json_date,
    mdy,
    money,
    short_mdy,
)
from simulator.model import Case, Hearing, Party, Person, World

STATE_NAME = "State of Tennessee"

#: Results grid columns: data-field → header title, and the wording of another county's
#: grid (the column_variant fault).
GRID_TITLES = {
    "CaseNumber": "Case Number",
    "Style": "Style / Defendant",
    "FileDate": "File Date",
    "CaseStatusId.Description": "Status",
    "DefendantName": "Party Name",
    "CaseTypeId.Description": "Type",
    "NodeDescription": "Location",
    "DateOfBirth": "Date of Birth",
}
VARIANT_TITLES = {
    "CaseNumber": "Case #",
    "Style": "Case Style",
    "FileDate": "Filed",
    "CaseStatusId.Description": "Case Status",
    "DefendantName": "Party",
    "CaseTypeId.Description": "Case Type",
    "NodeDescription": "Court Location",
    "DateOfBirth": "DOB",
}
VARIANT_ORDER = (
    "CaseNumber",
    "DefendantName",
    "CaseTypeId.Description",
    "CaseStatusId.Description",
    "NodeDescription",
    "FileDate",
    "DateOfBirth",
    "Style",
)


def grid_columns(profile: CourtProfile, variant: bool) -> list[dict[str, str]]:
    """The results grid's columns, `{"field", "title"}`, in the order the grid shows them."""
    if not variant:
        return [{"field": f, "title": GRID_TITLES[f]} for f in profile.grid_columns]
    fields = [f for f in VARIANT_ORDER if f in profile.grid_columns]
    return [{"field": f, "title": VARIANT_TITLES[f]} for f in fields]


@dataclass(frozen=True)
class CourtView:
    """Reads the world the way one county's portal prints it."""

    world: World
    profile: CourtProfile

    def court_name(self, case: Case) -> str:
        return next((c.name for c in self.world.courts if c.code == case.court), case.court)

    def person(self, party: Party) -> Person | None:
        return self.world.people.get(party.person_key) if party.person_key else None

    def shown_person(self, case: Case, party: Party) -> Person | None:
        """The person whose date of birth, gender and race a case page shows: criminal
        defendants only (civil pages of this court show none)."""
        return self.person(party) if case.kind == "criminal" else None

    def dob_text(self, person: Person) -> str:
        if self.profile.dob_masked:
            return f"XX/XX/{person.dob.year}"
        return mdy(person.dob)

    # -- the case page --------------------------------------------------------------------

    def case_page(self, case: Case, day: date, base: str) -> dict[str, Any]:
        """Everything the case detail fragment shows, section by section."""
        profile = self.profile
        criminal = case.kind == "criminal"
        judgments = self.judgments(case, day) if profile.has("dispositions") else []
        docket = self.docket(case, day) if profile.has("events") else []
        charges = self.charges(case, day) if criminal and profile.has("charges") else []
        bonds = self.bonds(case, day) if criminal and profile.has("bonds") else []
        financial = profile.has("financial")
        sections = [("CaseInformation", "Case Information"), ("PartyInformation", "Party")]
        sections += [("ChargeInformation", "Charges")] if charges else []
        sections += [("DispositionEvents", "Disposition Events")] if judgments else []
        sections += [("OtherEvents", "Events and Hearings")] if docket else []
        sections += [("BondInformation", "Bonds")] if bonds else []
        sections += [("FinancialInfo", "Financial")] if financial else []
        return {
            "case_number": case.case_number,
            "style": style_of(case, day),
            "court": self.court_name(case),
            "judicial_officer": case.judicial_officer if profile.shows_judicial_officer else None,
            "filed": mdy(case.filed_date),
            "case_type": case.case_type,
            "status": case.status_on(day),
            "parties": [self.party(case, p, day) for p in case.parties_on(day)],
            "charges": charges,
            "judgments": judgments,
            "docket": docket,
            "bonds": bonds,
            "financial": financial,
            "financial_blocks": (
                self.financial(case, day)
                if financial and not profile.financial_loaded_separately
                else None
            ),
            "financial_url": f"{base}Case/CaseDetail/LoadFinancialInformation"
            f"?caseId={case.portal_case_id}",
            "sections": sections,
        }

    def party(self, case: Case, party: Party, day: date) -> dict[str, Any]:
        address = party.address_on(day)
        lines: list[str] = []
        if address is not None:
            lines = [address.street, *([address.unit] if address.unit else [])]
            lines.append(f"{address.city} {address.state} {address.zip_code}")
        person = self.shown_person(case, party)
        attorneys = [
            {
                "label": "Lead Attorney" if n == 0 else "Attorney",
                "name": a.name,
                "kind": a.kind,
                "phone": a.phone,
            }
            for n, a in enumerate(party.attorneys_on(day))
        ]
        pro_se = party.pro_se_on(day)
        return {
            "role": party.role,
            "name": party.display_name_on(day),
            "dob": self.dob_text(person) if person else None,
            "gender": person.gender if person else None,
            "race": person.race if person else None,
            "address": lines,
            "attorneys": attorneys,
            "pro_se": pro_se,
            "span": "tyler-span-2" if attorneys or pro_se else "tyler-span-3",
        }

    def judgments(self, case: Case, day: date) -> list[dict[str, Any]]:
        return [
            {
                "date": mdy(j.judgment_date),
                "judicial_officer": case.judicial_officer,
                "judgment_type": j.judgment_type,
                "judgment_for": j.judgment_for,
                "amount": money(j.amount) if j.amount is not None else None,
            }
            for j in sorted(case.judgments_on(day), key=lambda j: j.judgment_date)
        ]

    def docket(self, case: Case, day: date) -> list[dict[str, Any]]:
        """Events and hearings in date order, events before hearings on the same day."""
        items: list[tuple[tuple[date, int, str], dict[str, Any]]] = [
            (
                (e.event_date, 0, e.event_type),
                {
                    "kind": "event",
                    "date": mdy(e.event_date),
                    "type": e.event_type,
                    "comment": e.comment,
                },
            )
            for e in case.events_on(day)
        ]
        for hearing in case.hearings_on(day):
            canceled, result = hearing.state_on(day)
            items.append(
                (
                    (hearing.scheduled_at.date(), 1, hearing.hearing_key),
                    {
                        "kind": "hearing",
                        "date": mdy(hearing.scheduled_at),
                        "type": hearing.hearing_type,
                        "judicial_officer": hearing.judicial_officer,
                        "time": clock(hearing.scheduled_at),
                        "result": result,
                        "cancel_reason": hearing.cancel_reason if canceled else None,
                    },
                )
            )
        items.sort(key=lambda item: item[0])
        return [view for _, view in items]

    def charges(self, case: Case, day: date) -> list[dict[str, Any]]:
        rows = []
        for charge in sorted(case.charges, key=lambda c: c.sequence):
            disposition, disposed_on = charge.disposition_on(day)
            rows.append(
                {
                    "sequence": charge.sequence,
                    "statute": charge.statute,
                    "description": charge.description,
                    "level": charge.degree,
                    "charge_class": charge.charge_class,
                    "offense_date": mdy(charge.offense_date),
                    "disposition": disposition or "",
                    "disposition_date": mdy(disposed_on),
                }
            )
        return rows

    def bonds(self, case: Case, day: date) -> list[dict[str, Any]]:
        return [
            {"date": mdy(b.set_on), "bond_type": b.bond_type, "amount": money(b.amount)}
            for b in case.bonds_on(day)
        ]

    def financial(self, case: Case, day: date) -> list[dict[str, Any]]:
        """The loaded Financial section: one block, for the party the fees are booked to."""
        party = case.fee_party()
        if party is None:
            return []
        rows = case.transactions_on(day)
        paid = case.fees_assessed - case.balance_on(day)
        seq = case.parties_on(day).index(party) + 1
        return [
            {
                "name": party.display_name_on(day),
                "assessment": money(case.fees_assessed),
                "paid": money(paid),
                "grid_id": f"CasePartyTransactions_{case.portal_case_id * 10 + seq}",
                "rows": [
                    {
                        "date": short_mdy(t.on),
                        "description": t.description,
                        "receipt": t.receipt or "",
                        "payer": t.payer or "",
                        "amount": money(t.amount),
                    }
                    for t in rows
                ],
            }
        ]

    # -- JSON rows --------------------------------------------------------------------------

    def result_row(
        self, case: Case, party: Party, eid: str, day: date, *, signed_in: bool
    ) -> dict[str, Any]:
        """One row of the Smart Search results JSON, about `party` of `case`."""
        person = self.shown_person(case, party)
        dob = person.dob if person and signed_in and not self.profile.dob_masked else None
        return {
            "CaseId": case.portal_case_id,
            "EncryptedCaseId": eid,
            "CaseNumber": case.case_number,
            "Style": style_of(case, day),
            "FileDate": json_date(case.filed_date),
            "CaseStatusId": code_object(case.status_on(day)),
            "CaseTypeId": code_object(case.case_type),
            "NodeDescription": self.court_name(case),
            "DefendantName": party.display_name_on(day),
            "DateOfBirth": json_date(dob),
        }

    def hearing_row(self, case: Case, hearing: Hearing, eid: str, day: date) -> dict[str, Any]:
        """One row of the hearing search JSON, with every key the real rows carry."""
        defendants = case.defendants()
        defendant = defendants[0].display_name_on(day) if defendants else ""
        judge = code_object(hearing.judicial_officer, initials_code(hearing.judicial_officer))
        criminal = case.kind == "criminal"
        return {
            "_SortStyleOrDefendant": None,
            "CaseId": case.portal_case_id,
            "EncryptedCaseId": eid,
            "FileDate": json_date(case.filed_date),
            "CaseCategoryKey": "CR" if criminal else "CV",
            "CaseCategoryDescription": "Criminal" if criminal else "Civil",
            "CaseTypeId": code_object(case.case_type),
            "CaseSubTypeId": None,
            "NodeID": self.node_id(case),
            "LocationName": self.court_name(case),
            "CaseSecurityGroupId": None,
            "CaseHeaderMask": 0,
            "CaseNumber": case.case_number,
            "SortStyleOrDefendant": defendant,
            "StatusId": code_object(None),
            "CaseStatusId": code_object(None),
            "StatusDate": JSON_MIN_DATE,
            "StatusDateSort": None,
            "Style": style_of(case, day),
            "SortDtFile": 0,
            "CaseAssignmentHistoryId": 0,
            "JudgeId": judge,
            "JudgeParsed": hearing.judicial_officer,
            "JudgeIds": [judge],
            "MagistrateId": None,
            "GroupId": None,
            "GroupNumber": None,
            "GroupTypeId": None,
            "WarrantCount": 0,
            "TotalWarrantCount": 0,
            "UserIDCreate": 0,
            "UserIdChange": None,
            "LeadFamilyCase": 0,
            "TimeStampCreate": None,
            "TimeStampChange": None,
            "FiledAs": None,
            "ExtendedConnectionId": None,
            "OriginalStatusDate": JSON_MIN_DATE,
            "DefendantName": defendant,
            "EDiscoveryCount": 0,
            "OtherDiscoveryCount": 0,
            "ProsCaseNumber": None,
            "AttorneyName": None,
            "AttorneyId": 0,
            "ViewedCount": 0,
            "NewItemCount": 0,
            "Charges": None,
            "CauseOfActions": None,
            "CaseFlags": None,
            "HearingId": case.hearing_id(hearing),
            "HearingDate": short_mdy(hearing.scheduled_at.date()),
            "HearingDateParsed": json_date(hearing.scheduled_at.date()),
            "HearingTime": clock(hearing.scheduled_at),
            "HearingTimeParsed": json_date(hearing.scheduled_at),
            "HearingLocations": [hearing.courtroom],
            "CourtRoom": hearing.courtroom,
            "HearingTypeId": code_object(hearing.hearing_type),
        }

    def node_id(self, case: Case) -> int:
        """The portal's numeric id of a court location (`NodeID`)."""
        codes = [c.code for c in self.world.courts]
        return 2100 + codes.index(case.court) if case.court in codes else 2999


def style_of(case: Case, day: date) -> str:
    """`Plaintiff vs. First Defendant et al`, as the case header and the grid print it."""
    listed = case.parties_on(day)
    plaintiffs = [p for p in listed if p.role == "Plaintiff"]
    defendants = [p for p in listed if p.role == "Defendant"]
    left = STATE_NAME if case.kind == "criminal" else _names(plaintiffs, day)
    first_defendant = defendants[0].display_name_on(day) if defendants else ""
    et_al = " et al" if len(defendants) > 1 else ""
    return f"{left} vs. {first_defendant}{et_al}"


def _names(parties: list[Party], day: date) -> str:
    return "; ".join(p.display_name_on(day) for p in parties) or "Unknown"
