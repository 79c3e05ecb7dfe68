"""Tekorten: where the labour market is tight (vacancies per short-term jobseeker per
beroepsklasse, in UWV-style classes) and where the demand is (vacancies per beroepsgroep or
sector), for one region or two side by side.

URL parameters: ``regio``, ``vergelijk`` (a second region), ``indeling`` (beroep|sector) and
``kwartaal`` (``2026-Q3``; default the newest complete quarter). ``/embed/tekorten`` shows the
same view without the chrome (see ``embed_tekorten``); the builders here serve both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
import dash_mantine_components as dmc
import polars as pl
from dash import dcc, html

from dashboard import format as fmt
from dashboard import queries
from dashboard.components import aria, cards
from dashboard.components.cards import GRAPH_CONFIG, definitions
from dashboard.components.embed import Option, embed_button, embed_modal
from dashboard.components.region_picker import region_options, region_picker
from dashboard.components.url_state import param_id
from dashboard.figures_tekorten import demand_bars, tension_bars
from dashboard.i18n import current_language, t
from dashboard.queries import RegionRef
from dashboard.queries import tekorten as tq
from matching.indicators import TENSION_BANDS

DEMAND_TOP = 15
WEERGAVEN = ("beide", "spanning", "vraag")


# --- Small pieces -----------------------------------------------------------------------------


def where(region: RegionRef, lang: str) -> str:
    return t("region.netherlands", lang) if region.is_national else region.name


def rich_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    table_id: str,
    caption: str,
    numeric: Sequence[int] = (),
) -> html.Div:
    """An accessible table whose cells may be components (badges); text is never HTML. It
    scrolls inside its own focusable box on a narrow screen, so the page never does."""
    head = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col", className="rk-num" if i in numeric else None)
                for i, h in enumerate(headers)
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(cell, className="rk-num" if i in numeric else None)
                    for i, cell in enumerate(row)
                ]
            )
            for row in rows
        ]
    )
    # The caption sits outside the scrolling box so it wraps to the card, not to the table.
    caption_id = f"{table_id}-caption"
    return html.Div(
        [
            html.P(caption, id=caption_id, className="rk-tek-caption"),
            html.Div(
                html.Table(
                    [head, body],
                    className="rk-table",
                    id=table_id,
                    **labelled_by(caption_id),
                ),
                className="rk-tek-scroll",
                tabIndex="0",
                role="region",
                **labelled_by(caption_id),
            ),
        ]
    )


def labelled_by(element_id: str) -> dict[str, Any]:
    """``aria-labelledby`` for a Dash component."""
    return {"aria-labelledby": element_id}


def tension_badge(name: str | None, lang: str) -> html.Span:
    """The UWV class as a coloured badge that always carries its name as text."""
    if name is None:
        return html.Span("–")
    return html.Span(
        tq.tension_label(name, lang), className=f"rk-tension rk-tension-{name.replace(' ', '-')}"
    )


def _small(lang: str) -> html.Span:
    return html.Span(t("common.small_count", lang), className="rk-small-flag")


def _count(value: float | None, lang: str, hide: bool, threshold: int) -> str:
    if value is None:
        return "–"
    if hide and value < threshold:
        return f"< {fmt.number(threshold, lang)}"
    return fmt.number(value, lang)


def _change(value: float | None, lang: str) -> str:
    return fmt.percent(value, lang, 0, sign=True) if value is not None else "–"


def export_links(view: str, params: dict[str, str], lang: str) -> html.P:
    return cards.export_links(view, params, t("tek.download", lang))


def _graph(graph_id: str, figure: object, description: str, unit: str, lang: str) -> html.Div:
    """A chart with its unit above it, an accessible description and PNG export."""
    graph = html.Div(
        dcc.Graph(
            id=graph_id,
            figure=figure,
            config={  # type: ignore[arg-type]
                **GRAPH_CONFIG,
                "toImageButtonOptions": {
                    **GRAPH_CONFIG["toImageButtonOptions"],
                    "filename": graph_id,
                },
            },
            className="rk-graph",
        ),
        role="figure",
        **aria(description),
    )
    return html.Div(
        [
            html.P([unit, " ", html.Span(t("tek.hatched_note", lang))], className="rk-tek-unit"),
            graph,
        ]
    )


# --- Tension ----------------------------------------------------------------------------------


def area_note(view: tq.TensionView, lang: str) -> str:
    area = view.area
    region = where(view.region, lang)
    names = ", ".join(area.names)
    if area.basis == "land":
        text = t("tek.area_national", lang, count=len(area.codes))
    elif area.basis == "arbeidsmarktregio":
        text = t("tek.area_am", lang, name=names)
    elif area.basis == "gemeente":
        text = t("tek.area_gemeente", lang, name=names, region=region)
    else:
        text = t("tek.area_multi", lang, names=names)
    if area.partial:
        text += " " + t("tek.area_partial", lang, names=", ".join(area.partial))
    return text


def tension_card(
    view: tq.TensionView,
    index: int,
    lang: str,
    x_max: float | None = None,
    heading: str = "h3",
    wide: bool = False,
) -> dmc.Paper:
    config = queries.settings()
    threshold = config.small_count_threshold
    suppress = config.suppress_small_counts
    region = where(view.region, lang)
    title_tag = html.H3 if heading == "h3" else html.H2
    if view.quarter is None:
        return dmc.Paper(
            [
                title_tag(
                    t("tek.tension_card_title_plain", lang, region=region),
                    className="rk-card-title",
                ),
                dmc.Alert(
                    t("tek.no_supply", lang, region=region),
                    title=t("tek.no_supply_title", lang),
                    color="gray",
                    id=f"tek-tension-empty-{index}",
                ),
            ],
            withBorder=True,
            p="md",
            className="rk-card",
        )
    quarter = tq.quarter_label(view.quarter, lang)
    rows = view.rows
    notes: list[Any] = [html.P(area_note(view, lang), className="rk-footnote rk-tek-area")]
    if view.requested_unavailable:
        notes.append(
            dmc.Alert(
                t("tek.quarter_unavailable", lang, quarter=quarter),
                color="yellow",
                className="rk-tek-note",
            )
        )
    chart_rows = rows.filter(~pl.col("small")) if suppress else rows
    table_rows = []
    # Plain strings wherever possible: every extra component slows Dash's renderer down.
    for rank, row in enumerate(rows.iter_rows(named=True), start=1):
        hide = suppress and row["small"]
        name: list[object] = [f"{rank}. {row['name']}"]
        if row["small"]:
            name += [" ", _small(lang)]
        ratio = "–" if hide or row["ratio"] is None else fmt.number(row["ratio"], lang, 2)
        counts = (
            f"{_count(row['vacancies'], lang, suppress, threshold)} / "
            f"{_count(row['jobseekers'], lang, suppress, threshold)}"
        )
        table_rows.append(
            (
                name,
                html.Span(
                    [f"{ratio} ", tension_badge(None if hide else row["tension"], lang)],
                    className="rk-nowrap",
                ),
                counts,
                "–" if hide else _change(row["change_previous"], lang),
                "–" if hide else _change(row["change_year"], lang),
            )
        )
    table = rich_table(
        [
            t("tek.col_klasse", lang),
            t("tek.col_ratio_tension", lang),
            t("tek.col_vacancies_jobseekers", lang),
            t("tek.col_change_q", lang),
            t("tek.col_change_y", lang),
        ],
        table_rows,
        f"tek-tension-table-{index}",
        t("tek.tension_caption", lang, region=region, quarter=quarter),
        numeric=(2, 3, 4),
    )
    chart = _graph(
        f"tek-tension-chart-{index}",
        tension_bars(chart_rows, lang, x_max),
        t("tek.tension_description", lang, region=region, quarter=quarter),
        t("tek.axis_ratio", lang),
        lang,
    )
    return dmc.Paper(
        [
            title_tag(
                t("tek.tension_card_title", lang, region=region, quarter=quarter),
                className="rk-card-title",
            ),
            *notes,
            side_by_side(chart, table, wide),
            html.P(
                t(
                    "tek.tension_footnote",
                    lang,
                    previous=tq.quarter_label(tq.shift_months(view.quarter, -3), lang),
                    year=tq.quarter_label(tq.shift_months(view.quarter, -12), lang),
                ),
                className="rk-footnote",
            ),
            export_links(
                "tekorten",
                {"regio": view.region.code, "kwartaal": tq.quarter_param(view.quarter)},
                lang,
            ),
        ],
        withBorder=True,
        p="md",
        className="rk-card",
        id=f"tek-tension-card-{index}",
    )


def side_by_side(chart: html.Div, table: html.Div, wide: bool) -> html.Div | dmc.Grid:
    """Chart and table next to each other when the card has the whole width (one region on a
    wide screen), else the table under the chart."""
    if not wide:
        return html.Div([chart, table])
    return dmc.Grid(
        [
            dmc.GridCol(chart, span={"base": 12, "lg": 6}),
            dmc.GridCol(table, span={"base": 12, "lg": 6}),
        ],
        gutter="lg",
    )


def shared_ratio_max(views: Sequence[tq.TensionView | None]) -> float | None:
    """The largest ratio over the regions shown, so side-by-side charts share one scale."""
    ratios = [
        float(r)
        for view in views
        if view is not None
        for r in view.rows["ratio"].drop_nulls().to_list()
    ]
    return max(ratios) if ratios else None


# --- Demand -----------------------------------------------------------------------------------


def demand_card(
    view: tq.DemandView, index: int, lang: str, heading: str = "h3", wide: bool = False
) -> dmc.Paper:
    config = queries.settings()
    threshold = config.small_count_threshold
    suppress = config.suppress_small_counts
    region = where(view.region, lang)
    period = view.period
    span = f"{fmt.month(period.first, lang)} – {fmt.month(period.last, lang)}"
    previous = f"{fmt.month(period.previous_first, lang)} – {fmt.month(period.previous_last, lang)}"
    what = t(f"tek.what_{view.indeling}", lang)
    title_tag = html.H3 if heading == "h3" else html.H2
    title = title_tag(
        t("tek.demand_card_title", lang, region=region, span=span), className="rk-card-title"
    )
    if view.rows.is_empty():
        return dmc.Paper(
            [
                title,
                dmc.Alert(
                    t("tek.demand_empty", lang, region=region, span=span),
                    color="gray",
                    id=f"tek-demand-empty-{index}",
                ),
            ],
            withBorder=True,
            p="md",
            className="rk-card",
        )

    def cells(rank: int, row: dict[str, object]) -> tuple[object, ...]:
        hide = suppress and bool(row["small"])
        name: list[object] = [f"{rank}. {row['name']} ({row['code']})"]
        if row["small"]:
            name += [" ", _small(lang)]
        return (
            name,
            _count(row["vacancies"], lang, suppress, threshold),  # type: ignore[arg-type]
            "–" if hide else fmt.percent(row["share"], lang, 1),  # type: ignore[arg-type]
            "–" if hide else _change(row["growth"], lang),  # type: ignore[arg-type]
        )

    headers = [
        t(f"tek.col_{view.indeling}", lang),
        t("tek.col_vacancies_12m", lang),
        t("tek.col_share", lang),
        t("tek.col_growth", lang),
    ]
    top_rows = view.rows.head(DEMAND_TOP)
    table_rows = [cells(i, row) for i, row in enumerate(top_rows.iter_rows(named=True), start=1)]
    caption = t("tek.demand_caption", lang, what=what, region=region, span=span)
    caption = caption[:1].upper() + caption[1:]
    top = rich_table(headers, table_rows, f"tek-demand-table-{index}", caption, (1, 2, 3))
    shown = min(DEMAND_TOP, view.rows.height)
    chart = _graph(
        f"tek-demand-chart-{index}",
        demand_bars(
            view.rows.filter(~pl.col("small")) if suppress else view.rows, lang, DEMAND_TOP
        ),
        t("tek.demand_description", lang, n=shown, what=what, region=region, span=span),
        t("tek.axis_vacancies", lang),
        lang,
    )
    notes = [
        t("tek.demand_footnote", lang, span=span, previous=previous)
        if view.has_previous
        else t("tek.demand_footnote_no_previous", lang, span=span)
    ]
    if view.rows.height > DEMAND_TOP:
        notes.append(t("tek.show_all", lang, n=DEMAND_TOP, total=view.rows.height, what=what))
    if view.unknown:
        notes.append(t("tek.demand_unknown", lang, count=fmt.number(view.unknown, lang), what=what))
    return dmc.Paper(
        [
            title,
            html.P(
                t("tek.demand_total", lang, total=fmt.number(view.total, lang)),
                className="rk-footnote rk-tek-area",
            ),
            side_by_side(chart, top, wide),
            html.P(" ".join(notes), className="rk-footnote"),
            export_links("vraag", {"regio": view.region.code, "indeling": view.indeling}, lang),
        ],
        withBorder=True,
        p="md",
        className="rk-card",
        id=f"tek-demand-card-{index}",
    )


# --- Definitions ------------------------------------------------------------------------------


def band_table(lang: str, table_id: str = "tek-bands") -> html.Div:
    """The tension classes and their ratio ranges, read from ``TENSION_BANDS``."""
    rows = []
    lower: float | None = None
    for index, (name, upper) in enumerate(TENSION_BANDS):
        up = fmt.number(upper, lang, 2)
        low = fmt.number(lower, lang, 2) if lower is not None else None
        if lower is None:
            text = t("tek.band_below", lang, upper=up)
        elif upper == float("inf"):
            text = t("tek.band_above", lang, lower=low)
        elif index < 2:
            text = t("tek.band_from_below", lang, lower=low, upper=up)
        else:
            key = "tek.band_from_upto" if index - 1 < 2 else "tek.band_above_upto"
            text = t(key, lang, lower=low, upper=up)
        rows.append((tension_badge(name, lang), text, t(f"tek.band_meaning_{index}", lang)))
        lower = upper
    return rich_table(
        [t("tek.col_tension", lang), t("tek.col_ratio", lang), t("tek.band_meaning", lang)],
        rows,
        table_id,
        t("tek.bands_caption", lang),
    )


def definition_section(lang: str) -> html.Div:
    config = queries.settings()
    threshold = config.small_count_threshold
    small_key = "tek.def_small_suppressed" if config.suppress_small_counts else "tek.def_small"
    return html.Div(
        [
            definitions(
                [
                    (t("tek.def_tension_term", lang), t("tek.def_tension", lang)),
                    (t("tek.def_area_term", lang), t("tek.def_area", lang)),
                    (t("tek.def_demand_term", lang), t("tek.def_demand", lang)),
                    (t("def.vacancies_term", lang), t("def.vacancies", lang)),
                    (t("tek.def_growth_term", lang), t("tek.def_growth", lang)),
                    (t("def.small_term", lang), t(small_key, lang, threshold=threshold)),
                ],
                lang,
            ),
            html.Section(
                [html.H2(t("tek.bands_title", lang), className="rk-card-title"), band_table(lang)],
                className="rk-definitions",
                id="tek-bands-section",
            ),
        ]
    )


# --- The views --------------------------------------------------------------------------------


def comparison_region(regio: RegionRef, vergelijk: str | None) -> RegionRef | None:
    if not vergelijk:
        return None
    other = queries.region(vergelijk)
    if other.code != vergelijk or other.code == regio.code:
        return None
    return other


def _columns(cards: Sequence[object]) -> dmc.Grid:
    span = {"base": 12, "lg": 12 // max(len(cards), 1)}
    return dmc.Grid(
        [dmc.GridCol(card, span=span) for card in cards], gutter="md", className="rk-tek-columns"
    )


def rankings(
    regions: Sequence[RegionRef],
    indeling: str,
    kwartaal: str | None,
    lang: str,
    weergave: str = "beide",
    controls: object | None = None,
) -> html.Div | None:
    """The tension and demand rankings of one or two regions, or None without any vacancies."""
    tension_views = []
    for region in regions:
        view = tq.tension_ranking(region, kwartaal, lang)
        if view is None:
            return None
        tension_views.append(view)
        # The second region follows the first one's quarter.
        if view.quarter is not None and kwartaal is None:
            kwartaal = tq.quarter_param(view.quarter)
    demand_views = [tq.demand_ranking(region, indeling, lang) for region in regions]
    sections: list[Any] = []
    if weergave in ("beide", "spanning"):
        x_max = shared_ratio_max(tension_views)
        sections.append(
            html.Section(
                [
                    html.H2(t("tek.tension_heading", lang), className="rk-section-title"),
                    _columns(
                        [
                            tension_card(v, i, lang, x_max, wide=len(regions) == 1)
                            for i, v in enumerate(tension_views)
                        ]
                    ),
                ],
                className="rk-tek-section",
                id="tek-tension-section",
            )
        )
    if weergave in ("beide", "vraag"):
        sections.append(
            html.Section(
                [
                    dmc.Group(
                        [
                            html.H2(
                                t(f"tek.demand_heading_{indeling}", lang),
                                className="rk-section-title",
                            ),
                            controls,
                        ],
                        justify="space-between",
                        align="flex-end",
                        wrap="wrap",
                    ),
                    _columns(
                        [
                            demand_card(v, i, lang, wide=len(regions) == 1)
                            for i, v in enumerate(demand_views)
                            if v
                        ]
                    ),
                ],
                className="rk-tek-section",
                id="tek-demand-section",
            )
        )
    return html.Div(sections)


def _empty(lang: str) -> html.Div:
    return html.Div(
        [
            html.H1(t("tek.title", lang)),
            dmc.Alert(
                t("home.empty", lang),
                title=t("home.empty_title", lang),
                color="gray",
                id="tek-empty",
            ),
        ]
    )


def _embed_modal(lang: str) -> html.Div:
    return embed_modal(
        "tekorten",
        lang,
        title=t("tek.embed_title", lang),
        intro=t("tek.embed_intro", lang),
        frame_title=t("tek.embed_frame_title", lang),
        height=1100,
        option=Option(
            param="weergave",
            label=t("tek.embed_part", lang),
            choices=tuple((part, t(f"tek.embed_part_{part}", lang)) for part in WEERGAVEN),
            default="beide",
        ),
    )


def layout(
    regio: str | None = None,
    vergelijk: str | None = None,
    indeling: str | None = None,
    kwartaal: str | None = None,
    lang: str | None = None,
    **_: str,
) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    region = queries.region(regio)
    other = comparison_region(region, vergelijk)
    indeling = indeling if indeling in tq.INDELINGEN else "beroep"
    regions = [region] if other is None else [region, other]
    first = tq.tension_ranking(region, kwartaal, lang)
    if first is None:
        return html.Div([_empty(lang), _embed_modal(lang)])
    quarter_options = [
        {"value": tq.quarter_param(q), "label": tq.quarter_label(q, lang)} for q in first.quarters
    ]
    indeling_control = dmc.SegmentedControl(
        id=param_id("indeling"),
        data=[{"value": v, "label": t(f"tek.indeling_{v}", lang)} for v in tq.INDELINGEN],
        value=indeling,
        **aria(t("tek.indeling_label", lang)),
    )
    body = rankings(
        regions,
        indeling,
        tq.quarter_param(first.quarter) if first.quarter else None,
        lang,
        controls=html.Div(
            [html.Span(t("tek.indeling_label", lang), className="rk-tek-label"), indeling_control],
            className="rk-tek-indeling",
        ),
    )
    controls = dmc.Group(
        [
            region_picker(region.code, lang),
            dmc.Select(
                id=param_id("vergelijk"),
                label=t("tek.compare_label", lang),
                placeholder=t("tek.compare_placeholder", lang),
                data=region_options(lang),
                value=other.code if other else None,
                searchable=True,
                clearable=True,
                nothingFoundMessage=t("region.nothing_found", lang),
                maxDropdownHeight=360,
                w={"base": "100%", "sm": 300},
                comboboxProps={"withinPortal": True},
            ),
            dmc.Select(
                id=param_id("kwartaal"),
                label=t("tek.quarter_label", lang),
                data=quarter_options,
                # No ?kwartaal= means "the newest quarter", so a shared link or an embed moves
                # on with the data; only a quarter chosen on purpose is pinned in the URL.
                value=tq.quarter_param(first.quarter)
                if first.quarter and not first.requested_unavailable and kwartaal
                else None,
                placeholder=t(
                    "tek.quarter_latest", lang, quarter=tq.quarter_label(first.quarter, lang)
                )
                if first.quarter
                else t("tek.quarter_none", lang),
                clearable=True,
                disabled=not quarter_options,
                w={"base": "100%", "sm": 270},
                comboboxProps={"withinPortal": True},
            ),
            embed_button("tekorten", lang),
        ],
        align="flex-end",
        gap="md",
        wrap="wrap",
        className="rk-tek-controls",
    )
    lead = t(
        "tek.lead_compare" if other else "tek.lead",
        lang,
        region=where(region, lang),
        other=where(other, lang) if other else "",
    )
    return html.Div(
        [
            html.H1(t("tek.title", lang)),
            html.P(lead, className="rk-lead"),
            controls,
            body,
            definition_section(lang),
            _embed_modal(lang),
        ],
        className="rk-tek",
    )


dash.register_page(
    __name__,
    path="/tekorten",
    title="Regiokompas — tekorten",
    name="Tekorten",
    order=20,
    label_key="nav.tekorten",
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
