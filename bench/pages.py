"""Benchmark: the server time of each page's main callback against an empty callback, and the
first render of each page in headless Chromium.

    nice -n 5 .venv/bin/python bench/pages.py \\
        --database-url sqlite:////work/main/var/bench/demo-1m.sqlite \\
        --models var/bench/cache/models

For each regime it serves ``bench/pages_app.py`` (the real app plus one empty callback) with
real gunicorn (two workers, 127.0.0.1, a free port) on the given store:

- **cold**: ``REGIOKOMPAS_CACHE_TYPE=NullCache``, so every query reaches the store;
- **queries**: a fresh ``FileSystemCache`` shared by both workers with the render cache off
  (``REGIOKOMPAS_RENDER_CACHE=false``): query results are read back, every answer is built;
- **warm**: the default set-up, a fresh ``FileSystemCache`` with query results and the public
  pages' answers kept (``dashboard/render_cache.py``).

In the last two, one request per callback fills the cache before the timed ones; the column
"read back" counts the timed answers that came from the render cache.

Per page it POSTs the page's main callback to ``/_dash-update-component`` (the routing callback
that renders the page's layout from the URL; for pages that fill their body in a callback of
their own, that callback too), ``--repeat`` times, each time right after one POST of the empty
callback, and reports the median and 90th percentile of the round trip seen by the client, of
the server's own time and of the time spent in queries (both from the ``Server-Timing`` header
of ``pages_app``). Then it opens every page ``--renders`` times in headless Chromium (a fresh
context each time, so nothing is in the browser cache) and times navigation start to the
page's main content being visible. It prints the Markdown table rows for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("REGIOKOMPAS_TEST_CHROMIUM", "/usr/bin/chromium")
ROUTER = "_pages_content.children"
EMPTY = "bench-pong.children"


@dataclass(frozen=True)
class PageSpec:
    """One page: its address, the callbacks that make its main content, and what shows it."""

    name: str
    path: str
    search: str
    # Output of the page's own main callback (besides the router) and the values to send that
    # are not in the rendered layout: {"component-id.property": value}.
    callback: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    # Text the main callback's response must contain (so an error page is never timed).
    expect: str = ""
    # CSS selector of the page's main content, visible once the page has rendered.
    visible: str = ""


def pages(region: str, area: str, programme: str, skill: str) -> list[PageSpec]:
    return [
        PageSpec("home", "/", f"?regio={region}", expect="home-total", visible="#home-total"),
        PageSpec(
            "kaart",
            "/kaart",
            f"?regio={region}",
            expect="kaart-map",
            visible="#kaart-map .main-svg",
        ),
        PageSpec(
            "tekorten",
            "/tekorten",
            f"?regio={region}",
            expect="tek-demand-chart-0",
            visible="#tek-demand-chart-0 .main-svg",
        ),
        PageSpec(
            "opleidingen",
            "/opleidingen",
            f"?opleiding={programme}&regio={area}",
            callback="opl-body.children",
            expect="opl-score",
            visible="#opl-score",
        ),
        PageSpec(
            "vaardigheden",
            "/vaardigheden",
            f"?vaardigheid={skill}&regio={region}",
            expect="vaardigheden-share",
            visible="#vaardigheden-share",
        ),
        PageSpec(
            "vacatures",
            "/vacatures",
            f"?regio={region}",
            callback="vac-grid.getRowsResponse",
            overrides={
                "vac-grid.getRowsRequest": {
                    "startRow": 0,
                    "endRow": 50,
                    "sortModel": [],
                    "filterModel": {},
                }
            },
            expect="rowCount",
            visible="#vac-grid .ag-row",
        ),
        PageSpec(
            "over-de-data",
            "/over-de-data",
            "",
            expect="odd-sources-table",
            visible="#odd-sources-table",
        ),
        PageSpec(
            "matchen",
            "/matchen",
            f"?regio={region}",
            callback="matchen-results.children",
            overrides={
                "matchen-button.n_clicks": 1,
                "matchen-skills.value": [skill],
                "matchen-text.value": "",
            },
            expect="matchen-list",
            visible="#matchen-button",
        ),
        PageSpec("regios", "/regios", "", expect="reg-save", visible="#reg-map .main-svg"),
    ]


# --- Serving ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(
    url: str, cache_type: str, models: Path | None, timeout: int, render_cache: bool = True
) -> Iterator[str]:
    """``bench/pages_app.py`` under gunicorn (two workers) on ``url``; yields the base URL."""
    with tempfile.TemporaryDirectory(prefix="regiokompas-pages-") as tmp:
        cache_dir = Path(tmp) / "cache"
        cache_dir.mkdir()
        if models is not None:
            shutil.copytree(models, cache_dir / "models")
        port = free_port()
        env = {
            **os.environ,
            "REGIOKOMPAS_DATABASE_URL": url,
            "REGIOKOMPAS_CACHE_TYPE": cache_type,
            "REGIOKOMPAS_CACHE_DIR": str(cache_dir),
            "REGIOKOMPAS_RENDER_CACHE": "true" if render_cache else "false",
        }
        log_path = Path(tmp) / "gunicorn.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--workers",
                    "2",
                    "--timeout",
                    str(timeout),
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--chdir",
                    str(ROOT),
                    "--pythonpath",
                    str(ROOT / "bench"),
                    "pages_app:server",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            base = f"http://127.0.0.1:{port}"
            try:
                _wait_healthy(base, process, log_path, timeout)
                yield base
            finally:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _wait_healthy(base: str, process: subprocess.Popen[bytes], log: Path, timeout: int) -> None:
    """Until ``/healthz`` answers: a worker's first request builds Dash's validation layout
    (every page, for the whole country), which on a large store and busy cores takes minutes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()}")
        try:
            if requests.get(base + "/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise TimeoutError(
        f"{base} did not become healthy within {timeout} s:\n{log.read_text()[-4000:]}"
    )


