"""Queries of the shortage page: tension per beroepsklasse and demand per beroepsgroep or sector.

Tension exists only where supply exists: UWV-style short-term jobseekers per arbeidsmarktregio ×
beroepsklasse × quarter (``supply_figures`` of kind ``jobseekers``). A region that is not one
arbeidsmarktregio gets the tension of the arbeidsmarktregio's it lies in, summed: vacancies and
jobseekers are added up over those whole arbeidsmarktregio's (also the ones the region covers
only in part, which the page names), and a gemeente gets the figures of its arbeidsmarktregio.
Demand (vacancies in the last twelve months and their growth) is counted for the region itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl
from sqlalchemy import func, select

from dashboard.api import api_view
from dashboard.queries import RegionRef, query, run, settings
from dashboard.queries import frame as _frame
from dashboard.queries import region as _region
from dashboard.queries.counts import counted, summed
from dashboard.queries.home import Period, latest_period, shift_months
from data.store.models import DemandMonth, OccupationClass, Region, RegionMember, SupplyFigure
from matching.indicators import TENSION_LABELS_EN, tension

# SBI 2008 sections (CBS) with the NACE Rev. 2 section names in English.
SBI_SECTIONS: dict[str, tuple[str, str]] = {
    "A": ("Landbouw, bosbouw en visserij", "Agriculture, forestry and fishing"),
    "B": ("Delfstoffenwinning", "Mining and quarrying"),
    "C": ("Industrie", "Manufacturing"),
    "D": (
        "Energievoorziening",
        "Electricity, gas, steam and air conditioning supply",
    ),
    "E": (
        "Waterbedrijven en afvalbeheer",
        "Water supply; sewerage, waste management and remediation",
    ),
    "F": ("Bouwnijverheid", "Construction"),
    "G": ("Handel; reparatie van auto's", "Wholesale and retail trade; repair of motor vehicles"),
    "H": ("Vervoer en opslag", "Transportation and storage"),
    "I": ("Logies-, maaltijd- en drankverstrekking", "Accommodation and food service activities"),
    "J": ("Informatie en communicatie", "Information and communication"),
    "K": ("Financiële instellingen", "Financial and insurance activities"),
    "L": ("Verhuur van en handel in onroerend goed", "Real estate activities"),
    "M": (
        "Advisering, onderzoek en overige specialistische zakelijke dienstverlening",
        "Professional, scientific and technical activities",
    ),
    "N": (
        "Verhuur van roerende goederen en overige zakelijke dienstverlening",
        "Administrative and support service activities",
    ),
    "O": (
        "Openbaar bestuur, overheidsdiensten en verplichte sociale verzekeringen",
        "Public administration and defence; compulsory social security",
    ),
    "P": ("Onderwijs", "Education"),
    "Q": ("Gezondheids- en welzijnszorg", "Human health and social work activities"),
    "R": ("Cultuur, sport en recreatie", "Arts, entertainment and recreation"),
    "S": ("Overige dienstverlening", "Other service activities"),
    "T": ("Huishoudens als werkgever", "Activities of households as employers"),
    "U": (
        "Extraterritoriale organisaties en lichamen",
        "Extraterritorial organisations and bodies",
    ),
}

# English names of the 13 BRC 2014 beroepsklassen (the store keeps the Dutch names).
BRC_KLASSE_EN: dict[str, str] = {
    "01": "Education occupations",
    "02": "Creative and linguistic occupations",
    "03": "Commercial occupations",
    "04": "Business and administration occupations",
    "05": "Managers",
    "06": "Public administration, security and legal occupations",
    "07": "Technical occupations",
    "08": "ICT occupations",
    "09": "Agricultural occupations",
    "10": "Care and welfare occupations",
    "11": "Service occupations",
    "12": "Transport and logistics occupations",
    "13": "Other occupations",
}

INDELINGEN = ("beroep", "sector")


# --- Registered queries -----------------------------------------------------------------------


@query("tekorten_occupations")
def _occupations(url: str) -> pl.DataFrame:
    statement = select(
        OccupationClass.code.label("code"),
        OccupationClass.level.label("level"),
        OccupationClass.name.label("name"),
        OccupationClass.name_en.label("name_en"),
        OccupationClass.parent_code.label("parent_code"),
    ).order_by(OccupationClass.code)
    return _frame(statement, url)


@query("tekorten_am_members")
def _am_members(url: str) -> pl.DataFrame:
    """Every arbeidsmarktregio of the newest classification year with its gemeenten."""
    newest = (
        select(func.max(Region.year)).where(Region.level == "arbeidsmarktregio").scalar_subquery()
    )
    statement = (
        select(
            Region.code.label("am_code"),
            Region.name.label("am_name"),
            RegionMember.gemeente_code.label("gemeente_code"),
        )
        .join(RegionMember, RegionMember.region_id == Region.id)
        .where(Region.level == "arbeidsmarktregio", Region.year == newest)
        .order_by(Region.code, RegionMember.gemeente_code)
    )
    return _frame(statement, url)


@query("tekorten_demand")
def _demand(url: str, gemeenten: tuple[str, ...], since: dt.date) -> pl.DataFrame:
    """Vacancies per month × occupation × sector since ``since``; ``placed`` says whether the
    vacancy has a gemeente. No gemeenten: the whole country, unplaced vacancies included."""
    by = {
        "month": DemandMonth.month,
        "occupation_code": DemandMonth.occupation_code,
        "sector": DemandMonth.sector,
        "placed": DemandMonth.gemeente_code.is_not(None),
    }
    statement = summed(
        DemandMonth, by, {"vacancies": DemandMonth.vacancies}, first=since, gemeenten=gemeenten
    )
    return counted(
        statement, url, ("vacancies",), strings=("occupation_code", "sector"), dates=("month",)
    ).with_columns(pl.col("placed").cast(pl.Boolean))


@query("tekorten_supply")
def _supply(url: str, am_codes: tuple[str, ...]) -> pl.DataFrame:
    """Short-term jobseekers per arbeidsmarktregio × occupation × period (all AMs when empty)."""
    statement = (
        select(
            SupplyFigure.region_code.label("region_code"),
            SupplyFigure.occupation_code.label("occupation_code"),
            SupplyFigure.period_start.label("period_start"),
            SupplyFigure.period_end.label("period_end"),
            func.sum(SupplyFigure.value).label("jobseekers"),
        )
        .where(SupplyFigure.kind == "jobseekers", SupplyFigure.occupation_code.is_not(None))
        .group_by(
            SupplyFigure.region_code,
            SupplyFigure.occupation_code,
            SupplyFigure.period_start,
            SupplyFigure.period_end,
        )
    )
    if am_codes:
        statement = statement.where(SupplyFigure.region_code.in_(am_codes))
    return _frame(statement, url).with_columns(
        pl.col("region_code").cast(pl.String),
        pl.col("occupation_code").cast(pl.String),
        pl.col("period_start").cast(pl.Date),
        pl.col("period_end").cast(pl.Date),
        pl.col("jobseekers").cast(pl.Float64),
    )


# --- Quarters ---------------------------------------------------------------------------------


def quarter_of(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: dt.date) -> dt.date:
    return shift_months(start, 3) - dt.timedelta(days=1)


def quarter_param(start: dt.date) -> str:
    """``2026-Q3`` for the quarter starting 1 July 2026 (the ``?kwartaal=`` form)."""
    return f"{start.year}-Q{(start.month - 1) // 3 + 1}"


def parse_quarter(text: str | None) -> dt.date | None:
    """The first day of a quarter written as ``2026-Q3`` (also ``2026Q3``, ``2026-K3``).

    >>> parse_quarter("2026-Q3"), parse_quarter("2025k1"), parse_quarter("2026-Q5")
    (datetime.date(2026, 7, 1), datetime.date(2025, 1, 1), None)
    """
    if not text:
        return None
    cleaned = text.strip().upper().replace("-", "").replace(" ", "").replace("K", "Q")
    if len(cleaned) != 6 or cleaned[4] != "Q" or not cleaned[:4].isdigit():
        return None
    number = cleaned[5]
    if number not in "1234":
        return None
    return dt.date(int(cleaned[:4]), 3 * (int(number) - 1) + 1, 1)


def quarter_label(start: dt.date, lang: str = "nl") -> str:
    number = (start.month - 1) // 3 + 1
    return f"{number}e kwartaal {start.year}" if lang == "nl" else f"Q{number} {start.year}"


# --- Names ------------------------------------------------------------------------------------


def occupation_name(code: str, name: str, name_en: str | None, lang: str) -> str:
    if lang == "en":
        return name_en or BRC_KLASSE_EN.get(code) or name
    return name


def sector_name(letter: str | None, lang: str = "nl") -> str:
    if letter is None:
        return "–"
    names = SBI_SECTIONS.get(letter.upper())
    if names is None:
        return letter
    return names[0] if lang == "nl" else names[1]


def tension_label(name: str | None, lang: str = "nl") -> str:
    if name is None:
        return "–"
    return name if lang == "nl" else TENSION_LABELS_EN.get(name, name)


def _klasse_map(occupations: pl.DataFrame) -> pl.DataFrame:
    """Every BRC code (groep, segment or klasse) → its beroepsklasse, by walking the tree."""
    parent = dict(zip(occupations["code"], occupations["parent_code"], strict=True))
    level = dict(zip(occupations["code"], occupations["level"], strict=True))
    rows = []
    for code in occupations["code"]:
        node: str | None = code
        for _ in range(3):
            if node is None or level.get(node) == "beroepsklasse":
                break
            node = parent.get(node)
        if node is not None and level.get(node) == "beroepsklasse":
            rows.append((code, node))
    return pl.DataFrame(
        rows, schema={"occupation_code": pl.String, "klasse": pl.String}, orient="row"
    )


# --- Tension ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TensionArea:
    """The arbeidsmarktregio's whose supply (and vacancies) the tension of a region uses."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    partial: tuple[str, ...]  # names of AMs the region covers only in part
    basis: str  # "land", "arbeidsmarktregio", "gemeente" or "samengesteld"
    gemeenten: tuple[str, ...]  # all gemeenten of the AMs (empty for the whole country)


