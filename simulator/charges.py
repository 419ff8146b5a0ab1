"""Criminal charges, dispositions and jail holds for the synthetic world.

Pure data. Statute numbers follow the Tennessee Code (title 39 criminal offenses, title 55
motor vehicles); descriptions are written the way dockets and rosters print them, upper
case with dollar ranges. Weights set how often each charge is the lead charge of a case.
"""

from __future__ import annotations

from typing import Literal

Degree = Literal["Felony", "Misdemeanor"]

# (statute, description, degree, class, weight)
ChargeSpec = tuple[str, str, Degree, str, float]

MISDEMEANORS: tuple[ChargeSpec, ...] = (
    ("39-13-101", "ASSAULT", "Misdemeanor", "A", 14),
    ("39-13-111", "DOMESTIC ASSAULT", "Misdemeanor", "A", 16),
    ("39-14-103", "THEFT OF PROPERTY $1,000 OR LESS", "Misdemeanor", "A", 14),
    ("39-17-418", "SIMPLE POSSESSION/CASUAL EXCHANGE", "Misdemeanor", "A", 10),
    ("39-17-425", "POSSESSION OF DRUG PARAPHERNALIA", "Misdemeanor", "A", 5),
    ("55-50-504", "DRIVING ON REVOKED LICENSE", "Misdemeanor", "B", 12),
    ("55-50-504", "DRIVING ON SUSPENDED LICENSE", "Misdemeanor", "B", 5),
    ("55-10-401", "DRIVING UNDER THE INFLUENCE", "Misdemeanor", "A", 10),
    ("55-10-205", "RECKLESS DRIVING", "Misdemeanor", "B", 4),
    ("39-16-602", "RESISTING STOP, FRISK, HALT, ARREST OR SEARCH", "Misdemeanor", "B", 4),
    ("39-16-603", "EVADING ARREST", "Misdemeanor", "A", 4),
    ("39-17-305", "DISORDERLY CONDUCT", "Misdemeanor", "C", 4),
    ("39-17-310", "PUBLIC INTOXICATION", "Misdemeanor", "C", 3),
    ("39-14-405", "CRIMINAL TRESPASS", "Misdemeanor", "C", 5),
    ("39-14-408", "VANDALISM $1,000 OR LESS", "Misdemeanor", "A", 4),
    ("39-13-113", "VIOLATION OF ORDER OF PROTECTION", "Misdemeanor", "A", 4),
    ("39-17-315", "STALKING", "Misdemeanor", "A", 1),
    ("39-17-1307", "UNLAWFUL CARRYING OR POSSESSION OF A WEAPON", "Misdemeanor", "C", 3),
    ("39-16-609", "FAILURE TO APPEAR", "Misdemeanor", "A", 2),
)

FELONIES: tuple[ChargeSpec, ...] = (
    ("39-13-102", "AGGRAVATED ASSAULT", "Felony", "C", 14),
    ("39-14-103", "THEFT OF PROPERTY $1,000-$2,500", "Felony", "E", 6),
    ("39-14-103", "THEFT OF PROPERTY $2,500-$10,000", "Felony", "D", 5),
    ("39-14-103", "THEFT OF PROPERTY $10,000-$60,000", "Felony", "C", 3),
    ("39-14-402", "BURGLARY", "Felony", "D", 6),
    ("39-14-403", "AGGRAVATED BURGLARY", "Felony", "C", 5),
    ("39-13-401", "ROBBERY", "Felony", "C", 4),
    ("39-13-402", "AGGRAVATED ROBBERY", "Felony", "B", 5),
    ("39-17-417", "POSSESSION OF CONTROLLED SUBSTANCE WITH INTENT", "Felony", "C", 8),
    ("39-17-417", "POSS. OF COCAINE WITH INTENT TO SELL", "Felony", "B", 3),
    ("39-17-1307", "CONVICTED FELON IN POSSESSION OF A FIREARM", "Felony", "B", 7),
    ("39-17-1324", "EMPLOYING A FIREARM DURING A DANGEROUS FELONY", "Felony", "C", 2),
    ("39-16-603", "EVADING ARREST IN A MOTOR VEHICLE", "Felony", "E", 3),
    ("39-14-150", "IDENTITY THEFT", "Felony", "D", 2),
    ("39-14-408", "VANDALISM $2,500-$10,000", "Felony", "D", 2),
    ("39-13-111", "AGGRAVATED DOMESTIC ASSAULT", "Felony", "C", 4),
    ("39-13-210", "SECOND DEGREE MURDER", "Felony", "A", 1),
    ("39-13-202", "FIRST DEGREE MURDER", "Felony", "A", 0.5),
)

