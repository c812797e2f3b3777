"""Strict, locale-aware parsing of numbers as they are printed in R4V / RMRP publications.

Published RMRP figures are rounded and decorated for the reader: ``1,56 M`` people in need,
``33,3 K`` targeted, ``$22,08 M`` requirements, ``0,7%`` target share of PiN, ``85`` targeted.
This module turns one such text into a :class:`PublishedNumber`: its value in base units and the
closed interval of true values that the printed rounding allows.

Accepted forms (anchored at both ends; nothing else is accepted)::

    [$][ ]<number>[ ][K|k|M|mil|million|billion]   count or USD, optional magnitude
    <number>[ ]%                       percentage, returned as a fraction

* ``$`` marks US dollars (``unit="usd"``); without it the figure is a count (``unit="count"``).
  ``%`` gives ``unit="fraction"``: ``0,7%`` is ``0.007``. ``$`` and ``%`` never combine, and a
  percentage takes no magnitude.
* Magnitudes: ``K``/``k`` = thousand, ``M`` = million; ``mil`` = thousand (Spanish and Portuguese
  only; in English text "mil" is ambiguous); the words ``million`` and ``billion`` (= 10^9) in
  English only, as OCHA's Global Humanitarian Overview prints them (``8.4 million``, ``1.79 billion``;
  in Spanish and Portuguese "billón" is 10^12, so the words are refused there). Lower-case ``m`` is
  refused (milli/metre/million?).
* The space between the parts may be an ordinary space, a no-break space (U+00A0) or a narrow
  no-break space (U+202F), at most one. Whitespace around the whole text is ignored.
* ``<number>`` is ASCII digits with the locale's separators, parsed by
  ``babel.numbers.parse_decimal(..., strict=True)`` (CLDR rules): for ``es`` and ``pt`` the decimal
  separator is the comma and the group separator the point; for ``en`` the reverse. No sign.
  So under ``es``: ``1,56`` is 1.56, ``1.560`` is 1560 (a grouped integer), and ``1.5`` / ``1.56``
  are refused (a point followed by fewer than three digits is neither a group nor a decimal
  separator in Spanish). Under ``en``: ``1,560`` is 1560 and ``1.56`` is 1.56.
* Group separators are refused together with a magnitude or a percentage (``1.020 M``, ``1.000%``):
  a number before a magnitude is a rounded mantissa, and a group separator there almost always
  means a decimal separator from the other convention. We do not guess which.

Interval rule (the rule source is ordinary rounding to the last printed digit): a figure printed
with decimals, with a magnitude or as a percentage stands for every true value that rounds to it,
i.e. ± half a unit of its last printed digit, times the magnitude: ``1,56 M`` -> [1 555 000,
1 565 000]; ``33,3 K`` -> [33 250, 33 350]; ``0,7%`` -> [0.0065, 0.0075]; ``11%`` -> [0.105, 0.115].
A plain integer without magnitude or ``%`` (``85``, ``$1.200``) is taken as exact: counts of people
or organisations and whole dollars printed in full. Bounds are built with :class:`decimal.Decimal`
and converted to float only at the end.
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
    """Parse one published number (see the module docstring for the accepted forms and rules).

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
