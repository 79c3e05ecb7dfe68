"""Queries of the map page (Kaart): one measure per region of a level, and the registry of
measures the map can show.

The registry
------------
``MEASURES`` maps a measure id (the ``?maat=`` URL value) to a :class:`Measure`: its label and
definition keys (``i18n/<lang>/kaart.json``), the levels it exists at, how its values are
formatted and coloured, the extra URL parameters it reads, and a ``compute`` function. The page,
the embed view, the API view ``kaart`` and the figures only talk to measures through this
interface, so a new measure is one function and one :func:`register` call, e.g. the share of
vacancies asking a skill::

    def _skill_share(request: MapRequest) -> MeasureResult:
        skill = request.param("vaardigheid")          # a new URL parameter of this measure
        counts = ...                                    # run(...) a new @query per gemeente
        frame = aggregate_to_level(counts, request)     # code, value, vacancies, small
        return MeasureResult(frame, request.period.first, request.period.last)

    register(Measure(
        id="vaardigheid", label_key="kaart.measure.vaardigheid",
        definition_key="kaart.def.vaardigheid", value_key="kaart.value.share",
        compute=_skill_share, formatter=format_share, scale="sequential",
        params=("vaardigheid",),
    ))

The page then offers it in the measure control, renders a control for each name in ``params``
when a factory for it is registered in the page (``PARAM_CONTROLS``), and passes the URL values
on. ``compute`` returns one row per region of ``request.level`` (restricted to
``request.gemeenten`` at gemeente level) with at least ``code``, ``value`` (Float64, null when
undefined), ``vacancies`` (Int64) and ``small`` (Boolean); ``category`` (String) for class
measures and any ``extra`` columns, listed in ``MeasureResult.extra`` with a label key and a
formatter, are shown in the table and exported. Names, ranks and the suppression of small counts
are added by :func:`map_data` for every measure alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl
from sqlalchemy import func, select

from dashboard import format as fmt
from dashboard import queries
from dashboard.api import api_view
from dashboard.queries import RegionRef, query, run
from dashboard.queries import frame as _frame
from dashboard.queries.counts import counted, summed
from dashboard.queries.home import Period, latest_period, shift_months
from data.loaders import read_csv
from data.store.models import DemandMonth, OccupationClass, Region, RegionMember, SupplyFigure
from matching.indicators import TENSION_BANDS, tension

LEVELS = ("gemeente", "arbeidsmarktregio", "provincie", "corop")
# "regio": the gemeenten of the chosen region (of a gemeente: those of its arbeidsmarktregio).
VIEW_LEVELS = ("arbeidsmarktregio", "gemeente", "provincie", "corop", "regio")
DEFAULT_MEASURE = "vacatures"
TENSION_CLASSES = tuple(name for name, _ in TENSION_BANDS)

Scale = Literal["sequential", "diverging", "classes"]
Formatter = Callable[[float | None, str], str]


# --- Queries --------------------------------------------------------------------------------


@query("kaart_gemeente_demand")
def _gemeente_demand(url: str, first: dt.date, last: dt.date) -> pl.DataFrame:
    """Deduplicated vacancies per gemeente posted in ``first``..``last`` (months)."""
    statement = summed(
        DemandMonth,
        {"gemeente_code": DemandMonth.gemeente_code},
        {"vacancies": DemandMonth.vacancies},
        first=first,
        last=last,
        where=[DemandMonth.gemeente_code.is_not(None)],
    )
    return counted(statement, url, ("vacancies",), strings=("gemeente_code",))


@query("kaart_klasse_demand")
def _klasse_demand(url: str, first: dt.date, last: dt.date) -> pl.DataFrame:
    """Vacancies per gemeente × beroepsklasse (first two digits of the beroepsgroep)."""
    klasse = func.substr(DemandMonth.occupation_code, 1, 2)
    statement = summed(
        DemandMonth,
        {"gemeente_code": DemandMonth.gemeente_code, "klasse": klasse},
        {"vacancies": DemandMonth.vacancies},
        first=first,
        last=last,
        where=[DemandMonth.gemeente_code.is_not(None), DemandMonth.occupation_code.is_not(None)],
    )
    return counted(statement, url, ("vacancies",), strings=("gemeente_code", "klasse"))


@query("kaart_membership")
def _membership(url: str, level: str, year: int) -> pl.DataFrame:
    """Every gemeente with the code and name of its region at ``level``."""
    statement = (
        select(
            RegionMember.gemeente_code.label("gemeente_code"),
            Region.code.label("code"),
            Region.name.label("name"),
        )
        .join(Region, Region.id == RegionMember.region_id)
        .where(Region.level == level, Region.year == year)
        .order_by(Region.code, RegionMember.gemeente_code)
    )
    return _frame(statement, url).with_columns(
        pl.col("gemeente_code").cast(pl.String),
        pl.col("code").cast(pl.String),
        pl.col("name").cast(pl.String),
    )


@query("kaart_jobseekers")
def _jobseekers(url: str) -> pl.DataFrame:
    """Short-term jobseekers per region × beroepsklasse × quarter (supply kind 'jobseekers')."""
    statement = (
        select(
            SupplyFigure.region_code.label("code"),
            SupplyFigure.occupation_code.label("klasse"),
            SupplyFigure.period_start.label("quarter"),
            func.sum(SupplyFigure.value).label("jobseekers"),
        )
        .where(SupplyFigure.kind == "jobseekers")
        .group_by(SupplyFigure.region_code, SupplyFigure.occupation_code, SupplyFigure.period_start)
    )
    return _frame(statement, url).with_columns(
        pl.col("code").cast(pl.String),
        pl.col("klasse").cast(pl.String),
        pl.col("quarter").cast(pl.Date),
        pl.col("jobseekers").cast(pl.Float64),
    )


@query("kaart_beroepsklassen")
def _beroepsklassen(url: str) -> pl.DataFrame:
    statement = (
        select(OccupationClass.code.label("code"), OccupationClass.name.label("name"))
        .where(OccupationClass.level == "beroepsklasse")
        .order_by(OccupationClass.code)
    )
    return _frame(statement, url)


def addresses_per_gemeente(reference_dir: str | Path) -> pl.DataFrame:
    """Addresses per gemeente (CBS PC4 table: each PC4 counts for the gemeente holding most of
    its addresses)."""
    return (
        read_csv(Path(reference_dir), "pc4_gemeente_2025.csv")
        .with_columns(pl.col("n_adressen").cast(pl.Int64))
        .group_by("gemeente_code")
        .agg(addresses=pl.col("n_adressen").sum())
    )


# --- The request and the registry ------------------------------------------------------------


@dataclass(frozen=True)
class MapRequest:
    """What a measure is computed for.

    ``level`` is a level of ``LEVELS``; ``gemeenten`` restricts a gemeente map to those (empty:
    all); ``params`` are the measure's own URL parameters; ``period`` the twelve months up to the
    newest month with data and the twelve before; ``threshold`` the small-count threshold;
    ``span`` the first and the newest month with data anywhere (looked up when None).
    """

    level: str
    period: Period
    gemeenten: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] = ()
    threshold: int = 10
    year: int = 2025
    span: tuple[dt.date, dt.date] | None = None

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name) or None


@dataclass(frozen=True)
class Extra:
    """A measure's additional column: shown in the table and exported."""

    column: str
    label_key: str
    formatter: Formatter


