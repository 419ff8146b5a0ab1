"""Where a (partner, week) batch lives in the lake, at every stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MANIFEST = "manifest.json"
KEYS = "keys.parquet"


@dataclass(frozen=True)
class BatchLayout:
    partner: str
    week: date

    @property
    def data_name(self) -> str:
        """The partner's file name (the same in staging and in the partner's folder)."""
        return f"{self.partner}_{self.week}.csv"

    @property
    def withdrawals_name(self) -> str:
        return f"withdrawals_{self.week}.csv"

    def staged(self, name: str) -> str:
        return f"staging/{self.partner}/{self.week}/{name}"

    def delivered(self, name: str) -> str:
        return f"partners/{self.partner}/{self.week}/{name}"

    @property
    def ledger(self) -> str:
        return f"ledger/partner={self.partner}/delivery_week={self.week}/promoted.parquet"

    @property
    def validation(self) -> str:
        return f"reports/{self.week}/validation/{self.partner}.json"

    @property
    def data_docs(self) -> str:
        return f"reports/{self.week}/data_docs/{self.partner}/"
