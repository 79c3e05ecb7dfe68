"""Vacatures: browse the deduplicated vacancies behind every count, one page at a time.

Filters live in the URL (region, period, occupation, level, source, search text). The grid asks
the server for one page of rows at a time (AG Grid's infinite row model), so the browser never
holds more than a few pages, whatever the size of the store. Choosing a row opens the vacancy's
detail (``?vacature=<id>``, shareable): its text with the skills the matcher found highlighted,
its occupation, how its place was resolved and its other postings.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import dash_ag_grid as dag
import dash_mantine_components as dmc
import polars as pl
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update

from dashboard import format as fmt
from dashboard import queries, render_cache
from dashboard.components import aria
from dashboard.components.cards import definitions
from dashboard.components.region_picker import region_picker
from dashboard.components.url_state import param_id
from dashboard.i18n import current_language, t
from dashboard.queries import vacatures as vq

GRID = "vac-grid"
DRAWER = "vac-drawer"
DETAIL = "vac-detail"
SELECTED = "vac-selected"
FILTER = "vac-filter"
POPSTATE = "vac-popstate"
COUNT = "vac-count"
PARAMS = ("regio", "periode", "beroep", "niveau", "bron", "q")
LIVE: dict[str, Any] = {"aria-live": "polite"}


def _data(**values: str) -> dict[str, Any]:
    """``data-*`` attributes for a Dash component (tests find rows and marks by them)."""
    return {f"data-{key}": value for key, value in values.items()}


KIND_KEYS = {
    "requirement": "vac.kind_requirement",
    "nice": "vac.kind_nice",
    "offered": "vac.kind_offered",
}
LOCATION_METHODS = (
    "postcode",
    "naam",
    "naam_met_toevoeging",
    "omgeving",
    "stadsdeel",
    "geen_plaats",
    "meerdere_gemeenten",
    "alleen_provincie",
    "regio",
    "onbekende_postcode",
    "onbekend",
    "leeg",
)


# --- Formatting ------------------------------------------------------------------------------


def hours_text(low: float | None, high: float | None, lang: str) -> str:
    """``32–40 uur``; one number when both ends agree; an en dash when unknown."""
    if low is None and high is None:
        return "–"
    values = [v for v in (low, high) if v is not None]
    a, b = min(values), max(values)
    unit = t("vac.hours_unit", lang)
    if a == b:
        return f"{fmt.number(a, lang)} {unit}"
    return f"{fmt.number(a, lang)}–{fmt.number(b, lang)} {unit}"


def occupation_name(row: dict[str, Any], lang: str) -> str:
    name = (row.get("occupation_en") if lang == "en" else None) or row.get("occupation")
    return str(name) if name else "–"


def place_text(row: dict[str, Any], lang: str) -> str:
    return str(row["gemeente"]) if row.get("gemeente") else t("vac.place_unresolved", lang)


def grid_rows(data: pl.DataFrame, lang: str) -> list[dict[str, Any]]:
    """Rows for the grid: display strings only (the grid shows them as text, never as HTML)."""
    rows = []
    for row in data.iter_rows(named=True):
        location = row["location_text"] or "–"
        rows.append(
            {
                "row_id": str(row["id"]),
                "id": row["id"],
                "posted": fmt.date(row["posted_at"], lang),
                "title": row["title"] or "",
                "employer": row["employer"] or "–",
                "place": place_text(row, lang),
                "place_tooltip": t("vac.location_tooltip", lang, text=location),
                "occupation": occupation_name(row, lang),
                "level": row["education_level"] or "–",
                "hours": hours_text(row["hours_min"], row["hours_max"], lang),
                "contract": row["contract_type"] or "–",
                "source": row["source"] or "–",
                "postings": row["postings"],
            }
        )
    return rows


def column_defs(lang: str) -> list[dict[str, Any]]:
    def col(field: str, key: str, **more: Any) -> dict[str, Any]:
        return {"field": field, "headerName": t(key, lang), **more}

    return [
        col("posted", "vac.col_posted", sortable=True, sort="desc", width=125, minWidth=110),
        col("title", "vac.col_title", sortable=True, flex=2, minWidth=220, tooltipField="title"),
        col("employer", "vac.col_employer", sortable=True, flex=1, minWidth=170),
        col("place", "vac.col_place", minWidth=140, tooltipField="place_tooltip"),
        col("occupation", "vac.col_occupation", minWidth=200, tooltipField="occupation"),
        col("level", "vac.col_level", width=105),
        col("hours", "vac.col_hours", width=115),
        col("contract", "vac.col_contract", minWidth=150),
        col("source", "vac.col_source", minWidth=150),
        col("postings", "vac.col_postings", width=120, type="numericColumn"),
    ]


def locale_text(lang: str) -> dict[str, str]:
    keys = (
        "page",
        "of",
        "to",
        "more",
        "next",
        "last",
        "first",
        "previous",
        "loadingOoo",
        "noRowsToShow",
        "ariaPaginationPage",
        "thousandSeparator",
        "decimalSeparator",
    )
    return {key: t(f"vac.grid_{key}", lang) for key in keys}


# --- Filters -----------------------------------------------------------------------------------


def period_options(period: vq.Period, newest: Any, lang: str) -> list[dict[str, str]]:
    options = [
        {
            "value": "1m",
            "label": t("vac.period_1m", lang, month=fmt.month(newest, lang))
            if newest
            else t("vac.period_1m_plain", lang),
        },
        {"value": "3m", "label": t("vac.period_3m", lang)},
        {"value": "12m", "label": t("vac.period_12m", lang)},
        {"value": "24m", "label": t("vac.period_24m", lang)},
        {"value": "alles", "label": t("vac.period_all", lang)},
    ]
    if period.key not in vq.PERIODS and period.first and period.last:
        label = (
            fmt.month(period.first, lang)
            if period.first == period.last
            else f"{fmt.month(period.first, lang)} – {fmt.month(period.last, lang)}"
        )
        options.append({"value": period.key, "label": label})
    return options


def occupation_options(lang: str) -> list[dict[str, Any]]:
    """BRC beroepsklassen, each with its beroepsgroepen, for a searchable select."""
    tree = vq.occupation_tree()
    name = "name_en" if lang == "en" else "name"
    groups = []
    klassen = tree.filter(pl.col("level") == "beroepsklasse")
    beroepsgroepen = tree.filter(pl.col("level") == "beroepsgroep")
    for klasse in klassen.iter_rows(named=True):
        label = klasse[name] or klasse["name"]
        items = [
            {
                "value": klasse["code"],
                "label": t("vac.occupation_all_of", lang, name=label, code=klasse["code"]),
            }
        ]
        for groep in beroepsgroepen.filter(
            pl.col("code").str.starts_with(klasse["code"])
        ).iter_rows(named=True):
            items.append(
                {
                    "value": groep["code"],
                    "label": f"{groep[name] or groep['name']} ({groep['code']})",
                }
            )
        groups.append({"group": f"{label} ({klasse['code']})", "items": items})
    return groups


def simple_options(values: list[str], selected: str | None) -> list[dict[str, str]]:
    options = [{"value": v, "label": v} for v in values]
    if selected and selected not in values:
        options.append({"value": selected, "label": selected})
    return options


def filter_controls(params: dict[str, str | None], period: vq.Period, lang: str) -> dmc.SimpleGrid:
    region = queries.region(params.get("regio"))
    newest = vq.newest_month()
    common: dict[str, Any] = {"comboboxProps": {"withinPortal": True}, "w": "100%"}
    return dmc.SimpleGrid(
        [
            region_picker(region.code, lang),
            dmc.Select(
                id=param_id("periode"),
                label=t("vac.filter_period", lang),
                data=period_options(period, newest, lang),
                value=period.key,
                allowDeselect=False,
                **common,
            ),
            dmc.Select(
                id=param_id("beroep"),
                label=t("vac.filter_occupation", lang),
                placeholder=t("vac.filter_occupation_all", lang),
                data=occupation_options(lang),
                value=params.get("beroep") or None,
                searchable=True,
                clearable=True,
                nothingFoundMessage=t("vac.nothing_found", lang),
                maxDropdownHeight=360,
                **common,
            ),
            dmc.Select(
                id=param_id("niveau"),
                label=t("vac.filter_level", lang),
                placeholder=t("vac.filter_level_all", lang),
                data=simple_options(vq.levels(), params.get("niveau")),
                value=params.get("niveau") or None,
                clearable=True,
                **common,
            ),
            dmc.Select(
                id=param_id("bron"),
                label=t("vac.filter_source", lang),
                placeholder=t("vac.filter_source_all", lang),
                data=simple_options(vq.sources(), params.get("bron")),
                value=params.get("bron") or None,
                clearable=True,
                **common,
            ),
            dmc.TextInput(
                id=param_id("q"),
                label=t("vac.filter_search", lang),
                description=t("vac.filter_search_help", lang),
                value=params.get("q") or "",
                debounce=True,
                autoComplete="off",
                w="100%",
            ),
        ],
        cols={"base": 1, "sm": 2, "lg": 3},
        spacing="md",
        verticalSpacing="sm",
        className="vac-filters",
    )


def api_query(params: dict[str, str | None]) -> str:
    kept = {name: params[name] for name in PARAMS if params.get(name)}
    return "?" + urlencode(kept) if kept else ""


# --- Detail ------------------------------------------------------------------------------------


def legend(lang: str) -> html.Ul:
    return html.Ul(
        [
            html.Li(
                [
                    html.Mark(t(key, lang), className=f"vac-mark vac-mark-{kind}"),
                    " ",
                    t(f"{key}_help", lang),
                ]
            )
            for kind, key in KIND_KEYS.items()
        ],
        className="vac-legend",
        **aria(t("vac.legend", lang)),
    )


def highlighted_text(text: str, spans: list[vq.Span], lang: str) -> html.Div:
    """The vacancy text as plain strings and ``<mark>`` elements: never an HTML string."""
    children: list[Any] = []
    for segment in vq.skill_segments(text, spans):
        if segment.kind is None:
            children.append(segment.text)
        else:
            children.append(
                html.Mark(
                    segment.text,
                    className=f"vac-mark vac-mark-{segment.kind}",
                    title=f"{segment.label} — {t(KIND_KEYS[segment.kind], lang)}",
                    **_data(kind=segment.kind),
                )
            )
    return html.Div(children, className="vac-text", id="vac-text")


def _meta(items: list[tuple[str, Any]]) -> html.Dl:
    return html.Dl(
        [part for term, value in items for part in (html.Dt(term), html.Dd(value))],
        className="vac-meta",
    )


def _link(url: Any, text: str) -> Any:
    safe = vq.safe_url(url)
    if not safe:
        return str(url or "–")
    return html.A(text, href=safe, rel="noopener nofollow", target="_blank")


def detail_view(vacancy_id: int | None, lang: str) -> tuple[list[Any], str]:
    """The detail of one vacancy as components, and the drawer's title."""
    if vacancy_id is None:
        return [], ""
    detail = vq.vacancy_detail(vacancy_id)
    if detail is None:
        return [dmc.Alert(t("vac.detail_missing", lang), color="gray", id="vac-detail-missing")], t(
            "vac.detail_missing_title", lang
        )
    row = detail.vacancy
    title = str(row["title"] or "")
    gemeente = (
        f"{row['gemeente']} ({row['gemeente_code']})"
        if row.get("gemeente")
        else row.get("gemeente_code") or t("vac.place_unresolved", lang)
    )
    method = str(row.get("location_method") or "")
    method_text = t(f"vac.method_{method}", lang) if method in LOCATION_METHODS else method or "–"
    share = dash.get_relative_path("/vacatures?" + urlencode({"vacature": row["id"]}))
    facts = _meta(
        [
            (t("vac.col_employer", lang), row.get("employer") or "–"),
            (t("vac.col_place", lang), gemeente),
            (t("vac.col_posted", lang), fmt.date(row.get("posted_at"), lang)),
            (t("vac.closing", lang), fmt.date(row.get("closing_at"), lang)),
            (t("vac.col_level", lang), row.get("education_level") or "–"),
            (
                t("vac.col_hours", lang),
                hours_text(row.get("hours_min"), row.get("hours_max"), lang),
            ),
            (t("vac.col_contract", lang), row.get("contract_type") or "–"),
            (t("vac.col_source", lang), row.get("source") or "–"),
            (t("vac.original", lang), _link(row.get("url"), t("vac.original_link", lang))),
            (
                t("vac.share", lang),
                dcc.Link(t("vac.share_link", lang), href=share, id="vac-share-link"),
            ),
        ]
    )

    occupation: Any
    if row.get("occupation_code"):
        score = row.get("occupation_score")
        occupation = _meta(
            [
                (
                    t("vac.occupation_class", lang),
                    f"{occupation_name(row, lang)} ({row['occupation_code']})",
                ),
                (
                    t("vac.occupation_score", lang),
                    fmt.number(score, lang, 2) if score is not None else "–",
                ),
                (
                    t("vac.occupation_method", lang),
                    t("vac.occupation_method_demo", lang)
                    if row.get("occupation_method") == "demo"
                    else str(row.get("occupation_method") or "–"),
                ),
            ]
        )
    else:
        occupation = html.P(t("vac.occupation_none", lang))

    place = html.P(
        [
            t("vac.place_from", lang),
            " ",
            html.Q(str(row.get("location_text") or "–"), className="vac-location-text"),
            " → ",
            html.Strong(str(gemeente)),
            ". ",
            method_text,
        ],
        id="vac-place",
    )

    text = str(row.get("text") or "")
    spans = vq.spans_of(detail.spans, lang)
    if not text:
        skills_part: list[Any] = [html.P(t("vac.no_text", lang))]
    elif not spans:
        skills_part = [
            dmc.Alert(t("vac.no_skills", lang), color="gray", id="vac-no-skills"),
            html.Div(text, className="vac-text", id="vac-text"),
        ]
    else:
        by_kind: dict[str, list[str]] = {kind: [] for kind in KIND_KEYS}
        for span in spans:
            if span.label not in by_kind[span.kind]:
                by_kind[span.kind].append(span.label)
        skills_part = [
            legend(lang),
            highlighted_text(text, spans, lang),
            html.H4(t("vac.skills_found", lang), className="vac-subtitle"),
            html.Dl(
                [
                    part
                    for kind, labels in by_kind.items()
                    if labels
                    for part in (html.Dt(t(KIND_KEYS[kind], lang)), html.Dd(", ".join(labels)))
                ],
                className="vac-meta",
            ),
        ]

    postings = detail.postings
    if postings.is_empty():
        duplicates: Any = html.P(t("vac.no_duplicates", lang), id="vac-no-duplicates")
    else:
        duplicates = html.Div(
            html.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(t(key, lang), scope="col")
                                for key in (
                                    "vac.col_source",
                                    "vac.col_posted",
                                    "vac.col_title",
                                    "vac.location_text",
                                    "vac.link",
                                )
                            ]
                        )
                    ),
                    html.Tbody(
                        [
                            html.Tr(
                                [
                                    html.Td(p["source"] or "–"),
                                    html.Td(fmt.date(p["posted_at"], lang)),
                                    html.Td(p["title"] or ""),
                                    html.Td(p["location_text"] or "–"),
                                    html.Td(_link(p["url"], t("vac.original_link", lang))),
                                ]
                            )
                            for p in postings.iter_rows(named=True)
                        ]
                    ),
                ],
                className="rk-table",
                id="vac-duplicates",
            ),
            className="vac-table-wrap",
        )

    children = [
        facts,
        html.H3(t("vac.place_title", lang), className="vac-subtitle"),
        place,
        html.H3(t("vac.occupation_title", lang), className="vac-subtitle"),
        occupation,
        html.H3(t("vac.text_title", lang), className="vac-subtitle"),
        *skills_part,
        html.H3(
            t("vac.duplicates_title", lang, n=fmt.number(postings.height + 1, lang)),
            className="vac-subtitle",
        ),
        duplicates,
    ]
    return children, title


