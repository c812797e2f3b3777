"""Screening of partner free text for personal data, masked before the text is staged.

``screen_text(text, regions)`` returns the text with every e-mail address, identity-document
number, phone number and person's name it recognises replaced by ``[e-mail]``, ``[ID number]``,
``[phone]`` or ``[name]``, and the kinds found (never the data itself). ``screen_codes`` screens a
coded column once per distinct (text, country) pair. What is looked for, and the measured error
rates on real 5W text, are in docs/data-protection.md.

Phone numbers are recognised with ``phonenumbers`` (valid numbers of the row's country and of
Venezuela), or by a cue before them (``tel.``, ``celular``, ``WhatsApp``); identity documents by
the cue before them (``C.C.``, ``cédula``, ``DNI``, ``T.I.``, ``C.E.``, ``pasaporte``, ...) or by a
shape no count has (``V-12.345.678``, a CPF, a RUT, a CURP); names by a title or phrase before them
(``Sr.``, ``Doña``, ``de nombre``) or an identity number, phone or e-mail right after them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import phonenumbers
import pycountry

EMAIL, ID_NUMBER, PHONE, NAME = "e-mail", "ID number", "phone", "name"
#: Kinds in the order they are screened and reported.
KINDS = (EMAIL, ID_NUMBER, PHONE, NAME)
MASKS = {kind: f"[{kind}]" for kind in KINDS}

#: An e-mail address. The domain's first label has two characters or more and the last is
#: letters: ``venezolan@s.Total`` (Spanish gender-neutral writing) is not an address.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]{2,}(?:\.[\w-]+)*\.[A-Za-z]{2,}\b", re.UNICODE)

#: Words that announce an identity document (Spanish, Portuguese, English; R4V countries' names).
_ID_CUE = (
    r"(?:c\.?\s?c|c\.?\s?i|c\.?\s?e|t\.?\s?i|d\.?n\.?i|c\.?p\.?f|r\.?u\.?t|r\.?u\.?n|curp|r\.?g|ppt|pep|ptp|cpp"
    r"|c[eé]dula(?:\s+de\s+(?:identidad|ciudadan[ií]a|extranjer[ií]a))?|pasaporte|passaporte|passport"
    r"|carn[eé]t?(?:\s+de\s+extranjer[ií]a)?|documento(?:\s+de\s+identidad)?|identificaci[oó]n|id)"
)
_NUMBER_SIGN = r"(?:\s*(?:n[°ºo]\.?|no\.|nro\.?|núm\.?|num\.?|number|#))?"
_ID_VALUE = r"[A-Za-z]{0,2}[-\s]?\d[\d.\s-]{4,}[\dkK]"
_CUED_ID = re.compile(rf"(?i)\b{_ID_CUE}\.?{_NUMBER_SIGN}\s*[:#-]?\s*({_ID_VALUE})\b")
#: A span of years (``PEP 2021 - 2022``) is not a document number.
_YEARS = re.compile(r"(?:19|20)\d\d\s*[-/]\s*(?:19|20)\d\d")
#: Shapes no count or amount has: a Venezuelan cédula with its letter, a Brazilian CPF, a Chilean
#: RUT, a Mexican CURP.
_SHAPED_IDS = (
    re.compile(r"\b[VvEe]-\s?\d{1,2}\.?\d{3}\.?\d{3}\b"),
    re.compile(r"\b\d{3}\.\d{3}\.\d{3}-\d{2}\b"),
    re.compile(r"\b\d{1,2}\.\d{3}\.\d{3}-[\dkK]\b"),
    re.compile(r"\b[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d\b"),
)
#: A number announced as a phone: seven digits or more, whatever the country.
_CUED_PHONE = re.compile(
    r"(?i)\b(?:tel[eé]fono|telefone|tel|telf|cel|celular|m[oó]vil|whats\s?app|wsp|fono|phone|mobile)\.?\s*"
    r"(?:n[°ºo]\.?\s*)?[:#-]?\s*(\+?\(?\d[\d\s().-]{5,}\d)")

_UPPER = "A-ZÁÉÍÓÚÑÜÇÂÊÔÃÕ"
_WORD = rf"(?:[{_UPPER}][a-záéíóúñüçâêôãõ'’]+|[{_UPPER}]{{2,}}\b)"
_PARTICLE = r"(?:de|del|da|do|dos|das|la|las|los|y|e|DE|DEL|DA|DO|DOS|LA|Y)"
_FULL_NAME = rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{0,4}}"
#: A title or phrase before a person's name. ``Nuestra Señora`` is a church or hospital, ``La Don
#: Juana`` a village, ``Colombia Mayor`` and ``adulto mayor`` a programme and an age group.
_NAME_CUE = (
    r"(?<!nuestra )(?<!ntra\. )(?<!ntra )(?<!colombia )(?<!adulto )(?<!adulta )"
    r"\b(?:sr|sra|srta|señor|señora|señorita|(?<!la )don|doña|dr|dra|lic|mr|mrs|ms|miss|mayor|mayora|senhor|senhora|dona"
    r"|de nombre|llamad[oa]|chamad[oa]|named|nombre|nome|name)\.?:?\s+"
)
_CUED_NAME = re.compile(rf"(?i:{_NAME_CUE})({_FULL_NAME})")
#: A titled name that is a place or an institution (``Hospital Dr. ...``, ``Fundación Don Bosco``):
#: the word before the title, or the name itself.
_PLACE_BEFORE = re.compile(
    r"(?i)(?:hospital|cl[ií]nica|centro|colegio|escuela|escola|instituto|instituci[oó]n|universidad|fundaci[oó]n"
    r"|parroquia|iglesia|e\.s\.e\.?|calle|avenida|av\.|barrio|plaza|parque|urbanizaci[oó]n|sector|vereda)\s+\S+\s*$")
_NOT_A_PERSON = re.compile(r"(?i)^(?:bosco)\b")
_NAME_BEFORE_ID = re.compile(
    rf"({_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{1,4}})(?=\s*,?\s*(?i:{_ID_CUE})\.?{_NUMBER_SIGN}\s*[:#-]?\s*\[{ID_NUMBER}\])"
)
_NAME_BEFORE_CONTACT = re.compile(
    rf"({_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{1,4}})"
    rf"(?=\s*(?:[,:(-]|\bal\b)?\s*(?:(?i:tel[eé]fono|tel|cel|celular|correo|e-?mail)\.?:?\s*)?"
    rf"\[(?:{PHONE}|{EMAIL})\])"
)

#: ISO 3166 alpha-2 regions whose phone numbers are looked for besides the row's country.
DEFAULT_REGIONS = ("VE",)
#: Digits a phone number has at least (a text with fewer is screened the same in every country).
PHONE_DIGITS = 7
_DIGIT = re.compile(r"\d")


def screen_text(text: str, regions: tuple[str, ...] = DEFAULT_REGIONS) -> tuple[str, tuple[str, ...]]:
    """(masked text, kinds found in KINDS order) of one free-text cell. ``regions``: ISO alpha-2
    codes whose national phone formats are recognised (international ``+NN`` numbers always are).
    Idempotent: screening a masked text changes nothing."""
    found: set[str] = set()
    # Each pattern runs only on a text that can hold it: an e-mail holds "@", an identity number
    # a digit (most partner texts have neither: the screen costs the name cues alone there).
    if "@" in text:
        text = _EMAIL.sub(_masker(EMAIL, found), text)
    if _DIGIT.search(text) is not None:
        text = _CUED_ID.sub(_masker(ID_NUMBER, found, 1, keep=lambda m: _YEARS.fullmatch(m.group(1).strip()) is not None), text)
        for shape in _SHAPED_IDS:
            text = shape.sub(_masker(ID_NUMBER, found), text)
    if _digits(text) >= PHONE_DIGITS:  # a phone has seven digits or more
        text = _mask_phones(text, regions, found)
        text = _CUED_PHONE.sub(_masker(PHONE, found, 1, keep=lambda m: _digits(m.group(1)) < PHONE_DIGITS), text)
    text = _CUED_NAME.sub(_masker(NAME, found, 1, keep=_is_place), text)
    if ID_NUMBER in found:
        text = _NAME_BEFORE_ID.sub(_masker(NAME, found, 1), text)
    if PHONE in found or EMAIL in found:
        text = _NAME_BEFORE_CONTACT.sub(_masker(NAME, found, 1), text)
    return text, tuple(kind for kind in KINDS if kind in found)


def _masker(kind: str, found: set[str], group: int = 0,
            keep: Callable[[re.Match], bool] | None = None) -> Callable[[re.Match], str]:
    """A ``re.sub`` replacement that masks ``group`` of the match as ``kind`` (and notes the
    kind in ``found``), unless ``keep(match)`` says the match is not personal data."""
    def replace(match: re.Match) -> str:
        if keep is not None and keep(match):
            return match.group(0)
        found.add(kind)
        start, end = match.span(group)
        whole_start = match.start()
        return match.group(0)[: start - whole_start] + MASKS[kind] + match.group(0)[end - whole_start:]
    return replace


def _is_place(match: re.Match) -> bool:
    """A titled name that names a place or an institution, not a person."""
    before = match.string[max(0, match.start() - 40):match.start(1)]
    return _PLACE_BEFORE.search(before) is not None or _NOT_A_PERSON.match(match.group(1)) is not None


def _mask_phones(text: str, regions: tuple[str, ...], found: set[str]) -> str:
    """``text`` with the valid phone numbers of any of ``regions`` masked (longest spans first)."""
    spans: list[tuple[int, int]] = []
    for region in dict.fromkeys(regions):
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            if _digits(match.raw_string) >= PHONE_DIGITS:
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


_ASCII_RUN = re.compile(r"[\x00-\x7f]+")


def _digits(text: str) -> int:
    """How many characters of ``text`` are digits (``str.isdigit``: any script's). The ASCII
    digits are counted by ``str.count``, the other characters looked at one by one: a character
    at a time in Python was 0.29 s of the 2021 export's screen (cProfile)."""
    ascii_digits = sum(map(text.count, "0123456789"))
    if text.isascii():
        return ascii_digits
    return ascii_digits + sum(map(str.isdigit, _ASCII_RUN.sub("", text)))


@lru_cache(maxsize=4096)
def _region_of_iso3(iso3: str) -> str | None:
    """ISO alpha-2 of an ISO alpha-3 country code (None when unknown)."""
    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country is not None else None


def regions_for(country_iso3: str | None) -> tuple[str, ...]:
    """Phone regions to screen a row of ``country_iso3`` with: its own and Venezuela's."""
    own = _region_of_iso3(country_iso3) if country_iso3 else None
    return (own, *DEFAULT_REGIONS) if own and own not in DEFAULT_REGIONS else DEFAULT_REGIONS


def screen_codes(text_codes: np.ndarray, texts: Sequence[str | None], country_codes: np.ndarray,
                 countries: Sequence[str | None]) -> tuple[np.ndarray, list[str | None], list[tuple[str, ...]]]:
    """Screen a coded free-text column once per distinct (text, country) pair (a text too short
    of digits to hold a phone number once, whatever its countries).

    Args:
        text_codes, texts: the column as codes into its distinct texts (None: an empty cell).
        country_codes, countries: each row's country as codes into ISO alpha-3 codes (None:
            unknown; Venezuela's phone formats only).

    Returns:
        (pair code of each row, masked text of each pair, kinds found in each pair): the masked
        column is ``masked[pair_codes]``.
    """
    text_codes = np.asarray(text_codes, dtype=np.int64)
    country_codes = np.asarray(country_codes, dtype=np.int64)
    width = max(len(countries), 1)
    distinct, pair_codes = np.unique(text_codes * width + country_codes, return_inverse=True)
    masked: list[str | None] = []
    kinds: list[tuple[str, ...]] = []
    anywhere: dict[int, tuple[str, tuple[str, ...]]] = {}  # text code -> its screen in every country
    for key in distinct.tolist():
        code = key // width
        text = texts[code]
        if not isinstance(text, str):
            masked.append(text)
            kinds.append(())
            continue
        if code in anywhere:
            screened, found = anywhere[code]
        else:
            screened, found = screen_text(text, regions_for(countries[key % width]))
            if _digits(text) < PHONE_DIGITS:  # the regions decide nothing: no phone number can be found
                anywhere[code] = screened, found
        masked.append(screened)
        kinds.append(found)
    return pair_codes.reshape(-1), masked, kinds
