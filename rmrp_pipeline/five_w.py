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
from rmrp_pipeline.planning_common import resolve_sectors
from rmrp_pipeline.reading import SheetData, cell_text, clean_text, map_distinct, normalise_key, text_values
from rmrp_pipeline.reference import ReferenceData

POPULATION_TYPES = ["in_destination", "in_transit", "host_community", "pendular", "returnees"]
AGE_GENDER = ["girls", "boys", "women", "men", "other_under_18", "other_above_18"]
COUNT_COLUMNS = ["total_monthly", "new_beneficiaries", *POPULATION_TYPES, *AGE_GENDER]
AMOUNT_COLUMNS = ["value_usd", "quantity_output"]
YES_NO_COLUMNS = ["implementation", "rmrp_activity", "cva", "covid19", "support_space_activity"]
TEXT_COLUMNS = [
    "country", "admin1", "admin2", "appealing_org", "implementing_partner", "subsector", "indicator",
    "activity_name", "activity_description", "delivery_mechanism",
]
#: Columns of ``staging.stg_5w__activities`` in order (see sql/ddl).
STAGED_COLUMNS = [
    "source_file", "source_sheet", "source_row", "template_id", "month", "country_raw", "country",
    "country_iso3", "platform", "admin1", "admin2", "appealing_org", "appealing_org_id", "implementation",
    "implementing_partner", "implementing_partner_id", "subsector", "sector", "indicator", "indicator_code",
    "indicator_type", "counts_as_reached", "activity_name", "activity_description", "covid19",
    "rmrp_activity", "support_space_activity", "cva", "value_usd", "delivery_mechanism",
    "quantity_output", *COUNT_COLUMNS, "is_rejected",
]
ISSUE_COLUMNS = ["source_file", "sheet", "row_number", "column", "rule", "severity", "value", "message"]

_YES = {"yes", "si", "sim", "y", "true"}
_NO = {"no", "nao", "n", "false"}
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


#: Conventions a number typed as text could have been written in (decimal comma or point).
_CONVENTIONS = ("en", "es")


def _parse_number_cell(cell: object, language: str, whole: bool) -> tuple[float, str | None]:
    """(value, failure rule id or None) of one cell of a number column (see parse_numbers)."""
    if isinstance(cell, float) and np.isnan(cell):
        return np.nan, None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return (float(cell), None) if math.isfinite(cell) else (np.nan, "number_unreadable")
    if isinstance(cell, str):
        if not cell.strip():
            return np.nan, None
        readings = {}
        for convention in _CONVENTIONS:
            try:
                readings[convention] = parse_published_number(cell, convention)
            except NumberParseError:
                continue
        if not readings:
            return np.nan, "number_unreadable"
        if language in ("es", "pt"):
            # Spanish or Portuguese headers: the partner wrote the file in that language, and
            # its numbers with a decimal comma (1,56 is 1.56; 1.560 is 1560).
            readings = {language: readings["es"]} if "es" in readings else {}
            if not readings:
                return np.nan, "number_unreadable"
        elif len({r.value for r in readings.values()}) > 1 or language not in readings:
            # English headers are the export's language, not necessarily the partner's: "1,000"
            # is one thousand in English and one in Spanish. We do not guess (issue #5 §1).
            return np.nan, "number_ambiguous"
        parsed = readings[language]
        if parsed.unit == "fraction" or (whole and parsed.unit == "usd"):
            return np.nan, "number_unreadable"
        if whole and not parsed.is_exact:
            return np.nan, "number_ambiguous"
        return parsed.value, None
    return np.nan, "number_unreadable"