def _vacancy_id(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


# --- Layout ------------------------------------------------------------------------------------


def _grid(lang: str) -> dag.AgGrid:
    return dag.AgGrid(
        id=GRID,
        rowModelType="infinite",
        columnDefs=column_defs(lang),
        defaultColDef={"sortable": False, "filter": False, "resizable": True},
        getRowId="params.data.row_id",
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": vq.PAGE_SIZE,
            "paginationPageSizeSelector": False,
            "cacheBlockSize": vq.PAGE_SIZE,
            "maxBlocksInCache": 10,
            "infiniteInitialRowCount": vq.PAGE_SIZE,
            "rowSelection": {
                "mode": "singleRow",
                "checkboxes": False,
                "enableClickSelection": True,
            },
            "tooltipShowDelay": 400,
            "localeText": locale_text(lang),
            "suppressCellFocus": False,
            # Ten columns: render them all, so every cell is in the page (and in tests).
            "suppressColumnVirtualisation": True,
        },
        style={"height": "620px", "width": "100%"},
        className="vac-grid",
    )


def _drawer(vacancy_id: int | None, lang: str) -> dmc.Drawer:
    children, title = detail_view(vacancy_id, lang) if vacancy_id is not None else ([], "")
    return dmc.Drawer(
        html.Div(children, id=DETAIL, className="vac-detail"),
        id=DRAWER,
        opened=vacancy_id is not None,
        title=html.Span(title, id="vac-detail-title", className="vac-detail-title"),
        position="right",
        size="min(780px, 100%)",
        padding="lg",
        closeButtonProps={"aria-label": t("vac.close", lang)},
        className="vac-drawer",
    )