# --- Callbacks -------------------------------------------------------------------------------


def _component_id(text: str) -> Any:
    return json.loads(text) if text.startswith("{") else text


def _key(dependency: dict[str, Any]) -> str:
    ident = dependency["id"]
    if isinstance(ident, dict):
        ident = json.dumps(ident, sort_keys=True, separators=(",", ":"))
    return f"{ident}.{dependency['property']}"


def _props_by_id(tree: Any, found: dict[str, dict[str, Any]]) -> None:
    """Every component of a rendered layout (Dash JSON) by its id (dict ids as sorted JSON)."""
    if isinstance(tree, dict):
        props = tree.get("props")
        if isinstance(props, dict) and "id" in props:
            ident = props["id"]
            if isinstance(ident, dict):
                ident = json.dumps(ident, sort_keys=True, separators=(",", ":"))
            found[str(ident)] = props
        for value in tree.values():
            _props_by_id(value, found)
    elif isinstance(tree, list):
        for value in tree:
            _props_by_id(value, found)


# (client ms, server ms, query ms, queries, response text, read from the render cache)
Sample = tuple[float, float, float, int, str, bool]


class Client:
    """Builds and sends callback requests the way the Dash renderer does."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self._first_requests(workers=2)
        deps = self.session.get(base + "/_dash-dependencies", timeout=60)
        deps.raise_for_status()
        self.callbacks = {d["output"]: d for d in deps.json()}
        for needed in (ROUTER, EMPTY):
            if not any(needed in output for output in self.callbacks):
                raise RuntimeError(f"no callback with output {needed} on {base}")

    def _first_requests(self, workers: int) -> None:
        """Open the home page until every worker has answered once: Dash registers the page
        router and builds its validation layout (every page, for the whole country) on a
        worker's first request, which must not be timed."""
        seen: set[str] = set()
        with ThreadPoolExecutor(workers) as pool:
            for _ in range(20):
                responses = list(
                    pool.map(lambda _: requests.get(self.base + "/", timeout=900), range(workers))
                )
                for response in responses:
                    response.raise_for_status()
                    seen.add(_worker(response.headers.get("Server-Timing", "")))
                if len(seen) >= workers:
                    return
        raise RuntimeError(f"only {len(seen)} of {workers} workers answered")

    def _callback(self, output: str) -> dict[str, Any]:
        for key, callback in self.callbacks.items():
            parts = [part.split("@")[0] for part in key.strip(".").split("...")]
            if output in parts:
                return callback
        raise KeyError(f"no callback with output {output!r}")

    def payload(self, output: str, values: dict[str, Any]) -> dict[str, Any]:
        callback = self._callback(output)
        outputs = [
            {"id": _component_id(part.rsplit(".", 1)[0]), "property": part.rsplit(".", 1)[1]}
            for part in callback["output"].strip(".").split("...")
            if part
        ]

        def filled(dependency: dict[str, Any]) -> dict[str, Any]:
            ident = _component_id(dependency["id"])
            entry = {"id": ident, "property": dependency["property"]}
            key = _key({"id": ident, "property": dependency["property"]})
            if key in values:
                entry["value"] = values[key]
            return entry

        inputs = [filled(d) for d in callback["inputs"]]
        return {
            "output": callback["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": inputs,
            "changedPropIds": [_key(inputs[0])],
            "state": [filled(d) for d in callback["state"]],
        }

    def post(self, payload: dict[str, Any], expect: str) -> Sample:
        """One round trip: (client ms, server ms, query ms, queries, response text, whether
        the answer was read from the render cache)."""
        started = time.perf_counter()
        response = self.session.post(
            self.base + "/_dash-update-component", json=payload, timeout=900
        )
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or (expect and expect not in response.text):
            raise RuntimeError(
                f"{payload['output']}: HTTP {response.status_code}, {response.text[:500]}"
            )
        server_ms, query_ms, count = _server_timing(response.headers.get("Server-Timing", ""))
        kept = response.headers.get("X-Regiokompas-Render") == "hit"
        return elapsed, server_ms, query_ms, count, response.text, kept

    def router_payload(self, spec: PageSpec) -> dict[str, Any]:
        return self.payload(
            ROUTER,
            {"_pages_location.pathname": spec.path, "_pages_location.search": spec.search},
        )

    def page_payload(self, spec: PageSpec, layout_text: str) -> dict[str, Any]:
        """The payload of a page's own callback, with the values its rendered layout holds."""
        assert spec.callback is not None
        found: dict[str, dict[str, Any]] = {}
        _props_by_id(json.loads(layout_text), found)
        callback = self._callback(spec.callback)
        values = {}
        for dependency in [*callback["inputs"], *callback["state"]]:
            props = found.get(dependency["id"], {})
            if dependency["property"] in props:
                values[_key(dependency)] = props[dependency["property"]]
        region = spec.search.partition("regio=")[2].partition("&")[0]
        values.setdefault('{"name":"regio","type":"url-param"}.value', region or None)
        values.update(spec.overrides)
        return self.payload(spec.callback, values)


def _worker(header: str) -> str:
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if fields[0] == "worker" and len(fields) > 1:
            return fields[1].removeprefix("desc=").strip('"')
    return ""


def _server_timing(header: str) -> tuple[float, float, int]:
    server = query = 0.0
    count = 0
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        name = fields[0]
        if name not in ("app", "query"):
            continue
        for item in fields[1:]:
            if item.startswith("dur="):
                value = float(item[4:])
                server, query = (value, query) if name == "app" else (server, value)
            elif item.startswith("desc="):
                count = int(item[5:].strip('"'))
    return server, query, count


# --- Measuring -------------------------------------------------------------------------------


@dataclass
class Series:
    client: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)
    query: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    kept: int = 0  # answers read from the render cache

    def add(self, sample: Sample) -> None:
        self.client.append(sample[0])
        self.server.append(sample[1])
        self.query.append(sample[2])
        self.queries.append(sample[3])
        self.kept += sample[5]


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def measure(base: str, specs: list[PageSpec], repeat: int) -> dict[str, tuple[Series, Series]]:
    """Per callback: (the page's series, the empty callback's series, interleaved)."""
    client = Client(base)
    empty = client.payload(EMPTY, {"bench-ping.data": 1})
    client.post(empty, "")
    results: dict[str, tuple[Series, Series]] = {}
    for spec in specs:
        router = client.router_payload(spec)
        expect = spec.expect if spec.callback is None else ""
        # One untimed round: fills the cache (warm) and loads lazily imported code (both).
        layout = client.post(router, expect)[4]
        targets = [(f"{spec.name} (layout)", router, expect)]
        if spec.callback is not None:
            own = client.page_payload(spec, layout)
            client.post(own, spec.expect)
            targets.append((f"{spec.name} ({spec.callback.split('.')[0]})", own, spec.expect))
        for label, payload, wanted in targets:
            mine, baseline = Series(), Series()
            for _ in range(repeat):
                baseline.add(client.post(empty, ""))
                mine.add(client.post(payload, wanted))
            results[label] = (mine, baseline)
            print(_row(label, mine, baseline), flush=True)
    return results


