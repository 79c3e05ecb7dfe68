"""Admin authentication: one password (its hash in ``REGIOKOMPAS_ADMIN_PASSWORD_HASH``), a signed
session cookie, and a guard for admin callbacks and routes.

Without a configured hash the admin pages stay closed. Failed logins are slowed down so that a
password cannot be guessed quickly.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from flask import session
from werkzeug.security import check_password_hash

from data.settings import Settings

SESSION_KEY = "regiokompas_admin"
FAILED_LOGIN_DELAY = 1.0


def admin_enabled(settings: Settings) -> bool:
    return bool(settings.admin_password_hash)


def is_admin() -> bool:
    return bool(session.get(SESSION_KEY))


def login(settings: Settings, password: str) -> bool:
    """Check ``password``; on success mark this session as admin."""
    if (
        admin_enabled(settings)
        and password
        and check_password_hash(settings.admin_password_hash, password)
    ):
        session.clear()
        session[SESSION_KEY] = True
        session.permanent = False
        return True
    time.sleep(FAILED_LOGIN_DELAY)
    return False


def logout() -> None:
    session.pop(SESSION_KEY, None)


def secret_key(settings: Settings) -> str:
    """The key that signs session cookies: the setting, or one made once and kept in the cache
    folder (readable by this user only), so that every worker on this host shares it."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.cache_dir) / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(key, encoding="utf-8")
        tmp.chmod(0o600)
        try:
            os.link(tmp, path)  # fails if another worker was first: then use theirs
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
        return path.read_text(encoding="utf-8").strip()
