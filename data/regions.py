"""Users' own regions: named sets of 2025 gemeenten that anyone may create and share.

A region is stored as a :class:`~data.store.models.Region` with level ``eigen`` and a stable,
URL-safe code (``eigen-regio-zwolle-3f9a``), and its gemeenten as ``RegionMember`` rows, so every
query that understands arbeidsmarktregio's understands own regions too.

Who may change a region: whoever holds its edit token. Creating a region returns a random token
(``secrets.token_urlsafe``) once; the store keeps only its hash (``werkzeug.security``), so a
leaked database does not leak edit rights. There is no user account to attach the hash to and
the schema has no column for it, so the hash lives in ``Region.created_by`` (a ``String(200)``
otherwise unused for own regions), prefixed ``hash:``. ``created_by`` of an own region is
therefore never shown as a person. When the schema gains an ``edit_token_hash`` column this is
the one module to change.

The page calls these functions; it never writes SQL itself.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from data.store.models import Region, RegionMember
from data.store.session import session_scope

LEVEL = "eigen"
NAME_MAX = 100
DESCRIPTION_MAX = 1000
CODE_PREFIX = "eigen-"
HASH_PREFIX = "hash:"
# The token carries 192 random bits, so stretching it (werkzeug's default scrypt costs about a
# quarter of a second per check) adds no protection; a light PBKDF2 keeps every edit quick.
TOKEN_HASH_METHOD = "pbkdf2:sha256:10000"
_SLUG_MAX = 28  # "eigen-" + slug + "-" + 4 hex digits stays within Region.code's 40 characters
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RegionValidationError(ValueError):
    """The input cannot be stored; ``problems`` are message keys (``name_required``, ...)."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(", ".join(self.problems))


class RegionAccessError(PermissionError):
    """No own region with this code, or the edit token does not fit (deliberately one error:
    the answer must not tell a guesser which codes exist)."""


@dataclass(frozen=True)
class OwnRegion:
    code: str
    name: str
    description: str | None
    gemeenten: tuple[str, ...]
    created_at: dt.datetime | None


@dataclass(frozen=True)
class CreatedRegion:
    """A new region and its edit token; the token is shown once and never stored."""

    region: OwnRegion
    edit_token: str


