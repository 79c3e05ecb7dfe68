"""The "Insluiten" button and dialog: the iframe code that shows the current view on another site.

One factory for every page with an embed view (``/embed/<view>``): :func:`embed_button` goes with
the page's controls, :func:`embed_modal` anywhere in its layout. One clientside callback (ids with
``MATCH``) builds the code from the page's URL when the button is pressed: the same parameters
(all of them, or the page's ``keep`` list), never ``presentatie``, no ``regio=NL`` (the default),
plus an optional choice inside the dialog (``option``, e.g. which part of the page). Every
attribute value of the iframe is escaped in the same way (``& " ' < >``), so a title or a
parameter cannot break out of its attribute.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import dash
import dash_mantine_components as dmc
from dash import MATCH, Input, Output, State, clientside_callback, dcc, html

from dashboard.components import aria
from dashboard.i18n import t

BUTTON = "rk-embed-button"
MODAL = "rk-embed-modal"
CODE = "rk-embed-code"
CONFIG = "rk-embed-config"
OPTION = "rk-embed-option"


def embed_id(kind: str, view: Any) -> dict[str, Any]:
    """The id of one part (``BUTTON``, ``MODAL``, ``CODE``, ...) of the embed widget of ``view``."""
    return {"type": kind, "view": view}


def selector(kind: str, view: str) -> str:
    """A CSS selector for that part, as Dash writes a dictionary id into the page (for tests).

    >>> selector(BUTTON, "kaart")
    '[id=\\'{"type":"rk-embed-button","view":"kaart"}\\']'
    """
    dom = json.dumps(embed_id(kind, view), sort_keys=True, separators=(",", ":"))
    return f"[id='{dom}']"


@dataclass(frozen=True)
class Option:
    """A choice inside the dialog that becomes a parameter of the iframe's URL (left out when it
    is ``default``)."""

    param: str
    label: str
    choices: tuple[tuple[str, str], ...]  # (value, label)
    default: str


def embed_button(view: str, lang: str, *, disabled: bool = False) -> dmc.Button:
    return dmc.Button(
        t("embed.button", lang),
        id=embed_id(BUTTON, view),
        variant="outline",
        className="rk-embed-button rk-hide-present",
        disabled=disabled,
        n_clicks=0,
    )


def embed_modal(
    view: str,
    lang: str,
    *,
    title: str,
    intro: str,
    frame_title: str,
    height: int,
    keep: tuple[str, ...] | None = None,
    option: Option | None = None,
) -> html.Div:
    """The dialog with the iframe code for ``/embed/<view>``, ``height`` pixels high.

    ``keep`` names the URL parameters the embed understands (None: all of them).
    """
    config = {
        "path": dash.get_relative_path(f"/embed/{view}"),
        "title": frame_title,
        "height": height,
        "keep": list(keep) if keep is not None else None,
        "option": {"param": option.param, "default": option.default} if option else None,
    }
    choice: Any
    if option is None:
        choice = dcc.Input(id=embed_id(OPTION, view), type="hidden", value="")
    else:
        choice = dmc.SegmentedControl(
            id=embed_id(OPTION, view),
            data=[{"value": value, "label": text} for value, text in option.choices],
            value=option.default,
            mb="sm",
            className="rk-embed-option",
            **aria(option.label),
        )
    return html.Div(
        [
            dcc.Store(id=embed_id(CONFIG, view), data=config),
            dmc.Modal(
                [
                    html.P(intro),
                    choice,
                    dmc.Code("", id=embed_id(CODE, view), block=True, className="rk-embed-code"),
                    dmc.Group(
                        [
                            dcc.Clipboard(
                                target_id=embed_id(CODE, view),
                                title=t("embed.copy", lang),
                                className="rk-copy",
                            ),
                            html.Span(t("embed.copy", lang), className="rk-footnote"),
                        ],
                        gap="xs",
                        mt="sm",
                    ),
                    html.P(t("embed.parents", lang), className="rk-footnote"),
                ],
                id=embed_id(MODAL, view),
                title=title,
                size="lg",
                opened=False,
            ),
        ],
        className="rk-embed",
    )


clientside_callback(
    """
    function(clicks, choice, config, search) {
        const none = window.dash_clientside.no_update;
        if (!clicks || !config) { return [none, none]; }
        const ctx = window.dash_clientside.callback_context;
        const pressed = (ctx.triggered || []).some(function(t) {
            return t.prop_id.endsWith(".n_clicks");
        });
        const params = new URLSearchParams(search || "");
        const query = new URLSearchParams();
        params.forEach(function(value, name) {
            if (!config.keep || config.keep.indexOf(name) !== -1) { query.append(name, value); }
        });
        query.delete("presentatie");
        if (query.get("regio") === "NL") { query.delete("regio"); }
        if (config.option) {
            if (choice && choice !== config.option.default) {
                query.set(config.option.param, choice);
            } else {
                query.delete(config.option.param);
            }
        }
        const text = query.toString();
        const src = window.location.origin + config.path + (text ? "?" + text : "");
        const attr = function(value) {
            return String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;")
                .replace(/'/g, "&#39;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
        };
        const code = '<iframe src="' + attr(src) + '" title="' + attr(config.title) +
            '" width="100%" height="' + attr(config.height) +
            '" style="border:0" loading="lazy"></iframe>';
        return [pressed ? true : none, code];
    }
    """,
    Output(embed_id(MODAL, MATCH), "opened"),
    Output(embed_id(CODE, MATCH), "children"),
    Input(embed_id(BUTTON, MATCH), "n_clicks"),
    Input(embed_id(OPTION, MATCH), "value"),
    State(embed_id(CONFIG, MATCH), "data"),
    State("_pages_location", "search"),
    prevent_initial_call=True,
)