# Charges often added to a lead charge in the same arrest.
COMPANIONS: tuple[ChargeSpec, ...] = (
    ("39-16-602", "RESISTING STOP, FRISK, HALT, ARREST OR SEARCH", "Misdemeanor", "B", 5),
    ("39-17-425", "POSSESSION OF DRUG PARAPHERNALIA", "Misdemeanor", "A", 4),
    ("39-17-418", "SIMPLE POSSESSION/CASUAL EXCHANGE", "Misdemeanor", "A", 4),
    ("55-50-504", "DRIVING ON REVOKED LICENSE", "Misdemeanor", "B", 3),
    ("39-16-603", "EVADING ARREST", "Misdemeanor", "A", 3),
    ("39-14-408", "VANDALISM $1,000 OR LESS", "Misdemeanor", "A", 2),
    ("39-17-1307", "UNLAWFUL CARRYING OR POSSESSION OF A WEAPON", "Misdemeanor", "C", 2),
)

# Booking charges with no court case behind them in this county.
HOLDS: tuple[ChargeSpec, ...] = (
    ("40-9-103", "HOLD - OTHER JURISDICTION", "Felony", "", 5),
    ("40-9-103", "FUGITIVE FROM JUSTICE", "Felony", "", 3),
    ("40-35-311", "VIOLATION OF PROBATION", "Felony", "", 4),
    ("40-35-311", "VIOLATION OF PROBATION", "Misdemeanor", "", 2),
    ("41-21-236", "HOLD - TDOC", "Felony", "", 1),
)

GUILTY = "Guilty"
NOT_GUILTY = "Not Guilty"
DISMISSED = "Dismissed"
NOLLE = "Nolle Prosequi"
BOUND_OVER = "Bound Over to Grand Jury"
RETIRED = "Retired"

# Every charge disposition the world uses.
CHARGE_DISPOSITIONS: tuple[str, ...] = (GUILTY, NOT_GUILTY, DISMISSED, NOLLE, BOUND_OVER, RETIRED)

# What the final hearing shows for each case-level outcome.
HEARING_RESULTS: dict[str, str] = {
    GUILTY: "Plea - Guilty",
    NOT_GUILTY: "Trial - Not Guilty",
    DISMISSED: "Dismissed",
    NOLLE: "Nolle Prosequi",
    BOUND_OVER: "Bound Over",
    RETIRED: "Retired",
}


# How a case ends, by kind of case: (disposition, weight); None stays pending (a capias
# for a defendant who stops coming, or a case still open when the world ends).
GS_MISDEMEANOR_OUTCOMES: tuple[tuple[str | None, float], ...] = (
    (GUILTY, 45),
    (DISMISSED, 22),
    (NOLLE, 10),
    (RETIRED, 13),
    (NOT_GUILTY, 3),
    (None, 7),
)
GS_FELONY_OUTCOMES: tuple[tuple[str | None, float], ...] = (
    (BOUND_OVER, 58),
    (DISMISSED, 14),
    (GUILTY, 12),
    (NOLLE, 9),
    (RETIRED, 2),
    (None, 5),
)
CRIMINAL_COURT_OUTCOMES: tuple[tuple[str | None, float], ...] = (
    (GUILTY, 64),
    (NOLLE, 12),
    (DISMISSED, 12),
    (NOT_GUILTY, 3),
    (None, 9),
)

# What the docket says on the disposition date.
DISPOSITION_EVENTS: dict[str, str] = {
    GUILTY: "Guilty Plea Entered",
    NOT_GUILTY: "Verdict - Not Guilty",
    DISMISSED: "Dismissed - Costs Taxed to State",
    NOLLE: "Nolle Prosequi Entered",
    BOUND_OVER: "Bound Over to Grand Jury",
    RETIRED: "Retired for Six Months",
}

MISDEMEANOR_BONDS: tuple[tuple[str, float], ...] = (
    ("ROR", 35),
    ("Surety", 40),
    ("Cash", 18),
    ("Property", 2),
    ("No Bond", 5),
)
FELONY_BONDS: tuple[tuple[str, float], ...] = (
    ("ROR", 8),
    ("Surety", 55),
    ("Cash", 15),
    ("Property", 4),
    ("No Bond", 18),
)
# Bond amounts in dollars, drawn uniformly (repeats make the common amounts likelier).
MISDEMEANOR_BOND_AMOUNTS = (500, 1000, 1000, 1500, 2000, 2500, 2500, 5000)
FELONY_BOND_AMOUNTS = (5000, 10000, 10000, 15000, 25000, 25000, 50000, 75000, 100000, 250000)

CANCEL_REASONS: tuple[str, ...] = (
    "Reset by Court",
    "Defense Request",
    "State Request",
    "Defendant Not Transported",
)