def slugify(name: str) -> str:
    """A lower-case ASCII slug of at most 28 characters for a region's code.

    >>> slugify("Regio Zwolle")
    'regio-zwolle'
    >>> slugify("Île-de-Fryslân & 's-Hertogenbosch")
    'ile-de-fryslan-s-hertogenbos'
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:_SLUG_MAX].strip("-") or "regio"


def clean_text(value: str | None) -> str:
    """User text without control characters and surrounding white space."""
    return _CONTROL.sub("", value or "").strip()


def validate(
    name: str | None,
    gemeenten: Iterable[str] | None,
    description: str | None,
    known_gemeenten: set[str],
) -> tuple[str, tuple[str, ...], str | None]:
    """The cleaned name, sorted unique gemeente codes and description, or a validation error.

    >>> validate(" Regio X ", ["GM0193", "GM0193"], "", {"GM0193"})
    ('Regio X', ('GM0193',), None)
    """
    problems: list[str] = []
    clean_name = clean_text(name)
    if not clean_name:
        problems.append("name_required")
    elif len(clean_name) > NAME_MAX:
        problems.append("name_too_long")
    codes = tuple(sorted({str(code).strip() for code in gemeenten or () if str(code).strip()}))
    if not codes:
        problems.append("no_gemeenten")
    elif any(code not in known_gemeenten for code in codes):
        problems.append("unknown_gemeenten")
    clean_description = clean_text(description) or None
    if clean_description and len(clean_description) > DESCRIPTION_MAX:
        problems.append("description_too_long")
    if problems:
        raise RegionValidationError(problems)
    return clean_name, codes, clean_description


def _known_gemeenten(session: Session, year: int) -> set[str]:
    rows = session.execute(
        select(Region.code).where(Region.level == "gemeente", Region.year == year)
    ).scalars()
    return set(rows)


def _name_taken(session: Session, name: str, except_code: str | None = None) -> bool:
    statement = select(func.count(Region.id)).where(
        Region.level == LEVEL, func.lower(Region.name) == name.lower()
    )
    if except_code:
        statement = statement.where(Region.code != except_code)
    return bool(session.execute(statement).scalar())


def _new_code(session: Session, name: str) -> str:
    base = CODE_PREFIX + slugify(name)
    while True:
        code = f"{base}-{secrets.token_hex(2)}"
        if not session.execute(select(Region.id).where(Region.code == code)).first():
            return code


def _own(session: Session, code: str) -> Region | None:
    return session.execute(
        select(Region).where(Region.level == LEVEL, Region.code == code)
    ).scalar_one_or_none()


def _as_own(region: Region) -> OwnRegion:
    return OwnRegion(
        code=region.code,
        name=region.name,
        description=region.description,
        gemeenten=tuple(sorted(member.gemeente_code for member in region.members)),
        created_at=region.created_at,
    )


def _token_fits(region: Region | None, token: str | None) -> bool:
    if region is None or not token or not region.created_by:
        return False
    if not region.created_by.startswith(HASH_PREFIX):
        return False
    return check_password_hash(region.created_by[len(HASH_PREFIX) :], token)


def create_region(
    url: str,
    name: str,
    gemeenten: Iterable[str],
    description: str | None = None,
    year: int = 2025,
) -> CreatedRegion:
    """Store a new own region and return it with its edit token (shown to the creator once)."""
    with session_scope(url) as session:
        clean_name, codes, clean_description = validate(
            name, gemeenten, description, _known_gemeenten(session, year)
        )
        if _name_taken(session, clean_name):
            raise RegionValidationError(["name_taken"])
        token = secrets.token_urlsafe(24)
        region = Region(
            level=LEVEL,
            code=_new_code(session, clean_name),
            name=clean_name,
            year=year,
            description=clean_description,
            created_by=HASH_PREFIX + generate_password_hash(token, method=TOKEN_HASH_METHOD),
            created_at=dt.datetime.now(),
        )
        region.members = [RegionMember(gemeente_code=code) for code in codes]
        session.add(region)
        session.flush()
        return CreatedRegion(_as_own(region), token)


def update_region(
    url: str,
    code: str,
    token: str | None,
    name: str,
    gemeenten: Iterable[str],
    description: str | None = None,
) -> OwnRegion:
    """Change name, description and gemeenten of the region ``code`` for the token holder.

    The code stays the same, so every shared link keeps working.
    """
    with session_scope(url) as session:
        region = _own(session, code)
        if not _token_fits(region, token):
            raise RegionAccessError(code)
        assert region is not None
        clean_name, codes, clean_description = validate(
            name, gemeenten, description, _known_gemeenten(session, region.year)
        )
        if _name_taken(session, clean_name, except_code=code):
            raise RegionValidationError(["name_taken"])
        region.name = clean_name
        region.description = clean_description
        session.execute(delete(RegionMember).where(RegionMember.region_id == region.id))
        session.add_all(RegionMember(region_id=region.id, gemeente_code=c) for c in codes)
        session.flush()
        session.refresh(region)
        return _as_own(region)


def delete_region(url: str, code: str, token: str | None) -> None:
    """Remove the region ``code`` and its members, for the token holder only."""
    with session_scope(url) as session:
        region = _own(session, code)
        if not _token_fits(region, token):
            raise RegionAccessError(code)
        assert region is not None
        session.delete(region)  # its members go with it (cascade)


def token_fits(url: str, code: str, token: str | None) -> bool:
    """Whether ``token`` is the edit token of the own region ``code``."""
    with session_scope(url) as session:
        return _token_fits(_own(session, code), token)


def get_region(url: str, code: str) -> OwnRegion | None:
    with session_scope(url) as session:
        region = _own(session, code)
        return _as_own(region) if region is not None else None
