"""Figures as R4V prints them on its pages, in English, Spanish or Portuguese, through Babel.

Persons and USD: below a thousand in full (``85``), thousands with one decimal and ``K``
(``33,3 K``), millions with two and ``M`` (``1,56 M``), USD with ``$`` before (``$22,08 M``);
shares with one decimal and ``%`` (``0,7%``); counts in full with the locale's grouping. The
decimal and group separators are the locale's (Spanish and Portuguese ``1,56``, English
``1.56``). None or NaN prints as an en dash.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("en", "es", "pt")
MISSING = "–"


def _missing(value: float | None) -> bool:
    """None, NaN or pandas' NA (a NULL of a BIGINT column read with ``.df()``)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def short_number(value: float | None, language: str) -> str:
    """``1,56 M`` / ``33,3 K`` / ``85``: R4V's short form of persons or USD (see module doc)."""
    if _missing(value):
        return MISSING
    if abs(value) >= 999_995:
        return f"{format_decimal(value / 1e6, format='#,##0.00', locale=language)} M"
    if abs(value) >= 999.95:
        return f"{format_decimal(value / 1e3, format='#,##0.0', locale=language)} K"
    return format_decimal(round(value), format="#,##0", locale=language)


def usd(value: float | None, language: str) -> str:
    """``$22,08 M``: requirements in US dollars, short form."""
    return MISSING if _missing(value) else f"${short_number(value, language)}"


def share(value: float | None, language: str, decimals: int = 1) -> str:
    """``0,7%``: a fraction as a percentage with ``decimals`` decimals, no space before %."""
    if _missing(value):
        return MISSING
    return format_percent(value, format="#,##0." + "0" * decimals + "%", locale=language)


def count(value: float | None, language: str) -> str:
    """``31`` / ``129.030`` (es) / ``129,030`` (en): a whole number with the locale's grouping."""
    return MISSING if _missing(value) else format_decimal(round(value), format="#,##0", locale=language)


def month(value: dt.date, language: str) -> str:
    """``mayo 2021`` / ``May 2021``: a month as the locale writes it."""
    return format_date(value, format="LLLL y", locale=language)


def month_short(value: dt.date, language: str) -> str:
    """``may`` / ``May``: a month's abbreviation, for chart axes."""
    return format_date(value, format="LLL", locale=language).rstrip(".")
