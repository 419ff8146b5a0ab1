"""Places for the synthetic world: Memphis-area streets and zips, landlords, agencies, jail units.

Pure data. Street names are real Memphis-area streets (public geography); house numbers,
units and every person or business placed on them are generated and fictional. Zip codes
come from the real 381xx set, each street paired with zips of its part of town.
"""

from __future__ import annotations

CITY = "Memphis"
STATE = "TN"

# (street, zips it runs through). Memphis proper.
MEMPHIS_STREETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Lamar Ave", ("38104", "38114", "38111", "38118")),
    ("Poplar Ave", ("38103", "38104", "38112", "38117", "38119")),
    ("Summer Ave", ("38112", "38122", "38134")),
    ("Elvis Presley Blvd", ("38106", "38109", "38116")),
    ("Winchester Rd", ("38116", "38118", "38115")),
    ("Getwell Rd", ("38111", "38118")),
    ("Park Ave", ("38111", "38114", "38117")),
    ("Jackson Ave", ("38105", "38107", "38108", "38112")),
    ("Chelsea Ave", ("38107", "38108")),
    ("Madison Ave", ("38103", "38104")),
    ("Union Ave", ("38103", "38104")),
    ("Airways Blvd", ("38114", "38116")),
    ("Millbranch Rd", ("38116",)),
    ("Kirby Pkwy", ("38115", "38119")),
    ("Mendenhall Rd", ("38115", "38117")),
    ("Hickory Hill Rd", ("38115", "38141")),
    ("Raleigh LaGrange Rd", ("38128", "38134")),
    ("Covington Pike", ("38128",)),
    ("Austin Peay Hwy", ("38128",)),
    ("Frayser Blvd", ("38127",)),
    ("Hollywood St", ("38108", "38112")),
    ("Highland St", ("38111", "38122")),
    ("Walnut Grove Rd", ("38117", "38120")),
    ("Knight Arnold Rd", ("38115", "38118")),
    ("Shelby Dr", ("38109", "38116", "38141")),
    ("Sycamore View Rd", ("38134",)),
    ("Macon Rd", ("38122", "38134")),
    ("Watkins St", ("38107", "38108", "38127")),
    ("Thomas St", ("38107", "38127")),
    ("Overton Crossing St", ("38127",)),
    ("Vollintine Ave", ("38107", "38108")),
    ("Cooper St", ("38104", "38114")),
    ("McLean Blvd", ("38104", "38112")),
    ("Peabody Ave", ("38104",)),
    ("Central Ave", ("38104", "38111")),
    ("Southern Ave", ("38111", "38114")),
    ("Semmes St", ("38111", "38114")),
    ("Holmes Rd", ("38116", "38118")),
    ("Raines Rd", ("38116", "38118")),
    ("Brooks Rd", ("38116",)),
    ("Tchulahoma Rd", ("38118",)),
    ("Perkins Rd", ("38117", "38118")),
    ("Mt Moriah Rd", ("38115", "38117")),
    ("Ridgeway Rd", ("38119", "38120")),
    ("Quince Rd", ("38117", "38119")),
    ("White Station Rd", ("38117",)),
    ("Yale Rd", ("38128", "38134")),
    ("Coleman Rd", ("38128",)),
    ("Egypt Central Rd", ("38128",)),
    ("New Allen Rd", ("38128",)),
    ("James Rd", ("38127", "38128")),
    ("Ross Rd", ("38141",)),
    ("Riverdale Rd", ("38115", "38141")),
    ("Whitney Ave", ("38127",)),
    ("Hawkins Mill Rd", ("38127",)),
    ("Horn Lake Rd", ("38109",)),
    ("Mississippi Blvd", ("38106", "38126")),
    ("S Third St", ("38106", "38109")),
    ("S Parkway E", ("38106", "38114")),
    ("Kerr Ave", ("38106",)),
    ("Person Ave", ("38106", "38114")),
    ("Castalia St", ("38114",)),
    ("Fairway Ave", ("38106",)),
    ("Dellwood Ave", ("38127",)),
    ("Dunn Ave", ("38106", "38114")),
    ("Wells Station Rd", ("38108", "38122")),
    ("National St", ("38108", "38122")),
    ("Graham St", ("38122",)),
    ("Germantown Rd", ("38125", "38138")),
    ("Riverdale Bend Cv", ("38125",)),
    ("Winchester Park Cir", ("38118",)),
    ("Cottonwood Rd", ("38118",)),
    ("Goodlett St", ("38117",)),
    ("Vance Ave", ("38105", "38126")),
    ("Lauderdale St", ("38105", "38126")),
    ("Danny Thomas Blvd", ("38105", "38126")),
)

