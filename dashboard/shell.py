"""The frame around every page: skip link, header with navigation from the page registry,
language switch, demo banner, footer with sources."""

from __future__ import annotations

import dash
import dash_mantine_components as dmc
from dash import dcc, html

from dashboard import ids, queries
from dashboard.components import aria
from dashboard.components.url_state import MODE_STORE, nav_link_id
from dashboard.i18n import current_language, t
from dashboard.queries import home as home_queries
from dashboard.theme import THEME


def nav_links(lang: str) -> list[dcc.Link]:
    """Links to every finished page, in registry order (a page opts out with ``nav=False``)."""
    entries = sorted(
        (page for page in dash.page_registry.values() if page.get("nav", True)),
        key=lambda page: page.get("order", 100),
    )
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
        **aria(t("shell.language", lang)),
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
        [html.Strong("Demodata (synthetisch)"), " — ", t("shell.demo_banner", lang)],
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
                    ),
                    html.Nav(
                        nav_links(lang),
                        className="rk-nav",
                        **aria(t("shell.navigation", lang)),
                    ),
                    language_switch(lang),
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
                html.P(t("shell.footer_sources", lang)),
                html.P(t("shell.footer_licence", lang)),
                html.P(dcc.Link(t("nav.admin", lang), href=dash.get_relative_path("/beheer"))),
            ],
            size="xl",
        ),
        className="rk-footer",
    )
    return dmc.MantineProvider(
        html.Div(
            [
                html.A(t("shell.skip_link", lang), href="#main", className="rk-skip-link"),
                dcc.Store(id=MODE_STORE),
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
