"""The documented patterns of the synthetic demo data set.

Everything the demo generator makes plausible on purpose is written down here, as data, so that
the README, the tests and the generator read the same numbers. None of these figures is real:
they are chosen to look like the regional contrasts DOMAIN.md describes, never to report them.
"""

from __future__ import annotations

# Relative demand per sector tag, by region. A vacancy's gemeente is drawn by size (addresses)
# times the region's overall demand; its occupation by the national weight of the occupation
# times the multiplier of the occupation's sector in the gemeente's regions. Multipliers of
# nested regions multiply.
REGIONAL_SECTOR_MULTIPLIERS: dict[str, dict[str, float]] = {
    # Industry in the Achterhoek.
    "CR14": {"metaal": 3.0, "techniek": 2.0, "voedsel": 1.5},
    # Construction around Gorinchem.
    "AM35": {"bouw": 3.0, "techniek": 1.4},
    # Transport and storage in Noord-Limburg (Venlo), with greenhouse horticulture.
    "CR37": {"logistiek": 3.0, "groen": 1.8},
    # Greenhouse horticulture in the Westland.
    "CR27": {"groen": 2.5},
    # Tourism and hospitality along the coast of Zeeland.
    "PV29": {"horeca": 1.6, "groen": 1.3},
    # Food industry in the FoodValley.
    "AM38": {"voedsel": 2.2},
    # Port and process industry in Rijnmond.
    "AM22": {"logistiek": 1.6, "techniek": 1.3},
    # High-tech around Eindhoven.
    "AM28": {"techniek": 1.6, "ict": 1.6, "metaal": 1.4},
    # Media and design in Regio Zwolle (the Photoshop example of DOMAIN.md).
    "AM36": {"media": 3.5},
}

# ICT and media concentrate in the big cities.
BIG_CITIES: dict[str, dict[str, float]] = {
    code: {"ict": 3.0, "media": 2.0, "administratie": 1.4}
    for code in ("GM0363", "GM0599", "GM0518", "GM0344", "GM0772", "GM0014")
}

# Seasonality: multiplier per calendar month (1..12), per sector tag; "algemeen" is the base
# every sector gets. Fewer vacancies in the summer holiday and December, more in spring.
SEASONALITY: dict[str, tuple[float, ...]] = {
    "algemeen": (1.05, 1.10, 1.15, 1.10, 1.05, 1.00, 0.80, 0.85, 1.05, 1.05, 1.00, 0.80),
    "horeca": (0.80, 0.90, 1.25, 1.40, 1.40, 1.20, 0.90, 0.80, 0.90, 0.90, 0.90, 0.90),
    "retail": (0.85, 0.85, 0.95, 1.00, 1.00, 0.95, 0.90, 0.95, 1.05, 1.20, 1.35, 0.90),
    "groen": (0.95, 1.10, 1.35, 1.35, 1.20, 1.00, 0.85, 0.85, 0.95, 0.90, 0.80, 0.70),
    "onderwijs": (0.90, 0.95, 1.05, 1.20, 1.40, 1.40, 0.70, 1.10, 0.90, 0.80, 0.80, 0.80),
    "logistiek": (0.90, 0.90, 1.00, 1.00, 1.00, 1.00, 0.95, 1.05, 1.15, 1.25, 1.25, 0.80),
}

# Yearly growth of demand per sector tag over the 24 months (0.10 = +10% a year).
TREND_PER_YEAR: dict[str, float] = {
    "ict": 0.10,
    "techniek": 0.08,
    "zorg": 0.06,
    "bouw": 0.03,
    "logistiek": 0.02,
    "administratie": -0.08,
    "retail": -0.04,
}
# Administrative jobs fall nationally but not in the north (DOMAIN.md).
NORTH_PROVINCES = ("PV20", "PV21", "PV22")
NORTH_ADMINISTRATION_TREND = 0.01

# Skills whose share of vacancies grows over the period (emerging skills), with the factor by
# which their chance of being asked grows from the first month to the last.
EMERGING_SKILL_GROWTH = 3.0
EMERGING_SKILL_HINTS = (
    "warmtepomp",
    "laadpaal",
    "zonnepane",
    "duurzaam",
    "energietransitie",
    "power-bi",
    "powerbi",
    "ai",
    "chatgpt",
    "machine-learning",
    "data-analyse",
    "cyber",
    "cloud",
    "azure",
    "figma",
    "elektrische-voertuigen",
    "hybride",
    "circulair",
    "domotica",
)

# Photoshop in Regio Zwolle: media and design vacancies there ask for it more often.
LOCAL_SKILL_BOOST: dict[tuple[str, str], float] = {("AM36", "photoshop"): 0.85}

# Postings: about 20% of vacancies are reposted, on one or two other sources.
REPOST_SHARE = 0.20
SECOND_REPOST_SHARE = 0.35
SOURCES = ("Demo Vacaturebank", "Demo Banensite", "Demo Werkgeverssite")
SOURCE_WEIGHTS = (0.5, 0.3, 0.2)

# Contract types with their share.
CONTRACTS = {
    "vast": 0.34,
    "tijdelijk met uitzicht op vast": 0.30,
    "tijdelijk": 0.14,
    "uitzendbasis": 0.12,
    "bbl-leerbaan": 0.06,
    "stage": 0.04,
}

# Share of location texts written in a messy way (the rest: gemeente or woonplaats name).
MESSY_LOCATION_SHARES = {
    "e.o.": 0.03,
    "province_suffix": 0.05,
    "postcode": 0.04,
    "district": 0.01,
    "unresolvable": 0.02,
}
UNRESOLVABLE_LOCATIONS = (
    "Thuiswerken",
    "Regio Twente",
    "Randstad",
    "Nederland",
    "Gelderland",
    "Diverse locaties",
    "Werk van thuis",
    "Noord-Brabant",
)

# Supply: short-term jobseekers (WW < 6 months) per vacancy, by BRC beroepsklasse, chosen so
# that tension classes differ plausibly (care and technology tight, administration ample).
JOBSEEKERS_PER_VACANCY: dict[str, float] = {
    "01": 0.6,  # pedagogische beroepen
    "02": 2.5,  # creatieve en taalkundige beroepen
    "03": 1.2,  # commerciële beroepen
    "04": 2.0,  # bedrijfseconomische en administratieve beroepen
    "05": 1.5,  # managers
    "06": 1.1,  # openbaar bestuur, veiligheid en juridische beroepen
    "07": 0.3,  # technische beroepen
    "08": 0.35,  # ict beroepen
    "09": 0.9,  # agrarische beroepen
    "10": 0.25,  # zorg en welzijn
    "11": 0.8,  # dienstverlenende beroepen
    "12": 0.7,  # transport en logistiek
    "13": 1.5,  # overig
}
# Graduates per year of an mbo qualification in a labour-market region, before scaling by the
# region's size.
GRADUATES_PER_PROGRAMME_REGION = 30
