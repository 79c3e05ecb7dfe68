"""The frame around every page: skip link, header with navigation from the page registry,
language switch, demo banner, footer with sources.

Dash fetches this layout once per page load, from ``/_dash-layout``, which does not carry the
page's query string: the shell is drawn in the language of the cookie (or the default), and a
clientside callback (:data:`SHELL_TEXTS`) puts it into the language of ``?lang=`` when the URL
asks for another one, and keeps the language switch pointing back at the current view.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_mantine_components as dmc
from dash import ALL, Input, Output, State, clientside_callback, dcc, html

from dashboard import ids, queries
from dashboard.components import aria
from dashboard.components.url_state import GLOBAL_PARAMS, MODE_STORE, NAV_LINK, nav_link_id
from dashboard.i18n import LANGUAGES, current_language, t
from dashboard.queries import home as home_queries
from dashboard.theme import THEME

SHELL_TEXTS = "rk-shell-texts"
SHELL_TEXT = "rk-shell-text"  # a text of the shell: {"type": SHELL_TEXT, "key": <i18n key>}
SHELL_LABEL = "rk-shell-label"  # an aria-label of the shell, likewise
BRAND = "rk-brand"
ADMIN_LINK = "rk-admin-link"
TEXT_KEYS = (
    "shell.skip_link",
    "shell.demo_banner",
    "shell.footer_sources",
    "shell.footer_licence",
    "nav.admin",
    "shell.present_hint",
)
LABEL_KEYS = ("shell.navigation", "shell.language")
SWITCH_KEYS = ("shell.switch_language", "shell.switch_language_label")


def text(key: str, lang: str) -> html.Span:
    """A shell text that follows the language of the URL."""
    return html.Span(t(key, lang), id={"type": SHELL_TEXT, "key": key})


def label(key: str, lang: str) -> dict[str, Any]:
    """Id and aria-label of a shell element whose label follows the language of the URL."""
    return {"id": {"type": SHELL_LABEL, "key": key}, "aria-label": t(key, lang)}


def _nav_pages() -> list[dict[str, Any]]:
    return sorted(
        (page for page in dash.page_registry.values() if page.get("nav", True)),
        key=lambda page: page.get("order", 100),
    )


def shell_texts(lang: str) -> dict[str, object]:
    """Every text of the shell in both languages, for the clientside language callback."""
    return {
        "rendered": lang,
        "languages": list(LANGUAGES),
        "switch": dash.get_relative_path("/taal/"),
        "home": dash.get_relative_path("/"),
        "admin": dash.get_relative_path("/beheer"),
        "texts": {
            code: {key: t(key, code) for key in (*TEXT_KEYS, *LABEL_KEYS, *SWITCH_KEYS)}
            for code in LANGUAGES
        },
        "nav": {
            code: {
                dash.get_relative_path(page["path"]): t(page["label_key"], code)
                for page in _nav_pages()
            }
            for code in LANGUAGES
        },
    }


def nav_links(lang: str) -> list[dcc.Link]:
    """Links to every finished page, in registry order (a page opts out with ``nav=False``)."""
    entries = _nav_pages()
    return [
        dcc.Link(
            t(page["label_key"], lang),
            href=dash.get_relative_path(page["path"]),
            className="rk-nav-link",
            id=nav_link_id(dash.get_relative_path(page["path"])),
        )
        for page in entries
    ]


def language_switch(lang: str) -> html.Nav:
    other = "en" if lang == "nl" else "nl"
    return html.Nav(
        html.A(
            t("shell.switch_language", lang),
            href=dash.get_relative_path(f"/taal/{other}"),
            id=ids.LANGUAGE_LINK,
            lang=other,
            className="rk-lang-link",
            **aria(t("shell.switch_language_label", lang)),
        ),
        className="rk-lang-nav",
        **label("shell.language", lang),
    )


def demo_banner(lang: str) -> html.Div | None:
    """The notice on every page while the store holds synthetic demo data."""
    try:
        demo = home_queries.has_demo_data()
    except Exception:  # noqa: BLE001 - no store yet: pages say so themselves
        return None
    if not demo:
        return None
    return html.Div(
        [html.Strong("Demodata (synthetisch)"), " — ", text("shell.demo_banner", lang)],
        className="rk-demo-banner",
        role="note",
        id=ids.DEMO_BANNER,
    )


def layout() -> dmc.MantineProvider:
    lang = current_language(default=queries.settings().default_language)
    header = html.Header(
        dmc.Container(
            dmc.Group(
                [
                    dcc.Link(
                        [
                            html.Span("Regio", className="rk-brand-a"),
                            html.Span("kompas", className="rk-brand-b"),
                        ],
                        href=dash.get_relative_path("/"),
                        className="rk-brand",
                        id=BRAND,
                    ),
                    html.Nav(
                        nav_links(lang),
                        className="rk-nav",
                        **label("shell.navigation", lang),
                    ),
                    language_switch(lang),
                    html.P(
                        text("shell.present_hint", lang), className="rk-present-hint", role="note"
                    ),
                ],
                justify="space-between",
                wrap="wrap",
                gap="sm",
            ),
            size="xl",
        ),
        className="rk-header",
    )
    footer = html.Footer(
        dmc.Container(
            [
                html.P(text("shell.footer_sources", lang)),
                html.P(text("shell.footer_licence", lang)),
                html.P(
                    dcc.Link(
                        text("nav.admin", lang),
                        href=dash.get_relative_path("/beheer"),
                        id=ADMIN_LINK,
                    )
                ),
            ],
            size="xl",
        ),
        className="rk-footer",
    )
    return dmc.MantineProvider(
        html.Div(
            [
                html.A(text("shell.skip_link", lang), href="#main", className="rk-skip-link"),
                dcc.Store(id=MODE_STORE),
                dcc.Store(id=SHELL_TEXTS, data=shell_texts(lang)),
                header,
                demo_banner(lang),
                html.Main(dmc.Container(dash.page_container, size="xl"), id="main", tabIndex="-1"),
                footer,
            ],
            className="rk-shell",
        ),
        theme=THEME,
        forceColorScheme="light",
    )


# The shell in the language of the URL (``?lang=``), else the one it was drawn in; the language
# switch leads back to this view (its parameters kept, ``lang`` set to the new language when the
# URL has one, so URL and cookie never disagree); the brand and admin links keep the parameters
# that hold across pages. The fragment stays out of ``next``: it may hold a region's edit token.
clientside_callback(
    """
    function(search, pathname, shell, navIds, textIds, labelIds) {
        const params = new URLSearchParams(search || "");
        const asked = params.get("lang");
        const lang = shell.languages.indexOf(asked) !== -1 ? asked : shell.rendered;
        const other = lang === "nl" ? "en" : "nl";
        const texts = shell.texts[lang];
        document.documentElement.lang = lang;
        const next = new URLSearchParams(params);
        if (next.has("lang")) { next.set("lang", other); }
        const target = (pathname || "/") + (next.toString() ? "?" + next.toString() : "");
        const switchHref = shell.switch + other + "?next=" + encodeURIComponent(target);
        const keep = new URLSearchParams();
        GLOBAL.forEach(function(name) {
            if (params.get(name)) { keep.set(name, params.get(name)); }
        });
        const suffix = keep.toString() ? "?" + keep.toString() : "";
        return [
            navIds.map(function(id) { return shell.nav[lang][id.path] || id.path; }),
            textIds.map(function(id) { return texts[id.key]; }),
            labelIds.map(function(id) { return texts[id.key]; }),
            texts["shell.switch_language"],
            texts["shell.switch_language_label"],
            switchHref,
            other,
            shell.home + suffix,
            shell.admin + suffix,
        ];
    }
    """.replace("GLOBAL", str(list(GLOBAL_PARAMS))),
    Output({"type": NAV_LINK, "path": ALL}, "children"),
    Output({"type": SHELL_TEXT, "key": ALL}, "children"),
    Output({"type": SHELL_LABEL, "key": ALL}, "aria-label"),
    Output(ids.LANGUAGE_LINK, "children"),
    Output(ids.LANGUAGE_LINK, "aria-label"),
    Output(ids.LANGUAGE_LINK, "href"),
    Output(ids.LANGUAGE_LINK, "lang"),
    Output(BRAND, "href"),
    Output(ADMIN_LINK, "href"),
    Input("_pages_location", "search"),
    Input("_pages_location", "pathname"),
    State(SHELL_TEXTS, "data"),
    State({"type": NAV_LINK, "path": ALL}, "id"),
    State({"type": SHELL_TEXT, "key": ALL}, "id"),
    State({"type": SHELL_LABEL, "key": ALL}, "id"),
)