@dataclass(frozen=True)
class MeasureResult:
    frame: pl.DataFrame
    first: dt.date
    last: dt.date
    extra: tuple[Extra, ...] = ()
    # An i18n key explaining why there are no values (e.g. no supply figures loaded).
    empty_key: str | None = None
    # Period shown as a quarter (tension) rather than a span of months.
    quarter: bool = False


@dataclass(frozen=True)
class Measure:
    """One thing the map can colour regions by. See the module docstring."""

    id: str
    label_key: str
    definition_key: str
    value_key: str
    compute: Callable[[MapRequest], MeasureResult]
    formatter: Formatter
    scale: Scale = "sequential"
    levels: tuple[str, ...] = LEVELS
    params: tuple[str, ...] = ()
    # Plotly tick format of the colour bar (continuous scales).
    tickformat: str = ",d"
    # False when the value is itself the vacancy count (no separate vacancies column).
    shows_vacancies: bool = True


MEASURES: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    if measure.id in MEASURES and MEASURES[measure.id] != measure:
        raise ValueError(f"measure {measure.id!r} registered twice")
    MEASURES[measure.id] = measure
    return measure


def measure(measure_id: str | None) -> Measure:
    """The measure for a ``?maat=`` value; the default for none or an unknown one."""
    return MEASURES.get(measure_id or "", MEASURES[DEFAULT_MEASURE])


