"""Kaart: a measure (vacancies, their change, vacancies per 1,000 addresses, tension) per
gemeente, arbeidsmarktregio, provincie or COROP area, or for the gemeenten of one region, on a
map; below it the ranking of all regions with exports. Clicking an area chooses that region for
every page (``?regio=``).

URL parameters: ``regio``, ``niveau`` (``queries.kaart.VIEW_LEVELS``), ``maat`` (a measure id of
``queries.kaart.MEASURES``) and the measures' own parameters (``klasse`` for tension).
The building blocks here are shared with the embed view (``pages/embed_kaart.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, clientside_callback, dcc, html

from dashboard import figures_kaart, queries
from dashboard import format as fmt
from dashboard.components import aria
from dashboard.components.cards import GRAPH_CONFIG, definitions, simple_table
from dashboard.components.embed import embed_button, embed_modal
from dashboard.components.region_picker import region_picker
from dashboard.components.url_state import param_id
from dashboard.i18n import current_language, t
from dashboard.queries import RegionRef
from dashboard.queries import kaart as kaart_queries
from dashboard.queries.kaart import MEASURES, VIEW_LEVELS, MapData
from data import geo
from matching.indicators import TENSION_BANDS

MAP = "kaart-map"
TABLE = "kaart-table"
LEGEND = "kaart-legend"
NOTICE_GEO = "kaart-no-geo"
NOTICE = "kaart-notice"
EXPORT_CSV = "kaart-export-csv"
EXPORT_XLSX = "kaart-export-xlsx"
LEAD = "kaart-lead"

_HIDDEN: dict[str, Any] = {"aria-hidden": "true"}
MAP_CONFIG: dict[str, Any] = {**GRAPH_CONFIG, "scrollZoom": False, "doubleClick": False}


# --- Controls for the measures' own parameters -----------------------------------------------


def _klasse_control(value: str | None, lang: str) -> dmc.Select:
    klassen = kaart_queries.beroepsklassen()
    return dmc.Select(
        id=param_id("klasse"),
        label=t("kaart.control.klasse", lang),
        placeholder=t("kaart.klasse_all", lang),
        data=[
            {"value": code, "label": f"{code} {name}"}
            for code, name in klassen.select("code", "name").iter_rows()
        ],
        value=value if value in set(klassen["code"].to_list()) else None,
        clearable=True,
        w={"base": "100%", "sm": 300},
        comboboxProps={"withinPortal": True},
    )


# A measure that reads a URL parameter (Measure.params) gets its control from here.
PARAM_CONTROLS: dict[str, Callable[[str | None, str], Any]] = {"klasse": _klasse_control}


# --- Shared building blocks (also used by the embed view) ------------------------------------


def level_label(view: str, context: RegionRef | None, lang: str) -> str:
    if view == "regio":
        if context is None or context.is_national:
            return t("kaart.level.regio_none", lang)
        return t("kaart.level.regio", lang, name=context.name)
    return t(f"kaart.level.{view}", lang)


def where_text(data: MapData, region: RegionRef, lang: str) -> str:
    scope = data.scope
    if scope.view == "regio" and scope.context is not None:
        if region.level == "gemeente":
            return t(
                "kaart.where_regio_gemeente", lang, gemeente=region.name, name=scope.context.name
            )
        return t("kaart.where_regio", lang, name=scope.context.name)
    if region.is_national:
        return t("kaart.where_all", lang)
    return t("kaart.where_highlight", lang, name=region.name)


def legend(data: MapData, lang: str) -> html.Div | None:
    """The tension classes with their colour and their bounds (class measures only)."""
    if data.measure.scale != "classes":
        return None
    items = []
    previous: float | None = None
    for index, (name, upper) in enumerate(TENSION_BANDS):
        low = fmt.number(previous, lang, 2) if previous is not None else ""
        high = fmt.number(upper, lang, 2) if upper != float("inf") else ""
        if previous is None:
            text = t("kaart.legend_below", lang, upper=high)
        elif upper == float("inf"):
            text = t("kaart.legend_above", lang, lower=low)
        elif index == 1:
            text = t("kaart.legend_between", lang, lower=low, upper=high)
        elif index == 2:
            text = t("kaart.legend_between_incl", lang, lower=low, upper=high)
        else:
            text = t("kaart.legend_above_incl", lang, lower=low, upper=high)
        items.append(
            html.Li(
                [
                    html.Span(
                        className="rk-swatch",
                        style={"background": figures_kaart.TENSION_COLOURS[name]},
                        **_HIDDEN,
                    ),
                    html.Span(
                        t(
                            "kaart.legend_class",
                            lang,
                            name=figures_kaart.tension_label(name, lang),
                            range=text,
                        )
                    ),
                ]
            )
        )
        previous = upper
    items.append(
        html.Li(
            [
                html.Span(
                    className="rk-swatch",
                    style={"background": figures_kaart.NO_DATA},
                    **_HIDDEN,
                ),
                html.Span(t("kaart.no_value", lang)),
            ]
        )
    )
    return html.Div(
        [html.P(t("kaart.legend_title", lang), className="rk-legend-title"), html.Ul(items)],
        className="rk-kaart-legend",
        id=LEGEND,
    )


def geometry_for(level: str) -> geo.GeoResult:
    settings = queries.settings()
    return geo.load_geometry(level, settings.reference_year, settings)


def figure_block(
    data: MapData, lang: str, graph_id: str, region: RegionRef
) -> tuple[html.Div, bool]:
    """The map (or, without geometry, the ranked bars) with its heading, description and
    footnote; the second value says whether the map could be drawn."""
    measure_label = t(data.measure.label_key, lang)
    level = level_label(data.scope.view, data.scope.context, lang)
    period = kaart_queries.period_text(data, lang)
    geometry = geometry_for(data.scope.level)
    config = {
        **MAP_CONFIG,
        "toImageButtonOptions": {**MAP_CONFIG["toImageButtonOptions"], "filename": "kaart"},
        # Plotly's geo subplot always loads a base-map topology, by default from its CDN. The
        # map draws no base map (geo.visible=False), so it gets an empty one from this app.
        "topojsonURL": dash.get_asset_url(""),
    }
    if geometry.geojson is not None:
        title = t("kaart.map_title", lang, measure=measure_label)
        description = t(
            "kaart.map_description",
            lang,
            level=level.lower(),
            measure=measure_label.lower(),
            period=period,
        )
        graph = dcc.Graph(
            id=graph_id,
            figure=figures_kaart.choropleth(data, geometry.geojson, lang),
            config=config,  # type: ignore[arg-type]
            className="rk-map-graph",
        )
    else:
        shown = min(30, int(data.frame["value"].is_not_null().sum()))
        title = t("kaart.bars_title", lang, measure=measure_label, n=shown)
        description = t(
            "kaart.bars_description",
            lang,
            level=level.lower(),
            measure=measure_label.lower(),
            period=period,
        )
        graph = dcc.Graph(
            id=graph_id,
            figure=figures_kaart.ranked_bars(data, lang),
            config=config,  # type: ignore[arg-type]
            className="rk-bars-graph",
        )
    block = html.Div(
        [
            html.H2(title, className="rk-card-title"),
            html.Div(
                dcc.Loading(graph, type="default", delay_show=300),
                role="figure",
                **aria(description),
            ),
            legend(data, lang),
            html.P(
                t("kaart.map_footnote", lang, year=queries.settings().reference_year),
                className="rk-footnote",
            ),
        ]
    )
    return block, geometry.geojson is not None


def notices(data: MapData, lang: str) -> list[dmc.Alert]:
    measure_label = t(data.measure.label_key, lang)
    found = []
    if data.scope.forced:
        found.append(
            dmc.Alert(t("kaart.forced_level", lang, measure=measure_label), color="blue", id=NOTICE)
        )
    if data.empty_key:
        found.append(
            dmc.Alert(
                t(data.empty_key, lang),
                title=t("kaart.no_values_title", lang),
                color="gray",
                id=NOTICE if not data.scope.forced else f"{NOTICE}-empty",
            )
        )
    return found


def api_query(data: MapData, region: RegionRef, params: dict[str, str | None]) -> str:
    query = {
        "maat": data.measure.id,
        "niveau": data.scope.view,
        **({"regio": region.code} if not region.is_national else {}),
        **{name: params.get(name) or "" for name in data.measure.params},
    }
    return urlencode({k: v for k, v in query.items() if v})


def ranking_table(
    data: MapData, region: RegionRef, lang: str, params: dict[str, str | None]
) -> dmc.Paper:
    measure = data.measure
    threshold = queries.settings().small_count_threshold
    classes = measure.scale == "classes"
    counts = measure.shows_vacancies
    headers = [
        t("kaart.col.rank", lang),
        t("common.region", lang),
        t("common.code", lang),
        t(measure.value_key, lang),
        *([t("kaart.col.class", lang)] if classes else []),
        *([t("common.vacancies", lang)] if counts else []),
        *[t(extra.label_key, lang) for extra in data.extra],
    ]
    small = f" ({t('common.small_count', lang)})"
    rows = []
    for row in data.frame.iter_rows(named=True):
        flag = small if row["small"] else ""
        value = measure.formatter(row["value"], lang)
        category = row["category"]
        rows.append(
            (
                row["rank"] if row["rank"] is not None else "–",
                row["name"],
                row["code"],
                value if counts else value + flag,
                *(
                    [figures_kaart.tension_label(category, lang) if category else "–"]
                    if classes
                    else []
                ),
                *([fmt.number(row["vacancies"], lang) + flag] if counts else []),
                *[extra.formatter(row[extra.column], lang) for extra in data.extra],
            )
        )
    numeric = (0, 3, *range(5 if classes else 4, len(headers)))
    query = api_query(data, region, params)
    level = level_label(data.scope.view, data.scope.context, lang)
    period = kaart_queries.period_text(data, lang)
    caption = t("kaart.table_caption", lang, measure=t(measure.label_key, lang), period=period)
    return dmc.Paper(
        [
            dmc.Group(
                [
                    html.H2(t("kaart.table_title", lang, level=level), className="rk-card-title"),
                    html.Nav(
                        [
                            html.A(
                                t("kaart.export_csv", lang),
                                href=dash.get_relative_path(f"/api/v1/kaart.csv?{query}"),
                                id=EXPORT_CSV,
                                className="rk-export-link",
                                download="kaart.csv",
                            ),
                            html.A(
                                t("kaart.export_xlsx", lang),
                                href=dash.get_relative_path(f"/api/v1/kaart.xlsx?{query}"),
                                id=EXPORT_XLSX,
                                className="rk-export-link",
                                download="kaart.xlsx",
                            ),
                        ],
                        className="rk-export-links",
                        **aria(t("kaart.export_label", lang)),
                    ),
                ],
                justify="space-between",
                align="baseline",
                wrap="wrap",
            ),
            html.P(caption, className="rk-footnote", id=f"{TABLE}-caption"),
            html.Div(
                simple_table(headers, rows, table_id=TABLE, numeric=numeric),
                className="rk-kaart-table-scroll",
                tabIndex="0",
                role="region",
                **aria(caption),
            ),
            html.P(t("def.small", lang, threshold=threshold), className="rk-footnote"),
        ],
        withBorder=True,
        p="md",
        className="rk-card",
        mt="md",
    )


def measure_definitions(lang: str, threshold: int) -> html.Section:
    return definitions(
        [
            *(
                (t(f"{m.definition_key}_term", lang), t(m.definition_key, lang))
                for m in MEASURES.values()
            ),
            (t("kaart.def.levels_term", lang), t("kaart.def.levels", lang)),
            (t("def.small_term", lang), t("def.small", lang, threshold=threshold)),
            (t("kaart.def.geo_term", lang), t("kaart.def.geo", lang)),
        ],
        lang,
    )


# --- The page -------------------------------------------------------------------------------


def _controls(data: MapData | None, region: RegionRef, lang: str, params: dict[str, Any]):
    chosen = data.measure if data else kaart_queries.measure(params.get("maat"))
    view = data.scope.view if data else kaart_queries.default_view(region)
    context = data.scope.context if data else region
    level_items = []
    for option in VIEW_LEVELS:
        if option == "regio" and region.is_national:
            continue
        level = "gemeente" if option == "regio" else option
        level_items.append(
            {
                "value": option,
                "label": level_label(option, context, lang),
                "disabled": level not in chosen.levels,
            }
        )
    controls: list[Any] = [
        dmc.Select(
            id=param_id("maat"),
            label=t("kaart.control.measure", lang),
            data=[{"value": m.id, "label": t(m.label_key, lang)} for m in MEASURES.values()],
            value=chosen.id,
            allowDeselect=False,
            w={"base": "100%", "sm": 340},
            comboboxProps={"withinPortal": True},
        ),
        dmc.Select(
            id=param_id("niveau"),
            label=t("kaart.control.level", lang),
            data=level_items,
            value=view,
            allowDeselect=False,
            w={"base": "100%", "sm": 280},
            comboboxProps={"withinPortal": True},
        ),
    ]
    for name in chosen.params:
        factory = PARAM_CONTROLS.get(name)
        if factory is not None:
            controls.append(factory(params.get(name), lang))
    controls.append(embed_button("kaart", lang))
    return dmc.Group(
        controls, align="flex-end", gap="md", wrap="wrap", className="rk-kaart-controls"
    )


def _embed_modal(lang: str) -> html.Div:
    return embed_modal(
        "kaart",
        lang,
        title=t("kaart.embed_title", lang),
        intro=t("kaart.embed_help", lang),
        frame_title=t("kaart.embed_frame_title", lang),
        height=680,
    )


def layout(
    regio: str | None = None,
    niveau: str | None = None,
    maat: str | None = None,
    klasse: str | None = None,
    lang: str | None = None,
    **_: str,
) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    region = queries.region(regio)
    params: dict[str, Any] = {"maat": maat, "klasse": klasse}
    data = kaart_queries.map_data(maat, niveau, region, {"klasse": klasse or ""})
    header = dmc.Group(
        [html.H1(t("kaart.title", lang)), region_picker(region.code, lang)],
        justify="space-between",
        align="flex-end",
        wrap="wrap",
    )
    if data is None:
        return html.Div(
            [
                header,
                dmc.Alert(
                    t("kaart.empty", lang),
                    title=t("kaart.empty_title", lang),
                    color="gray",
                    id="kaart-empty",
                ),
                _controls(None, region, lang, params),
                # The callbacks' components exist on every rendering of the page.
                dcc.Graph(id=MAP, style={"display": "none"}),
                _embed_modal(lang),
            ]
        )
    threshold = queries.settings().small_count_threshold
    block, has_map = figure_block(data, lang, MAP, region)
    lead = t(
        "kaart.lead",
        lang,
        measure=t(data.measure.label_key, lang),
        period=kaart_queries.period_text(data, lang),
        where=where_text(data, region, lang),
    )
    geo_notice = (
        []
        if has_map
        else [
            dmc.Alert(
                t("kaart.no_geo", lang),
                title=t("kaart.no_geo_title", lang),
                color="yellow",
                id=NOTICE_GEO,
                mb="md",
            )
        ]
    )
    return html.Div(
        [
            header,
            html.P(lead, className="rk-lead", id=LEAD),
            _controls(data, region, lang, params),
            dmc.Stack(notices(data, lang), gap="sm", mt="md"),
            dmc.Paper(
                [
                    *geo_notice,
                    block,
                    html.P(t("kaart.click_hint", lang), className="rk-footnote rk-hide-present"),
                ],
                withBorder=True,
                p="md",
                className="rk-card",
                mt="md",
            ),
            ranking_table(data, region, lang, params),
            measure_definitions(lang, threshold),
            _embed_modal(lang),
        ],
        className="rk-kaart",
    )


# Clicking an area chooses it as the region of every page: merge ?regio= into the URL and keep
# the level being looked at (so the view does not jump to the default for a region).
clientside_callback(
    """
    function(click, niveau, search) {
        const none = window.dash_clientside.no_update;
        if (!click || !click.points || !click.points.length) { return none; }
        const point = click.points[0];
        const code = point.location || (point.customdata && point.customdata[0]);
        if (!code) { return none; }
        const params = new URLSearchParams(search || "");
        if (params.get("regio") === code) { return none; }
        params.set("regio", code);
        if (!params.get("niveau") && niveau) { params.set("niveau", niveau); }
        return "?" + params.toString();
    }
    """,
    Output("_pages_location", "search", allow_duplicate=True),
    Input(MAP, "clickData"),
    State(param_id("niveau"), "value"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)

dash.register_page(
    __name__,
    path="/kaart",
    title="Regiokompas — kaart",
    name="Kaart",
    order=10,
    label_key="nav.kaart",
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
