"""Regiokompas: the regional labour market next to education programmes.

``gunicorn app:server`` serves it; ``python app.py`` runs the development server (after
preparing the database, with demo data when it is empty); ``regiokompas`` is the command line.
"""

from __future__ import annotations

from typing import Any

from dashboard.app_factory import create_app
from dashboard.cli import cli

__all__ = ["cli", "create_app"]

_built: dict[str, Any] = {}


def __getattr__(name: str) -> Any:
    # Built on first use, so that `regiokompas --help` does not build the whole app.
    if name in ("app", "server"):
        if "app" not in _built:
            _built["app"] = create_app()
        return _built["app"] if name == "app" else _built["app"].server
    raise AttributeError(name)


if __name__ == "__main__":
    from dashboard.cli import ensure_store
    from data.settings import get_settings

    settings = get_settings()
    ensure_store(settings, with_demo=True)
    create_app(settings).run(host=settings.host, port=settings.port, debug=True)