def _hidden_machinery(lang: str) -> html.Div:
    """The callbacks' components for a page without data (the validation layout needs them)."""
    return html.Div(
        [
            _grid(lang),
            _drawer(None, lang),
            dcc.Store(id=FILTER, data={"lang": lang}),
            dcc.Store(id=SELECTED),
            dcc.Store(id=POPSTATE),
        ],
        hidden=True,
    )


def layout(
    regio: str | None = None,
    periode: str | None = None,
    beroep: str | None = None,
    niveau: str | None = None,
    bron: str | None = None,
    q: str | None = None,
    vacature: str | None = None,
    lang: str | None = None,
    **_: str,
) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    params: dict[str, str | None] = {
        "regio": regio,
        "periode": periode,
        "beroep": beroep,
        "niveau": niveau,
        "bron": bron,
        "q": q,
    }
    if vq.newest_month() is None:
        return html.Div(
            [
                html.H1(t("vac.title", lang)),
                dmc.Alert(t("vac.empty_store", lang), color="gray", id="vac-empty-store"),
                _hidden_machinery(lang),
            ]
        )
    f, period = vq.filter_from_params(params)
    region = queries.region(regio)
    count = vq.vacancy_count(f)
    threshold = queries.settings().small_count_threshold
    where = t("vac.netherlands", lang) if region.is_national else region.name
    if period.first and period.last:
        span = (
            fmt.month(period.first, lang)
            if period.first == period.last
            else f"{fmt.month(period.first, lang)} – {fmt.month(period.last, lang)}"
        )
    else:
        span = t("vac.period_all_lower", lang)
    small = 0 < count < threshold
    suppressed = small and queries.settings().suppress_small_counts
    count_text = t(
        "vac.count_one" if count == 1 and not suppressed else "vac.count",
        lang,
        n=t("vac.fewer_than", lang, n=fmt.number(threshold, lang))
        if suppressed
        else fmt.number(count, lang),
        where=where,
        span=span,
    )
    flags: list[Any] = []
    if small:
        flags.append(html.Span(f" ({t('common.small_count', lang)})", className="vac-small"))
    api = dash.get_relative_path("/api/v1/vacatures")
    query_string = api_query(params)
    export = html.Div(
        [
            html.Span(t("vac.export", lang) + " ", className="vac-export-label"),
            html.A("CSV", href=f"{api}.csv{query_string}", id="vac-export-csv", download=""),
            " · ",
            html.A("XLSX", href=f"{api}.xlsx{query_string}", id="vac-export-xlsx", download=""),
            html.Span(
                " "
                + t(
                    "vac.export_cap_exceeded" if count > vq.EXPORT_CAP else "vac.export_cap",
                    lang,
                    cap=fmt.number(vq.EXPORT_CAP, lang),
                ),
                className="rk-footnote vac-export-note",
            ),
        ],
        className="vac-export rk-hide-present",
    )
    empty = (
        dmc.Alert(t("vac.no_results", lang), color="gray", id="vac-no-results", mt="sm")
        if count == 0
        else None
    )
    return html.Div(
        [
            html.H1(t("vac.title", lang)),
            html.P(t("vac.lead", lang), className="rk-lead"),
            dmc.Paper(
                [
                    html.H2(t("vac.filters", lang), className="rk-card-title"),
                    filter_controls(params, period, lang),
                    html.P(
                        dcc.Link(
                            t("vac.reset", lang),
                            href=dash.get_relative_path("/vacatures"),
                            id="vac-reset",
                        ),
                        className="vac-reset",
                    ),
                ],
                withBorder=True,
                p="md",
                className="rk-card vac-filter-card",
            ),
            dmc.Paper(
                [
                    html.P(
                        [html.Strong(count_text, id=COUNT), *flags],
                        className="vac-count",
                        **LIVE,
                    ),
                    html.P(t("vac.grid_help", lang), className="rk-footnote vac-grid-help"),
                    export,
                    empty,
                    dcc.Loading(_grid(lang), type="dot", delay_show=300),
                ],
                withBorder=True,
                p="md",
                mt="md",
                className="rk-card vac-grid-card",
            ),
            _drawer(_vacancy_id(vacature), lang),
            dcc.Store(id=FILTER, data={**params, "lang": lang}),
            dcc.Store(id=SELECTED, data={"id": _vacancy_id(vacature), "n": 0}),
            dcc.Store(id=POPSTATE),
            definitions(
                [
                    (t("def.vacancies_term", lang), t("def.vacancies", lang)),
                    (t("vac.def_postings_term", lang), t("vac.def_postings", lang)),
                    (t("vac.def_place_term", lang), t("vac.def_place", lang)),
                    (t("vac.def_occupation_term", lang), t("vac.def_occupation", lang)),
                    (t("vac.def_skills_term", lang), t("vac.def_skills", lang)),
                    (t("def.small_term", lang), t("def.small", lang, threshold=threshold)),
                ],
                lang,
            ),
        ]
    )


