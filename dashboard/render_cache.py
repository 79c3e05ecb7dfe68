"""Whole callback answers of the public pages, kept in the shared cache.

The query cache (``dashboard/queries``) spares the store, but a page callback also builds its
components and Plotly figures and serialises them, which on a warm cache is most of its time.
For the callbacks that only *show* data, the answer is a function of the request body (the
URL's path and parameters, the grid's row request), the data version, the language, the
public address (share links hold it), the date, the settings that shape pages (the store, the
reference and geometry folders, small-count rules...) and the code: this module keeps the JSON
answer under a key made of exactly those, in the same shared cache (file system or Redis), so
every worker, and with Redis every host behind the same address, answers a repeated view by
reading it.

Only what a page opts into is kept:

- a page's layout, when the page registers with ``render_cache=True`` (public, read-only pages;
  never the admin page);
- a page's own callbacks, named with :func:`allow` (never the Matchen results: what a visitor
  types there is not stored anywhere).

A key never holds the request in clear (it is a hash), answers that set a cookie or fail are not
kept, and with ``NullCache`` (or the setting ``render_cache`` false) nothing happens. A new
batch, an edited own region or a changed taxonomy changes the data version
(:func:`dashboard.queries.data_version`), so an answer is never served for other data;
:func:`bump` drops every kept answer at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import dash
from flask import Flask, Response, g, request

from dashboard.cache import cache
from dashboard.i18n import current_language
from data.settings import Settings

log = logging.getLogger(__name__)

HEADER = "X-Regiokompas-Render"  # "hit" or "stored", for the page benchmark and the tests
MAX_BYTES = 8 * 1024 * 1024  # larger answers are rebuilt each time rather than kept
_GENERATION = "render-generation"
ROUTER_OUTPUT = "..{}.children...{}.data..".format("_pages_content", "_pages_store")
_ALLOWED: set[str] = {ROUTER_OUTPUT}
_ROOT = Path(__file__).resolve().parent.parent
# Settings that never change what a page shows: hosts that differ only in these (their own
# cache folder, port, secrets) share the answers they keep in one Redis.
_NOT_IN_ANSWERS = {
    "admin_password_hash",
    "secret_key",
    "cache_type",
    "cache_dir",
    "cache_redis_url",
    "cache_timeout",
    "render_cache",
    "region_create_limit",
    "host",
    "port",
    "proxies",
}


def output_key(*outputs: tuple[str, str]) -> str:
    """The ``output`` field of a Dash callback request for these (component id, property)s.

    >>> output_key(("opl-body", "children"))
    'opl-body.children'
    >>> output_key(("a", "children"), ("b", "opened"))
    '..a.children...b.opened..'
    """
    parts = [f"{component.replace('.', chr(92) + '.')}.{prop}" for component, prop in outputs]
    return parts[0] if len(parts) == 1 else "..{}..".format("...".join(parts))


def allow(*outputs: tuple[str, str]) -> None:
    """Let the callback with these outputs be answered from the cache. Only for callbacks that
    read (no writes, no session, nothing typed by a visitor) and whose answer depends on the
    values of their inputs and states alone (not on which of them changed: the key leaves
    ``changedPropIds`` out)."""
    _ALLOWED.add(output_key(*outputs))


def _fingerprint(roots: Iterable[Path]) -> str:
    """A hash of the code and texts that shape an answer, so a deployment with other code never
    reads answers kept by the previous one (workers of one deployment agree on it)."""
    digest = hashlib.blake2b(digest_size=8)
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".py", ".json"} and path.is_file():
                digest.update(str(path.relative_to(_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _page_allows(pathname: str) -> bool:
    path = "/" + dash.strip_relative_path(pathname or "/")
    path = path.rstrip("/") or "/"
    return any(
        page.get("render_cache") is True and page.get("path") == path
        for page in dash.page_registry.values()
    )


def _input_value(payload: dict[str, Any], component: str, prop: str) -> Any:
    for item in payload.get("inputs") or []:
        if isinstance(item, dict) and item.get("id") == component and item.get("property") == prop:
            return item.get("value")
    return None


def cacheable(payload: Any) -> bool:
    """Whether a callback request may be answered from (and kept in) the cache."""
    if not isinstance(payload, dict):
        return False
    output = payload.get("output")
    if output not in _ALLOWED:
        return False
    if output == ROUTER_OUTPUT:
        return _page_allows(str(_input_value(payload, "_pages_location", "pathname") or "/"))
    return True


def bump() -> None:
    """Drop every kept answer, in all workers (the generation in every key changes)."""
    try:
        cache.set(_GENERATION, int(cache.get(_GENERATION) or 0) + 1, timeout=0)
    except Exception:  # noqa: BLE001 - an unreachable cache keeps nothing to drop
        log.warning("render cache: could not drop the kept answers", exc_info=True)


def init_render_cache(server: Flask, settings: Settings) -> None:
    """Answer allowed callback requests from the shared cache, and keep new answers there."""
    if settings.cache_type == "NullCache" or not settings.render_cache:
        return
    code = _fingerprint(_ROOT / package for package in ("dashboard", "matching", "data"))
    shaping = settings.model_dump_json(exclude=_NOT_IN_ANSWERS).encode()
    configured = hashlib.blake2b(shaping, digest_size=8).hexdigest()

    def key() -> str | None:
        if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
            return None
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict) or not cacheable(payload):
            return None
        from dashboard import queries  # the query module imports this package's cache

        digest = hashlib.sha256()
        for part in (
            code,
            configured,
            str(cache.get(_GENERATION) or 0),
            queries.data_version(settings.database_url),
            current_language(default=settings.default_language),
            request.host_url,
            date.today().isoformat(),
        ):
            digest.update(part.encode())
            digest.update(b"\0")
        # What the answer depends on, in one spelling: which input changed (the renderer
        # names one or both after a link, both on a first load) and the JSON's layout do not.
        asked = {key: payload.get(key) or [] for key in ("output", "inputs", "state")}
        digest.update(json.dumps(asked, sort_keys=True, separators=(",", ":")).encode())
        return f"render:{digest.hexdigest()}"

    @server.before_request
    def answer_from_cache() -> Response | None:
        try:
            found = key()
            if found is None:
                return None
            kept = cache.get(found)
        except Exception:  # noqa: BLE001 - a cache or store failure must not break the page
            log.warning("render cache: lookup failed, building the answer", exc_info=True)
            return None
        if kept is None:
            g.render_cache_key = found
            return None
        response = Response(kept, status=200, mimetype="application/json")
        response.headers[HEADER] = "hit"
        return response

    @server.after_request
    def keep_answer(response: Response) -> Response:
        found = g.pop("render_cache_key", None)
        if (
            found is None
            or response.status_code != 200
            or response.direct_passthrough
            or "Set-Cookie" in response.headers
            or response.mimetype != "application/json"
        ):
            return response
        body = response.get_data()
        if len(body) <= MAX_BYTES:
            try:
                cache.set(found, body)
                response.headers[HEADER] = "stored"
            except Exception:  # noqa: BLE001 - not keeping an answer only costs time
                log.warning("render cache: could not keep an answer", exc_info=True)
        return response
