"""Opleidingen: how well a programme (crebo) fits the regional labour market.

For a programme and a region: the alignment score (the share of regional skill demand the
programme's profile covers) with the relevant vacancies it rests on, its trend, vacancies per
graduate, the covered and the missing skills by demand share, the taught skills rarely asked,
the programme's profile, the relevant vacancies themselves, exports and a printable report for
a curriculum committee.

URL parameters: ``opleiding`` (crebo) and ``regio``. The layout renders the controls at once and
the body through a callback under a loading indicator, because a first alignment in a region
takes a few seconds (later ones come from the cache). ``/embed/opleiding`` shows the score and
the missing skills (see ``embed_opleiding``); the builders here serve both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import dash
import dash_mantine_components as dmc
import polars as pl
from dash import Input, Output, callback, clientside_callback, dcc, html

from dashboard import format as fmt
from dashboard import queries, render_cache
from dashboard.components import cards
from dashboard.components.cards import definitions, figure_card, key_figure
from dashboard.components.embed import embed_button, embed_modal
from dashboard.components.region_picker import region_picker
from dashboard.components.url_state import param_id
from dashboard.figures_opleidingen import level_text, programme_label, skill_bars, type_label
from dashboard.i18n import current_language, t
from dashboard.queries import RegionRef
from dashboard.queries import opleidingen as oq

REQUEST = "opl-request"
BODY = "opl-body"
PRINT_BUTTON = "opl-print"
PRINT_DONE = "opl-print-done"
CHART_TOP = 15
VACANCY_ROWS = 50
# Programmes offered as examples on the empty page (those present in the store are shown).
EXAMPLES = ("25180", "25656", "25491", "25604", "25633")


# --- Small pieces -----------------------------------------------------------------------------


def programme_options(lang: str) -> list[dict[str, str]]:
    rows = oq.programmes()
    return [
        {"value": code, "label": programme_label(code, name, level, lang)}
        for code, name, level in rows.select("code", "name", "level").iter_rows()
    ]


def where(region: RegionRef, lang: str) -> str:
    return t("region.netherlands", lang) if region.is_national else region.name


def small_flag(lang: str) -> html.Span:
    return html.Span(t("common.small_count", lang), className="rk-small-flag")


def export_links(view: str, params: dict[str, str], lang: str) -> html.P:
    return cards.export_links(view, params, t("opl.download", lang), "rk-opl-export")


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    table_id: str,
    caption: str,
    numeric: Sequence[int] = (),
) -> html.Div:
    """An accessible table whose cells may be components (links, flags); text is never HTML.
    It scrolls inside its own focusable box on a narrow screen, so the page never does."""
    head = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col", className="rk-num" if i in numeric else None)
                for i, h in enumerate(headers)
            ]
        )
    )
    # A row may be short by the cells a row-spanning cell above covers (they are on the left),
    # and may hold a ready header cell (html.Th), which is kept as it is.
    body = html.Tbody(
        [
            html.Tr(
                [
                    cell
                    if isinstance(cell, html.Th)
                    else html.Td(
                        cell,
                        className="rk-num" if i + len(headers) - len(row) in numeric else None,
                    )
                    for i, cell in enumerate(row)
                ]
            )
            for row in rows
        ]
    )
    # The caption sits outside the scrolling box so it wraps to the card, not to the table.
    caption_id = f"{table_id}-caption"
    labelled: dict[str, Any] = {"aria-labelledby": caption_id}
    return html.Div(
        [
            html.P(caption, id=caption_id, className="rk-opl-caption"),
            html.Div(
                html.Table(
                    [head, body],
                    className="rk-table",
                    id=table_id,
                    **labelled,
                ),
                className="rk-opl-scroll",
                tabIndex="0",
                role="region",
                **labelled,
            ),
        ]
    )


def _share(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    return fmt.percent(value, lang, 1)


# --- The parts of the report -----------------------------------------------------------------


def score_figures(result: oq.ProgrammeAlignment, lang: str) -> dmc.SimpleGrid:
    """Coverage (big, with its definition), trend and vacancies per graduate."""
    config = queries.settings()
    threshold = config.small_count_threshold
    hide = config.suppress_small_counts and result.small
    count = fmt.number(result.relevant_vacancies, lang)
    score_note: list[Any] = [
        t("opl.score_basis", lang, count=count, region=where(result.region, lang))
    ]
    if result.small:
        score_note += [" ", small_flag(lang), " ", t("opl.small_note", lang, threshold=threshold)]
    score = dmc.Paper(
        [
            html.P(t("opl.score_label", lang), className="rk-kpi-label"),
            html.P(
                "–" if hide or result.coverage is None else fmt.percent(result.coverage, lang, 0),
                className="rk-kpi-value rk-opl-score",
                id="opl-score",
            ),
            html.P(score_note, className="rk-kpi-note", id="opl-score-basis"),
            html.P(t("def.opl_coverage", lang), className="rk-opl-score-definition"),
        ],
        withBorder=True,
        p="md",
        className="rk-kpi rk-opl-score-card",
    )
    previous_span = (
        f"{fmt.month(result.previous_first, lang)} – {fmt.month(result.previous_last, lang)}"
    )
    if result.coverage is not None and result.previous_coverage is not None and not hide:
        points = (result.coverage - result.previous_coverage) * 100
        sign = "+" if points > 0 else "−" if points < 0 else "±"
        trend_value = sign + fmt.number(abs(points), lang, 1)
    else:
        trend_value = "–"
    trend_note = t(
        "opl.trend_note",
        lang,
        now=_share(None if hide else result.coverage, lang),
        count=count,
        then=_share(None if hide else result.previous_coverage, lang),
        previous_count=fmt.number(result.previous_relevant_vacancies, lang),
        span=previous_span,
    )
    trend = dmc.Paper(
        [
            html.P(t("opl.trend_label", lang), className="rk-kpi-label"),
            html.P(
                [trend_value, " ", html.Span(t("opl.points_unit", lang), className="rk-opl-unit")]
                if trend_value != "–"
                else "–",
                className="rk-kpi-value",
                id="opl-trend",
            ),
            html.P(trend_note, className="rk-kpi-note"),
        ],
        withBorder=True,
        p="md",
        className="rk-kpi",
    )
    if result.vacancies_per_graduate is not None and result.graduates:
        graduates = key_figure(
            t("opl.per_graduate_label", lang),
            fmt.number(
                result.vacancies_per_graduate,
                lang,
                2 if result.vacancies_per_graduate < 1 else 1,
            ),
            t(
                "opl.per_graduate_note",
                lang,
                count=count,
                graduates=fmt.number(result.graduates, lang),
            ),
            "opl-per-graduate",
        )
    else:
        graduates = key_figure(
            t("opl.per_graduate_label", lang),
            "–",
            t("opl.no_graduates", lang),
            "opl-per-graduate",
        )
    return dmc.SimpleGrid(
        [score, trend, graduates], cols={"base": 1, "sm": 3}, spacing="md", className="rk-opl-kpis"
    )


def skill_rows(frame: pl.DataFrame, lang: str, threshold: int, hide: bool) -> list[tuple]:
    rows = []
    for row in frame.iter_rows(named=True):
        small = (row["vacancies"] or 0) < threshold
        label: list[Any] = [row["label"]]
        if small:
            label += [" ", small_flag(lang)]
        rows.append(
            (
                label,
                type_label(row["type"], lang),
                "–" if hide and small else _share(row["share"], lang),
                f"< {fmt.number(threshold, lang)}"
                if hide and small
                else fmt.number(row["vacancies"], lang),
            )
        )
    return rows


def skill_card(result: oq.ProgrammeAlignment, kind: str, lang: str) -> dmc.Paper:
    config = queries.settings()
    threshold = config.small_count_threshold
    hide = config.suppress_small_counts
    frame = result.covered if kind == "covered" else result.missing
    chart_frame = frame.filter(pl.col("vacancies") >= threshold) if hide else frame
    shown = frame.head(CHART_TOP)
    region = where(result.region, lang)
    headers = [
        t("opl.col_skill", lang),
        t("opl.col_type", lang),
        t("opl.col_share", lang),
        t("opl.col_vacancies", lang),
    ]
    return figure_card(
        t(f"opl.{kind}_title", lang),
        skill_bars(chart_frame, lang, kind, CHART_TOP, threshold),
        f"opl-{kind}-chart",
        t(f"opl.{kind}_description", lang, n=shown.height, region=region),
        lang,
        footnote=t(f"opl.{kind}_footnote", lang, total=frame.height)
        if frame.height
        else t(f"opl.{kind}_empty", lang),
        table=table(  # a scrolling box around the table
            headers,
            skill_rows(shown, lang, threshold, hide),
            f"opl-{kind}-table",
            t(f"opl.{kind}_caption", lang, region=region),
            numeric=(2, 3),
        ),
    )


def rare_card(result: oq.ProgrammeAlignment, lang: str) -> dmc.Paper:
    kerntaak = dict(
        zip(result.profile["skill_id"].to_list(), result.profile["kerntaak"].to_list(), strict=True)
    )
    asked = dict(
        zip(
            result.covered["skill_id"].to_list(), result.covered["vacancies"].to_list(), strict=True
        )
    )
    rows = [
        (
            row["label"],
            type_label(row["type"], lang),
            kerntaak.get(row["skill_id"]) or "–",
            _share(row["share"], lang),
            fmt.number(asked.get(row["skill_id"], 0), lang),
        )
        for row in result.rare.iter_rows(named=True)
    ]
    content: Any
    if rows:
        content = table(
            [
                t("opl.col_skill", lang),
                t("opl.col_type", lang),
                t("opl.col_kerntaak", lang),
                t("opl.col_share", lang),
                t("opl.col_vacancies", lang),
            ],
            rows,
            "opl-rare-table",
            t("opl.rare_caption", lang, region=where(result.region, lang)),
            numeric=(3, 4),
        )
    else:
        content = html.P(t("opl.rare_empty", lang), className="rk-footnote", id="opl-rare-empty")
    return dmc.Paper(
        [
            html.H2(t("opl.rare_title", lang), className="rk-card-title"),
            html.P(t("opl.rare_lead", lang), className="rk-footnote"),
            content,
        ],
        withBorder=True,
        p="md",
        className="rk-card rk-opl-section",
        id="opl-rare",
    )


def profile_card(result: oq.ProgrammeAlignment, lang: str) -> dmc.Paper:
    shares = dict(
        zip(result.covered["skill_id"].to_list(), result.covered["share"].to_list(), strict=True)
    )
    # The core task once per group (a cell spanning its rows), so the table reads by task.
    profile = result.profile.with_columns(pl.col("kerntaak").fill_null("–"))
    sizes = dict(profile.group_by("kerntaak", maintain_order=True).len().iter_rows())
    rows: list[list[Any]] = []
    previous: str | None = None
    for row in profile.sort("kerntaak", maintain_order=True).iter_rows(named=True):
        cells: list[Any] = [
            row["label"],
            type_label(row["type"], lang),
            fmt.number(row["weight"], lang, 1),
            _share(shares.get(row["skill_id"], 0.0), lang),
        ]
        if row["kerntaak"] != previous:
            cells.insert(
                0,
                html.Th(
                    row["kerntaak"],
                    scope="rowgroup",
                    rowSpan=sizes[row["kerntaak"]],
                    className="rk-opl-kerntaak",
                ),
            )
        previous = row["kerntaak"]
        rows.append(cells)
    content: Any = (
        table(
            [
                t("opl.col_kerntaak", lang),
                t("opl.col_skill", lang),
                t("opl.col_type", lang),
                t("opl.col_weight", lang),
                t("opl.col_share", lang),
            ],
            rows,
            "opl-profile-table",
            t("opl.profile_caption", lang, name=result.programme.name),
            numeric=(3, 4),
        )
        if rows
        else html.P(t("opl.profile_empty", lang), className="rk-footnote")
    )
    return dmc.Paper(
        [
            html.H2(t("opl.profile_title", lang), className="rk-card-title"),
            html.P(t("opl.profile_lead", lang), className="rk-footnote"),
            content,
        ],
        withBorder=True,
        p="md",
        className="rk-card rk-opl-section",
        id="opl-profile",
    )


def vacancies_card(result: oq.ProgrammeAlignment, lang: str) -> dmc.Paper:
    frame = oq.vacancies(result.programme, result.region)
    newest = frame.head(VACANCY_ROWS)
    rows = [
        (
            fmt.date(row["posted_at"], lang),
            html.A(
                row["title"],
                href=dash.get_relative_path("/vacatures?" + urlencode({"vacature": row["id"]})),
            ),
            row["employer"] or "–",
            row["gemeente"] or row["gemeente_code"] or "–",
        )
        for row in newest.iter_rows(named=True)
    ]
    params = {"opleiding": result.programme.code, "regio": result.region.code}
    content: Any = (
        table(
            [
                t("opl.col_date", lang),
                t("opl.col_title", lang),
                t("opl.col_employer", lang),
                t("opl.col_gemeente", lang),
            ],
            rows,
            "opl-vacancies-table",
            t(
                "opl.vacancies_caption",
                lang,
                n=len(rows),
                total=fmt.number(frame.height, lang),
            ),
        )
        if rows
        else html.P(t("opl.vacancies_empty", lang), className="rk-footnote")
    )
    return dmc.Paper(
        [
            html.H2(t("opl.vacancies_title", lang), className="rk-card-title"),
            content,
            export_links("opleiding_vacatures", params, lang),
        ],
        withBorder=True,
        p="md",
        className="rk-card rk-opl-section rk-opl-vacancies",
        id="opl-vacancies",
    )


def definition_section(lang: str) -> html.Section:
    config = queries.settings()
    small_key = "opl.def_small_suppressed" if config.suppress_small_counts else "def.small"
    return definitions(
        [
            (t("def.opl_relevant_term", lang), t("def.opl_relevant", lang)),
            (t("def.opl_demand_term", lang), t("def.opl_demand", lang)),
            (t("def.opl_coverage_term", lang), t("def.opl_coverage", lang)),
            (t("def.opl_missing_term", lang), t("def.opl_missing", lang)),
            (t("def.opl_rare_term", lang), t("def.opl_rare", lang)),
            (t("def.opl_per_graduate_term", lang), t("def.opl_per_graduate", lang)),
            (t("def.opl_trend_term", lang), t("def.opl_trend", lang)),
            (t("def.vacancies_term", lang), t("def.vacancies", lang)),
            (t("def.small_term", lang), t(small_key, lang, threshold=config.small_count_threshold)),
        ],
        lang,
    )


def report_heading(result: oq.ProgrammeAlignment, lang: str) -> html.Div:
    chosen = result.programme
    span = f"{fmt.month(result.first, lang)} – {fmt.month(result.last, lang)}"
    facts = [
        f"{t('opl.crebo', lang)} {chosen.code}",
        level_text(chosen.level, lang),
        chosen.dossier_name and f"{t('opl.dossier', lang)}: {chosen.dossier_name}",
        chosen.domain,
    ]
    return html.Div(
        [
            html.H2(
                t("opl.report_title", lang, name=chosen.name, region=where(result.region, lang)),
                className="rk-opl-report-title",
                id="opl-report-title",
            ),
            html.P(" · ".join(f for f in facts if f), className="rk-footnote"),
            html.P(t("opl.report_period", lang, span=span), className="rk-opl-period"),
        ],
        className="rk-opl-report-heading",
    )


def report(chosen: oq.ProgrammeRef, region: RegionRef, lang: str) -> html.Div:
    """The body of the page for one programme and one region."""
    result = oq.alignment(chosen, region)
    if result is None:
        return html.Div(
            dmc.Alert(t("home.empty", lang), title=t("home.empty_title", lang), color="gray"),
            id="opl-no-data",
        )
    params = {"opleiding": chosen.code, "regio": region.code}
    notes: list[Any] = []
    if not chosen.skills:
        notes.append(dmc.Alert(t("opl.no_profile", lang), color="yellow", className="rk-opl-note"))
    if result.relevant_vacancies == 0:
        notes.append(
            dmc.Alert(
                t("opl.no_relevant", lang, region=where(region, lang)),
                color="gray",
                className="rk-opl-note",
                id="opl-no-relevant",
            )
        )
    return html.Div(
        [
            report_heading(result, lang),
            *notes,
            score_figures(result, lang),
            dmc.Grid(
                [
                    dmc.GridCol(skill_card(result, "missing", lang), span={"base": 12, "lg": 6}),
                    dmc.GridCol(skill_card(result, "covered", lang), span={"base": 12, "lg": 6}),
                ],
                gutter="md",
                mt="md",
                className="rk-opl-charts",
            ),
            export_links("opleiding", params, lang),
            rare_card(result, lang),
            profile_card(result, lang),
            vacancies_card(result, lang),
            definition_section(lang),
        ],
        id="opl-report",
    )


def empty_state(region: RegionRef, lang: str, unknown: str | None = None) -> html.Div:
    present = set(oq.programmes()["code"].to_list())
    links = []
    for code in EXAMPLES:
        chosen = oq.programme(code) if code in present else None
        if chosen is None:
            continue
        params = {"opleiding": code} | ({} if region.is_national else {"regio": region.code})
        href = dash.get_relative_path("/opleidingen?" + urlencode(params))
        links.append(
            html.Li(html.A(programme_label(code, chosen.name, chosen.level, lang), href=href))
        )
    return html.Div(
        [
            dmc.Alert(
                t("opl.unknown", lang, code=unknown) if unknown else t("opl.empty", lang),
                title=t("opl.unknown_title", lang) if unknown else t("opl.empty_title", lang),
                color="yellow" if unknown else "blue",
                id="opl-empty",
            ),
            html.Div(
                [html.H2(t("opl.examples", lang), className="rk-card-title"), html.Ul(links)],
                className="rk-opl-examples",
            )
            if links
            else None,
            definition_section(lang),
        ]
    )


# --- Embed code -------------------------------------------------------------------------------


def _embed_modal(lang: str) -> html.Div:
    return embed_modal(
        "opleiding",
        lang,
        title=t("opl.embed_title", lang),
        intro=t("opl.embed_intro", lang),
        frame_title=t("opl.embed_frame_title", lang),
        height=900,
        keep=("opleiding", "regio", "lang"),
    )


# --- The page ---------------------------------------------------------------------------------


def layout(
    opleiding: str | None = None,
    regio: str | None = None,
    lang: str | None = None,
    **_: str,
) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    region = queries.region(regio)
    chosen = oq.programme(opleiding)
    controls = dmc.Group(
        [
            dmc.Select(
                id=param_id("opleiding"),
                label=t("opl.programme_label", lang),
                placeholder=t("opl.programme_placeholder", lang),
                data=programme_options(lang),
                value=chosen.code if chosen else None,
                searchable=True,
                clearable=True,
                nothingFoundMessage=t("opl.nothing_found", lang),
                maxDropdownHeight=360,
                w={"base": "100%", "sm": 440},
                comboboxProps={"withinPortal": True},
            ),
            region_picker(region.code, lang),
            dmc.Group(
                [
                    dmc.Button(
                        t("opl.print_button", lang),
                        id=PRINT_BUTTON,
                        variant="outline",
                        disabled=chosen is None,
                    ),
                    embed_button("opleiding", lang, disabled=chosen is None),
                ],
                gap="sm",
                className="rk-hide-present",
            ),
        ],
        align="flex-end",
        gap="md",
        wrap="wrap",
        className="rk-opl-controls",
    )
    request = {
        "opleiding": chosen.code if chosen else None,
        "unknown": opleiding if opleiding and chosen is None else None,
        "regio": region.code,
        "lang": lang,
    }
    return html.Div(
        [
            html.H1(t("opl.title", lang)),
            html.P(t("opl.lead", lang), className="rk-lead"),
            controls,
            dcc.Store(id=REQUEST, data=request),
            dcc.Loading(
                html.Div(id=BODY, className="rk-opl-body"),
                type="dot",
                delay_show=150,
                overlay_style={"visibility": "visible", "opacity": 0.5},
            ),
            _embed_modal(lang),
            dcc.Store(id=PRINT_DONE),
        ],
        className="rk-opl",
    )


render_cache.allow((BODY, "children"))


@callback(Output(BODY, "children"), Input(REQUEST, "data"))
def render_body(request: dict[str, Any] | None) -> Any:
    request = request or {}
    lang = current_language(request.get("lang"), queries.settings().default_language)
    region = queries.region(request.get("regio"))
    chosen = oq.programme(request.get("opleiding"))
    if chosen is None:
        return empty_state(region, lang, request.get("unknown"))
    return report(chosen, region, lang)


# Print: open every collapsed data table first, so the report carries the numbers on paper.
clientside_callback(
    """
    function(clicks) {
        if (!clicks) { return window.dash_clientside.no_update; }
        document.querySelectorAll(".rk-opl details").forEach(function(d) { d.open = true; });
        window.setTimeout(function() { window.print(); }, 50);
        return clicks;
    }
    """,
    Output(PRINT_DONE, "data"),
    Input(PRINT_BUTTON, "n_clicks"),
    prevent_initial_call=True,
)

dash.register_page(
    __name__,
    path="/opleidingen",
    title="Regiokompas — opleidingen",
    name="Opleidingen",
    order=40,
    label_key="nav.opleidingen",
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
