"""Monthly 5W activity reports: canonical columns, typed values, validation.

``stage_five_w`` takes one recognised 5W sheet and returns its rows in the canonical schema
(one row per input row, lineage kept) plus one issue row per failed rule. Parsing decides
what can be read with certainty (a number cell is a number; text is parsed strictly with the
file's language; anything else is a reject naming the cell). The R4V quality rules then run
as pandera schemas (``schemas.py``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import ftfy
import numpy as np
import pandas as pd

from rmrp_pipeline import rules
from rmrp_pipeline.templates import Recognition
from rmrp_pipeline.numbers import NumberParseError, parse_published_number
from rmrp_pipeline.reading import SheetData, clean_text, normalise_key
from rmrp_pipeline.reference import ReferenceData

POPULATION_TYPES = ["in_destination", "in_transit", "host_community", "pendular", "returnees"]
AGE_GENDER = ["girls", "boys", "women", "men", "other_under_18", "other_above_18"]
COUNT_COLUMNS = ["total_monthly", "new_beneficiaries", *POPULATION_TYPES, *AGE_GENDER]
AMOUNT_COLUMNS = ["value_usd", "quantity_output"]
YES_NO_COLUMNS = ["implementation", "rmrp_activity", "cva", "covid19", "support_space_activity"]
TEXT_COLUMNS = [
    "country", "admin1", "appealing_org", "implementing_partner", "subsector", "indicator",
    "activity_name", "activity_description", "delivery_mechanism",
]
#: Columns of ``staging.stg_5w__activities`` in order (see sql/ddl).
STAGED_COLUMNS = [
    "source_file", "source_sheet", "source_row", "template_id", "month", "country_raw", "country",
    "country_iso3", "platform", "admin1", "appealing_org", "appealing_org_id", "implementation",
    "implementing_partner", "implementing_partner_id", "subsector", "indicator", "indicator_code",
    "indicator_type", "counts_as_reached", "activity_name", "activity_description", "covid19",
    "rmrp_activity", "support_space_activity", "cva", "value_usd", "delivery_mechanism",
    "quantity_output", *COUNT_COLUMNS, "is_rejected",
]
ISSUE_COLUMNS = ["source_file", "sheet", "row_number", "column", "rule", "severity", "value", "message"]

_YES = {"yes", "si", "sim", "y", "true", "1"}
_NO = {"no", "nao", "n", "false", "0"}
_MONTH_TEXT = re.compile(r"^(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?:[ T]00:00(?::00)?)?$")
# Excel serial dates from 1990 to 2100: anything else in a month column is not a date.
_SERIAL_RANGE = (32874, 73051)
#: Reporting years that can be real (R4V exists since 2018; plans run a few years ahead).
PLAUSIBLE_YEARS = range(2015, 2051)


@dataclass
class StagedFiveW:
    """Result of staging one 5W sheet: ``rows`` (STAGED_COLUMNS) and ``issues`` (ISSUE_COLUMNS)."""

    rows: pd.DataFrame
    issues: pd.DataFrame


def parse_numbers(column: pd.Series, language: str, *, whole: bool) -> tuple[pd.Series, pd.Series]:
    """Numbers of a column: (float values, failure rule id per cell or None).

    Number cells are taken as they are (a non-finite one is unreadable). Text cells go through
    the one strict parser of the project (``numbers.parse_published_number``) in the file's
    language; percentages are unreadable here. For counts (``whole=True``) a text number must be
    a plain integer: ``1.000`` or ``12,5`` written as text is ``number_ambiguous`` (a thousands
    separator or a decimal one? we do not guess). Booleans, dates and other text are unreadable.
    """
    failures = pd.Series(None, index=column.index, dtype=object)
    if column.dtype.kind in "fi":
        values = column.astype("float64")
        failures[~np.isfinite(values) & values.notna()] = "number_unreadable"
        return values.where(np.isfinite(values)), failures
    values = pd.Series(np.nan, index=column.index, dtype="float64")
    for position, cell in column.items():
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            continue
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            if math.isfinite(cell):
                values[position] = float(cell)
            else:
                failures[position] = "number_unreadable"
        elif isinstance(cell, str) and not cell.strip():
            continue
        elif isinstance(cell, str):
            try:
                parsed = parse_published_number(cell, language)
            except NumberParseError:
                failures[position] = "number_unreadable"
                continue
            if parsed.unit == "fraction":
                failures[position] = "number_unreadable"
            elif whole and not parsed.is_exact:
                failures[position] = "number_ambiguous"
            else:
                values[position] = parsed.value
        else:
            failures[position] = "number_unreadable"
    return values, failures


#: Month names (normalised: no accents, lower case) in English, Spanish and Portuguese.
MONTH_NAMES = {
    **{n: i for i, n in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                   "september", "october", "november", "december"], start=1)},
    **{n: i for i, n in enumerate(["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                                   "septiembre", "octubre", "noviembre", "diciembre"], start=1)},
    **{n: i for i, n in enumerate(["janeiro", "fevereiro", "marco", "abril", "maio", "junho", "julho", "agosto",
                                   "setembro", "outubro", "novembro", "dezembro"], start=1)},
    "setiembre": 9,
}
MONTH_NAMES.update({name[:3]: number for name, number in list(MONTH_NAMES.items())})
MONTH_NAMES.update({"sept": 9, "set": 9, "dic": 12, "ene": 1, "fev": 2, "dez": 12})
_NAMED_MONTH = re.compile(r"^(?:(\d{1,2})[_ .-]*)?([a-z]+)\.?(?:[ _/.-]*(?:de[ _])?(\d{2}|\d{4}))?$")
_SLASH_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def day_first_convention(texts: list[str], language: str) -> bool:
    """Whether ``dd/mm/yyyy`` (True) or ``mm/dd/yyyy`` (False) is the file's convention for text
    dates: proven by a first part above 12 (day first) or a second part above 12 (month first),
    else the convention of the file's language (Spanish, Portuguese: day first; English: month
    first). Decided once per file, never row by row."""
    firsts, seconds = [], []
    for text in texts:
        match = _SLASH_DATE.match(text)
        if match:
            firsts.append(int(match.group(1)))
            seconds.append(int(match.group(2)))
    if any(f > 12 for f in firsts) and not any(s > 12 for s in seconds):
        return True
    if any(s > 12 for s in seconds) and not any(f > 12 for f in firsts):
        return False
    return language in {"es", "pt"}


def parse_months(column: pd.Series, *, language: str = "en", default_year: int | None = None) -> tuple[pd.Series, pd.Series]:
    """Reporting months as first-of-month Timestamps: (months, unreadable mask).

    Accepts date cells, Excel serial numbers, ``YYYY-MM`` (or ``YYYY-MM-DD``) text, text dates
    ``dd/mm/yyyy`` or ``mm/dd/yyyy`` read by the file's convention (``day_first_convention``),
    and month names in English, Spanish or Portuguese with an optional year: ``04_Abril``,
    ``Abril 2021``, ``abr-21``, ``marzo de 2021``; a name without a year takes ``default_year``
    (the template's). An empty cell is missing (reported by the reject schema); anything else,
    or a number prefix that contradicts the name (``05_Abril``), is unreadable.
    """
    if np.issubdtype(column.dtype, np.datetime64):
        months = column.dt.to_period("M").dt.to_timestamp()
        return months, pd.Series(False, index=column.index)
    months = pd.Series(pd.NaT, index=column.index, dtype="datetime64[ns]")
    bad = pd.Series(False, index=column.index)
    texts = [clean_text(v) for v in column if isinstance(v, str)]
    day_first = day_first_convention(texts, language)
    for position, cell in column.items():
        if cell is None or (isinstance(cell, float) and np.isnan(cell)) or cell is pd.NaT:
            continue
        month = None
        if isinstance(cell, (dt.date, pd.Timestamp)):
            month = _month(cell.year, cell.month)
        elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
            if float(cell).is_integer() and _SERIAL_RANGE[0] <= cell <= _SERIAL_RANGE[1]:
                date = pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(cell))
                month = _month(date.year, date.month)
        elif isinstance(cell, str):
            month = _month_from_text(clean_text(cell), day_first, default_year)
        if month is None or month.year not in PLAUSIBLE_YEARS:
            bad[position] = True
        else:
            months[position] = month
    return months, bad


def _month(year: int, month: int) -> pd.Timestamp | None:
    """First day of the month, or None when the year cannot be a reporting year (a typo such
    as 3021, or a year pandas cannot even store)."""
    if year not in PLAUSIBLE_YEARS or not 1 <= month <= 12:
        return None
    return pd.Timestamp(year, month, 1)


def _month_from_text(text: str, day_first: bool, default_year: int | None) -> pd.Timestamp | None:
    match = _MONTH_TEXT.match(text)
    if match:
        return _month(int(match.group(1)), int(match.group(2)))
    match = _SLASH_DATE.match(text)
    if match:
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        day, month = (first, second) if day_first else (second, first)
        if year not in PLAUSIBLE_YEARS:
            return None
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
        return _month(year, month)
    match = _NAMED_MONTH.match(normalise_key(text))
    if match:
        number, name, year = match.groups()
        month = MONTH_NAMES.get(name)
        if month is None or (number is not None and int(number) != month):
            return None
        if year is None:
            if default_year is None:
                return None
            return _month(default_year, month)
        full_year = int(year) + 2000 if len(year) == 2 else int(year)
        return _month(full_year, month)
    return None


def parse_yes_no(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Yes/No (Sí/No, Sim/Não) as nullable booleans: (values, unreadable mask)."""
    keys = column.map(lambda v: normalise_key(str(v)) if v is not None and not (isinstance(v, float) and np.isnan(v)) else "")
    values = pd.Series(pd.NA, index=column.index, dtype="boolean")
    values[keys.isin(_YES)] = True
    values[keys.isin(_NO)] = False
    return values, ~(keys.isin(_YES) | keys.isin(_NO) | keys.eq(""))


#: Spanish and Portuguese "no data" markers (normalised keys): an explicitly empty cell. ``NA``
#: and ``None`` are not among them: they are values (Namibia's ISO2 code, a name, ...).
MISSING_MARKERS = {"n/d", "nd", "s/d", "sd", "-", "--", "no aplica", "nao se aplica", "nao aplica",
                   "sin dato", "sin datos", "sem dado", "sem dados"}


def _missing_to_none(column: pd.Series) -> pd.Series:
    """The column with Spanish/Portuguese "no data" markers (``N/D``, ``s/d``, ``-``,
    ``no aplica``, ``sin dato``) turned into empty cells."""
    if column.dtype != object:
        return column
    markers = [v for v in pd.unique(column.dropna()) if isinstance(v, str) and normalise_key(v) in MISSING_MARKERS]
    return column.where(~column.isin(markers), None) if markers else column


def _text(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text values, cleaned (NFC, spaces), and the mask of cells whose mojibake was repaired.

    ``naturalizaciÃ³n`` (UTF-8 read as Latin-1 somewhere upstream) becomes ``naturalización``
    with ftfy, and the repair is reported; numbers written in text columns become their text.
    """
    def one(v: object) -> str | None:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = clean_text(str(v))
        return text or None

    # One call per distinct value: 5W text columns repeat the same few hundred values.
    distinct = {v: one(v) for v in pd.unique(column.dropna())}
    bad = {t for t in distinct.values() if isinstance(t, str) and ftfy.badness.is_bad(t)}
    fixed = {v: (clean_text(ftfy.fix_encoding(t)) if t in bad else t) for v, t in distinct.items()}
    texts = column.map(fixed).astype(object).where(column.notna(), None)
    repaired = column.map(lambda v: distinct.get(v) in bad).astype(bool) if bad else pd.Series(False, index=column.index)
    return texts, repaired


def _display(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def stage_five_w(sheet: SheetData, recognition: Recognition, reference: ReferenceData) -> StagedFiveW:
    """Stage one recognised 5W sheet (see the module docstring).

    Args:
        sheet: the sheet as read by ``reading.read_table``.
        recognition: its template match (``kind == "five_w"``); gives the column mapping,
            the cycle year (for the reference lists and the people-reached rule) and the language.
        reference: the reference lists.

    Returns:
        ``StagedFiveW``: ``rows`` has one row per input row with STAGED_COLUMNS (counts in
        persons as float with NaN for empty cells, ``value_usd`` in USD, ``month`` first day of
        the month); ``issues`` one row per failed rule and cell.
    """
    from rmrp_pipeline.schemas import validate_five_w

    template = recognition.template
    assert template is not None and template.kind == "five_w", "stage_five_w needs a 5W sheet"
    year = template.cycle_year or 0
    language = template.language or "en"
    source = sheet.frame
    header_of = recognition.mapping
    n = len(source)

    def raw(canonical: str) -> pd.Series:
        if canonical in header_of:
            return _missing_to_none(source[header_of[canonical]])
        return pd.Series([None] * n, index=source.index, dtype=object)

    out = pd.DataFrame(index=source.index)
    out["source_file"] = sheet.source_file
    out["source_sheet"] = sheet.sheet
    out["source_row"] = sheet.row_numbers
    out["template_id"] = template.template_id
    parse_failures: list[tuple[str, pd.Series]] = []

    findings_from_parsing: list[tuple[str, pd.Series]] = []
    for name in TEXT_COLUMNS:
        out[name], repaired = _text(raw(name))
        if repaired.any():
            findings_from_parsing.append(("mojibake_repaired", repaired.rename(name)))
    out["country_raw"] = out["country"]
    for name in YES_NO_COLUMNS:
        out[name], bad = parse_yes_no(raw(name))
        parse_failures.append(("yes_no_unreadable", bad.rename(name)))
    for name in COUNT_COLUMNS + AMOUNT_COLUMNS:
        out[name], failed = parse_numbers(raw(name), language, whole=name in COUNT_COLUMNS)
        for rule_id in failed.dropna().unique():
            parse_failures.append((rule_id, failed.eq(rule_id).rename(name)))
    out["month"], bad = parse_months(raw("month"), language=language, default_year=template.cycle_year)
    parse_failures.append(("month_unreadable", bad.rename("month")))
    parse_failures += _problem_cell_failures(sheet, header_of, n)

    out["country_iso3"] = reference.resolve_country(out["country_raw"])
    out["country"] = reference.country_name_of(out["country_iso3"])
    out["platform"] = reference.platform_of(out["country_iso3"])
    out["appealing_org_id"] = reference.resolve_organisation(out["appealing_org"], "appealing", year)
    out["implementing_partner_id"] = reference.resolve_organisation(out["implementing_partner"], "implementing", year)
    out = out.join(reference.resolve_indicator(out["subsector"], out["indicator"], year))
    out["admin1_known"] = reference.admin1_known(out["country_iso3"], out["admin1"], year)
    out["has_appealing_list"] = reference.has_organisations("appealing", year)
    out["has_implementing_list"] = reference.has_organisations("implementing", year)
    out["has_indicator_registry"] = not reference.indicators.empty
    out["template_year"] = template.cycle_year

    failures = [
        (rule_id, column_name, mask) for rule_id, mask in parse_failures
        for column_name in [mask.name] if mask.any()
    ]
    issues = [
        _issue_rows(sheet, header_of, rule_id, column_name, mask, _shown_raw(sheet, header_of, column_name, raw(column_name)))
        for rule_id, column_name, mask in failures
    ]
    for rule_id, column_name, mask, shown in validate_five_w(out, parsed_failures=failures):
        issues.append(_issue_rows(sheet, header_of, rule_id, column_name, mask, shown))
    for rule_id, mask in findings_from_parsing:
        issues.append(_issue_rows(sheet, header_of, rule_id, mask.name, mask, source[header_of[mask.name]]))
    issue_frame = pd.concat(issues, ignore_index=True) if issues else pd.DataFrame(columns=ISSUE_COLUMNS)
    rejected_rows = set(issue_frame.loc[issue_frame["severity"] == rules.REJECT, "row_number"])
    out["is_rejected"] = out["source_row"].isin(rejected_rows)
    out["month"] = out["month"].dt.date
    return StagedFiveW(out[STAGED_COLUMNS].reset_index(drop=True), issue_frame[ISSUE_COLUMNS])


def _shown_raw(sheet: SheetData, header_of: dict[str, str], canonical: str, values: pd.Series) -> pd.Series:
    """The raw values of a column, with Excel error texts where the cell holds an error."""
    if not sheet.problem_cells or canonical not in header_of:
        return values
    letter = sheet.column_letters[sheet.headers.index(header_of[canonical])]
    texts = {row: text for (row, col), (_k, text) in sheet.problem_cells.items() if col == letter}
    shown = values.astype(object).copy()
    for position, row in enumerate(sheet.row_numbers):
        if row in texts:
            shown.iloc[position] = texts[row]
    return shown


def _problem_cell_failures(sheet: SheetData, header_of: dict[str, str], n: int) -> list[tuple[str, pd.Series]]:
    """Masks of cells that hold an Excel error or a formula without a saved result (the fast
    readers return them as empty: they must be rejects, never blanks or zeros)."""
    if not sheet.problem_cells:
        return []
    position_of_row = {row: position for position, row in enumerate(sheet.row_numbers)}
    failures = []
    for canonical, header in header_of.items():
        letter = sheet.column_letters[sheet.headers.index(header)]
        for kind, rule_id in (
            ("error", "cell_error"),
            ("formula_without_value", "formula_without_value"),
            ("formula_not_recalculated", "formula_not_recalculated"),
        ):
            positions = [
                position_of_row[row] for (row, col), (k, _text) in sheet.problem_cells.items()
                if col == letter and k == kind and row in position_of_row
            ]
            if positions:
                mask = pd.Series(False, index=range(n))
                mask.iloc[positions] = True
                failures.append((rule_id, mask.rename(canonical)))
    return failures


def _issue_rows(
    sheet: SheetData, header_of: dict[str, str], rule_id: str, column: str, mask: pd.Series, shown: pd.Series
) -> pd.DataFrame:
    """Issue rows for the cells of ``column`` where ``mask`` is True (``shown`` gives the value)."""
    rule = rules.RULES[rule_id]
    positions = np.flatnonzero(mask.to_numpy())
    header = header_of.get(column, column)
    rows = [sheet.row_numbers[p] for p in positions]
    values = [_display(v) for v in shown.to_numpy()[positions]]
    return pd.DataFrame(
        {
            "source_file": sheet.source_file,
            "sheet": sheet.sheet,
            "row_number": rows,
            "column": header,
            "rule": rule_id,
            "severity": rule.severity,
            "value": values,
            "message": [rules.message(rule_id, row=r, column=header, value=v) for r, v in zip(rows, values)],
        },
        columns=ISSUE_COLUMNS,
    )
