"""State shared by all gunicorn workers (filesystem) or all hosts (Redis): the query cache and
the rate-limit counters.

The rate limits (Flask-Limiter) count in the same place as the cache: in Redis when the cache is
``RedisCache``, so a limit holds across workers and hosts; otherwise in each worker's memory, so
with several workers a limit holds per worker and is approximate (four workers may together let
through up to four times the limit).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, current_app
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

cache = Cache()

LIMITER_EXTENSION = "regiokompas_limiter"


def cache_config(
    cache_type: str, cache_dir: str, redis_url: str, timeout: int
) -> dict[str, object]:
    config: dict[str, object] = {"CACHE_TYPE": cache_type, "CACHE_DEFAULT_TIMEOUT": timeout}
    if cache_type == "FileSystemCache":
        config["CACHE_DIR"] = cache_dir
        config["CACHE_THRESHOLD"] = 2000
    elif cache_type == "RedisCache":
        config["CACHE_REDIS_URL"] = redis_url
        config["CACHE_KEY_PREFIX"] = "regiokompas:"
    return config


def limiter_storage(cache_type: str, redis_url: str) -> str:
    """Where the rate-limit counters live: the cache's Redis, or this worker's memory.

    >>> limiter_storage("RedisCache", "redis://127.0.0.1:6379/0")
    'redis://127.0.0.1:6379/0'
    >>> limiter_storage("FileSystemCache", "redis://127.0.0.1:6379/0")
    'memory://'
    """
    return redis_url if cache_type == "RedisCache" else "memory://"


def init_limiter(server: Flask, cache_type: str, redis_url: str) -> Limiter:
    """Flask-Limiter for ``server``, with no default limits: only the actions that ask for a
    limit (:func:`take`) are counted."""
    limiter = Limiter(
        get_remote_address,
        app=server,
        storage_uri=limiter_storage(cache_type, redis_url),
        key_prefix="regiokompas-limit",
        strategy="moving-window",
        headers_enabled=False,
    )
    server.extensions[LIMITER_EXTENSION] = limiter
    return limiter


@dataclass(frozen=True)
class Allowance:
    """The answer of :func:`may`: whether the action may happen now, and if not, when."""

    allowed: bool
    retry_after: int  # seconds until the next one is allowed (0 when allowed)


def _counter(rate: str) -> tuple[Limiter, RateLimitItem, str]:
    limiter: Limiter = current_app.extensions[LIMITER_EXTENSION]
    return limiter, parse(rate), get_remote_address()


def may(action: str, rate: str) -> Allowance:
    """Whether this request's client may do ``action`` once more within ``rate``
    (``"10 per hour"``), without counting it: count with :func:`take` once it succeeded, so that
    a refused form (a typo, a name in use) costs nothing."""
    limiter, item, client = _counter(rate)
    if limiter.limiter.test(item, action, client):
        return Allowance(True, 0)
    stats = limiter.limiter.get_window_stats(item, action, client)
    return Allowance(False, max(1, int(stats.reset_time - time.time())))


def take(action: str, rate: str) -> None:
    """Count one ``action`` of this request's client against ``rate``."""
    limiter, item, client = _counter(rate)
    limiter.limiter.hit(item, action, client)