# --- Callbacks ---------------------------------------------------------------------------------


render_cache.allow((GRID, "getRowsResponse"))


@callback(
    Output(GRID, "getRowsResponse"),
    Input(GRID, "getRowsRequest"),
    State(FILTER, "data"),
    prevent_initial_call=True,
)
def get_rows(request: dict[str, Any] | None, stored: dict[str, Any] | None) -> Any:
    """One block of rows for the grid, queried on demand."""
    if not request:
        return no_update
    stored = stored or {}
    lang = stored.get("lang") or "nl"
    f, _period = vq.filter_from_params({name: stored.get(name) for name in PARAMS})
    sort, descending = "posted", True
    for item in request.get("sortModel") or []:
        if item.get("colId") in vq.SORTABLE:
            sort, descending = item["colId"], item.get("sort") != "asc"
            break
    start = max(0, int(request.get("startRow") or 0))
    end = max(start + 1, int(request.get("endRow") or start + vq.PAGE_SIZE))
    rows: list[dict[str, Any]] = []
    offset = start
    while offset < end:
        page = vq.vacancy_page(f, sort, descending, offset)
        rows.extend(grid_rows(page, lang))
        if page.height < vq.PAGE_SIZE:
            break
        offset += vq.PAGE_SIZE
    return {"rowData": rows[: end - start], "rowCount": vq.vacancy_count(f)}


