"""Numbers and dates as Dutch (1.234,5) or English (1,234.5) readers expect them."""

from __future__ import annotations

import datetime as dt

MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def number(value: float | int | None, lang: str = "nl", decimals: int = 0) -> str:
    """``number(1234.5, "nl", 1)`` → ``"1.234,5"``; ``None`` → an en dash."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def percent(value: float | None, lang: str = "nl", decimals: int = 1, sign: bool = False) -> str:
    """A fraction as a percentage: ``percent(0.123, "nl", sign=True)`` → ``"+12,3%"``."""
    if value is None:
        return "–"
    text = number(abs(value) * 100, lang, decimals) + "%"
    if sign:
        return ("+" if value > 0 else "−" if value < 0 else "±") + text
    return ("−" if value < 0 else "") + text


def month(value: dt.date, lang: str = "nl") -> str:
    return f"{MONTHS[lang][value.month - 1]} {value.year}"


def date(value: dt.date | dt.datetime | None, lang: str = "nl") -> str:
    if value is None:
        return "–"
    if lang == "nl":
        return f"{value.day} {MONTHS['nl'][value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS['en'][value.month - 1]} {value.year}"


def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators``: decimal mark first, then the thousands mark."""
    return ",." if lang == "nl" else ".,"