def parse_numbers(column: pd.Series, language: str, *, whole: bool) -> tuple[pd.Series, pd.Series]:
    """Numbers of a column: (float values, failure rule id per cell or None).

    Number cells are taken as they are (a non-finite one is unreadable). Text cells go through
    the one strict parser of the project (``numbers.parse_published_number``); a text that the
    English and the Spanish/Portuguese conventions read differently (``1,000``, ``12.000``), or
    that only the Spanish convention reads, is ``number_ambiguous`` in a file with English
    headers (the export's language, not necessarily the partner's); a file with Spanish or
    Portuguese headers is read with the decimal comma (``1,56`` is 1.56, ``1.560`` is 1560). Percentages,
    and ``$`` amounts in a count of people, are unreadable. For counts (``whole=True``) a text
    number must be a plain integer. Booleans, dates and other text are unreadable.
    """
    failures = pd.Series(None, index=column.index, dtype=object)
    if column.dtype.kind in "fi":
        values = column.astype("float64")
        failures[~np.isfinite(values) & values.notna()] = "number_unreadable"
        return values.where(np.isfinite(values)), failures
    # One parse per distinct value: partner sheets repeat the same few numbers.
    parsed = map_distinct(column, lambda cell: _parse_number_cell(cell, language, whole))
    values = parsed.map(lambda r: np.nan if r is None else r[0]).astype("float64")
    failures = parsed.map(lambda r: None if r is None else r[1]).astype(object)
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
        column = column.astype(object).where(column.notna(), None)   # Timestamps, not datetime64
    texts = list({clean_text(v) for v in pd.unique(column.dropna()) if isinstance(v, str)})
    day_first = day_first_convention(texts, language)
    # One parse per distinct value (a 5W column holds a handful of months).
    parsed = map_distinct(column, lambda cell: _month_of_cell(cell, day_first, default_year))
    months = pd.to_datetime(parsed, errors="coerce").astype("datetime64[ns]")
    bad = column.notna() & months.isna()
    return months, bad


def _month_of_cell(cell: object, day_first: bool, default_year: int | None) -> pd.Timestamp | None:
    """The month of one cell of a month column, or None when it cannot be known."""
    if cell is pd.NaT:
        return None
    if isinstance(cell, (dt.date, pd.Timestamp)):
        return _month(cell.year, cell.month)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if float(cell).is_integer() and _SERIAL_RANGE[0] <= cell <= _SERIAL_RANGE[1]:
            date = pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(cell))
            return _month(date.year, date.month)
        return None
    if isinstance(cell, str):
        return _month_from_text(clean_text(cell), day_first, default_year)
    return None


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
    keys = map_distinct(column, lambda v: normalise_key(str(v))).fillna("")
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
    # One call per distinct value: 5W text columns repeat the same few hundred values.
    cleaned = text_values(column)
    bad = {t for t in cleaned.dropna().unique() if isinstance(t, str) and ftfy.badness.is_bad(t)}
    if not bad:
        return cleaned.astype(object), pd.Series(False, index=column.index)
    repaired = cleaned.isin(bad)
    texts = cleaned.where(~repaired, cleaned[repaired].map(lambda t: clean_text(ftfy.fix_encoding(t))))
    return texts.astype(object), repaired


RAW_COLUMNS = [*TEXT_COLUMNS, *YES_NO_COLUMNS, *COUNT_COLUMNS, *AMOUNT_COLUMNS, "month"]
_PROBLEM_RULES = {"error": "cell_error", "formula_without_value": "formula_without_value",
                  "formula_not_recalculated": "formula_not_recalculated"}


def _canonical_raw(sheet: SheetData, recognition: Recognition) -> tuple[pd.DataFrame, list[tuple[int, str, str, str]]]:
    """The sheet's cells under canonical names (missing columns empty), and its problem cells
    as (position, canonical column, kind, text)."""
    header_of = recognition.mapping
    n = len(sheet.frame)
    frame = pd.DataFrame(
        {c: (_missing_to_none(sheet.frame[header_of[c]]) if c in header_of else pd.Series([None] * n, dtype=object))
         for c in RAW_COLUMNS}
    )
    problems = []
    if sheet.problem_cells:
        position_of_row = {row: position for position, row in enumerate(sheet.row_numbers)}
        canonical_of_letter = {sheet.column_letters[sheet.headers.index(h)]: c for c, h in header_of.items()}
        for (row, letter), (kind, text) in sheet.problem_cells.items():
            if row in position_of_row and letter in canonical_of_letter:
                problems.append((position_of_row[row], canonical_of_letter[letter], kind, text))
    return frame, problems


def stage_five_w(sheet: SheetData, recognition: Recognition, reference: ReferenceData) -> StagedFiveW:
    """Stage one recognised 5W sheet (``stage_five_w_sheets`` with one sheet)."""
    return stage_five_w_sheets([(sheet, recognition)], reference)


