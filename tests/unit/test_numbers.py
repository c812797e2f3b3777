"""parse_published_number: values, rounding intervals and refusals, worked out by hand."""

from __future__ import annotations

import pytest

from rmrp_pipeline.text.numbers import (
    NumberParseError,
    PublishedNumber,
    parse_published_number,
)

# text, locale, value, low, high, unit: every bound is half a unit of the last printed digit times
# the magnitude (or exact for a plain integer), written out by hand.
CASES = [
    ("1,56 M", "es", 1_560_000, 1_555_000, 1_565_000, "count"),
    ("1,66 M", "es", 1_660_000, 1_655_000, 1_665_000, "count"),
    ("1,02 M", "es", 1_020_000, 1_015_000, 1_025_000, "count"),
    ("33,3 K", "es", 33_300, 33_250, 33_350, "count"),
    ("27,9K", "es", 27_900, 27_850, 27_950, "count"),
    ("1,0K", "es", 1_000, 950, 1_050, "count"),
    ("660,8K", "es", 660_800, 660_750, 660_850, "count"),
    ("12,2 k", "es", 12_200, 12_150, 12_250, "count"),
    ("85", "es", 85, 85, 85, "count"),
    ("1.560", "es", 1_560, 1_560, 1_560, "count"),  # es: the point groups thousands
    ("1,56", "es", 1.56, 1.555, 1.565, "count"),  # es: the comma is the decimal separator
    ("12 mil", "es", 12_000, 11_500, 12_500, "count"),
    ("3 mil", "pt", 3_000, 2_500, 3_500, "count"),
    ("$216,5 K", "es", 216_500, 216_450, 216_550, "usd"),
    ("$295,0 K", "es", 295_000, 294_950, 295_050, "usd"),
    ("$22,08 M", "es", 22_080_000, 22_075_000, 22_085_000, "usd"),
    ("$ 2,00 M", "es", 2_000_000, 1_995_000, 2_005_000, "usd"),
    ("$1.200", "es", 1_200, 1_200, 1_200, "usd"),
    ("0,7%", "es", 0.007, 0.0065, 0.0075, "fraction"),
    ("2,8%", "es", 0.028, 0.0275, 0.0285, "fraction"),
    ("11,2 %", "pt", 0.112, 0.1115, 0.1125, "fraction"),
    ("11%", "es", 0.11, 0.105, 0.115, "fraction"),  # a printed percentage is always rounded
    ("1.56 M", "en", 1_560_000, 1_555_000, 1_565_000, "count"),
    ("1,560", "en", 1_560, 1_560, 1_560, "count"),
    ("$22.08 M", "en", 22_080_000, 22_075_000, 22_085_000, "usd"),
    ("0.7%", "en", 0.007, 0.0065, 0.0075, "fraction"),
    ("33,3\u00a0K", "es", 33_300, 33_250, 33_350, "count"),  # no-break space before the magnitude
    (" 85 ", "es", 85, 85, 85, "count"),  # white space around the whole text is ignored
]


@pytest.mark.parametrize(("text", "locale", "value", "low", "high", "unit"), CASES)
def test_parses_value_interval_and_unit(text, locale, value, low, high, unit):
    number = parse_published_number(text, locale)
    assert number == PublishedNumber(text=text, value=pytest.approx(value), low=pytest.approx(low),
                                     high=pytest.approx(high), unit=unit)
    assert number.text == text  # kept exactly as given, not stripped
    assert number.low <= number.value <= number.high


def test_bounds_are_exact_decimals_turned_into_floats():
    # Decimal arithmetic, then float: the bounds are the nearest floats to the exact decimals.
    number = parse_published_number("0,7%", "es")
    assert (number.value, number.low, number.high) == (0.007, 0.0065, 0.0075)
    number = parse_published_number("$22,08 M", "es")
    assert (number.value, number.low, number.high) == (22_080_000.0, 22_075_000.0, 22_085_000.0)


def test_plain_integer_is_exact():
    assert parse_published_number("85", "es").is_exact
    assert not parse_published_number("85 K", "es").is_exact


REFUSED = [
    ("x1", "es", "'x'"),
    ("1km", "es", "'km'"),
    ("12 personas", "es", "personas"),
    ("1,5,6", "es", "not a well-formed number"),
    ("", "es", "empty"),
    ("   ", "es", "empty"),
    ("1.5", "es", "decimal separator is ','"),  # es: neither a group nor a decimal separator
    ("1.56 M", "es", "decimal separator is ','"),
    ("1,56 M", "en", "decimal separator is '.'"),  # wrong locale
    ("0,7%", "en", "decimal separator is '.'"),
    ("1.020 M", "es", "thousands separator"),  # a group separator before a magnitude: ambiguous
    ("1.000%", "es", "thousands separator"),
    ("-5", "es", "non-negative"),
    ("$5%", "es", "'$' and '%'"),
    ("5 %K", "es", "percentage takes no magnitude"),
    ("12 mil", "en", "only accepted in Spanish or Portuguese"),
    ("5m", "es", "'m'"),  # lower-case m: milli, metre or million?
    ("5  K", "es", "at most one space"),
    ("US$5", "es", "'US'"),
    ("1,5 MM", "es", "' MM'"),
    ("abc", "es", "no digits"),
    ("85", "fr", "locale must be one of es, pt, en"),
]


@pytest.mark.parametrize(("text", "locale", "fragment"), REFUSED)
def test_refuses_with_an_actionable_message(text, locale, fragment):
    with pytest.raises(NumberParseError) as caught:
        parse_published_number(text, locale)
    message = str(caught.value)
    assert repr(text) in message  # names the text
    assert fragment in message  # says what was wrong
    assert "Accepted forms" in message  # and what would be accepted
    assert caught.value.text == text and caught.value.locale == locale
    assert isinstance(caught.value, ValueError)


def test_refuses_non_text():
    with pytest.raises(NumberParseError, match="expected text, found float"):
        parse_published_number(85.0, "es")  # type: ignore[arg-type]
