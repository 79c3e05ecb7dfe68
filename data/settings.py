"""The one typed settings object of Regiokompas.

Every setting has a default, a help text and an environment variable ``REGIOKOMPAS_<NAME>``.
The README documents each one; ``tests/test_settings.py`` checks that it does.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent
REFERENCE_DIR = PACKAGE_ROOT / "reference"


def _default_shared_dir(name: str) -> str:
    """``../shared/<name>`` next to the checkout when it exists (tests, offline use), else empty."""
    candidate = PACKAGE_ROOT.parent.parent / "shared" / name
    return str(candidate) if candidate.is_dir() else ""


class Settings(BaseSettings):
    """Runtime configuration, read from ``REGIOKOMPAS_*`` environment variables or ``.env``."""

    model_config = SettingsConfigDict(
        env_prefix="REGIOKOMPAS_", env_file=".env", extra="ignore", validate_default=True
    )

    database_url: str = Field(
        default="sqlite:///var/regiokompas.db",
        description=(
            "SQLAlchemy URL of the store. SQLite for one school or region, PostgreSQL "
            "(postgresql+psycopg://user@host/db) for real deployments."
        ),
    )
    geo_dir: str = Field(
        default_factory=lambda: _default_shared_dir("geo"),
        description=(
            "Folder with CBS boundary files (<level>_<year>.topojson). Empty: download from "
            "PDOK on first use into cache_dir."
        ),
    )
    geo_download_url: str = Field(
        default="https://cartomap.github.io/nl/wgs84/{level}_{year}.topojson",
        description=(
            "Template of the URL geometry is downloaded from when geo_dir has no file; "
            "{level} and {year} are filled in. Empty disables downloading."
        ),
    )
    reference_dir: str = Field(
        default=str(REFERENCE_DIR),
        description="Folder with the reference tables (regions, places, BRC, programmes, skills).",
    )
    reference_year: int = Field(
        default=2025, description="Year of the regional classification used to resolve places."
    )
    skills_user_file: str = Field(
        default="",
        description=(
            "CSV file with users' own skills (the columns of skills.csv): new skills, or fields "
            "that override a seed skill. The extractor reads it, `regiokompas init-db` loads it "
            "into the store and `taxonomy import-esco` writes to it. Empty: "
            "<reference_dir>/skills_user.csv."
        ),
    )
    admin_password_hash: str = Field(
        default="",
        description=(
            "Hash of the admin password (create one with `regiokompas hash-password`). "
            "Empty: admin pages are closed."
        ),
    )
    secret_key: str = Field(
        default="",
        description=(
            "Secret used to sign session cookies. Empty: a random key per process (admin "
            "sessions then do not survive a restart or span several workers)."
        ),
    )
    embed_allowed_parents: str = Field(
        default="'self'",
        description=(
            "Space-separated origins allowed to embed /embed/ views in an iframe, sent as CSP "
            "frame-ancestors (e.g. \"'self' https://intranet.example.nl\")."
        ),
    )
    cache_type: str = Field(
        default="FileSystemCache",
        description=(
            "flask-caching backend: FileSystemCache (shared by workers on one host), RedisCache "
            "(shared by hosts) or NullCache (no caching)."
        ),
    )
    cache_dir: str = Field(
        default="var/cache", description="Folder for FileSystemCache and downloaded geometry."
    )
    cache_redis_url: str = Field(
        default="redis://127.0.0.1:6379/0", description="Redis URL when cache_type is RedisCache."
    )
    cache_timeout: int = Field(
        default=600, description="Seconds a cached query result stays valid."
    )
    render_cache: bool = Field(
        default=True,
        description=(
            "Keep the answers of the public pages' callbacks in the cache as well as query "
            "results (dashboard/render_cache.py); false builds every answer again."
        ),
    )
    region_create_limit: str = Field(
        default="10 per hour",
        description=(
            "How many own regions one client address may create, as a rate (\"10 per hour\", "
            "\"50 per day\"). Counted in Redis when cache_type is RedisCache, else in each "
            "worker's memory (then the limit holds per worker, so it is approximate)."
        ),
    )
    small_count_threshold: int = Field(
        default=10,
        description="Counts below this many vacancies are flagged as small on screen.",
    )
    suppress_small_counts: bool = Field(
        default=False,
        description="Hide (instead of flag) counts below small_count_threshold.",
    )
    default_language: str = Field(
        default="nl",
        description="Language of the interface when the user has not chosen: nl or en.",
    )
    host: str = Field(default="127.0.0.1", description="Address `regiokompas serve` listens on.")
    port: int = Field(default=8050, description="Port `regiokompas serve` listens on.")
    proxies: int = Field(
        default=0,
        ge=0,
        description=(
            "How many reverse proxies stand in front of the app. Their X-Forwarded-For, "
            "-Proto and -Host headers are then trusted for that many hops, so rate limits "
            "count the real client and shared links carry the public address. 0: no header "
            "is trusted (a client could otherwise pose as any address)."
        ),
    )

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in {"nl", "en"}:
            raise ValueError("default_language must be 'nl' or 'en'")
        return value

    @field_validator("region_create_limit")
    @classmethod
    def _valid_rate(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError as error:
            raise ValueError(
                f"region_create_limit {value!r} is not a rate such as '10 per hour': {error}"
            ) from None
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