# --- Formatters ------------------------------------------------------------------------------


def format_count(value: float | None, lang: str) -> str:
    return fmt.number(None if value is None else round(value), lang)


def format_growth(value: float | None, lang: str) -> str:
    return fmt.percent(value, lang, sign=True)


def format_rate(value: float | None, lang: str) -> str:
    return fmt.number(value, lang, 1)


def format_ratio(value: float | None, lang: str) -> str:
    return fmt.number(value, lang, 2)


# --- Building blocks for measures ------------------------------------------------------------


def regions_of(request: MapRequest) -> pl.DataFrame:
    """``gemeente_code, code, name`` of every gemeente in the request's scope."""
    members = run("kaart_membership", request.level, request.year)
    if request.gemeenten:
        members = members.filter(pl.col("gemeente_code").is_in(request.gemeenten))
    return members


def aggregate_to_level(
    per_gemeente: pl.DataFrame, request: MapRequest, columns: tuple[str, ...] = ("vacancies",)
) -> pl.DataFrame:
    """Sum ``columns`` of a per-gemeente frame to the regions of the request (all of them,
    zero where a region has nothing)."""
    members = regions_of(request)
    joined = members.join(per_gemeente, on="gemeente_code", how="left")
    return (
        joined.group_by("code")
        .agg(pl.col(c).fill_null(0).sum() for c in columns)
        .with_columns(pl.col(c).cast(per_gemeente.schema[c]) for c in columns)
        .sort("code")
    )


def data_span(months: pl.DataFrame) -> tuple[dt.date, dt.date] | None:
    """The first and the newest month of a ``monthly_demand`` frame; None when it is empty."""
    first, last = months["month"].min(), months["month"].max()
    if not isinstance(first, dt.date) or not isinstance(last, dt.date):
        return None
    return first, last


def _span(request: MapRequest) -> tuple[dt.date, dt.date] | None:
    return request.span or data_span(run("monthly_demand"))


