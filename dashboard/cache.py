"""The query cache, shared by all gunicorn workers (filesystem) or all hosts (Redis)."""

from flask_caching import Cache

cache = Cache()


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
