"""The README's run command: ``regiokompas serve`` on an empty store builds the demo data and
then serves it with gunicorn, whose workers answer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, _wait_for, free_port


def _get(url: str) -> bytes:
    # Well under gunicorn's worker timeout (120 s): a worker that hangs fails here, not later.
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200
        return response.read()


def test_serve_builds_the_demo_then_every_worker_answers(tmp_path: Path, model_cache: Path) -> None:
    shutil.copytree(model_cache, tmp_path / "cache" / "models")
    port = free_port()
    env = {
        **os.environ,
        "REGIOKOMPAS_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
        "REGIOKOMPAS_CACHE_DIR": str(tmp_path / "cache"),
        "REGIOKOMPAS_CACHE_TYPE": "FileSystemCache",
    }
    log_path = tmp_path / "serve.log"
    command = [str(Path(sys.executable).parent / "regiokompas"), "serve", "--host", "127.0.0.1"]
    # 3,000 postings: enough for the demo build to run the matcher over several Polars
    # threads before gunicorn starts its workers.
    command += ["--port", str(port), "--workers", "2", "--demo-vacancies", "3000"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            try:
                _wait_for(base + "/healthz", process, timeout=600)
            except (RuntimeError, TimeoutError) as error:
                pytest.fail(f"{error}\n{log_path.read_text(errors='replace')[-3000:]}")
            # Each worker's first request builds every page's layout from the store.
            for _ in range(4):
                assert b"Regiokompas" in _get(base + "/")
            shell = json.loads(_get(base + "/_dash-layout"))
            assert "Demodata (synthetisch)" in json.dumps(shell)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    output = log_path.read_text(errors="replace")
    assert "demodata (synthetisch) bouwen" in output
    assert "WORKER TIMEOUT" not in output
    assert output.count('"GET / HTTP/1.1" 200') == 4