# (city, streets, zips) for the suburbs that share the county's courts.
SUBURBS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Bartlett", ("Stage Rd", "Bartlett Blvd", "Kirby Whitten Rd"), ("38133", "38134", "38135")),
    ("Germantown", ("Exeter Rd", "Poplar Pike", "Farmington Blvd"), ("38138", "38139")),
    ("Millington", ("Navy Rd", "Wilkinsville Rd", "Easley St"), ("38053",)),
    ("Collierville", ("Byhalia Rd", "Shelton Rd", "Poplar Ave"), ("38017",)),
)

SUBURB_SHARE = 0.06

# Apartment complexes use one unit style each; `{n}` a number, `{b}` a building letter.
UNIT_STYLES: tuple[str, ...] = ("Apt {n}{b}", "Apt {n}", "Unit {n}", "# {n}", "Apt {b}{n}")

LANDLORD_WORDS: tuple[str, ...] = (
    "Vantage Point",
    "Highland Park",
    "Riverbend",
    "Summit Ridge",
    "Oakwood",
    "Cedar Ridge",
    "Bluff City",
    "Magnolia",
    "Willow Creek",
    "Parkway Village",
    "Chickasaw",
    "Delta Bend",
    "Pinnacle",
    "Stonebridge",
    "Maple Grove",
    "Overton Square",
    "Raleigh Springs",
    "Hickory Pointe",
    "Cypress Lake",
    "Audubon",
    "Harbor Town",
    "Mid-South",
    "Wolf River",
    "Lakeview",
    "Belmont",
    "Fairway Oaks",
    "Crestview",
    "Sunrise",
    "Ivy Glen",
    "Legacy",
    "Keystone",
    "Brookhaven",
    "Heritage",
    "Gateway",
    "Red Oak",
    "Silver Leaf",
    "Windsor Place",
    "Kensington",
    "Autumn Ridge",
    "Copper Creek",
    "Eagle's Landing",
    "Peppertree",
    "Southbrook",
    "Tulane Park",
    "Quail Hollow",
    "Pine Ridge",
    "Rosewood",
    "Shadow Oaks",
    "Cherry Hill",
    "Whispering Pines",
)

# Second words for compound names ("Oakwood Commons").
LANDLORD_SECOND_WORDS: tuple[str, ...] = (
    "Pointe",
    "Commons",
    "Crossing",
    "Landing",
    "Village",
    "Gardens",
    "Park",
    "Terrace",
    "Court",
    "Manor",
    "Place",
    "Station",
    "Square",
    "Trace",
    "Glen",
    "Woods",
    "Hills",
)

# `{w}` is a word (or two) above. A few forms carry d/b/a or an ampersand, as real filings do.
LANDLORD_FORMS: tuple[tuple[str, float], ...] = (
    ("{w} Properties LLC", 10),
    ("{w} Property Management LLC", 8),
    ("{w} Apartments LLC", 8),
    ("{w} Holdings LLC", 6),
    ("{w} Residential LP", 4),
    ("{w} Homes LLC", 5),
    ("{w} Rentals LLC", 4),
    ("{w} Realty Inc.", 3),
    ("{w} Investments LLC", 3),
    ("{w} Townhomes LP", 2),
    ("{w} SFR Owner LLC", 3),
    ("{w} Housing Partners LP", 2),
    ("{w} Holdings LLC d/b/a {w} Apartments", 2),
    ("{w} Homes & Rentals LLC", 1),
)

STATE_PARTY = "STATE OF TENNESSEE"
PSEUDO_OCCUPANTS = "ALL OTHER OCCUPANTS"

ARRESTING_AGENCIES: tuple[tuple[str, float], ...] = (
    ("Memphis Police Department", 60),
    ("Shelby County Sheriff's Office", 22),
    ("Bartlett Police Department", 4),
    ("Germantown Police Department", 2),
    ("Collierville Police Department", 2),
    ("Millington Police Department", 2),
    ("Tennessee Highway Patrol", 4),
    ("U.S. Marshals Service", 2),
    ("University of Memphis Police", 1),
    ("Shelby County Schools Police", 1),
)

MALE_FACILITY = "201 Poplar"
FEMALE_FACILITY = "Jail East"
POD_FLOORS = "234567"
POD_LETTERS = "ABCDEFGH"
SPECIAL_HOUSING: tuple[str, ...] = ("201 Poplar - Medical Unit", "201 Poplar - Intake")