def tension_area(region: RegionRef) -> TensionArea:
    members = run("tekorten_am_members")
    if region.is_national:
        ams = members.select("am_code", "am_name").unique().sort("am_code")
        return TensionArea(tuple(ams["am_code"]), tuple(ams["am_name"]), (), "land", ())
    inside = set(region.gemeenten)
    touched = members.filter(pl.col("gemeente_code").is_in(list(inside)))
    codes = sorted(set(touched["am_code"]))
    chosen = members.filter(pl.col("am_code").is_in(codes))
    partial = []
    names = []
    for code in codes:
        rows = chosen.filter(pl.col("am_code") == code)
        names.append(str(rows["am_name"][0]))
        if not set(rows["gemeente_code"]) <= inside:
            partial.append(str(rows["am_name"][0]))
    if region.level == "gemeente":
        basis = "gemeente"
    elif region.level == "arbeidsmarktregio" and not partial and len(codes) == 1:
        basis = "arbeidsmarktregio"
    else:
        basis = "samengesteld"
    gemeenten = tuple(sorted(chosen["gemeente_code"]))
    return TensionArea(tuple(codes), tuple(names), tuple(partial), basis, gemeenten)


@dataclass(frozen=True)
class TensionView:
    """The tension ranking of one region for one quarter."""

    region: RegionRef
    area: TensionArea
    quarter: dt.date | None
    quarters: tuple[dt.date, ...]  # quarters with supply and complete demand, newest first
    requested_unavailable: bool  # ?kwartaal= asked for a quarter without figures
    previous_complete: bool
    year_ago_complete: bool
    rows: pl.DataFrame


