"""Beheer (admin): log in with the admin password, upload a vacancy export and read its batch
report. Every action checks the session on the server; without a configured password hash the
page says how to open it."""

from __future__ import annotations

import base64
import binascii
import tempfile
from pathlib import Path
from typing import Any

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import auth, queries
from dashboard import format as fmt
from dashboard.components.cards import simple_table
from dashboard.i18n import current_language, t

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
FORMATS = ("auto", "csv", "xlsx", "jsonl", "parquet")


def _login_form(lang: str) -> html.Div:
    return html.Div(
        [
            html.H2(t("admin.login_title", lang)),
            dmc.PasswordInput(
                id="admin-password",
                label=t("admin.password", lang),
                w=320,
                autoComplete="current-password",
            ),
            dmc.Button(t("admin.login", lang), id="admin-login", mt="sm"),
            html.P(id="admin-login-message", role="status", className="rk-footnote"),
        ],
        id="admin-login-section",
    )


def _upload_form(lang: str) -> html.Div:
    return html.Div(
        [
            dmc.Group(
                [
                    html.H2(t("admin.upload_title", lang)),
                    dmc.Button(t("admin.logout", lang), id="admin-logout", variant="outline"),
                ],
                justify="space-between",
            ),
            html.P(t("admin.upload_help", lang, mb=MAX_UPLOAD_BYTES // 1024 // 1024)),
            dcc.Upload(
                html.Div(
                    [
                        t("admin.drop", lang),
                        " ",
                        html.Span(t("admin.choose", lang), className="rk-link-like"),
                    ]
                ),
                id="admin-upload",
                className="rk-upload",
                max_size=MAX_UPLOAD_BYTES,
            ),
            html.P(id="admin-file", className="rk-footnote"),
            dmc.Group(
                [
                    dmc.TextInput(
                        id="admin-source",
                        label=t("admin.source", lang),
                        description=t("admin.source_help", lang),
                        w=280,
                    ),
                    dmc.Select(
                        id="admin-format",
                        label=t("admin.format", lang),
                        data=list(FORMATS),
                        value="auto",
                        w=160,
                        allowDeselect=False,
                    ),
                ],
                align="flex-end",
            ),
            dmc.Button(t("admin.load", lang), id="admin-load", mt="md"),
            dcc.Loading(html.Div(id="admin-report", role="status")),
        ],
        id="admin-upload-section",
    )


def layout(lang: str | None = None, **_: str) -> html.Div:
    lang = current_language(lang, queries.settings().default_language)
    settings = queries.settings()
    enabled = auth.admin_enabled(settings)
    admin = enabled and _is_admin()
    return html.Div(
        [
            dcc.Location(id="admin-location", refresh=True),
            html.H1(t("admin.title", lang)),
            dmc.Alert(t("admin.closed", lang), color="gray", title=t("admin.closed_title", lang))
            if not enabled
            else None,
            html.Div(_login_form(lang), hidden=not enabled or admin),
            html.Div(_upload_form(lang), hidden=not admin),
        ]
    )


def _is_admin() -> bool:
    try:
        return auth.is_admin()
    except RuntimeError:  # no request (validation layout at start-up)
        return False


@callback(
    Output("admin-location", "href"),
    Output("admin-login-message", "children"),
    Input("admin-login", "n_clicks"),
    State("admin-password", "value"),
    prevent_initial_call=True,
)
def _login(_clicks: int, password: str | None) -> tuple[Any, str]:
    lang = current_language()
    if auth.login(queries.settings(), password or ""):
        return dash.get_relative_path("/beheer"), ""
    return no_update, t("admin.login_failed", lang)


@callback(
    Output("admin-location", "href", allow_duplicate=True),
    Input("admin-logout", "n_clicks"),
    prevent_initial_call=True,
)
def _logout(_clicks: int) -> str:
    auth.logout()
    return dash.get_relative_path("/beheer")


@callback(
    Output("admin-file", "children"), Input("admin-upload", "filename"), prevent_initial_call=True
)
def _chosen(filename: str | None) -> str:
    return t("admin.chosen", current_language(), name=filename) if filename else ""


def _report(report: Any, lang: str) -> html.Div:
    counts = [
        (t("admin.read", lang), fmt.number(report.read, lang)),
        (t("admin.accepted", lang), fmt.number(report.accepted, lang)),
        (t("admin.rejected", lang), fmt.number(report.rejected, lang)),
        (t("admin.duplicates", lang), fmt.number(report.duplicates, lang)),
        (t("admin.unresolved", lang), fmt.number(report.unresolved_places, lang)),
    ]
    reasons = [(r.field or "–", r.message, fmt.number(r.count, lang)) for r in report.reasons]
    return html.Div(
        [
            dmc.Alert(
                t("admin.already_loaded", lang)
                if report.already_loaded
                else t("admin.loaded", lang, batch=report.batch_id, name=report.file_name),
                color="green" if not report.rejected else "yellow",
            ),
            simple_table(
                [t("admin.measure", lang), t("admin.count", lang)],
                counts,
                table_id="admin-report-counts",
                numeric=(1,),
            ),
            html.H3(t("admin.reasons", lang)) if reasons else None,
            simple_table(
                [t("admin.field", lang), t("admin.reason", lang), t("admin.count", lang)],
                reasons,
                table_id="admin-report-reasons",
                numeric=(2,),
            )
            if reasons
            else None,
            html.P(
                t("admin.rows_note", lang, numbering=report.row_numbering), className="rk-footnote"
            )
            if report.row_numbering
            else None,
        ]
    )


@callback(
    Output("admin-report", "children"),
    Input("admin-load", "n_clicks"),
    State("admin-upload", "contents"),
    State("admin-upload", "filename"),
    State("admin-source", "value"),
    State("admin-format", "value"),
    prevent_initial_call=True,
)
def _load(
    _clicks: int,
    contents: str | None,
    filename: str | None,
    source: str | None,
    file_format: str | None,
) -> Any:
    from data.ingest import IngestError, ingest_file

    lang = current_language()
    if not auth.is_admin():
        return dmc.Alert(t("admin.not_logged_in", lang), color="red")
    if not contents or not filename:
        return dmc.Alert(t("admin.no_file", lang), color="yellow")
    try:
        payload = base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        return dmc.Alert(t("admin.bad_upload", lang), color="red")
    suffix = "".join(Path(filename).suffixes)[-20:]
    with tempfile.TemporaryDirectory(prefix="regiokompas-upload-") as folder:
        path = Path(folder) / ("upload" + suffix)
        path.write_bytes(payload)
        try:
            report = ingest_file(
                queries.settings().database_url,
                path,
                source=(source or "").strip() or Path(filename).name.split(".")[0],
                fmt=file_format or "auto",
            )
        except IngestError as error:
            return dmc.Alert(
                str(error).replace(str(path), filename),
                color="red",
                title=t("admin.unreadable", lang),
            )
    # The finished batch changes the data version too; forgetting the cache also drops what
    # was cached while the batch was running.
    queries.invalidate()
    report.file_name = filename
    return _report(report, lang)


dash.register_page(
    __name__,
    path="/beheer",
    title="Regiokompas — beheer",
    name="Beheer",
    order=95,
    label_key="nav.admin",
    nav=False,
    layout=layout,
)
