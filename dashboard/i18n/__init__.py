"""Interface texts in Dutch (default) and English.

Texts live in ``nl/*.json`` and ``en/*.json`` (one file per page or area, merged), with the same
keys in both languages (a test checks this). ``t`` looks a key up in the active language and
falls back to Dutch, so a missing English text never breaks a page.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

LANGUAGES = ("nl", "en")
COOKIE = "regiokompas_lang"
_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((_DIR / lang).glob("*.json")):
        texts = json.loads(path.read_text(encoding="utf-8"))
        duplicate = merged.keys() & texts.keys()
        if duplicate:
            raise ValueError(f"{path}: keys defined twice: {sorted(duplicate)}")
        merged.update(texts)
    return merged


def t(key: str, lang: str = "nl", **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``."""
    text = catalogue(lang if lang in LANGUAGES else "nl").get(key) or catalogue("nl")[key]
    return text.format(**values) if values else text


def _page_language(path: str, referrer: str | None, host: str) -> str | None:
    """The ``lang`` of the page that asks Dash for its layout.

    The browser fetches the shell from ``/_dash-layout`` without the page's query string, but
    sends the page's address as referrer (same origin). Reading ``lang`` from there renders the
    shell in the URL's language at once, so a shared ``?lang=en`` link does not first show the
    navigation in the cookie's language.

    >>> _page_language("/_dash-layout", "http://h:1/kaart?regio=GM0193&lang=en", "h:1")
    'en'
    >>> _page_language("/_dash-layout", "https://elders.example/?lang=en", "h:1") is None
    True
    >>> _page_language("/kaart", "http://h:1/?lang=en", "h:1") is None
    True
    """
    if not path.endswith("/_dash-layout") or not referrer:
        return None
    page = urlsplit(referrer)
    if page.netloc != host:
        return None
    values = parse_qs(page.query).get("lang", [])
    return values[-1] if values and values[-1] in LANGUAGES else None


def current_language(requested: str | None = None, default: str = "nl") -> str:
    """The language of this request: an explicit ``?lang=``, else the cookie, else the default."""
    if requested in LANGUAGES:
        return requested
    try:
        from flask import has_request_context, request

        if has_request_context():
            chosen = (
                request.args.get("lang")
                or _page_language(request.path, request.referrer, request.host)
                or request.cookies.get(COOKIE)
            )
            if chosen in LANGUAGES:
                return chosen
    except ImportError:  # pragma: no cover - flask is a dependency of dash
        pass
    return default if default in LANGUAGES else "nl"