TENSION_SCHEMA = {
    "klasse": pl.String,
    "name": pl.String,
    "vacancies": pl.Int64,
    "jobseekers": pl.Float64,
    "ratio": pl.Float64,
    "tension": pl.String,
    "previous": pl.Int64,
    "change_previous": pl.Float64,
    "year_ago": pl.Int64,
    "change_year": pl.Float64,
    "small": pl.Boolean,
}


def _quarterly(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    return frame.with_columns(quarter=pl.col(column).dt.truncate("1q"))


def _growth(current: str, previous: str) -> pl.Expr:
    return (
        pl.when(pl.col(previous) > 0)
        .then(pl.col(current) / pl.col(previous) - 1)
        .otherwise(None)
        .cast(pl.Float64)
    )


def tension_ranking(
    region: RegionRef, kwartaal: str | None = None, lang: str = "nl"
) -> TensionView | None:
    """Beroepsklassen of ``region``'s tension area by vacancies per jobseeker, or None when the
    store holds no vacancies at all. Without supply figures ``rows`` is empty."""
    national = run("monthly_demand")
    if national.is_empty():
        return None
    first_month: dt.date = national["month"].min()  # type: ignore[assignment]
    last_month: dt.date = national["month"].max()  # type: ignore[assignment]
    area = tension_area(region)
    threshold = settings().small_count_threshold
    occupations = run("tekorten_occupations")
    if not region.is_national and not area.codes:
        # No gemeente of the region lies in a known arbeidsmarktregio: no supply to use (and an
        # empty code list would mean "everywhere" to the queries below).
        return TensionView(
            region,
            area,
            None,
            (),
            bool(kwartaal),
            False,
            False,
            pl.DataFrame(schema=TENSION_SCHEMA),
        )
    supply = run("tekorten_supply", () if region.is_national else area.codes)
    # Only quarterly figures: a stock of jobseekers per month cannot be added into a quarter.
    supply = supply.filter(
        (pl.col("period_start") == pl.col("period_start").dt.truncate("1q"))
        & (pl.col("period_end") == pl.col("period_start").dt.offset_by("1q").dt.offset_by("-1d"))
    )
    quarters = sorted(
        {
            q
            for q in supply["period_start"].unique().to_list()
            if q >= first_month and shift_months(q, 2) <= last_month
        },
        reverse=True,
    )
    requested = parse_quarter(kwartaal)
    if requested in quarters:
        chosen: dt.date | None = requested
    else:
        chosen = quarters[0] if quarters else None
    unavailable = bool(kwartaal) and requested not in quarters
    klassen = pl.DataFrame(
        [
            (code, occupation_name(code, name, name_en, lang))
            for code, name, name_en in occupations.filter(pl.col("level") == "beroepsklasse")
            .select("code", "name", "name_en")
            .iter_rows()
        ],
        schema={"klasse": pl.String, "name": pl.String},
        orient="row",
    )
    if chosen is None:
        return TensionView(
            region,
            area,
            None,
            tuple(quarters),
            unavailable,
            False,
            False,
            pl.DataFrame(schema=TENSION_SCHEMA),
        )
    previous_q = shift_months(chosen, -3)
    year_q = shift_months(chosen, -12)
    since = min(previous_q, year_q)
    demand = run("tekorten_demand", area.gemeenten, since).filter(pl.col("placed"))
    per_quarter = (
        _quarterly(demand, "month")
        .join(_klasse_map(occupations), on="occupation_code", how="inner")
        .group_by("quarter", "klasse")
        .agg(vacancies=pl.col("vacancies").sum())
    )

    def vacancies_in(quarter: dt.date, name: str) -> pl.DataFrame:
        return per_quarter.filter(pl.col("quarter") == quarter).select(
            "klasse", pl.col("vacancies").alias(name)
        )

    jobseekers = (
        supply.filter(pl.col("period_start") == chosen)
        .rename({"occupation_code": "klasse"})
        .group_by("klasse")
        .agg(jobseekers=pl.col("jobseekers").sum())
    )
    current = klassen.join(vacancies_in(chosen, "vacancies"), on="klasse", how="left").with_columns(
        pl.col("vacancies").fill_null(0).cast(pl.Int64)
    )
    ranked = tension(current, jobseekers, ["klasse"], small_count=threshold)
    previous_complete = previous_q >= first_month
    year_complete = year_q >= first_month
    rows = (
        ranked.join(vacancies_in(previous_q, "previous"), on="klasse", how="left")
        .join(vacancies_in(year_q, "year_ago"), on="klasse", how="left")
        .with_columns(
            previous=pl.col("previous").fill_null(0).cast(pl.Int64)
            if previous_complete
            else pl.lit(None, pl.Int64),
            year_ago=pl.col("year_ago").fill_null(0).cast(pl.Int64)
            if year_complete
            else pl.lit(None, pl.Int64),
        )
        .with_columns(
            change_previous=_growth("vacancies", "previous"),
            change_year=_growth("vacancies", "year_ago"),
            small=(pl.col("vacancies") < threshold)
            | (pl.col("jobseekers").fill_null(threshold) < threshold),
        )
        .sort(
            [pl.col("ratio").is_null(), "ratio", "vacancies", "klasse"],
            descending=[False, True, True, False],
        )
        .select(list(TENSION_SCHEMA))
    )
    return TensionView(
        region, area, chosen, tuple(quarters), unavailable, previous_complete, year_complete, rows
    )


def suppress_tension(rows: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """Hide small counts (and the ratio built on them) instead of only flagging them."""
    small_vacancies = pl.col("vacancies") < threshold
    small_jobseekers = pl.col("jobseekers") < threshold
    return rows.with_columns(
        vacancies=pl.when(small_vacancies).then(None).otherwise(pl.col("vacancies")),
        jobseekers=pl.when(small_jobseekers).then(None).otherwise(pl.col("jobseekers")),
        ratio=pl.when(pl.col("small")).then(None).otherwise(pl.col("ratio")),
        tension=pl.when(pl.col("small")).then(None).otherwise(pl.col("tension")),
        previous=pl.when(pl.col("previous") < threshold).then(None).otherwise(pl.col("previous")),
        year_ago=pl.when(pl.col("year_ago") < threshold).then(None).otherwise(pl.col("year_ago")),
        change_previous=pl.when(pl.col("small") | (pl.col("previous") < threshold))
        .then(None)
        .otherwise(pl.col("change_previous")),
        change_year=pl.when(pl.col("small") | (pl.col("year_ago") < threshold))
        .then(None)
        .otherwise(pl.col("change_year")),
    )


# --- Demand -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemandView:
    """Vacancies of the last twelve months per beroepsgroep or sector, with their growth."""

    region: RegionRef
    indeling: str
    period: Period
    has_previous: bool
    total: int
    unknown: int  # vacancies without a beroepsgroep (or sector)
    rows: pl.DataFrame  # code, name, vacancies, previous, growth, share, small


DEMAND_SCHEMA = {
    "code": pl.String,
    "name": pl.String,
    "vacancies": pl.Int64,
    "previous": pl.Int64,
    "growth": pl.Float64,
    "share": pl.Float64,
    "small": pl.Boolean,
}


def demand_ranking(
    region: RegionRef, indeling: str = "beroep", lang: str = "nl"
) -> DemandView | None:
    """Beroepsgroepen (``indeling="beroep"``) or SBI sectors (``"sector"``) of ``region`` by
    vacancies in the last twelve months, or None when the store holds no vacancies."""
    if indeling not in INDELINGEN:
        indeling = "beroep"
    national = run("monthly_demand")
    period = latest_period(national)
    if period is None:
        return None
    has_previous = national["month"].min() <= period.previous_first  # type: ignore[operator]
    threshold = settings().small_count_threshold
    demand = run("tekorten_demand", region.gemeenten, period.previous_first)
    key = "occupation_code" if indeling == "beroep" else "sector"
    windows = demand.with_columns(
        code=pl.col(key),
        current=pl.col("month").is_between(period.first, period.last),
        before=pl.col("month").is_between(period.previous_first, period.previous_last),
    )
    total = int(windows.filter(pl.col("current"))["vacancies"].sum() or 0)
    grouped = windows.group_by("code").agg(
        vacancies=pl.col("vacancies").filter(pl.col("current")).sum(),
        previous=pl.col("vacancies").filter(pl.col("before")).sum(),
    )
    unknown = int(grouped.filter(pl.col("code").is_null())["vacancies"].sum() or 0)
    grouped = grouped.filter(pl.col("code").is_not_null())
    if indeling == "beroep":
        occupations = run("tekorten_occupations")
        names = {
            code: occupation_name(code, name, name_en, lang)
            for code, name, name_en in occupations.select("code", "name", "name_en").iter_rows()
        }
    else:
        names = {code: sector_name(code, lang) for code in grouped["code"]}
    rows = (
        grouped.with_columns(
            name=pl.col("code").replace_strict(
                names, default=pl.col("code"), return_dtype=pl.String
            ),
            vacancies=pl.col("vacancies").cast(pl.Int64),
            previous=pl.col("previous").cast(pl.Int64) if has_previous else pl.lit(None, pl.Int64),
        )
        .with_columns(
            growth=_growth("vacancies", "previous"),
            share=(pl.col("vacancies") / total) if total else pl.lit(None, pl.Float64),
            small=pl.col("vacancies") < threshold,
        )
        .filter((pl.col("vacancies") > 0) | (pl.col("previous").fill_null(0) > 0))
        .sort(["vacancies", "code"], descending=[True, False])
        .select(list(DEMAND_SCHEMA))
    )
    return DemandView(region, indeling, period, bool(has_previous), total, unknown, rows)


def suppress_demand(rows: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return rows.with_columns(
        vacancies=pl.when(pl.col("small")).then(None).otherwise(pl.col("vacancies")),
        previous=pl.when(pl.col("previous") < threshold).then(None).otherwise(pl.col("previous")),
        growth=pl.when(pl.col("small") | (pl.col("previous") < threshold))
        .then(None)
        .otherwise(pl.col("growth")),
        share=pl.when(pl.col("small")).then(None).otherwise(pl.col("share")),
    )


# --- API views --------------------------------------------------------------------------------


def _api_region(args: Mapping[str, str]) -> RegionRef:
    code = args.get("regio") or "NL"
    found = _region(code)
    if found.code != code:
        raise ValueError(f"onbekende regio: {code!r}")
    return found


@api_view(
    "tekorten",
    "Spanning per beroepsklasse: vacatures per kortdurend werkzoekende in een kwartaal, met de "
    "UWV-klasse en de verandering van de vacatures (de rangschikking van /tekorten).",
    {
        "regio": "regiocode (GM…, AM…, PV…, CR…, eigen regio) of NL (standaard)",
        "kwartaal": "kwartaal als 2026-Q3 (standaard: het nieuwste volledige kwartaal)",
    },
)
def tension_table(args: Mapping[str, str]) -> pl.DataFrame:
    region = _api_region(args)
    kwartaal = args.get("kwartaal")
    view = tension_ranking(region, kwartaal, "nl")
    if view is None:
        return pl.DataFrame()
    if kwartaal and view.requested_unavailable:
        available = ", ".join(quarter_param(q) for q in view.quarters) or "geen"
        raise ValueError(
            f"geen spanningscijfers voor kwartaal {kwartaal!r}; beschikbaar: {available}"
        )
    config = settings()
    rows = view.rows
    if config.suppress_small_counts:
        rows = suppress_tension(rows, config.small_count_threshold)
    return rows.select(
        pl.lit(region.code).alias("regio"),
        pl.lit(region.name).alias("regio_naam"),
        pl.lit(quarter_param(view.quarter) if view.quarter else None, pl.String).alias("kwartaal"),
        pl.lit(" ".join(view.area.codes)).alias("arbeidsmarktregios"),
        pl.col("klasse").alias("beroepsklasse"),
        pl.col("name").alias("naam"),
        pl.col("vacancies").alias("vacatures"),
        pl.col("jobseekers").alias("werkzoekenden"),
        pl.col("ratio").round(3).alias("vacatures_per_werkzoekende"),
        pl.col("tension").alias("spanning"),
        pl.col("previous").alias("vacatures_vorig_kwartaal"),
        pl.col("change_previous").round(4).alias("verandering_vorig_kwartaal"),
        pl.col("year_ago").alias("vacatures_jaar_eerder"),
        pl.col("change_year").round(4).alias("verandering_jaar_eerder"),
        pl.col("small").alias("klein_aantal"),
    )


@api_view(
    "vraag",
    "Vraag: ontdubbelde vacatures in de laatste 12 maanden per beroepsgroep of sector, met de "
    "ontwikkeling t.o.v. de 12 maanden daarvoor (de vraagrangschikking van /tekorten).",
    {
        "regio": "regiocode (GM…, AM…, PV…, CR…, eigen regio) of NL (standaard)",
        "indeling": "beroep (BRC-beroepsgroep, standaard) of sector (SBI 2008-sectie)",
    },
)
def demand_table(args: Mapping[str, str]) -> pl.DataFrame:
    region = _api_region(args)
    indeling = args.get("indeling") or "beroep"
    if indeling not in INDELINGEN:
        raise ValueError(f"onbekende indeling: {indeling!r} (beroep of sector)")
    view = demand_ranking(region, indeling, "nl")
    if view is None:
        return pl.DataFrame()
    config = settings()
    rows = view.rows
    if config.suppress_small_counts:
        rows = suppress_demand(rows, config.small_count_threshold)
    return rows.select(
        pl.lit(region.code).alias("regio"),
        pl.lit(region.name).alias("regio_naam"),
        pl.lit(f"{view.period.first:%Y-%m}/{view.period.last:%Y-%m}").alias("periode"),
        pl.lit(indeling).alias("indeling"),
        pl.col("code"),
        pl.col("name").alias("naam"),
        pl.col("vacancies").alias("vacatures"),
        pl.col("previous").alias("vacatures_12_maanden_ervoor"),
        pl.col("growth").round(4).alias("ontwikkeling"),
        pl.col("share").round(4).alias("aandeel"),
        pl.col("small").alias("klein_aantal"),
    )