def _row(label: str, mine: Series, baseline: Series) -> str:
    ratio = statistics.median(mine.client) / statistics.median(baseline.client)
    return (
        f"| {label} | {statistics.median(mine.client):,.1f} | {p90(mine.client):,.1f} | "
        f"{statistics.median(mine.server):,.1f} | {statistics.median(mine.query):,.1f} | "
        f"{statistics.median(mine.queries):.0f} | {statistics.median(baseline.client):,.1f} | "
        f"{p90(baseline.client):,.1f} | {ratio:,.1f}× | {mine.kept}/{len(mine.client)} |"
    )


def first_renders(base: str, specs: list[PageSpec], renders: int) -> dict[str, list[float]]:
    """Milliseconds from navigation start to the main content visible, per page."""
    from playwright.sync_api import sync_playwright

    timings: dict[str, list[float]] = {spec.name: [] for spec in specs}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        try:
            for round_ in range(renders + 1):
                for spec in specs:
                    context = browser.new_context(viewport={"width": 1366, "height": 768})
                    page = context.new_page()
                    page.goto(base + spec.path + spec.search, wait_until="commit")
                    shown = page.wait_for_function(
                        """(selector) => {
                            const element = document.querySelector(selector);
                            if (!element) { return false; }
                            const box = element.getBoundingClientRect();
                            return box.width > 0 && box.height > 0 && performance.now();
                        }""",
                        arg=spec.visible,
                        polling="raf",
                        timeout=900_000,
                    ).json_value()
                    context.close()
                    if round_:  # the first round only warms the server's code paths
                        timings[spec.name].append(float(shown))
        finally:
            browser.close()
    return timings