# Choosing a row: remember the id and put it in the address bar without re-rendering the page
# (the grid keeps its page); the detail callback below fills the drawer.
clientside_callback(
    """
    function(rows) {
        if (!rows || !rows.length) { return window.dash_clientside.no_update; }
        const id = rows[0].id;
        const params = new URLSearchParams(window.location.search);
        if (params.get("vacature") !== String(id)) {
            params.set("vacature", String(id));
            window.history.pushState({}, "", window.location.pathname + "?" + params.toString());
        }
        return {id: id, n: Date.now()};
    }
    """,
    Output(SELECTED, "data"),
    Input(GRID, "selectedRows"),
    prevent_initial_call=True,
)


@callback(
    Output(DETAIL, "children"),
    Output("vac-detail-title", "children"),
    Output(DRAWER, "opened"),
    Input(SELECTED, "data"),
    State(FILTER, "data"),
    prevent_initial_call=True,
)
def show_detail(selected: dict[str, Any] | None, stored: dict[str, Any] | None) -> Any:
    lang = (stored or {}).get("lang") or "nl"
    vacancy_id = _vacancy_id((selected or {}).get("id"))
    if vacancy_id is None:
        return no_update, no_update, False
    children, title = detail_view(vacancy_id, lang)
    return children, title, True


