"""Regio's: make, share and change an own region (a named set of gemeenten).

Anyone may create a region (at most ``region_create_limit`` per client address); whoever holds
its edit link (``/regios?bewerk=<code>#sleutel=<token>``) may change or delete it. The token sits
in the fragment, which browsers never send to the server, so it does not land in an access log
or a proxy's log: the page reads it in the browser and checks it in a callback (a POST body).
This browser remembers the edit links it made (local storage), so the creator sees "Bewerken"
next to their regions. Every region appears in the region picker of every page and has a share
link (the overview page with ``?regio=<code>``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

import dash
import dash_mantine_components as dmc
from dash import Input, Output, Patch, State, callback, ctx, dcc, html, no_update
from flask import has_request_context, request

from dashboard import cache as shared
from dashboard import figures_regios, queries
from dashboard import format as fmt
from dashboard.components import aria
from dashboard.components.cards import GRAPH_CONFIG, definitions
from dashboard.i18n import current_language, t
from dashboard.queries import regios as region_queries
from data import geo
from data import regions as store_regions

NAME = "reg-name"
DESCRIPTION = "reg-description"
MEMBERS = "reg-members"
COUNT = "reg-count"
GROUP = "reg-group"
ADD_GROUP = "reg-add-group"
CLEAR = "reg-clear"
SAVE = "reg-save"
DELETE = "reg-delete"
CONFIRM = "reg-confirm"
CONFIRM_DELETE = "reg-confirm-delete"
CONFIRM_CANCEL = "reg-confirm-cancel"
FEEDBACK = "reg-feedback"
FORM = "reg-form"
EDIT = "reg-edit"
KEYS = "reg-keys"
LIST = "reg-list"
LANG = "reg-lang"
MAP = "reg-map"
TITLE = "reg-title"
SLOT = "reg-form-slot"
OPEN = "reg-open"
LOCATION = "reg-location"
CREATE_ACTION = "region-create"
ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"

LIVE: dict[str, Any] = {"aria-live": "polite"}


def _data(**values: str) -> dict[str, Any]:
    """``data-*`` attributes for a Dash component (tests find rows and marks by them)."""
    return {f"data-{key}": value for key, value in values.items()}


GROUP_KEYS = (
    ("provincie", "region.group_provincie"),
    ("arbeidsmarktregio", "region.group_arbeidsmarktregio"),
    ("corop", "region.group_corop"),
)


def _year() -> int:
    return queries.settings().reference_year


def _url() -> str:
    return queries.settings().database_url


def share_path(code: str) -> str:
    return dash.get_relative_path("/?" + urlencode({"regio": code}))


def edit_path(code: str, token: str) -> str:
    """The edit link: the code in the query, the secret token in the fragment."""
    return (
        dash.get_relative_path("/regios?" + urlencode({"bewerk": code}))
        + "#"
        + urlencode({"sleutel": token}, quote_via=quote)
    )


def token_from_fragment(fragment: str | None) -> str | None:
    """The edit token in a URL fragment (``#sleutel=...``), or None.

    >>> token_from_fragment("#sleutel=abc-_1")
    'abc-_1'
    >>> token_from_fragment("") is None
    True
    """
    values = parse_qs((fragment or "").lstrip("#")).get("sleutel")
    return values[0] if values else None


def absolute(path: str) -> str:
    """The full address of an app path, for copying into an e-mail."""
    if has_request_context():
        return request.host_url.rstrip("/") + path
    return path


def member_options(catalogue: region_queries.GemeenteCatalogue) -> list[dict[str, Any]]:
    """The gemeenten for the multi-select, grouped by provincie."""
    options: list[dict[str, Any]] = []
    for (provincie,), rows in catalogue.gemeenten.group_by("provincie", maintain_order=True):
        options.append(
            {
                "group": str(provincie or "–"),
                "items": [
                    {"value": code, "label": name}
                    for code, name in rows.select("code", "name").iter_rows()
                ],
            }
        )
    return options


def group_options(catalogue: region_queries.GemeenteCatalogue, lang: str) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = []
    for level, key in GROUP_KEYS:
        rows = catalogue.groups.filter(catalogue.groups["level"] == level).sort("name")
        if rows.height:
            options.append(
                {
                    "group": t(key, lang),
                    "items": [
                        {
                            "value": code,
                            "label": t(
                                "regios.group_option",
                                lang,
                                name=name,
                                code=code,
                                n=fmt.number(len(members), lang),
                            ),
                        }
                        for code, name, members in rows.select(
                            "code", "name", "members"
                        ).iter_rows()
                    ],
                }
            )
    return options


def count_text(codes: list[str] | None, lang: str) -> str:
    n = len(codes or [])
    return t("regios.count_one" if n == 1 else "regios.count", lang, n=fmt.number(n, lang))


def _copy_line(label: str, path: str, element_id: str, lang: str) -> html.Div:
    full = absolute(path)
    return html.Div(
        [
            html.Span(label + ": ", className="reg-link-label"),
            html.A(full, href=path, id=element_id, className="reg-link"),
            dcc.Clipboard(
                target_id=element_id,
                title=t("regios.copy", lang),
                className="reg-copy",
            ),
        ],
        className="reg-link-line",
    )


def region_table(lang: str, keys: dict[str, str] | None) -> html.Div:
    """Every own region: name, gemeenten, share link and, for this browser's regions, edit."""
    regions = region_queries.own_regions()
    if regions.is_empty():
        return html.Div(
            dmc.Alert(t("regios.list_empty", lang), color="gray", id="reg-list-empty"),
        )
    keys = keys or {}
    rows = []
    for row in regions.iter_rows(named=True):
        code = row["code"]
        token = keys.get(code)
        actions: list[Any] = [
            html.A(
                t("regios.open_overview", lang),
                href=share_path(code),
                className="reg-share",
                **aria(t("regios.open_overview_label", lang, name=row["name"])),
            )
        ]
        if token:
            actions.append(
                html.A(
                    t("regios.edit", lang),
                    href=edit_path(code, token),
                    className="reg-edit-link",
                    **aria(t("regios.edit_label", lang, name=row["name"])),
                )
            )
        rows.append(
            html.Tr(
                [
                    html.Td(
                        [
                            html.Span(row["name"], className="reg-name"),
                            html.Small(row["description"] or "", className="reg-description"),
                            html.Code(code, className="reg-code"),
                        ],
                        className="reg-name-cell",
                    ),
                    html.Td(
                        fmt.number(row["gemeenten"], lang),
                        className="rk-num",
                        **_data(label=t("regios.col_gemeenten", lang)),
                    ),
                    html.Td(
                        fmt.date(row["created_at"], lang),
                        className="reg-date",
                        **_data(label=t("regios.col_created", lang)),
                    ),
                    html.Td(html.Div(actions, className="reg-actions")),
                ],
                **_data(code=code),
            )
        )
    headers = [
        ("regios.col_name", None),
        ("regios.col_gemeenten", "rk-num"),
        ("regios.col_created", None),
        ("regios.col_links", None),
    ]
    return html.Div(
        html.Table(
            [
                html.Caption(
                    t(
                        "regios.list_caption_one" if regions.height == 1 else "regios.list_caption",
                        lang,
                        n=fmt.number(regions.height, lang),
                    )
                ),
                html.Thead(
                    html.Tr([html.Th(t(key, lang), scope="col", className=c) for key, c in headers])
                ),
                html.Tbody(rows),
            ],
            className="rk-table reg-table",
            id="reg-table",
        ),
        className="reg-table-wrap",
    )


def _geometry() -> dict[str, Any] | None:
    """The gemeente shapes, or None: then the page offers the list only.

    Plotly's geo subplot always fetches a base map; the app serves an empty one from its
    assets (as the Kaart page does), so the map needs no outside network.
    """
    if not (ASSETS_DIR / "world_110m.json").is_file():
        return None
    settings = queries.settings()
    return geo.load_geometry("gemeente", settings.reference_year, settings).geojson


def _map_codes(geojson: dict[str, Any], catalogue: region_queries.GemeenteCatalogue) -> list[str]:
    shapes = {feature.get("id") for feature in geojson.get("features", [])}
    return sorted(code for code in catalogue.codes if code in shapes)


def map_card(
    lang: str, catalogue: region_queries.GemeenteCatalogue, selected: list[str]
) -> dmc.Paper:
    geojson = _geometry()
    config = {
        **GRAPH_CONFIG,
        "scrollZoom": False,
        "toImageButtonOptions": {**GRAPH_CONFIG["toImageButtonOptions"], "filename": "regio"},
        "topojsonURL": dash.get_asset_url(""),
    }
    if geojson is None:
        body: list[Any] = [
            dmc.Alert(t("regios.map_missing", lang), color="gray", id="reg-map-missing"),
            dcc.Graph(id=MAP, figure={}, style={"display": "none"}),
        ]
    else:
        body = [
            html.Div(
                dcc.Graph(
                    id=MAP,
                    figure=figures_regios.picker_map(
                        geojson, catalogue.gemeenten.select("code", "name"), selected, lang
                    ),
                    config=config,  # type: ignore[arg-type]
                    className="reg-map-graph",
                ),
                role="figure",
                **aria(t("regios.map_description", lang)),
            ),
            html.P(t("regios.map_footnote", lang), className="rk-footnote"),
        ]
    return dmc.Paper(
        [html.H2(t("regios.map_title", lang), className="rk-card-title"), *body],
        withBorder=True,
        p="md",
        className="rk-card reg-map-card",
    )


def _form(
    lang: str,
    catalogue: region_queries.GemeenteCatalogue,
    region: store_regions.OwnRegion | None,
) -> html.Div:
    members = list(region.gemeenten) if region else []
    buttons: list[Any] = [
        dmc.Button(t("regios.save_changes" if region else "regios.save", lang), id=SAVE, n_clicks=0)
    ]
    if region:
        buttons += [
            dmc.Button(
                t("regios.delete", lang), id=DELETE, color="red.9", variant="outline", n_clicks=0
            ),
            dcc.Link(t("regios.new_instead", lang), href=dash.get_relative_path("/regios")),
        ]
    else:
        # Present in the layout so the delete callbacks always have their input.
        buttons.append(html.Button(id=DELETE, n_clicks=0, hidden=True, disabled=True))
    return html.Div(
        dmc.Paper(
            [
                html.H2(
                    t("regios.form_title_edit" if region else "regios.form_title", lang),
                    className="rk-card-title",
                ),
                dmc.TextInput(
                    id=NAME,
                    label=t("regios.name", lang),
                    description=t(
                        "regios.name_help", lang, max=fmt.number(store_regions.NAME_MAX, lang)
                    ),
                    value=region.name if region else "",
                    required=True,
                    withAsterisk=True,
                    autoComplete="off",
                ),
                dmc.Textarea(
                    id=DESCRIPTION,
                    label=t("regios.description", lang),
                    description=t(
                        "regios.description_help",
                        lang,
                        max=fmt.number(store_regions.DESCRIPTION_MAX, lang),
                    ),
                    value=(region.description or "") if region else "",
                    autosize=True,
                    minRows=2,
                    maxRows=6,
                    mt="sm",
                ),
                html.Fieldset(
                    [
                        html.Legend(t("regios.quick_add", lang)),
                        dmc.Group(
                            [
                                dmc.Select(
                                    id=GROUP,
                                    label=t("regios.quick_add_label", lang),
                                    data=group_options(catalogue, lang),
                                    searchable=True,
                                    clearable=True,
                                    nothingFoundMessage=t("region.nothing_found", lang),
                                    maxDropdownHeight=320,
                                    w="100%",
                                    comboboxProps={"withinPortal": True},
                                ),
                                dmc.Button(
                                    t("regios.add_group", lang),
                                    id=ADD_GROUP,
                                    variant="light",
                                    n_clicks=0,
                                ),
                                dmc.Button(
                                    t("regios.clear", lang),
                                    id=CLEAR,
                                    variant="default",
                                    n_clicks=0,
                                ),
                            ],
                            align="flex-end",
                            gap="sm",
                        ),
                    ],
                    className="reg-fieldset",
                ),
                dmc.MultiSelect(
                    id=MEMBERS,
                    label=t("regios.members", lang),
                    description=t("regios.members_help", lang),
                    data=member_options(catalogue),
                    value=members,
                    searchable=True,
                    clearable=True,
                    hidePickedOptions=True,
                    required=True,
                    withAsterisk=True,
                    nothingFoundMessage=t("regios.no_gemeente_found", lang),
                    maxDropdownHeight=320,
                    comboboxProps={"withinPortal": True},
                    mt="sm",
                    className="reg-members",
                ),
                html.P(
                    count_text(members, lang),
                    id=COUNT,
                    className="rk-footnote",
                    **LIVE,
                ),
                dmc.Group(buttons, mt="md", gap="md", align="center"),
                html.Div(id=FEEDBACK, role="status", className="reg-feedback"),
            ],
            withBorder=True,
            p="md",
            className="rk-card reg-form-card",
        ),
        id=FORM,
    )


def _bad_link(lang: str) -> dmc.Alert:
    return dmc.Alert(
        t("regios.bad_link", lang),
        title=t("regios.bad_link_title", lang),
        color="red",
        id="reg-bad-link",
        mb="md",
    )


def layout(bewerk: str | None = None, lang: str | None = None, **_: str) -> html.Div:
    """The page; with ``?bewerk=<code>`` the edit form opens once the browser has handed over
    the token from the fragment (see :func:`open_edit_link`)."""
    lang = current_language(lang, queries.settings().default_language)
    catalogue = region_queries.gemeente_catalogue(_year())
    if catalogue.gemeenten.is_empty():
        return html.Div(
            [
                html.H1(t("regios.title", lang)),
                dmc.Alert(t("regios.no_reference", lang), color="gray", id="reg-no-reference"),
                # The callbacks' components, so that the validation layout stays complete.
                html.Div(
                    [
                        html.Div(_form(lang, catalogue, None), id=SLOT),
                        html.H2(id=TITLE),
                        dcc.Store(id=OPEN),
                        dcc.Location(id=LOCATION),
                        dcc.Store(id=EDIT),
                        dcc.Store(id=LANG, data=lang),
                        dcc.Store(id=KEYS, storage_type="local"),
                        html.Div(id=LIST),
                        dcc.Graph(id=MAP, figure={}),
                        _confirm(lang, None),
                    ],
                    hidden=True,
                ),
            ]
        )
    if bewerk:
        # Until the token is checked: the empty form, hidden, keeps the callbacks' components.
        slot: Any = [
            dmc.Alert(t("regios.checking_link", lang), color="gray", id="reg-checking"),
            html.Div(_form(lang, catalogue, None), hidden=True),
        ]
    else:
        slot = _form(lang, catalogue, None)
    return html.Div(
        [
            html.H1(t("regios.title", lang), id=TITLE),
            html.P(t("regios.lead", lang), className="rk-lead"),
            dmc.Grid(
                [
                    dmc.GridCol(html.Div(slot, id=SLOT), span={"base": 12, "lg": 6}),
                    dmc.GridCol(
                        dmc.Stack(
                            [
                                map_card(lang, catalogue, []),
                                dmc.Paper(
                                    [
                                        html.H2(
                                            t("regios.list_title", lang),
                                            className="rk-card-title",
                                        ),
                                        html.Div(region_table(lang, None), id=LIST),
                                        html.P(
                                            t("regios.list_footnote", lang),
                                            className="rk-footnote",
                                        ),
                                    ],
                                    withBorder=True,
                                    p="md",
                                    className="rk-card",
                                ),
                            ],
                            gap="md",
                        ),
                        span={"base": 12, "lg": 6},
                    ),
                ],
                gutter="md",
                mt="md",
            ),
            # The region asked for, and the key last checked for it (None: not yet).
            dcc.Store(id=OPEN, data={"code": bewerk, "checked": None} if bewerk else None),
            # Its own reader of the address: a link that differs only in the fragment (another
            # key for the same region) changes the page without loading it again.
            dcc.Location(id=LOCATION),
            dcc.Store(id=EDIT),
            dcc.Store(id=LANG, data=lang),
            dcc.Store(id=KEYS, storage_type="local"),
            _confirm(lang, None),
            definitions(
                [
                    (t("regios.def_region_term", lang), t("regios.def_region", lang)),
                    (t("regios.def_share_term", lang), t("regios.def_share", lang)),
                    (t("regios.def_edit_term", lang), t("regios.def_edit", lang)),
                    (t("regios.def_count_term", lang), t("regios.def_count", lang)),
                ],
                lang,
            ),
        ]
    )


def _confirm(lang: str, region: store_regions.OwnRegion | None) -> dmc.Modal:
    return dmc.Modal(
        [
            html.P(
                t("regios.confirm_text", lang, name=region.name if region else ""),
                id="reg-confirm-text",
            ),
            dmc.Group(
                [
                    dmc.Button(
                        t("regios.confirm_delete", lang),
                        id=CONFIRM_DELETE,
                        color="red.9",
                        n_clicks=0,
                    ),
                    dmc.Button(
                        t("regios.confirm_cancel", lang),
                        id=CONFIRM_CANCEL,
                        variant="default",
                        n_clicks=0,
                    ),
                ],
                justify="flex-end",
                mt="md",
            ),
        ],
        id=CONFIRM,
        title=t("regios.confirm_title", lang),
        opened=False,
        closeButtonProps={"aria-label": t("regios.confirm_cancel", lang)},
    )


# --- Callbacks ---------------------------------------------------------------------------------


@callback(
    Output(MEMBERS, "value"),
    Input(ADD_GROUP, "n_clicks"),
    Input(CLEAR, "n_clicks"),
    State(GROUP, "value"),
    State(MEMBERS, "value"),
    prevent_initial_call=True,
)
def add_or_clear(add: int, clear: int, group: str | None, members: list[str] | None) -> Any:
    # A button that appears with the edit form (n_clicks 0) has not been pressed.
    if ctx.triggered_id == CLEAR and clear:
        return []
    if ctx.triggered_id != ADD_GROUP or not add or not group:
        return no_update
    catalogue = region_queries.gemeente_catalogue(_year())
    return sorted(set(members or []) | set(catalogue.members_of(group)))


def _map_colours(members: list[str] | None, lang: str) -> Any:
    """A patch that recolours the map for ``members`` (only its colours are sent)."""
    geojson = _geometry()
    if geojson is None:
        return no_update
    catalogue = region_queries.gemeente_catalogue(_year())
    codes = _map_codes(geojson, catalogue)
    names = dict(catalogue.gemeenten.select("code", "name").iter_rows())
    z, custom = figures_regios.picker_state(codes, names, members or [], lang)
    patch = Patch()
    patch["data"][0]["z"] = z
    patch["data"][0]["customdata"] = custom
    return patch


@callback(
    Output(COUNT, "children"),
    Output(MAP, "figure"),
    Input(MEMBERS, "value"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def show_count(members: list[str] | None, lang: str | None) -> tuple[str, Any]:
    """The number of chosen gemeenten, and the map recoloured."""
    lang = lang or "nl"
    return count_text(members, lang), _map_colours(members, lang)


@callback(
    Output(SLOT, "children"),
    Output(TITLE, "children"),
    Output(EDIT, "data"),
    Output(KEYS, "data", allow_duplicate=True),
    Output(MAP, "figure", allow_duplicate=True),
    Output(OPEN, "data"),
    Input(LOCATION, "hash"),
    State(OPEN, "data"),
    State(KEYS, "data"),
    State(LANG, "data"),
    prevent_initial_call="initial_duplicate",
)
def open_edit_link(
    fragment: str | None,
    asked: dict[str, Any] | None,
    keys: dict[str, str] | None,
    lang: str | None,
) -> tuple[Any, ...]:
    """Open the edit form when the token in the fragment fits the region in ``?bewerk=``.

    Checked once per key: a later fragment without a key (the skip link's ``#main``) or with
    the same key leaves the form as it is, with whatever was typed in it.
    """
    skip = (no_update,) * 6
    if not asked or fragment is None:  # no edit link, or the address not read yet
        return skip
    token = token_from_fragment(fragment)
    if asked["checked"] is not None and (token is None or token == asked["checked"]):
        return skip
    code = str(asked["code"])
    checked = {"code": code, "checked": token or ""}
    lang = lang or "nl"
    catalogue = region_queries.gemeente_catalogue(_year())
    region = None
    if token and store_regions.token_fits(_url(), code, token):
        region = store_regions.get_region(_url(), code)
    if region is None:
        slot = [_bad_link(lang), _form(lang, catalogue, None)]
        return slot, no_update, None, no_update, no_update, checked
    keys = {**(keys or {}), region.code: token or ""}
    return (
        _form(lang, catalogue, region),
        t("regios.title_edit", lang, name=region.name),
        {"code": region.code, "token": token},
        keys,
        _map_colours(list(region.gemeenten), lang),
        checked,
    )


@callback(
    Output(MEMBERS, "value", allow_duplicate=True),
    Input(MAP, "clickData"),
    State(MEMBERS, "value"),
    prevent_initial_call=True,
)
def toggle_from_map(click: dict[str, Any] | None, members: list[str] | None) -> Any:
    """A click on a gemeente adds it, or takes it out when it was chosen."""
    points = (click or {}).get("points") or []
    code = points[0].get("location") if points else None
    if not code or code not in region_queries.gemeente_catalogue(_year()).codes:
        return no_update
    chosen = set(members or [])
    chosen ^= {code}
    return sorted(chosen)


def _problem_messages(
    problems: tuple[str, ...], lang: str
) -> tuple[str | None, str | None, list[str]]:
    """Validation problems as (error under the name, error under the gemeenten, others)."""
    texts = {p: t(f"regios.error_{p}", lang) for p in problems}
    name = [text for p, text in texts.items() if p.startswith("name")]
    members = [text for p, text in texts.items() if p.endswith("gemeenten")]
    other = [text for p, text in texts.items() if p.startswith("description")]
    return " ".join(name) or None, " ".join(members) or None, other


@callback(
    Output(FEEDBACK, "children"),
    Output(NAME, "error"),
    Output(MEMBERS, "error"),
    Output(KEYS, "data"),
    Output(NAME, "value"),
    Output(DESCRIPTION, "value"),
    Output(MEMBERS, "value", allow_duplicate=True),
    Output(GROUP, "value"),
    Input(SAVE, "n_clicks"),
    State(NAME, "value"),
    State(DESCRIPTION, "value"),
    State(MEMBERS, "value"),
    State(EDIT, "data"),
    State(KEYS, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def save(
    _n: int,
    name: str | None,
    description: str | None,
    members: list[str] | None,
    edit: dict[str, str] | None,
    keys: dict[str, str] | None,
    lang: str | None,
) -> tuple[Any, ...]:
    lang = lang or "nl"
    keys = dict(keys or {})
    keep = (no_update, no_update, no_update, no_update)
    if not _n:  # the button of a newly drawn form, not a press
        return (no_update, no_update, no_update, no_update, *keep)
    try:
        if edit:
            region = store_regions.update_region(
                _url(), edit["code"], edit.get("token"), name or "", members or [], description
            )
            queries.invalidate()
            message = dmc.Alert(
                [
                    html.P(t("regios.updated", lang, name=region.name)),
                    _copy_line(
                        t("regios.share_link", lang),
                        share_path(region.code),
                        "reg-share-url",
                        lang,
                    ),
                ],
                color="green",
                title=t("regios.saved_title", lang),
                id="reg-saved",
            )
            keys[region.code] = edit.get("token") or ""
            return (message, None, None, keys, *keep)
        limit = queries.settings().region_create_limit
        allowance = shared.may(CREATE_ACTION, limit)
        if not allowance.allowed:
            minutes = fmt.number(max(1, -(-allowance.retry_after // 60)), lang)
            message = dmc.Alert(
                t("regios.limited", lang, limit=limit, minutes=minutes),
                color="red",
                title=t("regios.limited_title", lang),
                id="reg-limited",
            )
            return (message, None, None, no_update, *keep)
        created = store_regions.create_region(
            _url(), name or "", members or [], description, year=_year()
        )
        shared.take(CREATE_ACTION, limit)
    except store_regions.RegionValidationError as error:
        name_error, members_error, other = _problem_messages(error.problems, lang)
        message = dmc.Alert(
            [html.P(t("regios.not_saved", lang)), *[html.P(text) for text in other]],
            color="red",
            title=t("regios.not_saved_title", lang),
            id="reg-error",
        )
        return (message, name_error, members_error, no_update, *keep)
    except store_regions.RegionAccessError:
        message = dmc.Alert(t("regios.bad_link", lang), color="red", id="reg-error")
        return (message, None, None, no_update, *keep)
    queries.invalidate()
    region = created.region
    keys[region.code] = created.edit_token
    message = dmc.Alert(
        [
            html.P(
                t(
                    "regios.created",
                    lang,
                    name=region.name,
                    n=fmt.number(len(region.gemeenten), lang),
                )
            ),
            _copy_line(
                t("regios.share_link", lang),
                share_path(region.code),
                "reg-share-url",
                lang,
            ),
            _copy_line(
                t("regios.edit_link", lang),
                edit_path(region.code, created.edit_token),
                "reg-edit-url",
                lang,
            ),
            html.P(t("regios.keep_edit_link", lang), className="reg-warning"),
        ],
        color="green",
        title=t("regios.saved_title", lang),
        id="reg-saved",
    )
    return (message, None, None, keys, "", "", [], None)


@callback(
    Output(LIST, "children"),
    Input(KEYS, "data"),
    State(LANG, "data"),
)
def show_list(keys: dict[str, str] | None, lang: str | None) -> html.Div:
    return region_table(lang or "nl", keys)


@callback(
    Output(CONFIRM, "opened"),
    Output("reg-confirm-text", "children"),
    Input(DELETE, "n_clicks"),
    Input(CONFIRM_CANCEL, "n_clicks"),
    State(EDIT, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def toggle_confirm(
    _delete: int, _cancel: int, edit: dict[str, str] | None, lang: str | None
) -> tuple[bool, Any]:
    if ctx.triggered_id != DELETE or not _delete or not edit:
        return False, no_update
    # The name as stored now: it may have been changed since the page was drawn.
    region = store_regions.get_region(_url(), edit["code"])
    name = region.name if region else edit["code"]
    return True, t("regios.confirm_text", lang or "nl", name=name)


@callback(
    Output(FORM, "children"),
    Output(KEYS, "data", allow_duplicate=True),
    Output(CONFIRM, "opened", allow_duplicate=True),
    Input(CONFIRM_DELETE, "n_clicks"),
    State(EDIT, "data"),
    State(KEYS, "data"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
def delete(
    n: int, edit: dict[str, str] | None, keys: dict[str, str] | None, lang: str | None
) -> tuple[Any, ...]:
    lang = lang or "nl"
    if not n or not edit:
        return no_update, no_update, False
    try:
        region = store_regions.get_region(_url(), edit["code"])
        store_regions.delete_region(_url(), edit["code"], edit.get("token"))
    except store_regions.RegionAccessError:
        return (
            dmc.Alert(t("regios.bad_link", lang), color="red", id="reg-error"),
            no_update,
            False,
        )
    queries.invalidate()
    keys = {code: token for code, token in (keys or {}).items() if code != edit["code"]}
    message = dmc.Alert(
        [
            html.P(t("regios.deleted", lang, name=region.name if region else edit["code"])),
            dcc.Link(t("regios.new_instead", lang), href=dash.get_relative_path("/regios")),
        ],
        color="green",
        title=t("regios.deleted_title", lang),
        id="reg-deleted",
    )
    return message, keys, False


dash.register_page(
    __name__,
    path="/regios",
    title="Regiokompas — eigen regio's",
    name="Regio's",
    order=80,
    label_key="nav.regios",
    layout=layout,
    render_cache=True,  # public and read-only: see dashboard/render_cache.py
)