def stage_five_w_sheets(sheets: list[tuple[SheetData, Recognition]], reference: ReferenceData) -> StagedFiveW:
    """Stage recognised 5W sheets: sheets of one template are parsed and validated together
    (pandera once per template, not once per file: 200 partner files cost one validation).

    Args:
        sheets: (sheet as read by ``reading.read_table``, its template match of kind five_w).
        reference: the reference lists.

    Returns:
        ``StagedFiveW``: ``rows`` has one row per input row with STAGED_COLUMNS (counts in
        persons as float with NaN for empty cells, ``value_usd`` in USD, ``month`` first day of
        the month); ``issues`` one row per failed rule and cell (Excel row numbers, the file's own
        column headers).
    """
    by_template: dict[str, list[tuple[SheetData, Recognition]]] = {}
    for sheet, recognition in sheets:
        assert recognition.template is not None and recognition.template.kind == "five_w", "5W sheets only"
        by_template.setdefault(recognition.template.template_id, []).append((sheet, recognition))
    parts = [_stage_template(group, reference) for group in by_template.values()]
    if not parts:
        return StagedFiveW(pd.DataFrame(columns=STAGED_COLUMNS), pd.DataFrame(columns=ISSUE_COLUMNS))
    return StagedFiveW(
        pd.concat([p.rows for p in parts], ignore_index=True),
        pd.concat([p.issues for p in parts], ignore_index=True),
    )


def _stage_template(group: list[tuple[SheetData, Recognition]], reference: ReferenceData) -> StagedFiveW:
    from rmrp_pipeline.schemas import validate_five_w

    template = group[0][1].template
    language = template.language or "en"
    raws, months, month_bad, problems, lineage = [], [], [], [], []
    offset = 0
    for number, (sheet, recognition) in enumerate(group):
        raw, sheet_problems = _canonical_raw(sheet, recognition)
        raws.append(raw)
        # Month conventions (day first or not, the year of a bare month name) are the file's.
        parsed, bad = parse_months(raw["month"], language=language,
                                   default_year=template.cycle_year or _main_year(raw["month"], language))
        months.append(parsed)
        month_bad.append(bad)
        problems += [(offset + p, c, k, t) for p, c, k, t in sheet_problems]
        lineage.append(pd.DataFrame({
            "source_file": sheet.source_file, "source_sheet": sheet.sheet,
            "source_row": sheet.row_numbers, "_sheet_no": number,
        }))
        offset += len(raw)
    raw = pd.concat(raws, ignore_index=True)
    out = pd.concat(lineage, ignore_index=True)
    out["template_id"] = template.template_id
    headers = {(n, c): h for n, (_s, r) in enumerate(group) for c, h in r.mapping.items()}

    parse_failures: list[tuple[str, pd.Series]] = []
    findings_from_parsing: list[tuple[str, pd.Series]] = []
    for name in TEXT_COLUMNS:
        out[name], repaired = _text(raw[name])
        if repaired.any():
            findings_from_parsing.append(("mojibake_repaired", repaired.rename(name)))
    out["country_raw"] = out["country"]
    for name in YES_NO_COLUMNS:
        out[name], bad = parse_yes_no(raw[name])
        parse_failures.append(("yes_no_unreadable", bad.rename(name)))
    for name in COUNT_COLUMNS + AMOUNT_COLUMNS:
        out[name], failed = parse_numbers(raw[name], language, whole=name in COUNT_COLUMNS)
        for rule_id in failed.dropna().unique():
            parse_failures.append((rule_id, failed.eq(rule_id).rename(name)))
    out["month"] = pd.concat(months, ignore_index=True)
    parse_failures.append(("month_unreadable", pd.concat(month_bad, ignore_index=True).rename("month")))
    shown_raw = raw.astype(object).copy()
    for kind, rule_id in _PROBLEM_RULES.items():
        for canonical in {c for _p, c, k, _t in problems if k == kind}:
            mask = pd.Series(False, index=out.index)
            mask.iloc[[p for p, c, k, _t in problems if k == kind and c == canonical]] = True
            parse_failures.append((rule_id, mask.rename(canonical)))
    for position, canonical, _kind, text in problems:
        shown_raw.iat[position, shown_raw.columns.get_loc(canonical)] = text

    _resolve_reference(out, reference, template.cycle_year)
    failures = [(rule_id, mask.name, mask) for rule_id, mask in parse_failures if mask.any()]
    issues = [_issue_rows(out, headers, rule_id, column, mask, shown_raw[column]) for rule_id, column, mask in failures]
    for rule_id, column, mask, shown in validate_five_w(out, parsed_failures=failures):
        issues.append(_issue_rows(out, headers, rule_id, column, mask, shown))
    for rule_id, mask in findings_from_parsing:
        issues.append(_issue_rows(out, headers, rule_id, mask.name, mask, raw[mask.name]))
    issue_frame = pd.concat(issues, ignore_index=True) if issues else pd.DataFrame(columns=ISSUE_COLUMNS)
    rejected = issue_frame.loc[issue_frame["severity"] == rules.REJECT, ["source_file", "sheet", "row_number"]]
    keys = pd.MultiIndex.from_frame(out[["source_file", "source_sheet", "source_row"]])
    out["is_rejected"] = keys.isin(list(rejected.itertuples(index=False, name=None)))
    out["month"] = out["month"].dt.date
    return StagedFiveW(out[STAGED_COLUMNS], issue_frame[ISSUE_COLUMNS])


