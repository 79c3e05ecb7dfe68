"""Matchen: a student, teacher or jobseeker enters skills or pastes a CV or qualification text
and sees the open vacancies of a region that fit best, with the skills each asks that the
profile has and the required ones it lacks.

Nothing entered is stored or logged: the input travels only in the callback's request body,
is matched in memory (``matching.person``) and is never written to the URL, the store, the cache
or a log. Only the region goes into the URL (``?regio=``). There is no API view for it.
"""

from __future__ import annotations

import logging
from typing import Any

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, callback, dcc, html
from sqlalchemy.orm import Session

from dashboard import format as fmt
from dashboard import queries
from dashboard.components import aria
from dashboard.components.region_picker import region_picker
from dashboard.components.url_state import param_id
from dashboard.i18n import current_language, t
from dashboard.pages.vaardigheden import SKILL_FILTER
from dashboard.queries import vaardigheden as vq
from data.store.session import engine_for

PREFIX = "matchen"
SKILLS = f"{PREFIX}-skills"
TEXT = f"{PREFIX}-text"
BUTTON = f"{PREFIX}-button"
RESULTS = f"{PREFIX}-results"
FOUND = f"{PREFIX}-found"
PREVIEW = f"{PREFIX}-preview"
LIST = f"{PREFIX}-list"
EMPTY = f"{PREFIX}-empty"
LANG = f"{PREFIX}-lang"
TOP = 20
MAX_TEXT = 20_000
LOG = logging.getLogger(__name__)


def _empty(lang: str) -> html.Div:
    return html.Div(
        dmc.Alert(t("matchen.empty", lang), title=t("matchen.empty_title", lang), color="gray"),
        id=EMPTY,
    )


def layout(regio: str | None = None, lang: str | None = None, **_: str) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    region = queries.region(regio)
    return html.Div(
        [
            dmc.Group(
                [html.H1(t("matchen.title", lang)), region_picker(region.code, lang)],
                justify="space-between",
                align="flex-end",
                wrap="wrap",
            ),
            html.P(t("matchen.intro", lang), className="rk-intro"),
            dmc.Alert(
                t("matchen.privacy", lang),
                title=t("matchen.privacy_title", lang),
                color="blue",
                id=f"{PREFIX}-privacy",
                mb="md",
            ),
            dcc.Store(id=LANG, data=lang),
            dmc.Paper(
                [
                    dmc.MultiSelect(
                        id=SKILLS,
                        label=t("matchen.skills_label", lang),
                        description=t("matchen.skills_help", lang),
                        placeholder=t("matchen.skills_placeholder", lang),
                        data=vq.skill_options(lang),
                        searchable=True,
                        clearable=True,
                        limit=50,
                        filter=SKILL_FILTER,
                        nothingFoundMessage=t("vaardigheden.nothing_found", lang),
                        maxDropdownHeight=320,
                        comboboxProps={"withinPortal": True},
                    ),
                    dmc.Textarea(
                        id=TEXT,
                        label=t("matchen.text_label", lang),
                        description=t("matchen.text_help", lang),
                        placeholder=t("matchen.text_placeholder", lang),
                        autosize=True,
                        minRows=4,
                        maxRows=12,
                        inputProps={"maxLength": MAX_TEXT},
                        mt="md",
                        # The browser must not remember what was typed either.
                        autoComplete="off",
                    ),
                    dmc.Button(t("matchen.button", lang), id=BUTTON, mt="md"),
                ],
                withBorder=True,
                p="md",
                className="rk-card rk-matchen-form",
            ),
            dcc.Loading(
                html.Div(_empty(lang), id=RESULTS, className="rk-matchen-results", role="status"),
                delay_show=200,
                type="default",
            ),
        ],
        className="rk-matchen",
    )


def highlighted(text: str, spans: list[tuple[int, int]]) -> list[Any]:
    """The text with the found spans as <mark>; everything stays text (never HTML)."""
    parts: list[Any] = []
    position = 0
    for start, end in sorted(spans):
        if start < position:
            continue
        if start > position:
            parts.append(text[position:start])
        parts.append(html.Mark(text[start:end]))
        position = end
    if position < len(text):
        parts.append(text[position:])
    return parts


