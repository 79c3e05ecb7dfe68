"""The real app for the page benchmark (``bench/pages.py``), plus what only the benchmark needs.

    gunicorn --workers 2 --chdir bench pages_app:server

It is ``create_app()`` from the environment's settings with two additions:

- one empty callback (``bench-ping`` → ``bench-pong``) whose two invisible components are added
  to the shell, so the baseline round trip goes through the same gunicorn, Flask and Dash
  machinery (request parsing, callback lookup, JSON response) as every page callback;
- a ``Server-Timing`` header on every response (answers from the render cache included): the
  time spent in query functions
  (``dashboard.queries.run`` up to the store or the cache, including the data-version lookup)
  and how many were run, so the benchmark can tell the query time from the time spent building
  components and figures; and the worker's process id, so it can make sure that every worker
  has served its first request before it starts timing.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dash import Input, Output, dcc, html  # noqa: E402
from flask import g  # noqa: E402
from werkzeug.wrappers import Response  # noqa: E402

from dashboard import queries, shell  # noqa: E402
from dashboard.app_factory import create_app  # noqa: E402

PING = "bench-ping"
PONG = "bench-pong"

app = create_app()
server = app.server

# run() looks up these two module globals at call time, so wrapping them here times every query
# of every page without touching the query modules.
_cached_frame = queries._cached_frame
_data_version = queries.data_version


def _timed(function: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            if hasattr(g, "bench_query_s"):
                g.bench_query_s += time.perf_counter() - started
                g.bench_queries += 1

    return wrapper


queries._cached_frame = _timed(_cached_frame)
queries.data_version = _timed(_data_version)


def _layout() -> Any:
    root = shell.layout()
    frame = root.children
    frame.children = [
        *frame.children,
        dcc.Store(id=PING, data=0),
        html.Div(id=PONG, hidden=True),
    ]
    return root


app.layout = _layout


@app.callback(Output(PONG, "children"), Input(PING, "data"), prevent_initial_call=True)
def pong(value: Any) -> Any:
    """The empty callback: the baseline of every page's round trip."""
    return value


def _start_clock() -> None:
    g.bench_started = time.perf_counter()
    g.bench_query_s = 0.0
    g.bench_queries = 0


# First of all request hooks: a page answer read from the render cache returns from an earlier
# hook, and its time must be measured too.
server.before_request_funcs.setdefault(None, []).insert(0, _start_clock)


@server.after_request
def _server_timing(response: Response) -> Response:
    if hasattr(g, "bench_started"):
        total = (time.perf_counter() - g.bench_started) * 1000
        query_ms = g.bench_query_s * 1000
        response.headers["Server-Timing"] = (
            f'app;dur={total:.2f}, query;dur={query_ms:.2f};desc="{g.bench_queries}", '
            f'worker;desc="{os.getpid()}"'
        )
    return response