def counts_per_region(
    request: MapRequest,
    first: dt.date,
    last: dt.date,
    per_gemeente: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """``code, vacancies`` for every region of the request: deduplicated vacancies posted in
    months ``first``..``last``, plus the other columns of ``per_gemeente`` (``gemeente_code``
    and counts such as addresses) summed the same way."""
    counts = run("kaart_gemeente_demand", first, last)
    columns: tuple[str, ...] = ("vacancies",)
    if per_gemeente is not None:
        counts = per_gemeente.join(counts, on="gemeente_code", how="full", coalesce=True)
        columns += tuple(c for c in per_gemeente.columns if c != "gemeente_code")
    return aggregate_to_level(counts, request, columns)


def _in_period(
    request: MapRequest, frame: pl.DataFrame, *extra: Extra, empty_key: str | None = None
) -> MeasureResult:
    """The result of a measure over the request's twelve-month period."""
    period = request.period
    return MeasureResult(frame, period.first, period.last, extra=extra, empty_key=empty_key)


def _small(*columns: str, threshold: int) -> pl.Expr:
    """Flag a region when any of the counts in ``columns`` is below the threshold."""
    flags = [pl.col(c).fill_null(0) < threshold for c in columns]
    flag = flags[0]
    for other in flags[1:]:
        flag = flag | other
    return flag


# --- The measures ----------------------------------------------------------------------------


def _vacancies_measure(request: MapRequest) -> MeasureResult:
    period = request.period
    frame = counts_per_region(request, period.first, period.last).with_columns(
        value=pl.col("vacancies").cast(pl.Float64),
        small=_small("vacancies", threshold=request.threshold),
    )
    return _in_period(request, frame)


def _growth_measure(request: MapRequest) -> MeasureResult:
    period = request.period
    now = counts_per_region(request, period.first, period.last)
    before = counts_per_region(request, period.previous_first, period.previous_last)
    span = _span(request)
    covered = span is not None and span[0] <= period.previous_first
    frame = now.join(before.rename({"vacancies": "previous"}), on="code", how="left").with_columns(
        value=pl.when(pl.col("previous") > 0 if covered else pl.lit(False))
        .then(pl.col("vacancies") / pl.col("previous") - 1)
        .otherwise(None)
        .cast(pl.Float64),
        small=_small("vacancies", "previous", threshold=request.threshold),
    )
    return _in_period(
        request,
        frame,
        Extra("previous", "kaart.col.previous", format_count),
        empty_key=None if covered else "kaart.empty.growth",
    )


def _per_addresses_measure(request: MapRequest) -> MeasureResult:
    period = request.period
    addresses = addresses_per_gemeente(queries.settings().reference_dir)
    frame = counts_per_region(request, period.first, period.last, addresses).with_columns(
        value=pl.when(pl.col("addresses") > 0)
        .then(pl.col("vacancies") / pl.col("addresses") * 1000)
        .otherwise(None),
        small=_small("vacancies", threshold=request.threshold),
    )
    return _in_period(request, frame, Extra("addresses", "kaart.col.addresses", format_count))


def tension_quarter(
    span: tuple[dt.date, dt.date] | None, jobseekers: pl.DataFrame, klasse: str | None = None
) -> dt.date | None:
    """The newest quarter with jobseekers whose three months all have demand data (``span``:
    the first and the newest month with data)."""
    if span is None or jobseekers.is_empty():
        return None
    first, last = span
    supply = jobseekers if klasse is None else jobseekers.filter(pl.col("klasse") == klasse)
    for quarter in sorted(set(supply["quarter"].to_list()), reverse=True):
        if first <= quarter and shift_months(quarter, 2) <= last:
            return quarter
    return None


def _tension_measure(request: MapRequest) -> MeasureResult:
    klasse = request.param("klasse")
    jobseekers = run("kaart_jobseekers")
    quarter = tension_quarter(_span(request), jobseekers, klasse)
    members = regions_of(request)
    if quarter is None:
        frame = (
            members.select("code")
            .unique()
            .sort("code")
            .with_columns(
                vacancies=pl.lit(None, pl.Int64),
                jobseekers=pl.lit(None, pl.Float64),
                value=pl.lit(None, pl.Float64),
                category=pl.lit(None, pl.String),
                small=pl.lit(False),
            )
        )
        period = request.period
        return MeasureResult(
            frame, period.last, period.last, _TENSION_EXTRA, "kaart.empty.tension", True
        )
    quarter_last = shift_months(quarter, 2)
    supply = jobseekers.filter(pl.col("quarter") == quarter)
    if klasse:
        supply = supply.filter(pl.col("klasse") == klasse)
    klassen = supply["klasse"].unique().to_list()
    demand = run("kaart_klasse_demand", quarter, quarter_last).filter(
        pl.col("klasse").is_in(klassen)
    )
    # Vacancies per region (only the klassen with supply figures), jobseekers per region.
    vacancies = aggregate_to_level(
        demand.group_by("gemeente_code").agg(pl.col("vacancies").sum()), request
    )
    seekers = supply.group_by("code").agg(pl.col("jobseekers").sum())
    result = tension(vacancies, seekers, ["code"], small_count=request.threshold).rename(
        {"ratio": "value", "tension": "category"}
    )
    return MeasureResult(result, quarter, quarter_last, _TENSION_EXTRA, quarter=True)


_TENSION_EXTRA = (Extra("jobseekers", "kaart.col.jobseekers", format_count),)

register(
    Measure(
        id="vacatures",
        label_key="kaart.measure.vacatures",
        definition_key="kaart.def.vacatures",
        value_key="kaart.value.vacatures",
        compute=_vacancies_measure,
        formatter=format_count,
        scale="sequential",
        tickformat=",d",
        shows_vacancies=False,
    )
)
register(
    Measure(
        id="groei",
        label_key="kaart.measure.groei",
        definition_key="kaart.def.groei",
        value_key="kaart.value.groei",
        compute=_growth_measure,
        formatter=format_growth,
        scale="diverging",
        tickformat="+.0%",
    )
)
register(
    Measure(
        id="per1000",
        label_key="kaart.measure.per1000",
        definition_key="kaart.def.per1000",
        value_key="kaart.value.per1000",
        compute=_per_addresses_measure,
        formatter=format_rate,
        scale="sequential",
        tickformat=",.1f",
    )
)
register(
    Measure(
        id="spanning",
        label_key="kaart.measure.spanning",
        definition_key="kaart.def.spanning",
        value_key="kaart.value.spanning",
        compute=_tension_measure,
        formatter=format_ratio,
        scale="classes",
        levels=("arbeidsmarktregio",),
        params=("klasse",),
        tickformat=",.2f",
    )
)


# --- What the page shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which regions a map shows, and which of them are highlighted.

    ``view`` is the chosen view level (``VIEW_LEVELS``); ``level`` the level of the map's regions;
    ``gemeenten`` restricts a gemeente map; ``highlight`` are codes drawn with a heavy outline.
    ``forced`` is set when the measure does not exist at the chosen level and the level was
    changed to one where it does.
    """

    view: str
    level: str
    gemeenten: tuple[str, ...] = ()
    highlight: tuple[str, ...] = ()
    forced: bool = False
    context: RegionRef | None = None


def default_view(region: RegionRef) -> str:
    return "arbeidsmarktregio" if region.is_national else "regio"


def map_scope(region: RegionRef, view: str | None, chosen: Measure, year: int = 2025) -> Scope:
    """Resolve ``?niveau=`` for a region and a measure into the regions to draw."""
    view = view if view in VIEW_LEVELS else default_view(region)
    if view == "regio" and region.is_national:
        view = "gemeente"
    level = "gemeente" if view == "regio" else view
    forced = False
    if level not in chosen.levels:
        view = level = chosen.levels[0]
        forced = True
    gemeenten: tuple[str, ...] = ()
    context = region
    if view == "regio":
        gemeenten = region.gemeenten
        if region.level == "gemeente":
            # A single gemeente is shown among the gemeenten of its arbeidsmarktregio.
            members = run("kaart_membership", "arbeidsmarktregio", year)
            own = members.filter(pl.col("gemeente_code") == region.code)
            if own.height:
                code = str(own["code"][0])
                gemeenten = tuple(members.filter(pl.col("code") == code)["gemeente_code"].to_list())
                context = RegionRef(code, str(own["name"][0]), "arbeidsmarktregio", gemeenten)
    highlight: tuple[str, ...] = ()
    if not region.is_national:
        if region.level == level:
            highlight = (region.code,)
        elif level == "gemeente":
            highlight = () if view == "regio" and region.level != "gemeente" else region.gemeenten
        else:
            members = run("kaart_membership", level, year)
            highlight = tuple(
                sorted(
                    set(
                        members.filter(pl.col("gemeente_code").is_in(region.gemeenten))[
                            "code"
                        ].to_list()
                    )
                )
            )
    return Scope(view, level, gemeenten, highlight, forced, context)


@dataclass(frozen=True)
class MapData:
    """The rows behind a map: one per region, ranked, with names and small-count flags."""

    measure: Measure
    scope: Scope
    frame: pl.DataFrame
    first: dt.date
    last: dt.date
    extra: tuple[Extra, ...] = ()
    empty_key: str | None = None
    quarter: bool = False
    suppressed: bool = False

    @property
    def has_values(self) -> bool:
        return self.frame.height > 0 and self.frame["value"].is_not_null().any()


COLUMNS = ("rank", "code", "name", "value", "category", "vacancies", "small")


def finish(
    result: MeasureResult,
    names: pl.DataFrame,
    suppress: bool,
) -> pl.DataFrame:
    """Add names and ranks to a measure's rows and hide small counts when asked to."""
    frame = result.frame
    if "category" not in frame.columns:
        frame = frame.with_columns(category=pl.lit(None, pl.String))
    frame = names.join(frame, on="code", how="left").with_columns(
        pl.col("small").fill_null(False),
        pl.col("value").cast(pl.Float64),
        pl.col("vacancies").cast(pl.Int64),
    )
    if suppress:
        hidden = pl.col("small")
        extra = [e.column for e in result.extra]
        frame = frame.with_columns(
            pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("value", "category", "vacancies", *extra)
        )
    frame = frame.sort(
        [pl.col("value").is_null(), "value", "vacancies", "code"],
        descending=[False, True, True, False],
        nulls_last=True,
    ).with_row_index("rank", offset=1)
    frame = frame.with_columns(
        rank=pl.when(pl.col("value").is_null()).then(None).otherwise(pl.col("rank"))
    )
    extra_columns = [e.column for e in result.extra if e.column in frame.columns]
    return frame.select(*COLUMNS, *extra_columns)


def map_data(
    measure_id: str | None,
    view: str | None,
    region: RegionRef,
    params: Mapping[str, str] | None = None,
) -> MapData | None:
    """Everything the map, the table and the API view show; None without any vacancies."""
    settings = queries.settings()
    months = run("monthly_demand")
    period = latest_period(months)
    if period is None:
        return None
    chosen = measure(measure_id)
    scope = map_scope(region, view, chosen, settings.reference_year)
    kept = tuple(sorted((name, str((params or {}).get(name) or "")) for name in chosen.params))
    request = MapRequest(
        level=scope.level,
        period=period,
        gemeenten=scope.gemeenten,
        params=kept,
        threshold=settings.small_count_threshold,
        year=settings.reference_year,
        span=data_span(months),
    )
    result = chosen.compute(request)
    names = regions_of(request).select("code", "name").unique().sort("code")
    frame = finish(result, names, settings.suppress_small_counts)
    return MapData(
        measure=chosen,
        scope=scope,
        frame=frame,
        first=result.first,
        last=result.last,
        extra=result.extra,
        empty_key=result.empty_key,
        quarter=result.quarter,
        suppressed=settings.suppress_small_counts,
    )


def beroepsklassen() -> pl.DataFrame:
    return run("kaart_beroepsklassen")


def period_text(data: MapData, lang: str) -> str:
    if data.quarter:
        quarter = (data.first.month - 1) // 3 + 1
        return f"{'K' if lang == 'nl' else 'Q'}{quarter} {data.first.year}"
    return f"{fmt.month(data.first, lang)} – {fmt.month(data.last, lang)}"


# --- The API view ---------------------------------------------------------------------------


def export_frame(data: MapData) -> pl.DataFrame:
    """The map's rows with plain column names, for JSON, CSV and XLSX."""
    return data.frame.with_columns(
        level=pl.lit(data.scope.level),
        measure=pl.lit(data.measure.id),
        period_first=pl.lit(data.first),
        period_last=pl.lit(data.last),
    ).rename({"category": "tension_class", "small": "small_count"})


@api_view(
    "kaart",
    "De cijfers achter de kaart: één maat per regio van een niveau, gerangschikt.",
    {
        "maat": f"maat: {', '.join(MEASURES)} (standaard {DEFAULT_MEASURE})",
        "niveau": f"niveau: {', '.join(VIEW_LEVELS)} (regio: de gemeenten van ?regio=)",
        "regio": "regiocode (GM.., AM.., PV.., CR.. of een eigen regio); standaard Nederland",
        "klasse": "beroepsklasse (01–13) voor maat=spanning; leeg: alle",
    },
)
def kaart_api(args: Mapping[str, str]) -> pl.DataFrame:
    maat = args.get("maat") or DEFAULT_MEASURE
    if maat not in MEASURES:
        raise ValueError(f"onbekende maat {maat!r}; kies uit {', '.join(MEASURES)}")
    niveau = args.get("niveau") or None
    if niveau is not None and niveau not in VIEW_LEVELS:
        raise ValueError(f"onbekend niveau {niveau!r}; kies uit {', '.join(VIEW_LEVELS)}")
    data = map_data(maat, niveau, queries.region(args.get("regio")), args)
    if data is None:
        return pl.DataFrame(schema={c: pl.String for c in COLUMNS})
    return export_frame(data)