def _found_block(matches: list[Any], text: str, lang: str) -> html.Div:
    labels: dict[str, str] = {}
    for match in matches:
        labels.setdefault(match.skill_id, match.label)
    chips = [
        dmc.Badge(label, variant="light", size="lg", tt="none", className="rk-skill-chip")
        for _, label in sorted(labels.items(), key=lambda item: item[1].lower())
    ]
    spans = [(int(m.start), int(m.end)) for m in matches]
    return html.Div(
        [
            html.H2(t("matchen.found_title", lang, n=len(labels)), className="rk-card-title"),
            dmc.Group(chips, gap="xs", id=FOUND)
            if chips
            else html.P(t("matchen.found_none", lang), id=FOUND),
            html.Details(
                [
                    html.Summary(t("matchen.preview", lang)),
                    html.P(highlighted(text, spans), id=PREVIEW, className="rk-matchen-preview"),
                ],
                open=bool(chips),
            ),
        ],
        className="rk-card rk-matchen-found",
    )


def _result_card(match: Any, names: dict[str, str], lang: str) -> html.Li:
    place = names.get(
        match.gemeente_code or "", match.gemeente_code or t("matchen.unknown_place", lang)
    )
    return html.Li(
        dmc.Paper(
            [
                dmc.Group(
                    [
                        html.H3(match.title, className="rk-match-title"),
                        dmc.Badge(
                            t("matchen.score", lang, score=fmt.percent(match.score, lang, 0)),
                            color="regio",
                            variant="filled",
                        ),
                    ],
                    justify="space-between",
                    align="flex-start",
                    wrap="nowrap",
                ),
                html.P(
                    [
                        html.Span(match.employer or t("matchen.unknown_employer", lang)),
                        " · ",
                        html.Span(place),
                        " · ",
                        html.Span(fmt.date(match.posted_at, lang)),
                    ],
                    className="rk-match-meta",
                ),
                html.P(
                    [
                        html.Strong(t("matchen.matched", lang) + " "),
                        ", ".join(match.matched) or "–",
                    ],
                    className="rk-match-has",
                ),
                html.P(
                    [
                        html.Strong(t("matchen.missing", lang) + " "),
                        ", ".join(match.missing) or t("matchen.missing_none", lang),
                    ],
                    className="rk-match-missing",
                ),
            ],
            withBorder=True,
            p="sm",
        ),
        className="rk-match",
    )


@callback(
    Output(RESULTS, "children"),
    Input(BUTTON, "n_clicks"),
    State(SKILLS, "value"),
    State(TEXT, "value"),
    State(param_id("regio"), "value"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def find_matches(
    _clicks: int | None,
    chosen: list[str] | None,
    text: str | None,
    regio: str | None,
    lang: str | None,
) -> Any:
    # The profile lives only in this call: no logging, no store, no cache, no URL.
    lang = lang or "nl"
    try:
        return _matches(chosen, text, regio, lang)
    except Exception as error:  # noqa: BLE001 - say that it failed, never what was entered
        LOG.error("matchen failed: %s", type(error).__name__)
        return dmc.Alert(t("matchen.failed", lang), color="red", id=f"{PREFIX}-failed")


def _matches(chosen: list[str] | None, text: str | None, regio: str | None, lang: str) -> Any:
    keys = set(chosen or [])
    text = (text or "")[:MAX_TEXT]
    found_block = None
    if text.strip():
        from matching.pipeline import extractor_for

        matches = list(extractor_for(queries.settings().reference_dir).extract(text))
        keys |= {m.skill_id for m in matches}
        found_block = _found_block(matches, text, lang)
    if not keys:
        return [found_block, _empty(lang)] if found_block else _empty(lang)
    region = queries.region(regio)
    from matching.person import match_profile

    with Session(engine_for(queries.settings().database_url)) as session:
        try:
            results = match_profile(session, sorted(keys), list(region.gemeenten), top=TOP)
        finally:
            session.rollback()
    where = t("region.netherlands", lang) if region.is_national else region.name
    if not results:
        listing: Any = dmc.Alert(
            t("matchen.none", lang, where=where), color="gray", id=f"{PREFIX}-none"
        )
    else:
        names = vq.gemeente_names()
        listing = html.Div(
            [
                html.H2(
                    t("matchen.results_title", lang, n=len(results), where=where),
                    className="rk-card-title",
                ),
                html.P(t("matchen.results_help", lang), className="rk-footnote"),
                html.Ol([_result_card(m, names, lang) for m in results], id=LIST),
            ]
        )
    return html.Div([found_block, listing], **aria(t("matchen.results_label", lang)))


dash.register_page(
    __name__,
    path="/matchen",
    title="Regiokompas — matchen",
    name="Matchen",
    order=70,
    label_key="nav.matchen",
    layout=layout,
    # The layout holds no visitor input (region and language only); the results are never kept.
    render_cache=True,
)
