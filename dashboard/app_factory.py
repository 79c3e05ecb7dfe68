"""Build the Dash app from settings: pages, shell, cache, language route, health check."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from urllib.parse import urlsplit

import dash
from flask import Flask, jsonify, make_response, redirect, request
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from dashboard import api, auth, pages, shell
from dashboard.cache import cache, cache_config, init_limiter
from dashboard.components import url_state  # noqa: F401 - registers the URL-state callbacks
from dashboard.i18n import COOKIE, LANGUAGES, current_language
from dashboard.render_cache import init_render_cache
from data.settings import Settings, get_settings
from data.store.session import engine_for

ASSETS_DIR = Path(__file__).resolve().parent / "assets"


def _import_pages() -> None:
    """Import every page module; each registers itself with ``dash.register_page``."""
    for module in pkgutil.iter_modules(pages.__path__):
        importlib.import_module(f"{pages.__name__}.{module.name}")


def _safe_next(target: str | None, prefix: str) -> str:
    """Only same-site relative paths: the language switch must not be an open redirect."""
    if not target:
        return prefix
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return prefix
    return target


def create_app(settings: Settings | None = None) -> dash.Dash:
    """The Regiokompas Dash app for ``settings`` (the environment's when None)."""
    settings = settings or get_settings()
    server = Flask("regiokompas")
    server.config["REGIOKOMPAS_SETTINGS"] = settings
    if settings.proxies:
        hops = settings.proxies
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    server.secret_key = auth.secret_key(settings)
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    cache.init_app(
        server,
        config=cache_config(
            settings.cache_type,
            settings.cache_dir,
            settings.cache_redis_url,
            settings.cache_timeout,
        ),
    )
    init_limiter(server, settings.cache_type, settings.cache_redis_url)

    app = dash.Dash(
        "regiokompas",
        server=server,  # type: ignore[arg-type]  # typed as bool, documented to take a Flask
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS_DIR),
        title="Regiokompas",
        update_title="",
        suppress_callback_exceptions=False,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": "Regionale arbeidsmarkt naast het onderwijsaanbod"},
        ],
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="nl">')
    render_index = app.interpolate_index

    def interpolate_index(**kwargs: str) -> str:
        lang = current_language(default=settings.default_language)
        return render_index(**kwargs).replace('<html lang="nl">', f'<html lang="{lang}">', 1)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign,assignment]
    _import_pages()
    app.layout = shell.layout
    # After Dash's own request hooks (its first-request set-up must run before any answer).
    init_render_cache(server, settings)

    prefix = app.config.requests_pathname_prefix
    server.register_blueprint(api.blueprint)

    @server.get("/healthz")
    def healthz() -> Response:
        try:
            with engine_for(settings.database_url).connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001 - the health check reports any failure
            return make_response(jsonify(status="error", database=str(error)[:200]), 503)
        return jsonify(status="ok", database="ok")

    def remember_language(response: Response, lang: str) -> None:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)

    @server.get("/taal/<lang>")
    def switch_language(lang: str) -> Response:
        response = redirect(_safe_next(request.args.get("next"), prefix))
        if lang in LANGUAGES:
            remember_language(response, lang)
        return response

    @server.after_request
    def language_of_the_url_sticks(response: Response) -> Response:
        """A page opened with ``?lang=`` (a shared link) keeps that language for the links in
        the page that do not carry it (a vacancy, a batch, another skill): the cookie follows
        the URL, as it does after the language switch. Not for embed views, which live in
        another site's page."""
        lang = request.args.get("lang")
        if (
            request.method == "GET"
            and lang in LANGUAGES
            and response.status_code == 200
            and response.mimetype == "text/html"
            and not request.path.startswith(f"{prefix}embed/")
            and request.cookies.get(COOKIE) != lang
        ):
            remember_language(response, lang)
        return response

    @server.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        # Only the read-only embed views may be framed, and only by the configured parents.
        if request.path.startswith(f"{prefix}embed/"):
            ancestors = settings.embed_allowed_parents
            response.headers["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
        else:
            response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'self'")
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response

    return app
