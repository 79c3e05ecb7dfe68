"""Deterministic synthetic demo data for the whole country.

``build_demo`` writes N vacancy postings over the 24 months up to ``end_month`` for all 342
gemeenten, in chunks so that memory stays bounded whatever N is. The same seed, N and end month
give identical data. The patterns it draws (regional sector mixes, seasonality, trends, levels,
reposts, messy locations) are in ``data.demo.profile``; the occupations, skills and phrasing in
``occupations.json``, ``phrases.json`` and ``data/reference/skills.csv``.

Everything written carries the demo flag; the pages show "Demodata (synthetisch)".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from data.demo import profile
from data.loaders import gemeenten, read_csv, skills_frame
from data.normalise import content_hash, employer_norm
from data.places import PROVINCE_FORMS, PlaceResolver
from data.store.models import (
    IngestBatch,
    Programme,
    SupplyFigure,
    Vacancy,
    VacancyOccupation,
)

DEMO_DIR = Path(__file__).resolve().parent
CHUNK_SIZE = 20_000
MONTHS = 24
LEVEL_KEYS = ("mbo1", "mbo2", "mbo3", "mbo4", "hbo", "wo")
LEVEL_TEXT = {
    "mbo1": "mbo 1",
    "mbo2": "mbo 2",
    "mbo3": "mbo 3",
    "mbo4": "mbo 4",
    "hbo": "hbo",
    "wo": "wo",
}
LEVEL_NUMBER = {"mbo1": 1, "mbo2": 2, "mbo3": 3, "mbo4": 4, "hbo": 5, "wo": 6}
PROVINCE_ABBREVIATION = {code: forms[-1].upper() for code, forms in PROVINCE_FORMS.items()}

SECTOR_SBI_NAMES = {
    "A": "landbouw",
    "C": "industrie",
    "F": "bouw",
    "G": "handel",
    "H": "vervoer en opslag",
    "I": "horeca",
    "J": "informatie en communicatie",
    "K": "financiële dienstverlening",
    "M": "specialistische zakelijke diensten",
    "N": "verhuur en overige zakelijke diensten",
    "O": "openbaar bestuur",
    "P": "onderwijs",
    "Q": "gezondheids- en welzijnszorg",
    "R": "cultuur en recreatie",
    "S": "overige dienstverlening",
    "D": "energievoorziening",
    "E": "waterbedrijven en afvalbeheer",
    "B": "delfstoffenwinning",
    "L": "verhuur van onroerend goed",
}

# Employer names: a generic first part from phrases.json and a second part that fits the sector.
EMPLOYER_KIND = {
    "techniek": ("Installatietechniek", "Elektrotechniek B.V.", "Techniek", "Engineering"),
    "bouw": ("Bouw B.V.", "Bouwbedrijf", "Aannemersbedrijf", "Infra"),
    "metaal": ("Metaalbewerking", "Machinebouw B.V.", "Staalbouw", "Precisietechniek"),
    "logistiek": ("Logistics", "Transport B.V.", "Distributiecentrum", "Warehousing"),
    "zorg": ("Zorggroep", "Thuiszorg", "Zorgcentrum", "Ziekenhuis"),
    "ict": ("IT Solutions", "Software B.V.", "Digital", "Data & Cloud"),
    "media": ("Creative Studio", "Mediabureau", "Drukkerij", "Reclamebureau"),
    "horeca": ("Hotel & Restaurant", "Brasserie", "Catering", "Partycentrum"),
    "retail": ("Supermarkt", "Winkels B.V.", "Mode", "Bouwmarkt"),
    "administratie": ("Administratiekantoor", "Accountants", "Adviesgroep", "Finance B.V."),
    "onderwijs": ("Onderwijsgroep", "Kindcentrum", "College", "Scholengemeenschap"),
    "groen": ("Hoveniers", "Kwekerij", "Groenvoorziening", "Agro B.V."),
    "voedsel": ("Food B.V.", "Bakkerij", "Zuivel", "Vleesverwerking"),
    "veiligheid": ("Beveiliging", "Security B.V.", "Brandbeveiliging", "Toezicht"),
    "schoonmaak": ("Schoonmaakbedrijf", "Facilitaire Diensten", "Cleaning", "Glazenwasserij"),
    "automotive": ("Autobedrijf", "Garage", "Truck Service", "Mobility B.V."),
    "algemeen": ("Groep", "Diensten B.V.", "Holding B.V.", "& Partners"),
}

LANGUAGE_LINES = (
    "Je spreekt en schrijft goed {skill}",
    "Goede beheersing van het {skill} in woord en geschrift",
    "Je beheerst het {skill} uitstekend",
    "Je communiceert vlot in het {skill}",
)
TRANSVERSAL_LINES = (
    "Je herkent je in: {skills}",
    "Eigenschappen die bij je passen: {skills}",
    "Competenties: {skills}",
    "Wij zoeken iemand die dit meebrengt: {skills}",
)


@dataclass(frozen=True)
class DemoSkill:
    key: str
    label: str
    type: str
    surfaces: tuple[str, ...]
    emerging: bool


@dataclass
class DemoOccupation:
    brc: str
    klasse: str
    sector: str
    sbi: str
    titles: list[str]
    level_keys: list[str]
    level_weights: np.ndarray
    required: list[str]
    nice: list[str]
    hours: tuple[int, int]
    weight: float
    duties: list[str]


@dataclass
class DemoWorld:
    """Everything the generator draws from, read once."""

    gemeente_codes: list[str]
    gemeente_names: dict[str, str]
    gemeente_province: dict[str, str]
    gemeente_am: dict[str, str]
    woonplaatsen: dict[str, list[str]]
    postcodes: dict[str, list[str]]
    gemeente_weights: np.ndarray
    occupations: list[DemoOccupation]
    occ_prob: np.ndarray  # gemeente × occupation, rows sum to 1
    month_prob: np.ndarray  # (occupation × 2 + north) × month, rows sum to 1
    level_prob: np.ndarray  # occupation × LEVEL_KEYS, rows sum to 1
    gemeente_north: np.ndarray  # bool per gemeente
    skills: dict[str, DemoSkill]
    phrases: dict[str, list[str]]
    employers: dict[tuple[str, str], list[str]] = field(default_factory=dict)


def _month_starts(end_month: dt.date) -> list[dt.date]:
    months = []
    year, month = end_month.year, end_month.month
    for _ in range(MONTHS):
        months.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def _shift_month(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _multiplier(sector: str, codes: tuple[str, ...]) -> float:
    value = 1.0
    for code in codes:
        value *= profile.REGIONAL_SECTOR_MULTIPLIERS.get(code, {}).get(sector, 1.0)
        value *= profile.BIG_CITIES.get(code, {}).get(sector, 1.0)
    return value


def load_world(reference_dir: Path, end_month: dt.date) -> DemoWorld:
    table = gemeenten(reference_dir)
    codes = table["gemeente_code"].to_list()
    addresses = (
        read_csv(reference_dir, "pc4_gemeente_2025.csv")
        .with_columns(pl.col("n_adressen").cast(pl.Int64))
        .group_by("gemeente_code")
        .agg(pl.col("n_adressen").sum())
    )
    size = dict(addresses.iter_rows())
    sizes = np.array([float(size.get(c, 1000)) for c in codes])

    occupations_raw = json.loads((DEMO_DIR / "occupations.json").read_text(encoding="utf-8"))
    brc = read_csv(reference_dir, "brc2014.csv")
    klasse_of = dict(brc.select("beroepsgroep_code", "beroepsklasse_code").iter_rows())
    occupations = []
    for o in sorted(occupations_raw, key=lambda item: item["brc"]):
        keys = [k for k in LEVEL_KEYS if o["levels"].get(k, 0) > 0]
        weights = np.array([o["levels"][k] for k in keys], dtype=float)
        occupations.append(
            DemoOccupation(
                brc=o["brc"],
                klasse=klasse_of[o["brc"]],
                sector=o["sector"],
                sbi=o["sbi"],
                titles=o["titles"],
                level_keys=keys,
                level_weights=weights / weights.sum(),
                required=o["skills_required"],
                nice=o["skills_nice"],
                hours=(int(o["hours"][0]), int(o["hours"][1])),
                weight=float(o["weight"]),
                duties=o["duties"],
            )
        )

    rows = table.select(
        "gemeente_code", "arbeidsmarktregio_code", "provincie_code", "corop_code"
    ).iter_rows()
    occ_weights = np.array([o.weight for o in occupations])
    prob = np.empty((len(codes), len(occupations)))
    for i, (g, am, pv, cr) in enumerate(rows):
        region_codes = (g, am, pv, cr)
        prob[i] = occ_weights * np.array([_multiplier(o.sector, region_codes) for o in occupations])
    demand = prob.sum(axis=1)
    gemeente_weights = sizes * demand / occ_weights.sum()
    prob /= demand[:, None]

    months = _month_starts(end_month)
    t = np.arange(MONTHS) / 12.0
    base = np.array(profile.SEASONALITY["algemeen"])
    month_prob = np.empty((2 * len(occupations), MONTHS))
    for i, occ in enumerate(occupations):
        season = np.array(profile.SEASONALITY.get(occ.sector, profile.SEASONALITY["algemeen"]))
        if occ.sector in profile.SEASONALITY:
            season = season * base
        by_month = np.array([season[m.month - 1] for m in months])
        for north in (0, 1):
            growth = profile.TREND_PER_YEAR.get(occ.sector, 0.0)
            if occ.sector == "administratie" and north:
                growth = profile.NORTH_ADMINISTRATION_TREND
            weights = by_month * (1.0 + growth) ** t
            month_prob[2 * i + north] = weights / weights.sum()
    level_prob = np.array(
        [
            [
                occ.level_weights[occ.level_keys.index(k)] if k in occ.level_keys else 0.0
                for k in LEVEL_KEYS
            ]
            for occ in occupations
        ]
    )
    provinces = dict(table.select("gemeente_code", "provincie_code").iter_rows())
    gemeente_north = np.array([provinces[c] in profile.NORTH_PROVINCES for c in codes])

    skills = {}
    for r in skills_frame(reference_dir).iter_rows(named=True):
        aliases = [a for a in (r.get("aliases_nl") or "").split("|") if a.strip()]
        key = r["skill_id"]
        skills[key] = DemoSkill(
            key=key,
            label=r["label_nl"],
            type=r["type"],
            surfaces=(r["label_nl"], *aliases[:3]),
            emerging=any(h in key for h in profile.EMERGING_SKILL_HINTS),
        )

    woonplaatsen: dict[str, list[str]] = {}
    for name, code in (
        read_csv(reference_dir, "woonplaatsen_2025.csv")
        .select("woonplaats_naam", "gemeente_code")
        .iter_rows()
    ):
        woonplaatsen.setdefault(code, []).append(name)
    postcodes: dict[str, list[str]] = {}
    for pc4, code in (
        read_csv(reference_dir, "pc4_gemeente_2025.csv").select("pc4", "gemeente_code").iter_rows()
    ):
        postcodes.setdefault(code, []).append(pc4)

    phrases = json.loads((DEMO_DIR / "phrases.json").read_text(encoding="utf-8"))
    return DemoWorld(
        gemeente_codes=codes,
        gemeente_names=dict(table.select("gemeente_code", "gemeente_naam").iter_rows()),
        gemeente_province=dict(table.select("gemeente_code", "provincie_code").iter_rows()),
        gemeente_am=dict(table.select("gemeente_code", "arbeidsmarktregio_code").iter_rows()),
        woonplaatsen={k: sorted(v) for k, v in woonplaatsen.items()},
        postcodes={k: sorted(v) for k, v in postcodes.items()},
        gemeente_weights=gemeente_weights / gemeente_weights.sum(),
        occupations=occupations,
        occ_prob=prob,
        month_prob=month_prob,
        level_prob=level_prob,
        gemeente_north=gemeente_north,
        skills=skills,
        phrases=phrases,
    )


def _draw_rows(prob: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Row-wise categorical draw: for each row i, the index where cumsum(prob[i]) passes u[i]."""
    cumulative = np.cumsum(prob, axis=1)
    picked = (cumulative < u[:, None]).sum(axis=1)
    return np.minimum(picked, prob.shape[1] - 1)


