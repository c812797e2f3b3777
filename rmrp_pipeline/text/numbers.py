"""Strict, locale-aware parsing of numbers as they are printed in R4V / RMRP publications.

:func:`parse_published_number` turns one printed text (``1,56 M`` people in need, ``$22,08 M``
requirements, ``0,7%`` target share, ``85``) read in one locale (``es``, ``pt`` or ``en``, decided
per file) into a :class:`PublishedNumber`: its value in base units (persons or other counts, US
dollars, fractions) and the closed interval of true values that the printed rounding allows (± half a
unit of the last printed digit; a plain integer is exact). A text that cannot be read without
guessing raises :class:`NumberParseError`, whose message names the text and lists the accepted
forms. Accepted forms and rules: docs/data_dictionary.md, "How a printed number is read".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import (
    NumberFormatError,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)

__all__ = [
    "SUPPORTED_LOCALES",
    "NumberParseError",
    "PublishedNumber",
    "parse_published_number",
]

#: Locales a published number may be read in (decided once per source file, never per cell).
SUPPORTED_LOCALES: tuple[str, ...] = ("es", "pt", "en")

_SPACE = "[ \u00a0\u202f]"
# Group 'currency', 'core', 'magnitude' or 'percent'. The core is deliberately loose (digits and
# the two separators): babel decides whether the separators are well placed for the locale.
_PATTERN = re.compile(
    rf"""
    \A
    (?:
        (?:(?P<currency>\$){_SPACE}?)?
        (?P<core>[0-9][0-9.,]*)
        (?:{_SPACE}?(?P<magnitude>million|billion|K|k|M|mil))?
      |
        (?P<pcore>[0-9][0-9.,]*){_SPACE}?(?P<percent>%)
    )
    \Z
    """,
    re.VERBOSE,
)

_MAGNITUDES: dict[str, Decimal] = {
    "K": Decimal(1000), "k": Decimal(1000), "M": Decimal(1_000_000), "mil": Decimal(1000),
    "million": Decimal(1_000_000), "billion": Decimal(1_000_000_000),
}
_LOCAL_MAGNITUDES: dict[str, tuple[str, ...]] = {"mil": ("es", "pt"), "million": ("en",), "billion": ("en",)}
_PERCENT = Decimal("0.01")

_FORMS = {
    "es": "'85', '1.560', '33,3 K', '27,9K', '1,56 M', '12 mil', '$216,5 K', '$22,08 M', '0,7%'",
    "pt": "'85', '1.560', '33,3 K', '27,9K', '1,56 M', '12 mil', '$216,5 K', '$22,08 M', '0,7%'",
    "en": "'85', '1,560', '33.3 K', '27.9K', '1.56 M', '$216.5 K', '$22.08 M', '0.7%'",
}


class NumberParseError(ValueError):
    """A published number could not be read without guessing.

    The message names the text, says what was wrong and lists the accepted forms, so that it can be
    passed on to the partner who keeps the source file. ``text`` and ``locale`` are kept as attributes.
    """

    def __init__(self, text: object, locale: object, problem: str):
        self.text = text
        self.locale = locale
        self.problem = problem
        forms = _FORMS.get(str(locale), _FORMS["es"])
        super().__init__(
            f"cannot read {text!r} as a published number (locale {locale!r}): {problem}. "
            f"Accepted forms are a number with an optional '$' before it and an optional magnitude "
            f"K/k (thousand) or M (million) after it, or a number followed by '%'; e.g. {forms}."
        )


@dataclass(frozen=True)
class PublishedNumber:
    """One published figure.

    Attributes:
        text: the text exactly as given (not stripped).
        value: the value in base units: persons (or other counted things) for ``count``, US dollars
            for ``usd``, a fraction for ``fraction`` (``0,7%`` -> 0.007).
        low, high: closed interval of the true values consistent with the printed rounding
            (``low == value == high`` for an exact plain integer).
        unit: ``"count"``, ``"usd"`` or ``"fraction"``.
    """

    text: str
    value: float
    low: float
    high: float
    unit: str

    @property
    def is_exact(self) -> bool:
        return self.low == self.high


def parse_published_number(text: str, locale: str) -> PublishedNumber:
    """Parse one published number (accepted forms: docs/data_dictionary.md, "How a printed number is read").

    Args:
        text: the cell text as printed, e.g. ``"1,56 M"``, ``"$216,5 K"``, ``"0,7%"``, ``"85"``.
        locale: ``"es"``, ``"pt"`` or ``"en"``; it fixes the decimal separator (comma for es/pt,
            point for en).

    Returns:
        A :class:`PublishedNumber` with the value in base units and its rounding interval.

    Raises:
        NumberParseError: ``text`` is not a string, is empty, carries anything beyond the accepted
            decorations (``x1``, ``1km``, ``12 personas``), has misplaced separators for the locale
            (``1,5,6``; ``1.5`` under ``es``), combines a group separator with a magnitude or ``%``,
            uses ``mil`` outside es/pt, or ``locale`` is not supported.
    """
    if locale not in SUPPORTED_LOCALES:
        raise NumberParseError(
            text, locale, f"the locale must be one of {', '.join(SUPPORTED_LOCALES)} (it decides the decimal separator)"
        )
    if not isinstance(text, str):
        raise NumberParseError(text, locale, f"expected text, found {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise NumberParseError(text, locale, "the cell is empty")

    match = _PATTERN.match(stripped)
    if match is None:
        raise NumberParseError(text, locale, _describe_mismatch(stripped))

    percent = match.group("percent") is not None
    core = match.group("pcore") if percent else match.group("core")
    magnitude = match.group("magnitude")
    if magnitude in _LOCAL_MAGNITUDES and locale not in _LOCAL_MAGNITUDES[magnitude]:
        where = "Spanish or Portuguese" if magnitude == "mil" else "English"
        raise NumberParseError(text, locale, f"the magnitude {magnitude!r} is only accepted in {where} text")

    try:
        number = parse_decimal(core, locale=locale, strict=True)
    except NumberFormatError as exc:
        decimal_symbol = get_decimal_symbol(locale)
        raise NumberParseError(
            text,
            locale,
            f"{core!r} is not a well-formed number in this locale, whose decimal separator is "
            f"{decimal_symbol!r} (babel: {exc})",
        ) from None

    group_symbol = get_group_symbol(locale)
    if (percent or magnitude) and group_symbol in core:
        raise NumberParseError(
            text,
            locale,
            f"a thousands separator {group_symbol!r} before a magnitude or '%' is ambiguous "
            f"(decimal separator of another convention?); write the mantissa with the decimal "
            f"separator {get_decimal_symbol(locale)!r}",
        )

    if percent:
        scale, unit = _PERCENT, "fraction"
    else:
        scale = _MAGNITUDES[magnitude] if magnitude else Decimal(1)
        unit = "usd" if match.group("currency") else "count"

    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # strict parsing never yields NaN/Infinity
    if exponent >= 0 and not magnitude and not percent:
        half = Decimal(0)  # a plain integer printed in full is exact
    else:
        half = Decimal(1).scaleb(exponent) / 2
    value = number * scale
    return PublishedNumber(
        text=text,
        value=float(value),
        low=float((number - half) * scale),
        high=float((number + half) * scale),
        unit=unit,
    )


def _describe_mismatch(stripped: str) -> str:
    """Say what, in a text that does not match the accepted forms, is out of place."""
    if not re.search(r"[0-9]", stripped):
        return "it contains no digits 0-9"
    if re.match(r"\A[+-]", stripped):
        return "signs are not accepted: published figures are non-negative"
    if "$" in stripped and "%" in stripped:
        return "'$' and '%' cannot be combined"
    leading = re.match(r"\A[^0-9$]+", stripped)
    if leading:
        return f"unexpected text {leading.group(0)!r} before the number"
    trailing = re.search(r"[0-9][0-9.,]*(.*)\Z", stripped)
    rest = trailing.group(1) if trailing else ""
    if "%" in rest and rest.strip(" \u00a0\u202f") != "%":
        return f"unexpected text {rest!r} after the number (a percentage takes no magnitude or words)"
    if rest:
        return f"unexpected text {rest!r} after the number (only K, k, M, mil or % are accepted, after at most one space)"
    return "unexpected characters"