def _main_year(months: pd.Series, language: str) -> int | None:
    """The most common year among a file's readable months (for month names written without one)."""
    parsed, _bad = parse_months(months, language=language, default_year=None)
    years = parsed.dropna().dt.year
    return int(years.mode().iloc[0]) if len(years) else None


def _resolve_reference(out: pd.DataFrame, reference: ReferenceData, template_year: int | None) -> None:
    """Add the reference-list columns to the staged rows, each row against the lists of its own
    reporting year (its month's year; the template's year when the month is unreadable)."""
    out["country_iso3"] = reference.resolve_country(out["country_raw"])
    out["country"] = reference.country_name_of(out["country_iso3"])
    out["platform"] = reference.platform_of(out["country_iso3"])
    years = pd.to_datetime(out["month"]).dt.year.fillna(template_year or 0).astype(int)
    for column in ("appealing_org_id", "implementing_partner_id", "indicator_code", "indicator_type"):
        out[column] = None
    out["counts_as_reached"] = False
    out["admin1_known"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    out["has_appealing_list"] = False
    out["has_implementing_list"] = False
    for year in years.unique():
        rows = years == year
        part = out.loc[rows]
        out.loc[rows, "appealing_org_id"] = reference.resolve_organisation(part["appealing_org"], "appealing", year)
        out.loc[rows, "implementing_partner_id"] = reference.resolve_organisation(part["implementing_partner"], "implementing", year)
        found = reference.resolve_indicator(part["subsector"], part["indicator"], year)
        for column in ("indicator_code", "indicator_type", "counts_as_reached"):
            out.loc[rows, column] = found[column]
        out.loc[rows, "admin1_known"] = reference.admin1_known(part["country_iso3"], part["admin1"], year)
        out.loc[rows, "has_appealing_list"] = reference.has_organisations("appealing", year)
        out.loc[rows, "has_implementing_list"] = reference.has_organisations("implementing", year)
    out["counts_as_reached"] = out["counts_as_reached"].astype(bool)
    # The row's canonical R4V sector (through the aliases of reference_data/sectors.csv:
    # 'Multipurpose CBI', 'Educación' ...), staged beside the subsector as reported; helper
    # columns of the rules (schemas.py), not staged: the row's reporting year and its indicator
    # type as a matching key ('Capacity building').
    out["sector"] = resolve_sectors(out["subsector"])[0]
    out["reporting_year"] = years
    out["indicator_type_key"] = map_distinct(out["indicator_type"], normalise_key)
    out["has_indicator_registry"] = not reference.indicators.empty
    out["template_year"] = template_year


def _issue_rows(
    out: pd.DataFrame, headers: dict[tuple[int, str], str], rule_id: str, column: str, mask: pd.Series, shown: pd.Series
) -> pd.DataFrame:
    """Issue rows for the cells of ``column`` where ``mask`` is True (``shown`` gives the value);
    each names its file, sheet, Excel row and the file's own header of the column."""
    rule = rules.RULES[rule_id]
    positions = np.flatnonzero(mask.to_numpy())
    rows = out["source_row"].to_numpy()[positions]
    sheet_numbers = out["_sheet_no"].to_numpy()[positions]
    column_headers = [headers.get((int(n), column), column) for n in sheet_numbers]
    values = [cell_text(v) for v in shown.to_numpy()[positions]]
    return pd.DataFrame(
        {
            "source_file": out["source_file"].to_numpy()[positions],
            "sheet": out["source_sheet"].to_numpy()[positions],
            "row_number": rows,
            "column": column_headers,
            "rule": rule_id,
            "severity": rule.severity,
            "value": values,
            "message": [rules.message(rule_id, row=int(r), column=h, value=v) for r, h, v in zip(rows, column_headers, values)],
        },
        columns=ISSUE_COLUMNS,
    )