def _clean_name(name: str) -> str:
    """A gemeente name as a job board writes it: "Bergen (NH.)" → "Bergen (NH)"."""
    return name.replace(".)", ")")


def _lower_first(text: str) -> str:
    """ "Teamspeler" → "teamspeler" in a running list; acronyms ("ICT") stay."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


class _Composer:
    """Writes one vacancy text from a world and a random generator."""

    def __init__(self, world: DemoWorld, rng: np.random.Generator) -> None:
        self.world = world
        self.rng = rng
        self.p = world.phrases
        # "In het bezit van …" reads right for a certificate only; other skills get the rest.
        lines = world.phrases["requirement_line"]
        possession = [
            x for x in lines if "bezit" in x or x.startswith(("{skill} is", "Vereist", "Een must"))
        ]
        self.requirement_lines = {
            True: possession,
            False: [x for x in lines if "bezit" not in x],
        }

    def pick(self, items: list[str] | tuple[str, ...]) -> str:
        return items[int(self.rng.integers(len(items)))]

    def surface(self, key: str) -> str:
        skill = self.world.skills[key]
        # Mostly the preferred label, sometimes an alias, as real texts vary.
        if len(skill.surfaces) > 1 and self.rng.random() < 0.3:
            return self.pick(skill.surfaces[1:])
        return skill.label

    def employer(self, gemeente: str, sector: str) -> str:
        pool_key = (gemeente, sector)
        pool = self.world.employers.get(pool_key)
        if pool is None:
            digest = int(hashlib.sha256(f"{gemeente}:{sector}".encode()).hexdigest(), 16)
            prefixes = self.p["employer_prefix"]
            kinds = EMPLOYER_KIND.get(sector, EMPLOYER_KIND["algemeen"])
            place = _clean_name(self.world.gemeente_names[gemeente])
            pool = []
            for i in range(6):
                prefix = prefixes[(digest >> (i * 7)) % len(prefixes)]
                kind = kinds[(digest >> (i * 5 + 3)) % len(kinds)]
                pool.append(f"{prefix} {kind}" if i % 3 else f"{kind} {place}")
            self.world.employers[pool_key] = pool
        return pool[int(self.rng.integers(len(pool)))]

    def location(self, gemeente: str) -> str:
        world = self.world
        name = _clean_name(world.gemeente_names[gemeente])
        places = world.woonplaatsen.get(gemeente, [name])
        if self.rng.random() < 0.3:
            name = self.pick(places)
        u = self.rng.random()
        shares = profile.MESSY_LOCATION_SHARES
        edge = shares["e.o."]
        if u < edge:
            return f"{name} e.o."
        edge += shares["province_suffix"]
        if u < edge:
            return f"{name}, {PROVINCE_ABBREVIATION[world.gemeente_province[gemeente]]}, NL"
        edge += shares["postcode"]
        if u < edge and world.postcodes.get(gemeente):
            pc4 = self.pick(world.postcodes[gemeente])
            letters = "".join(chr(65 + int(x)) for x in self.rng.integers(0, 26, 2))
            return f"{pc4} {letters} {name}"
        edge += shares["district"]
        if u < edge:
            return f"{name} {self.pick(('Centrum', 'Noord', 'Zuid', 'Oost', 'West'))}"
        edge += shares["unresolvable"]
        if u < edge:
            return self.pick(profile.UNRESOLVABLE_LOCATIONS)
        return name

    def skills_for(
        self, occ: DemoOccupation, month_index: int, am: str
    ) -> tuple[list[str], list[str], str | None]:
        world, rng = self.world, self.rng
        known = [k for k in occ.required if k in world.skills]
        ramp = 1.0 + (profile.EMERGING_SKILL_GROWTH - 1.0) * month_index / (MONTHS - 1)
        weights = np.array(
            [
                (1.0 / (1 + 0.15 * i))
                * (ramp / profile.EMERGING_SKILL_GROWTH if world.skills[k].emerging else 1.0)
                for i, k in enumerate(known)
            ]
        )
        count = min(len(known), int(rng.integers(4, 10)))
        chosen = (
            list(rng.choice(len(known), size=count, replace=False, p=weights / weights.sum()))
            if known
            else []
        )
        required = [known[i] for i in sorted(chosen)]
        for (region, key), chance in profile.LOCAL_SKILL_BOOST.items():
            if am == region and key in world.skills and key not in required:
                if occ.sector == "media" and rng.random() < chance:
                    required.append(key)
        nice_pool = [k for k in occ.nice if k in world.skills and k not in required]
        nice = (
            [
                nice_pool[i]
                for i in sorted(
                    rng.choice(
                        len(nice_pool),
                        size=min(len(nice_pool), int(rng.integers(0, 3))),
                        replace=False,
                    )
                )
            ]
            if nice_pool
            else []
        )
        offered = None
        certificates = [
            k
            for k in occ.required + occ.nice
            if k in world.skills and world.skills[k].type == "certificate" and k not in required
        ]
        if certificates and rng.random() < 0.25:
            offered = self.pick(certificates)
        return required, nice, offered

    def text(
        self,
        occ: DemoOccupation,
        title: str,
        employer: str,
        place: str,
        level: str,
        hours: tuple[int, int],
        required: list[str],
        nice: list[str],
        offered: str | None,
    ) -> tuple[str, dict[str, str]]:
        p, rng = self.p, self.rng
        intro = self.pick(p["intro"]).format(employer=employer, place=place, title=title)
        duties = [
            occ.duties[i]
            for i in sorted(
                rng.choice(
                    len(occ.duties),
                    size=min(len(occ.duties), int(rng.integers(3, 6))),
                    replace=False,
                )
            )
        ]
        job = "\n".join(f"- {d[0].upper()}{d[1:]}" for d in duties)

        lines = [self.pick(p["level_line"]).format(level=LEVEL_TEXT[level])]
        by_type: dict[str, list[str]] = {"language": [], "transversal": [], "other": []}
        for key in required:
            kind = self.world.skills[key].type
            by_type[kind if kind in by_type else "other"].append(key)
        others = by_type["other"]
        i = 0
        while i < len(others):
            if i + 1 < len(others) and rng.random() < 0.25:
                lines.append(
                    self.pick(p["requirement_list_line"]).format(
                        skill=self.surface(others[i]), skill2=self.surface(others[i + 1])
                    )
                )
                i += 2
            else:
                lines.append(self.pick(p["requirement_line"]).format(skill=self.surface(others[i])))
                i += 1
        for key in by_type["language"]:
            lines.append(self.pick(LANGUAGE_LINES).format(skill=self.surface(key)))
        if by_type["transversal"]:
            names = [_lower_first(self.surface(k)) for k in by_type["transversal"]]
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
            lines.append(self.pick(TRANSVERSAL_LINES).format(skills=joined))
        for key in nice:
            lines.append(self.pick(p["nice_line"]).format(skill=self.surface(key)))
        if level in ("mbo1", "mbo2") and rng.random() < 0.3:
            lines.append(self.pick(p["no_experience_line"]))
        lines.append(self.pick(p["hours_line"]).format(min=hours[0], max=hours[1]))
        order = rng.permutation(len(lines) - 1) + 1 if rng.random() < 0.5 else None
        if order is not None:
            lines = [lines[0], *[lines[int(j)] for j in order]]
        requirements = "\n".join(f"- {line[0].upper()}{line[1:]}" for line in lines)

        offer_lines = [x for x in p["offer_line"] if "{skill}" not in x]
        picked = [offer_lines[int(j)] for j in rng.choice(len(offer_lines), size=4, replace=False)]
        if offered:
            picked.insert(
                int(rng.integers(0, len(picked) + 1)),
                self.pick([x for x in p["offer_line"] if "{skill}" in x]).format(
                    skill=self.surface(offered)
                ),
            )
        offer = "\n".join(f"- {line}" for line in picked)
        closing = self.pick(p["closing"]).format(employer=employer)

        sections = {
            "intro": intro,
            "job": f"{self.pick(p['job_heading'])}\n{job}",
            "requirements": f"{self.pick(p['requirement_heading'])}\n{requirements}",
            "offer": f"{self.pick(p['offer_heading'])}\n{offer}",
            "closing": closing,
        }
        parts = [sections["intro"], sections["job"], sections["requirements"], sections["offer"]]
        if rng.random() < 0.3:
            # Some employers put the offer before the profile.
            parts[2], parts[3] = parts[3], parts[2]
        return "\n\n".join([*parts, closing]), sections


def generate_chunks(
    world: DemoWorld,
    resolver: PlaceResolver,
    n: int,
    seed: int,
    end_month: dt.date,
    first_id: int = 1,
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """Yield (vacancy rows, occupation link rows) per chunk of at most CHUNK_SIZE postings."""
    months = _month_starts(end_month)
    last_day = _shift_month(end_month, 1) - dt.timedelta(days=1)
    resolve_cache: dict[str, tuple[str | None, str]] = {}
    next_id = first_id
    produced = 0
    chunk_index = 0
    source_weights = np.array(profile.SOURCE_WEIGHTS)
    contract_names = list(profile.CONTRACTS)
    contract_p = np.array(list(profile.CONTRACTS.values()))
    contract_p = contract_p / contract_p.sum()
    while produced < n:
        rng = np.random.default_rng([seed, chunk_index])
        composer = _Composer(world, rng)
        target = min(CHUNK_SIZE, n - produced)
        # Each base vacancy brings 1, 2 or 3 postings; draw enough bases for the chunk.
        bases = int(target / (1 + profile.REPOST_SHARE * (1 + profile.SECOND_REPOST_SHARE))) + 1
        g_idx = rng.choice(len(world.gemeente_codes), size=bases, p=world.gemeente_weights)
        o_idx = _draw_rows(world.occ_prob[g_idx], rng.random(bases))
        m_idx = _draw_rows(
            world.month_prob[2 * o_idx + world.gemeente_north[g_idx]], rng.random(bases)
        )
        level_idx = _draw_rows(world.level_prob[o_idx], rng.random(bases))
        contract_idx = rng.choice(len(contract_names), size=bases, p=contract_p)
        # Weighted order of sources without replacement (Efraimidis–Spirakis keys).
        source_orders = np.argsort(
            np.log(rng.random((bases, len(source_weights)))) / source_weights, axis=1
        )[:, ::-1]
        vacancies: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for b in range(bases):
            if len(vacancies) >= target:
                break
            gemeente = world.gemeente_codes[int(g_idx[b])]
            occ = world.occupations[int(o_idx[b])]
            m = int(m_idx[b])
            month = months[m]
            next_month = _shift_month(month, 1)
            posted = month + dt.timedelta(days=int(rng.integers(0, (next_month - month).days)))
            level = LEVEL_KEYS[int(level_idx[b])]
            low, high = occ.hours
            hours = (int(rng.integers(low, high + 1)) // 2 * 2, high)
            hours = (min(hours[0], high), high)
            title = composer.pick(occ.titles)
            employer = composer.employer(gemeente, occ.sector)
            location = composer.location(gemeente)
            required, nice, offered = composer.skills_for(occ, m, world.gemeente_am[gemeente])
            place = _clean_name(world.gemeente_names[gemeente])
            text, sections = composer.text(
                occ, title, employer, place, level, hours, required, nice, offered
            )
            contract = contract_names[int(contract_idx[b])]
            if contract == "bbl-leerbaan" and level in ("hbo", "wo"):
                contract = "tijdelijk"
            closing = posted + dt.timedelta(days=int(rng.integers(14, 91)))
            source_order = source_orders[b]
            postings = 1
            if rng.random() < profile.REPOST_SHARE:
                postings = 3 if rng.random() < profile.SECOND_REPOST_SHARE else 2
            base_id = next_id
            for k in range(min(postings, target - len(vacancies))):
                source = profile.SOURCES[int(source_order[k])]
                shown_title = title
                shown_location = location
                shown_posted = posted
                if k:
                    # A repost comes a few days later, but never after the data's last month.
                    shown_posted = min(
                        posted + dt.timedelta(days=int(rng.integers(0, 15))), last_day
                    )
                    if rng.random() < 0.5:
                        shown_title = f"{title} (m/v)" if "(m/v" not in title else title
                    if rng.random() < 0.4:
                        shown_location = composer.location(gemeente)
                if shown_location not in resolve_cache:
                    res = resolver.resolve(shown_location)
                    resolve_cache[shown_location] = (res.gemeente_code, res.method)
                resolved, method = resolve_cache[shown_location]
                vacancy_id = next_id
                next_id += 1
                vacancies.append(
                    {
                        "id": vacancy_id,
                        "source": source,
                        "source_id": f"demo-{seed}-{vacancy_id}",
                        "title": shown_title,
                        "employer": employer,
                        "employer_norm": employer_norm(employer),
                        "location_text": shown_location,
                        "gemeente_code": resolved,
                        "location_method": method,
                        "posted_at": shown_posted,
                        "posted_month": shown_posted.replace(day=1),
                        "closing_at": closing if rng.random() < 0.7 else None,
                        "education_level": LEVEL_TEXT[level],
                        "level_min": LEVEL_NUMBER[level],
                        "level_max": LEVEL_NUMBER[level],
                        "hours_min": float(hours[0]),
                        "hours_max": float(hours[1]),
                        "contract_type": contract,
                        "sector": occ.sbi,
                        "text": text,
                        "sections": sections,
                        "url": f"https://demo.regiokompas.invalid/vacature/{vacancy_id}",
                        "content_hash": content_hash(shown_title, employer, text),
                        "cluster_id": base_id,
                        "is_cluster_head": k == 0,
                        "is_demo": True,
                    }
                )
                links.append(
                    {
                        "vacancy_id": vacancy_id,
                        "occupation_code": occ.brc,
                        "score": 1.0,
                        "method": "demo",
                    }
                )
        produced += len(vacancies)
        chunk_index += 1
        yield vacancies, links


def _supply_rows(
    session: Session, world: DemoWorld, end_month: dt.date, seed: int, vacancies: int = 60_000
) -> list[dict[str, Any]]:
    """Synthetic graduates per programme × arbeidsmarktregio × school year and short-term
    jobseekers per arbeidsmarktregio × beroepsklasse × quarter."""
    rng = np.random.default_rng([seed, 10_000_019])
    rows: list[dict[str, Any]] = []
    am_share: dict[str, float] = {}
    for code, weight in zip(world.gemeente_codes, world.gemeente_weights, strict=True):
        am = world.gemeente_am[code]
        am_share[am] = am_share.get(am, 0.0) + float(weight)
    mean_share = 1.0 / len(am_share)
    programmes = session.execute(select(Programme.code)).scalars().all()
    # The two most recent school years (1 August – 31 July) that ended by the last month.
    last_year = end_month.year if end_month.month >= 8 else end_month.year - 1
    for year in (last_year - 1, last_year):
        for am, share in sorted(am_share.items()):
            for code in programmes:
                value = rng.poisson(
                    profile.GRADUATES_PER_PROGRAMME_REGION
                    * share
                    / mean_share
                    * rng.uniform(0.2, 1.4)
                )
                rows.append(
                    {
                        "kind": "graduates",
                        "region_code": am,
                        "occupation_code": None,
                        "programme_code": code,
                        "period_start": dt.date(year - 1, 8, 1),
                        "period_end": dt.date(year, 7, 31),
                        "value": float(value),
                        "source": "Demodata (synthetisch)",
                        "is_demo": True,
                    }
                )
    # Jobseekers follow the demo's demand per klasse, scaled by a documented ratio.
    per_quarter = vacancies / (MONTHS / 3)
    klasse_weight: dict[str, float] = {}
    for occ in world.occupations:
        klasse_weight[occ.klasse] = klasse_weight.get(occ.klasse, 0.0) + occ.weight
    total_weight = sum(klasse_weight.values())
    for q in range(8):
        quarter_end = _month_starts(end_month)[MONTHS - 1 - 3 * q]
        start = dt.date(quarter_end.year, 3 * ((quarter_end.month - 1) // 3) + 1, 1)
        end = dt.date(start.year + (start.month > 9), (start.month + 2) % 12 + 1, 1) - dt.timedelta(
            days=1
        )
        for am, share in sorted(am_share.items()):
            for klasse, weight in sorted(klasse_weight.items()):
                ratio = profile.JOBSEEKERS_PER_VACANCY.get(klasse, 1.0)
                # Jobseekers follow the demo's own demand (vacancies per quarter in this
                # region and klasse), so tension does not depend on the size of the demo.
                expected = per_quarter * share * weight / total_weight * ratio
                rows.append(
                    {
                        "kind": "jobseekers",
                        "region_code": am,
                        "occupation_code": klasse,
                        "programme_code": None,
                        "period_start": start,
                        "period_end": end,
                        "value": float(rng.poisson(max(expected, 0.5))),
                        "source": "Demodata (synthetisch)",
                        "is_demo": True,
                    }
                )
    return rows


@dataclass
class DemoSummary:
    batch_id: int
    vacancies: int
    clusters: int
    unresolved: int
    supply_rows: int


def clear_demo(session: Session) -> None:
    """Remove every demo record (vacancies cascade through their batch)."""
    demo_batches = select(IngestBatch.id).where(IngestBatch.is_demo.is_(True))
    session.execute(
        delete(VacancyOccupation).where(
            VacancyOccupation.vacancy_id.in_(select(Vacancy.id).where(Vacancy.is_demo.is_(True)))
        )
    )
    session.execute(delete(Vacancy).where(Vacancy.is_demo.is_(True)))
    session.execute(delete(SupplyFigure).where(SupplyFigure.is_demo.is_(True)))
    session.execute(delete(IngestBatch).where(IngestBatch.id.in_(demo_batches)))


def build_demo(
    session: Session,
    reference_dir: Path,
    n: int = 60_000,
    seed: int = 42,
    end_month: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Replace the demo data in the store by a fresh deterministic set of ``n`` postings.

    Chunks are written as they are made, so memory stays bounded for any ``n``; the whole
    build is one transaction (the caller's session), so an interrupted build leaves the old
    state.
    """
    from matching.pipeline import process_vacancies

    end_month = (end_month or dt.date.today()).replace(day=1)
    world = load_world(reference_dir, end_month)
    resolver = PlaceResolver.from_reference(reference_dir)
    clear_demo(session)
    batch = IngestBatch(
        source="demo",
        file_name=None,
        format="demo",
        status="running",
        is_demo=True,
        report={"seed": seed, "vacancies": n, "end_month": end_month.isoformat()},
    )
    session.add(batch)
    session.flush()
    first_id = (session.execute(select(func.max(Vacancy.id))).scalar() or 0) + 1
    written = clusters = unresolved = 0
    for vacancies, links in generate_chunks(world, resolver, n, seed, end_month, first_id):
        for row in vacancies:
            row["batch_id"] = batch.id
        session.execute(insert(Vacancy), vacancies)
        session.execute(insert(VacancyOccupation), links)
        written += len(vacancies)
        clusters += sum(1 for v in vacancies if v["is_cluster_head"])
        unresolved += sum(1 for v in vacancies if v["gemeente_code"] is None)
        if progress:
            progress(len(vacancies))
    supply = _supply_rows(session, world, end_month, seed, clusters)
    if supply:
        session.execute(insert(SupplyFigure), supply)
    batch.status = "done"
    batch.finished_at = dt.datetime.now()
    batch.rows_read = batch.rows_accepted = written
    batch.duplicates = written - clusters
    batch.unresolved_places = unresolved
    session.flush()
    # The matcher reads the synthetic texts like real ones (skills with their spans); the
    # occupations are the generator's own, so titles are not classified.
    process_vacancies(session, list(range(first_id, first_id + written)), classify_titles=False)
    return DemoSummary(batch.id, written, clusters, unresolved, len(supply))
