"""Screening of partner free text for personal data, masked before the text is staged.

``screen_text(text, regions)`` returns the text with every e-mail address, identity-document
number, phone number and person's name it recognises replaced by ``[e-mail]``, ``[ID number]``,
``[phone]`` or ``[name]``, and the kinds found (never the data itself). What is looked for, and
the measured error rates on real 5W text, are in docs/data-protection.md.

Phone numbers are recognised with ``phonenumbers`` (valid numbers of the row's country and of
Venezuela); identity documents by the cue before them (``C.C.``, ``cédula``, ``DNI``, ``T.I.``,
``pasaporte``, ...) or by a shape no count has (``V-12.345.678``, a CPF, a RUT, a CURP); names by a
title or phrase before them (``Sr.``, ``Doña``, ``de nombre``) or an identity number after them.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
import pycountry

EMAIL, ID_NUMBER, PHONE, NAME = "e-mail", "ID number", "phone", "name"
#: Kinds in the order they are screened and reported.
KINDS = (EMAIL, ID_NUMBER, PHONE, NAME)
MASKS = {kind: f"[{kind}]" for kind in KINDS}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

#: Words that announce an identity document (Spanish, Portuguese, English; R4V countries' names).
_ID_CUE = (
    r"(?:c\.?\s?c|c\.?\s?i|t\.?\s?i|d\.?n\.?i|c\.?p\.?f|r\.?u\.?t|r\.?u\.?n|curp|r\.?g|ppt|pep"
    r"|c[eé]dula(?:\s+de\s+(?:identidad|ciudadan[ií]a|extranjer[ií]a))?|pasaporte|passaporte|passport"
    r"|documento(?:\s+de\s+identidad)?|identificaci[oó]n|carn[eé]t?|id)"
)
_NUMBER_SIGN = r"(?:\s*(?:n[°ºo]\.?|no\.|nro\.?|núm\.?|num\.?|number|#))?"
_ID_VALUE = r"[A-Za-z]{0,2}[-\s]?\d[\d.\s-]{4,}[\dkK]"
_CUED_ID = re.compile(rf"(?i)\b{_ID_CUE}\.?{_NUMBER_SIGN}\s*[:#-]?\s*({_ID_VALUE})\b")
#: Shapes no count or amount has: a Venezuelan cédula with its letter, a Brazilian CPF, a Chilean
#: RUT, a Mexican CURP.
_SHAPED_IDS = (
    re.compile(r"\b[VvEe]-\s?\d{1,2}\.?\d{3}\.?\d{3}\b"),
    re.compile(r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b"),
    re.compile(r"\b\d{1,2}\.\d{3}\.\d{3}-[\dkK]\b"),
    re.compile(r"\b[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d\b"),
)

_WORD = r"[A-ZÁÉÍÓÚÑÜÇÂÊÔÃÕ][a-záéíóúñüçâêôãõ'’]+"
_PARTICLE = r"(?:de|del|da|do|dos|das|la|las|los|y|e)"
_FULL_NAME = rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{0,4}}"
#: A title or phrase before a person's name. ``Nuestra Señora`` is a church or hospital and
#: ``La Don Juana`` a village, not persons.
_NAME_CUE = (
    r"(?<!nuestra )(?<!ntra\. )(?<!ntra )"
    r"\b(?:sr|sra|srta|señor|señora|señorita|(?<!la )don|doña|dr|dra|lic|mr|mrs|ms|miss|mayor|mayora|senhor|senhora|dona"
    r"|de nombre|llamad[oa]|chamad[oa]|named|nombre|nome|name)\.?:?\s+"
)
_CUED_NAME = re.compile(rf"(?i:{_NAME_CUE})({_FULL_NAME})")
_NAME_BEFORE_ID = re.compile(
    rf"({_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{1,4}})(?=\s*,?\s*(?i:{_ID_CUE})\.?{_NUMBER_SIGN}\s*[:#-]?\s*\[{ID_NUMBER}\])"
)

#: ISO 3166 alpha-2 regions whose phone numbers are looked for besides the row's country.
DEFAULT_REGIONS = ("VE",)


def screen_text(text: str, regions: tuple[str, ...] = DEFAULT_REGIONS) -> tuple[str, tuple[str, ...]]:
    """(masked text, kinds found in KINDS order) of one free-text cell. ``regions``: ISO alpha-2
    codes whose national phone formats are recognised (international ``+NN`` numbers always are).
    Idempotent: screening a masked text changes nothing."""
    found: set[str] = set()

    def masker(kind: str, group: int = 0):
        def replace(match: re.Match) -> str:
            found.add(kind)
            start, end = match.span(group)
            whole_start = match.start()
            return match.group(0)[: start - whole_start] + MASKS[kind] + match.group(0)[end - whole_start:]
        return replace

    text = _EMAIL.sub(masker(EMAIL), text)
    text = _CUED_ID.sub(masker(ID_NUMBER, 1), text)
    for shape in _SHAPED_IDS:
        text = shape.sub(masker(ID_NUMBER), text)
    text = _mask_phones(text, regions, found)
    text = _CUED_NAME.sub(masker(NAME, 1), text)
    text = _NAME_BEFORE_ID.sub(masker(NAME, 1), text)
    return text, tuple(kind for kind in KINDS if kind in found)


def _mask_phones(text: str, regions: tuple[str, ...], found: set[str]) -> str:
    """``text`` with the valid phone numbers of any of ``regions`` masked (longest spans first)."""
    if not any(ch.isdigit() for ch in text):
        return text
    spans: list[tuple[int, int]] = []
    for region in dict.fromkeys(regions):
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            if _digits(match.raw_string) >= 7:
                spans.append((match.start, match.end))
    if not spans:
        return text
    found.add(PHONE)
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            kept[-1] = (kept[-1][0], max(kept[-1][1], end))
        else:
            kept.append((start, end))
    for start, end in reversed(kept):
        text = text[:start] + MASKS[PHONE] + text[end:]
    return text


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


@lru_cache(maxsize=4096)
def _region_of_iso3(iso3: str) -> str | None:
    """ISO alpha-2 of an ISO alpha-3 country code (None when unknown)."""
    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country is not None else None


def regions_for(country_iso3: str | None) -> tuple[str, ...]:
    """Phone regions to screen a row of ``country_iso3`` with: its own and Venezuela's."""
    own = _region_of_iso3(country_iso3) if country_iso3 else None
    return (own, *DEFAULT_REGIONS) if own and own not in DEFAULT_REGIONS else DEFAULT_REGIONS
