"""Dutch number formats and the two language catalogues."""

from __future__ import annotations

import datetime as dt

from dashboard import format as fmt
from dashboard.i18n import catalogue, t


def test_dutch_and_english_numbers() -> None:
    assert fmt.number(1234567, "nl") == "1.234.567"
    assert fmt.number(1234.5, "nl", 1) == "1.234,5"
    assert fmt.number(1234.5, "en", 1) == "1,234.5"
    assert fmt.percent(0.1234, "nl", sign=True) == "+12,3%"
    assert fmt.percent(-0.05, "en", sign=True) == "−5.0%"
    assert fmt.number(None) == "–"


def test_months() -> None:
    assert fmt.month(dt.date(2026, 3, 1), "nl") == "mrt 2026"
    assert fmt.month(dt.date(2026, 3, 1), "en") == "Mar 2026"


def test_catalogues_have_the_same_keys() -> None:
    assert set(catalogue("nl")) == set(catalogue("en"))


def test_placeholders_agree() -> None:
    import string

    for key, dutch in catalogue("nl").items():
        fields_nl = {f for _, f, _, _ in string.Formatter().parse(dutch) if f}
        fields_en = {f for _, f, _, _ in string.Formatter().parse(catalogue("en")[key]) if f}
        assert fields_nl == fields_en, key


def test_lookup_falls_back_to_dutch() -> None:
    assert t("nav.home", "nl") == "Overzicht"
    assert t("nav.home", "en") == "Overview"
    assert t("nav.home", "xx") == "Overzicht"
