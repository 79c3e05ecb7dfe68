"""Over de data: where the numbers come from and how far to trust them. Sources and their
freshness, ingest batches with their rejected rows, how places are resolved, the definition of
every indicator, and the reference data with their licences.

URL parameter ``batch`` opens the rejected rows of that batch.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_mantine_components as dmc
import polars as pl
from dash import dcc, html

from dashboard import format as fmt
from dashboard import queries
from dashboard.components import aria
from dashboard.components.cards import definitions, key_figure
from dashboard.i18n import current_language, t
from dashboard.pages.tekorten import band_table, export_links, labelled_by, rich_table
from dashboard.queries import over_de_data as oq

REJECT_BATCHES = 20
RAW_VALUE_LENGTH = 300

# Place-resolution methods of data/places.py in the order the resolver tries them; the first
# five find a gemeente, the others say why none was chosen.
RESOLVED_METHODS = ("postcode", "naam", "naam_met_toevoeging", "omgeving", "stadsdeel")
UNRESOLVED_METHODS = (
    "leeg",
    "geen_plaats",
    "meerdere_gemeenten",
    "alleen_provincie",
    "regio",
    "onbekende_postcode",
    "onbekend",
)

# Reference tables (data/reference/README.md and the README's "Reference data" section):
# key of their texts (what, source), file, licence.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("regions", "gemeenten_2025.csv, arbeidsmarktregios_2025.csv", "CC BY 4.0"),
    ("woonplaatsen", "woonplaatsen_2025.csv", "CC BY 4.0"),
    ("pc4", "pc4_gemeente_2025.csv", "CC BY 4.0"),
    ("merged", "gemeenten_merged_since_2018.csv", "CC BY 4.0"),
    ("brc", "brc2014.csv, brc2014_isco.csv", "CBS"),
    ("mbo", "mbo_kwalificaties.csv", "Apache-2.0"),
    ("aliases", "place_aliases.csv", "EUPL 1.2"),
    ("ambiguous", "ambiguous_places.csv", "EUPL 1.2"),
    ("skills", "skills.csv", "EUPL 1.2"),
    ("geometry", "REGIOKOMPAS_GEO_DIR", "CC BY 4.0"),
)


def _section(title: str, section_id: str, children: list[Any]) -> html.Section:
    return html.Section(
        [html.H2(title, className="rk-section-title", id=f"{section_id}-title"), *children],
        id=section_id,
        className="rk-odd-section",
        **labelled_by(f"{section_id}-title"),
    )


def _paper(children: list[Any], paper_id: str | None = None) -> dmc.Paper:
    return dmc.Paper(children, withBorder=True, p="md", className="rk-card", id=paper_id or "")


def _when(value: dt.datetime | None, lang: str) -> html.Span | str:
    if value is None:
        return "–"
    return html.Span(f"{fmt.date(value, lang)} {value:%H:%M}", className="rk-nowrap")


def _status_badge(status: str | None, lang: str) -> html.Span:
    if status is None:
        return html.Span("–")
    level = {"actueel": "ok", "recent": "ok", "verouderd": "warn"}.get(status, "bad")
    return html.Span(t(f"odd.fresh_{status}", lang), className=f"rk-status rk-status-{level}")


# --- Sections ---------------------------------------------------------------------------------


def sources_section(sources: pl.DataFrame, lang: str) -> html.Section:
    if sources.is_empty():
        return _section(
            t("odd.sources_title", lang),
            "odd-bronnen",
            [dmc.Alert(t("odd.sources_empty", lang), color="gray", id="odd-sources-empty")],
        )
    rows = [
        (
            [row["source"], " ", html.Span("demo", className="rk-code")]
            if row["is_demo"]
            else row["source"],
            fmt.number(row["postings"], lang),
            fmt.number(row["vacancies"], lang),
            fmt.percent(row["unresolved_share"], lang, 1),
            fmt.date(row["newest_posting"], lang),
            _when(row["loaded_at"], lang),
        )
        for row in sources.iter_rows(named=True)
    ]
    table = rich_table(
        [
            t("common.source", lang),
            t("common.postings", lang),
            t("odd.col_vacancies", lang),
            t("odd.col_unresolved", lang),
            t("home.newest_posting", lang),
            t("home.loaded_at", lang),
        ],
        rows,
        "odd-sources-table",
        t("odd.sources_caption", lang),
        numeric=(1, 2, 3),
    )
    return _section(
        t("odd.sources_title", lang),
        "odd-bronnen",
        [
            _paper(
                [
                    table,
                    html.P(t("odd.sources_footnote", lang), className="rk-footnote"),
                    export_links("bronnen", {}, lang),
                ]
            )
        ],
    )


def freshness_section(sources: pl.DataFrame, lang: str, today: dt.date) -> html.Section:
    if sources.is_empty():
        return _section(t("odd.fresh_title", lang), "odd-actualiteit", [])
    rows = []
    for row in sources.iter_rows(named=True):
        days = row["days_since_newest"]
        status = row["status"]
        rows.append(
            (
                row["source"],
                fmt.date(row["newest_posting"], lang),
                fmt.number(days, lang) if days is not None else "–",
                _status_badge(status, lang),
                t(f"odd.fresh_{status}_text", lang) if status else "–",
            )
        )
    table = rich_table(
        [
            t("common.source", lang),
            t("home.newest_posting", lang),
            t("odd.col_days", lang),
            t("odd.col_status", lang),
            t("odd.col_meaning", lang),
        ],
        rows,
        "odd-freshness-table",
        t("odd.fresh_caption", lang, today=fmt.date(today, lang)),
        numeric=(2,),
    )
    return _section(
        t("odd.fresh_title", lang),
        "odd-actualiteit",
        [_paper([table, html.P(t("odd.fresh_footnote", lang), className="rk-footnote")])],
    )


def _status_text(status: str | None, lang: str) -> str:
    known = {"done", "running", "failed"}
    return t(f"odd.batch_{status}", lang) if status in known else (status or "–")


def batches_section(batches: pl.DataFrame, lang: str) -> html.Section:
    if batches.is_empty():
        return _section(
            t("odd.batches_title", lang),
            "odd-batches",
            [dmc.Alert(t("odd.batches_empty", lang), color="gray", id="odd-batches-empty")],
        )
    shown = batches.head(oq.BATCHES_SHOWN)
    rows = [
        (
            str(row["batch"]),
            row["source"] or "–",
            row["file_name"] or ("(demo)" if row["is_demo"] else "–"),
            row["format"] or "–",
            _when(row["started_at"], lang),
            _when(row["finished_at"], lang),
            _status_text(row["status"], lang),
            fmt.number(row["rows_read"], lang),
            fmt.number(row["rows_accepted"], lang),
            fmt.number(row["rows_rejected"], lang),
            fmt.number(row["duplicates"], lang),
            fmt.number(row["unresolved_places"], lang),
        )
        for row in shown.iter_rows(named=True)
    ]
    table = rich_table(
        [
            t("odd.col_batch", lang),
            t("common.source", lang),
            t("odd.col_file", lang),
            t("odd.col_format", lang),
            t("odd.col_started", lang),
            t("odd.col_finished", lang),
            t("odd.col_batch_status", lang),
            t("odd.col_read", lang),
            t("odd.col_accepted", lang),
            t("odd.col_rejected", lang),
            t("odd.col_duplicates", lang),
            t("odd.col_unresolved_places", lang),
        ],
        rows,
        "odd-batches-table",
        t("odd.batches_caption", lang, shown=shown.height, total=batches.height),
        numeric=(0, 7, 8, 9, 10, 11),
    )
    return _section(
        t("odd.batches_title", lang),
        "odd-batches",
        [
            _paper(
                [
                    table,
                    html.P(t("odd.batches_footnote", lang), className="rk-footnote"),
                    export_links("batches", {}, lang),
                ]
            )
        ],
    )


def raw_values(text: str | None) -> str:
    """The raw values of a rejected row as plain text, one "column: value" per line. Dash
    renders it as text, so markup in the data stays visible and inert."""
    pairs = oq.parse_raw(text)
    lines = []
    for key, value in pairs:
        shown = value if len(value) <= RAW_VALUE_LENGTH else value[:RAW_VALUE_LENGTH] + "…"
        lines.append(f"{key}: {shown}" if key else shown)
    return "\n".join(lines) or "–"


def reject_details(batch: dict[str, Any], lang: str, opened: bool, with_rows: bool) -> html.Details:
    """One batch's rejects: the reasons, and (for the chosen batch) its first rows. The rows of
    other batches are one click away (``?batch=``), which keeps the page light."""
    number = int(batch["batch"])
    total = int(batch["quarantined"])
    reasons = queries.run("odd_reject_reasons", number)
    reason_table = rich_table(
        [
            t("odd.col_reason_code", lang),
            t("odd.col_field", lang),
            t("odd.col_reason", lang),
            t("odd.col_rows", lang),
        ],
        [
            (r["code"], r["field"] or "–", r["message"], fmt.number(r["rows"], lang))
            for r in reasons.iter_rows(named=True)
        ],
        f"odd-reasons-{number}",
        t("odd.reasons_caption", lang, batch=number),
        numeric=(3,),
    )
    if with_rows:
        rows = queries.run("odd_rejects", number, oq.REJECTS_SHOWN)
        detail: Any = rich_table(
            [
                t("odd.col_row", lang),
                t("odd.col_field", lang),
                t("odd.col_reason", lang),
                t("odd.col_raw", lang),
            ],
            [
                (
                    fmt.number(r["row_number"], lang),
                    r["field"] or "–",
                    r["reason"],
                    html.Span(raw_values(r["raw"]), className="rk-raw"),
                )
                for r in rows.iter_rows(named=True)
            ],
            f"odd-rejects-{number}",
            t(
                "odd.rejects_caption",
                lang,
                shown=fmt.number(rows.height, lang),
                total=fmt.number(total, lang),
                batch=number,
            ),
            numeric=(0,),
        )
    else:
        detail = html.P(
            dcc.Link(
                t("odd.show_rows", lang, limit=oq.REJECTS_SHOWN),
                href=dash.get_relative_path(f"/over-de-data?batch={number}"),
                id=f"odd-show-rows-{number}",
            )
        )
    label = " · ".join(
        part
        for part in (f"{t('odd.col_batch', lang)} {number}", batch["source"], batch["file_name"])
        if part
    )
    return html.Details(
        [
            html.Summary(
                f"{label} — {t('odd.rejected_rows', lang, count=fmt.number(total, lang))}"
            ),
            reason_table,
            detail,
            export_links("afgekeurd", {"batch": str(number)}, lang),
        ],
        open=opened,
        className="rk-odd-batch",
        id=f"odd-batch-{number}",
    )


def rejects_section(batches: pl.DataFrame, lang: str, chosen: int | None) -> html.Section:
    with_rejects = batches.filter(pl.col("quarantined") > 0)
    shown = with_rejects.head(REJECT_BATCHES)
    if chosen is not None and chosen not in shown["batch"].to_list():
        shown = pl.concat([shown, with_rejects.filter(pl.col("batch") == chosen)])
    if shown.is_empty():
        children: list[Any] = [
            dmc.Alert(t("odd.rejects_none", lang), color="gray", id="odd-rejects-empty")
        ]
    else:
        # The rows of one batch are on the page: the one asked for, else the newest.
        with_rows = chosen if chosen in shown["batch"].to_list() else int(shown["batch"][0])
        children = [
            html.P(t("odd.rejects_intro", lang, limit=oq.REJECTS_SHOWN), className="rk-lead"),
            *(
                reject_details(
                    row, lang, opened=row["batch"] == chosen, with_rows=row["batch"] == with_rows
                )
                for row in shown.iter_rows(named=True)
            ),
        ]
    return _section(t("odd.rejects_title", lang), "odd-afgekeurd", children)


def places_section(methods: pl.DataFrame, lang: str) -> html.Section:
    counts = {row["method"]: row for row in methods.iter_rows(named=True)}
    total = int(methods["postings"].sum() or 0)
    known = [*RESOLVED_METHODS, *UNRESOLVED_METHODS]
    rows = []
    for method in (
        known
        + sorted(m for m in counts if m not in known and m is not None)
        + ([None] if None in counts else [])
    ):
        postings = int(counts[method]["postings"]) if method in counts else 0
        name = method if method is not None else t("odd.method_none", lang)
        description_key = f"odd.method_{method}" if method in known else "odd.method_other"
        rows.append(
            (
                html.Code(name),
                t("odd.resolved_yes", lang)
                if method in RESOLVED_METHODS
                else t("odd.resolved_no", lang),
                t(description_key, lang),
                fmt.number(postings, lang),
                fmt.percent(postings / total, lang, 1) if total else "–",
            )
        )
    table = rich_table(
        [
            t("odd.col_method", lang),
            t("odd.col_gemeente_found", lang),
            t("odd.col_meaning", lang),
            t("common.postings", lang),
            t("odd.col_share", lang),
        ],
        rows,
        "odd-methods-table",
        t("odd.places_caption", lang),
        numeric=(3, 4),
    )
    return _section(
        t("odd.places_title", lang),
        "odd-plaatsen",
        [
            html.P(t("odd.places_intro", lang), className="rk-lead"),
            _paper([table, html.P(t("odd.places_footnote", lang), className="rk-footnote")]),
        ],
    )


def definitions_section(lang: str) -> html.Section:
    config = queries.settings()
    threshold = config.small_count_threshold
    terms = [
        ("odd.def_postings_term", "odd.def_postings"),
        ("odd.def_dedup_term", "odd.def_dedup"),
        ("odd.def_vacancies_term", "odd.def_vacancies"),
        ("tek.def_demand_term", "tek.def_demand"),
        ("odd.def_growth_term", "odd.def_growth"),
        ("tek.def_tension_term", "tek.def_tension"),
        ("tek.def_area_term", "tek.def_area"),
        ("odd.def_skills_term", "odd.def_skills"),
        ("odd.def_alignment_term", "odd.def_alignment"),
        ("odd.def_emerging_term", "odd.def_emerging"),
    ]
    items = [(t(term, lang), t(text, lang)) for term, text in terms]
    small_key = "odd.def_small_suppressed" if config.suppress_small_counts else "odd.def_small"
    items.append((t("def.small_term", lang), t(small_key, lang, threshold=threshold)))
    return _section(
        t("odd.definitions_title", lang),
        "odd-definities",
        [
            definitions(items, lang),
            html.Section(
                [
                    html.H3(t("tek.bands_title", lang), className="rk-card-title"),
                    band_table(lang, "odd-bands"),
                ],
                className="rk-definitions",
            ),
        ],
    )


def references_section(lang: str) -> html.Section:
    rows = [
        (t(f"odd.ref_{key}", lang), html.Code(file), t(f"odd.ref_{key}_source", lang), licence)
        for key, file, licence in REFERENCES
    ]
    table = rich_table(
        [
            t("odd.col_data", lang),
            t("odd.col_file", lang),
            t("common.source", lang),
            t("odd.col_licence", lang),
        ],
        rows,
        "odd-references",
        t("odd.references_caption", lang),
    )
    return _section(
        t("odd.references_title", lang),
        "odd-referentie",
        [
            _paper(
                [
                    table,
                    html.P(t("odd.references_attribution", lang), className="rk-footnote"),
                    html.P(t("odd.references_licence", lang), className="rk-footnote"),
                ]
            )
        ],
    )


def _contents(lang: str) -> html.Nav:
    entries = (
        ("odd-bronnen", "odd.sources_title"),
        ("odd-actualiteit", "odd.fresh_title"),
        ("odd-batches", "odd.batches_title"),
        ("odd-afgekeurd", "odd.rejects_title"),
        ("odd-plaatsen", "odd.places_title"),
        ("odd-definities", "odd.definitions_title"),
        ("odd-referentie", "odd.references_title"),
    )
    return html.Nav(
        html.Ul(
            [html.Li(html.A(t(key, lang), href=f"#{anchor}")) for anchor, key in entries],
            className="rk-odd-toc",
        ),
        className="rk-hide-present",
        **aria(t("odd.contents", lang)),
    )


def layout(batch: str | None = None, lang: str | None = None, **_: str) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    today = dt.date.today()
    sources = oq.sources(today)
    totals = queries.run("odd_totals")
    batches = queries.run("odd_batches")
    methods = queries.run("odd_location_methods")
    chosen = int(batch) if batch and batch.isdigit() else None
    postings = int(totals["postings"][0]) if totals.height else 0
    vacancies = int(totals["vacancies"][0]) if totals.height else 0
    unresolved = int(totals["unresolved"][0]) if totals.height else 0
    kpis = dmc.SimpleGrid(
        [
            key_figure(
                t("odd.kpi_sources", lang),
                fmt.number(sources.height, lang),
                None,
                "odd-kpi-sources",
            ),
            key_figure(
                t("common.postings", lang),
                fmt.number(postings, lang),
                t("odd.kpi_postings_note", lang),
                "odd-kpi-postings",
            ),
            key_figure(
                t("odd.kpi_vacancies", lang),
                fmt.number(vacancies, lang),
                t("odd.kpi_vacancies_note", lang),
                "odd-kpi-vacancies",
            ),
            key_figure(
                t("odd.kpi_unresolved", lang),
                fmt.percent(unresolved / postings, lang, 1) if postings else "–",
                t("odd.kpi_unresolved_note", lang, count=fmt.number(unresolved, lang)),
                "odd-kpi-unresolved",
            ),
        ],
        cols={"base": 1, "sm": 2, "md": 4},
        spacing="md",
    )
    return html.Div(
        [
            html.H1(t("odd.title", lang)),
            html.P(t("odd.lead", lang), className="rk-lead"),
            _contents(lang),
            kpis,
            sources_section(sources, lang),
            freshness_section(sources, lang, today),
            batches_section(batches, lang),
            rejects_section(batches, lang, chosen),
            places_section(methods, lang),
            definitions_section(lang),
            references_section(lang),
        ],
        className="rk-odd",
    )


dash.register_page(
    __name__,
    path="/over-de-data",
    title="Regiokompas — over de data",
    name="Over de data",
    order=90,
    label_key="nav.over_de_data",
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