# --- Main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench' / 'demo-1m.sqlite'}"
    )
    parser.add_argument("--models", type=Path, help="fitted models to copy into the cache")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--renders", type=int, default=5)
    parser.add_argument("--regimes", default="cold,warm")
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    parser.add_argument("--region", default="GM0193", help="gemeente (default Zwolle)")
    parser.add_argument("--area", default="AM36", help="arbeidsmarktregio (default Zwolle)")
    parser.add_argument("--programme", default="25633", help="crebo (Mediavormgever)")
    parser.add_argument("--skill", default="photoshop")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--timeout", type=int, default=900, help="gunicorn worker timeout (s)")
    args = parser.parse_args()

    specs = pages(args.region, args.area, args.programme, args.skill)
    if args.pages:
        wanted = set(args.pages.split(","))
        specs = [spec for spec in specs if spec.name in wanted]
    # cold: nothing cached; queries: query results cached, every answer built; warm: query
    # results and the public pages' answers cached (the default set-up).
    cache_types = {"cold": "NullCache", "queries": "FileSystemCache", "warm": "FileSystemCache"}
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{args.database_url}, load average at start {os.getloadavg()}",
        flush=True,
    )
    for regime in args.regimes.split(","):
        print(f"\n### {regime} ({cache_types[regime]})\n", flush=True)
        print(
            "| callback | median ms | p90 ms | server ms | queries ms | queries | "
            "empty median ms | empty p90 ms | × empty | read back |",
            flush=True,
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
        with serve(
            args.database_url,
            cache_types[regime],
            args.models,
            args.timeout,
            render_cache=regime != "queries",
        ) as base:
            measure(base, specs, args.repeat)
            if not args.no_browser:
                renders = first_renders(base, specs, args.renders)
                print("\n| page | first render median ms | min | max |", flush=True)
                print("|---|---:|---:|---:|", flush=True)
                for name, values in renders.items():
                    print(
                        f"| {name} | {statistics.median(values):,.0f} | {min(values):,.0f} | "
                        f"{max(values):,.0f} |",
                        flush=True,
                    )
        print(f"load average after {regime}: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
