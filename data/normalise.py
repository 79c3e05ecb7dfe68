"""Normalisations shared by ingestion and the demo generator: employer names, content hashes."""

from __future__ import annotations

import hashlib
import re

_LEGAL_FORMS = re.compile(r"\b(b ?v|n ?v|v ?o ?f|c ?v|holding|groep|group|bv|nv)\b")


def employer_norm(name: str | None) -> str | None:
    """An employer name for matching: lower case, legal forms and punctuation dropped.

    >>> employer_norm("Van der Berg Techniek B.V.")
    'van der berg techniek'
    >>> employer_norm("van der berg techniek bv")
    'van der berg techniek'
    """
    if not name:
        return None
    value = re.sub(r"[.,&'\"()]+", " ", name.lower())
    value = _LEGAL_FORMS.sub(" ", value)
    return " ".join(value.split()) or None


def content_hash(title: str, employer: str | None, text: str | None) -> str:
    """A hash of what a posting says, blind to case and white space."""
    payload = "\x1f".join(
        [
            title.strip().lower(),
            (employer or "").strip().lower(),
            " ".join((text or "").split()).lower(),
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