# Closing the drawer takes ?vacature= out of the address again. When the page was rendered with
# it (a shared link), the router's own copy of the address holds it too and must be corrected,
# or the next filter change would reopen the vacancy; that costs one re-render.
clientside_callback(
    """
    function(opened, routerSearch) {
        const noUpdate = window.dash_clientside.no_update;
        if (opened) { return [noUpdate, noUpdate]; }
        const router = new URLSearchParams(routerSearch || "");
        if (router.get("vacature")) {
            router.delete("vacature");
            const text = router.toString();
            return [text ? "?" + text : "", true];
        }
        const params = new URLSearchParams(window.location.search);
        if (params.get("vacature")) {
            params.delete("vacature");
            const text = params.toString();
            window.history.pushState({}, "", window.location.pathname + (text ? "?" + text : ""));
        }
        return [noUpdate, true];
    }
    """,
    Output("_pages_location", "search", allow_duplicate=True),
    Output(GRID, "deselectAll"),
    Input(DRAWER, "opened"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)

# The back and forward buttons move between opened and closed details.
clientside_callback(
    """
    function(_data) {
        if (!window.__rkVacaturePopstate) {
            window.__rkVacaturePopstate = true;
            window.addEventListener("popstate", function() {
                if (!/\\/vacatures\\/?$/.test(window.location.pathname)) { return; }
                const value = new URLSearchParams(window.location.search).get("vacature");
                try {
                    window.dash_clientside.set_props(
                        "vac-selected", {data: {id: value ? Number(value) : null, n: Date.now()}}
                    );
                } catch (error) { /* the page is being replaced */ }
            });
        }
        return window.dash_clientside.no_update;
    }
    """,
    Output(POPSTATE, "data"),
    Input(FILTER, "data"),
)


dash.register_page(
    __name__,
    path="/vacatures",
    title="Regiokompas — vacatures",
    name="Vacatures",
    order=60,
    label_key="nav.vacatures",
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
