"""Read the published RMRP key-figures workbook (planning figures as printed) into long format.

Input: the sheets ``key_figures``, ``other_figures`` and ``source`` of a workbook such as
``data/raw/planning/rmrp2023-2024_trafficking_smuggling_key_figures.xlsx``, as the ingest read them
(:func:`read_key_figures_sheets`) or read here (:func:`read_published_key_figures`). Every figure
cell holds the text as printed, read by ``text.numbers.parse_published_number`` in the file's one
``language`` (never guessed per cell).

Output: ``(figures, rejects, info)``: one row per figure read (:data:`FIGURE_COLUMNS`, base units:
persons, organisations, USD, fractions, with the interval the printed rounding allows), one row per
cell that could not be read (:data:`REJECT_COLUMNS`, rule ids :data:`REJECT_RULES`), the locale,
row counts and findings. A sheet without the expected columns raises :class:`KeyFiguresLayoutError`.
Layout, reading and rules: docs/data_dictionary.md, "Published key figures (planning)".
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from rmrp_pipeline.domain import PLATFORMS, REGIONAL
from rmrp_pipeline.quality.checks import register_checks
from rmrp_pipeline.quality.rules import KEY_FIGURES, KEY_FIGURES_REJECTS
from rmrp_pipeline.read.workbook import SheetData, cell_number_format, read_table
from rmrp_pipeline.text.cells import cell_text, clean_text, normalise_key
from rmrp_pipeline.text.numbers import (
    SUPPORTED_LOCALES,
    NumberParseError,
    PublishedNumber,
    parse_published_number,
)

__all__ = [
    "AGE_GENDER_GROUPS",
    "FIGURE_COLUMNS",
    "KEY_FIGURES_COLUMNS",
    "KEY_FIGURE_MEASURES",
    "KeyFiguresLayoutError",
    "MEASURE_UNITS",
    "OTHER_FIGURES_COLUMNS",
    "OTHER_MEASURES",
    "PLATFORMS",
    "REGIONAL",
    "REJECT_COLUMNS",
    "REJECT_RULES",
    "read_key_figures_sheets",
    "read_published_key_figures",
]

KEY_FIGURES_SHEET = "key_figures"
OTHER_FIGURES_SHEET = "other_figures"
SOURCE_SHEET = "source"


KEY_FIGURE_MEASURES: tuple[str, ...] = (
    "people_in_need",
    "people_targeted",
    "target_share_of_pin",
    "requirements_usd",
    "partners",
)
KEY_FIGURES_COLUMNS: tuple[str, ...] = ("plan_year", "platform", "platform_as_printed", "sector", *KEY_FIGURE_MEASURES)
OTHER_FIGURES_COLUMNS: tuple[str, ...] = ("plan_year", "platform", "sector", "measure", "age_gender", "published_text")
SOURCE_COLUMNS: tuple[str, ...] = ("key", "value")

AGE_GENDER_GROUPS: tuple[str, ...] = ("women", "men", "girls", "boys")
#: other_figures measures -> whether the row needs an age_gender group.
OTHER_MEASURES: dict[str, bool] = {
    "share_of_total_pin": False,
    "people_in_need_share": True,
    "people_targeted_share": True,
    "sector_leads": False,
}
#: measure -> unit of ``figures.value``.
MEASURE_UNITS: dict[str, str] = {
    "people_in_need": "persons",
    "people_targeted": "persons",
    "target_share_of_pin": "fraction",
    "requirements_usd": "usd",
    "partners": "organisations",
    "share_of_total_pin": "fraction",
    "people_in_need_share": "fraction",
    "people_targeted_share": "fraction",
    "sector_leads": "text",
}
# figures unit -> the unit parse_published_number must return for it ('$' required for usd).
_PARSED_UNIT = {"persons": "count", "organisations": "count", "usd": "usd", "fraction": "fraction"}

FIGURE_COLUMNS: tuple[str, ...] = (
    "source_file",
    "sheet",
    "row_number",
    "column",
    "cell",
    "plan_year",
    "level",
    "platform",
    "sector",
    "measure",
    "age_gender",
    "published_text",
    "value",
    "value_low",
    "value_high",
    "unit",
)

REJECT_COLUMNS: tuple[str, ...] = ("source_file", "sheet", "row_number", "column", "rule", "value", "message")

#: rule id -> what it means (declared, with the Spanish, in ``quality.rules.KEY_FIGURES_REJECTS``).
REJECT_RULES: dict[str, str] = {rule_id: rule.message_en for rule_id, rule in KEY_FIGURES_REJECTS.items()}
#: Texts of a figure cell saying that the source prints no such figure (normalised).
NOT_PUBLISHED = {"not published", "no publicado", "nao publicado"}

_YEAR = re.compile(r"\A[0-9]{4}\Z")
_FLOAT_COLUMNS = ("value", "value_low", "value_high")


class KeyFiguresLayoutError(ValueError):
    """A sheet of the key-figures workbook does not have the expected columns."""


def read_key_figures_sheets(
    key_figures: SheetData, other_figures: SheetData, source: SheetData
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Read the three sheets of one published key-figures workbook, as ``read.workbook.read_table``
    read them (docs/data_dictionary.md, "What the reader returns").

    Args:
        key_figures, other_figures, source: the workbook's sheets of those layouts. Each cell keeps
            its type (a number cell is not text); ``source_file`` names the workbook in the frames,
            its file name in the messages; a share typed as a number has its number format read from
            ``key_figures.path``.

    Returns:
        ``(figures, rejects, info)``: ``figures`` with the columns :data:`FIGURE_COLUMNS`
        (``row_number`` int, ``plan_year`` Int64, ``value``/``value_low``/``value_high`` float, NaN for
        the text measure ``sector_leads``); ``rejects`` with :data:`REJECT_COLUMNS`; ``info`` with the
        locale, per-sheet row counts and the findings (``percent_without_sign``).

    Raises:
        KeyFiguresLayoutError: a sheet lacks an expected column or has an unexpected one.
    """
    book = _Workbook(key_figures.source_file, key_figures.path)
    _read_source(book, source)
    _read_key_figures(book, key_figures)
    _read_other_figures(book, other_figures)
    return book.result()


def read_published_key_figures(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """``read_key_figures_sheets`` of a workbook on its own (scripts, tests), its sheets found by
    their names ``key_figures``, ``other_figures`` and ``source``; ``source_file`` is the file name.

    Raises:
        KeyFiguresLayoutError: a sheet lacks an expected column or has an unexpected one.
        rmrp_pipeline.read.files.ReadError: the file or one of the three sheets cannot be read.
    """
    path = Path(path)
    return read_key_figures_sheets(
        key_figures=read_table(path, KEY_FIGURES_SHEET),
        other_figures=read_table(path, OTHER_FIGURES_SHEET),
        source=read_table(path, SOURCE_SHEET),
    )


def _blank(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _cell_value(value: object) -> object:
    """Text cells cleaned (``text.cells.clean_text``; "" -> None); blanks -> None; others as typed."""
    if isinstance(value, str):
        return clean_text(value) or None
    return None if _blank(value) else value


def _year_text(plan_year: int | None) -> str:
    return str(plan_year) if plan_year is not None else "(whole plan, no single year)"


class _LocaleUnknown(Exception):
    """The text reads differently (or not at all) in some supported locale."""


def _parse(text: str, locale: str | None) -> PublishedNumber:
    """Parse in the file's locale; without one, accept only texts every locale reads alike."""
    if locale is not None:
        return parse_published_number(text, locale)
    readings, errors = [], []
    for candidate in SUPPORTED_LOCALES:
        try:
            readings.append(parse_published_number(text, candidate))
        except NumberParseError as exc:
            errors.append(exc)
    if not readings:
        raise errors[0]
    if errors or len({(r.value, r.low, r.high, r.unit) for r in readings}) > 1:
        raise _LocaleUnknown(text)
    return readings[0]


class _Workbook:
    """What one workbook gives, sheet after sheet: its locale, figures, rejects and findings, and
    the rows read and rejected per sheet."""

    def __init__(self, source_file: str, path: Path | None):
        self.source_file = source_file
        self.name = Path(source_file).name  # as the messages name the file
        self.path = path
        self.locale: str | None = None
        self.figures: list[dict] = []
        self.rejects: list[dict] = []
        self.findings: list[dict] = []
        self.sheets: dict[str, dict[str, int]] = {}
        self._rejected_rows: set[tuple[str, int]] = set()

    def rows(self, data: SheetData, expected: tuple[str, ...]) -> tuple[list[dict], dict[str, str]]:
        """The non-empty data rows of a sheet (dicts with ``_row_number``) and each column's letter.

        Each cell keeps the type ``read_table`` gave it: a number cell rendered as text (``1.234``)
        would be read by the locale-aware parser in the file's locale (``es``: 1234). Text cells are
        cleaned; number cells stay numbers, so a figure cell holding a number is read by its number
        format (shares) or rejected, never misread.
        """
        missing = [c for c in expected if c not in data.headers]
        unexpected = [c for c in data.headers if c not in expected]
        if missing or unexpected:
            raise KeyFiguresLayoutError(
                f"{self.name}, sheet {data.sheet!r}: the header must be exactly {list(expected)}; "
                f"missing {missing}, unexpected {unexpected}"
            )
        rows = []
        for row_number, record in zip(data.row_numbers, data.frame.to_dict("records")):
            row = {header: _cell_value(value) for header, value in record.items()}
            row["_row_number"] = row_number
            rows.append(row)
        self.sheets[data.sheet] = {"rows_read": len(rows), "rows_rejected": 0}
        return rows, dict(zip(data.headers, data.column_letters))

    def reject(self, sheet: str, row: dict | None, column: str | None, letter: str | None, rule: str, problem: str):
        """One reject; ``row`` None means the sheet as a whole (row_number 1, the header)."""
        row_number = int(row["_row_number"]) if row is not None else 1
        where = f"{self.name}, sheet {sheet!r}"
        if letter:
            where += f", cell {letter}{row_number}"
        if column:
            where += f" (column {column!r})"
        self.rejects.append(
            {
                "source_file": self.source_file,
                "sheet": sheet,
                "row_number": row_number,
                "column": column,
                "rule": rule,
                "value": cell_text(row.get(column)) if row is not None and column else None,
                "message": f"{where}: {problem}",
            }
        )
        if row is not None:
            self._rejected_rows.add((sheet, row_number))

    def parse(self, text: str) -> PublishedNumber:
        """``text`` read in the file's locale (see ``_parse``)."""
        return _parse(text, self.locale)

    def result(self) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
        for sheet, _row_number in self._rejected_rows:
            self.sheets[sheet]["rows_rejected"] += 1
        figures = pd.DataFrame(self.figures, columns=list(FIGURE_COLUMNS))
        figures["row_number"] = figures["row_number"].astype("int64")
        figures["plan_year"] = figures["plan_year"].astype("Int64")
        for column in _FLOAT_COLUMNS:
            figures[column] = figures[column].astype("float64")
        rejects = pd.DataFrame(self.rejects, columns=list(REJECT_COLUMNS))
        rejects["row_number"] = rejects["row_number"].astype("int64")
        info = {"locale": self.locale, "sheets": self.sheets, "findings": self.findings}
        return figures, rejects, info


# -- figure cells ----------------------------------------------------------------------------------


def _figure(book: _Workbook, sheet: str, row: dict, column: str, letter: str, identity: dict, measure: str,
            age_gender: str | None) -> None:
    """Read one figure cell into ``book.figures``, or reject it."""
    text = row[column]
    unit = MEASURE_UNITS[measure]
    what = f"{measure}{'/' + age_gender if age_gender else ''}, {identity['platform']} {_year_text(identity['plan_year'])}"

    def reject(rule: str, problem: str) -> None:
        book.reject(sheet, row, column, letter, rule, problem)

    if isinstance(text, str) and normalise_key(text) in NOT_PUBLISHED:
        return None
    if text is None:
        return reject("value_missing", f"empty cell for {what}; write the figure exactly as printed, "
                                       f"or delete the row if it is not published")
    if unit == "fraction" and isinstance(text, float) and not isinstance(text, bool):
        return _fraction_cell(book, sheet, row, column, letter, identity, measure, age_gender, text, what)
    if not isinstance(text, str):
        return reject("cell_not_text", f"the cell holds a {type(text).__name__} ({cell_text(text)}), not the "
                                       f"text as printed ({what}); format the cell as Text and type the figure "
                                       f"exactly as printed, e.g. '1,56 M' or '0,7%'")
    base = {
        "source_file": book.source_file,
        "sheet": sheet,
        "row_number": int(row["_row_number"]),
        "column": column,
        "cell": f"{letter}{row['_row_number']}",
        **identity,
        "measure": measure,
        "age_gender": age_gender,
        "published_text": text,
        "unit": unit,
    }
    if unit == "text":
        book.figures.append({**base, "value": math.nan, "value_low": math.nan, "value_high": math.nan})
        return None
    try:
        number = book.parse(text)
    except _LocaleUnknown:
        return reject("locale_unknown", f"{text!r} ({what}) reads differently depending on the decimal separator "
                                        f"and the file's language is unknown; set 'language' (one of "
                                        f"{', '.join(SUPPORTED_LOCALES)}) in sheet {SOURCE_SHEET!r}")
    except NumberParseError as exc:
        return reject("number_unreadable", f"{what}: {exc}")
    expected = _PARSED_UNIT[unit]
    if number.unit != expected:
        forms = {"usd": "with '$' (e.g. '$22,08 M')", "fraction": "as a percentage (e.g. '2,1%')",
                 "count": "as a plain number without '$' or '%' (e.g. '1,56 M', '85')"}
        return reject("unit_mismatch", f"{text!r} is a {number.unit} figure but {what} is in {unit}; "
                                       f"write it {forms[expected]}")
    if unit in ("persons", "organisations") and not number.value.is_integer():
        return reject("count_not_whole", f"{text!r} reads as {number.value!r} {unit} ({what}), not a whole "
                                         f"number; add the magnitude (K, M) if one was printed, or check the "
                                         f"decimal separator")
    if unit == "fraction" and number.value > 1:
        return reject("fraction_above_one", f"{text!r} ({what}) is above 100%; check the figure")
    book.figures.append({**base, "value": number.value, "value_low": number.low, "value_high": number.high})
    return None


def _fraction_cell(book: _Workbook, sheet, row, column, letter, identity, measure, age_gender, value: float,
                   what: str) -> None:
    """A share typed as a number. A cell formatted as a percentage holds the fraction itself
    (0.007 shown as 0,7%): loaded as it is. A bare number (0.7) could be 70% or 0.7%: loaded
    as the fraction it is and listed as a finding, so someone checks it."""
    cell = f"{letter}{row['_row_number']}"
    number_format = cell_number_format(book.path, sheet, cell) if book.path is not None else ""
    if value > 1 or value < 0:
        return book.reject(sheet, row, column, letter, "fraction_above_one",
                           f"{value!r} ({what}) is not a share between 0 and 100%; write it as printed, e.g. '2,1%'")
    book.figures.append({
        "source_file": book.source_file, "sheet": sheet, "row_number": int(row["_row_number"]), "column": column,
        "cell": cell, **identity, "measure": measure, "age_gender": age_gender,
        "published_text": f"{value:.10g}" + (" (cell formatted as %)" if "%" in number_format else ""),
        "unit": "fraction", "value": value, "value_low": value, "value_high": value,
    })
    if "%" not in number_format:
        book.findings.append({
            "source_file": book.source_file, "sheet": sheet, "row_number": int(row["_row_number"]), "column": column,
            "rule": "percent_without_sign", "value": f"{value:.10g}",
            "message": (f"{book.name}, sheet {sheet!r}, cell {cell}: {value:.10g} has no % sign and the cell "
                        f"is not formatted as a percentage; it was read as {value:.2%}. If it means {value:g}%, "
                        f"write '{value:g}%' ({what})"),
        })
    return None


def _identity(book: _Workbook, sheet: str, row: dict, letters: dict[str, str], year_required: bool) -> dict | None:
    """plan_year, level, platform, sector of a row, or None (with a reject) if unreadable."""
    skipped = "; this row's figures were not loaded"
    year_text = cell_text(row["plan_year"])
    plan_year = None
    if year_text is None:
        if year_required:
            book.reject(sheet, row, "plan_year", letters["plan_year"], "plan_year_unreadable",
                        f"plan_year is empty; write the plan year, e.g. 2023{skipped}")
            return None
    elif not _YEAR.match(year_text):
        book.reject(sheet, row, "plan_year", letters["plan_year"], "plan_year_unreadable",
                    f"plan_year {year_text!r} is not a four-digit year such as 2023{skipped}")
        return None
    else:
        plan_year = int(year_text)
    platform = cell_text(row["platform"])
    if platform not in (*PLATFORMS, REGIONAL):
        book.reject(sheet, row, "platform", letters["platform"], "platform_unknown",
                    f"platform {platform!r} is not one of {', '.join(PLATFORMS)} or {REGIONAL} "
                    f"(R4V's English platform names){skipped}")
        return None
    sector = cell_text(row["sector"])
    if sector is None:
        book.reject(sheet, row, "sector", letters["sector"], "sector_missing",
                    f"sector is empty; write the R4V English sector name{skipped}")
        return None
    return {
        "plan_year": plan_year,
        "level": "regional" if platform == REGIONAL else "platform",
        "platform": platform,
        "sector": sector,
    }


# -- sheets ----------------------------------------------------------------------------------------


def _read_source(book: _Workbook, data: SheetData) -> None:
    """The file's locale from the ``language`` row of the source sheet (rejected when missing,
    repeated or not a supported locale: ``book.locale`` stays None)."""
    sheet = data.sheet
    rows, letters = book.rows(data, SOURCE_COLUMNS)
    language_rows = [r for r in rows if cell_text(r["key"]) == "language"]
    until = "; until then every number that depends on the decimal separator is rejected"
    if not language_rows:
        book.reject(sheet, None, None, None, "language_unknown",
                    f"there is no 'language' row; add one with value es, pt or en{until}")
    elif len(language_rows) > 1:
        for row in language_rows:
            book.reject(sheet, row, "value", letters["value"], "language_unknown",
                        f"more than one 'language' row; keep one (es, pt or en){until}")
    else:
        row = language_rows[0]
        language = cell_text(row["value"])
        if language in SUPPORTED_LOCALES:
            book.locale = language
        else:
            book.reject(sheet, row, "value", letters["value"], "language_unknown",
                        f"language {language!r} is not one of {', '.join(SUPPORTED_LOCALES)}{until}")


def _read_key_figures(book: _Workbook, data: SheetData) -> None:
    """Every figure of the key_figures sheet: one row per plan year and platform, the five measures."""
    sheet = data.sheet
    rows, letters = book.rows(data, KEY_FIGURES_COLUMNS)
    seen: dict[tuple, int] = {}
    for row in rows:
        identity = _identity(book, sheet, row, letters, year_required=True)
        if identity is None:
            continue
        key = (identity["plan_year"], identity["platform"], identity["sector"])
        if key in seen:
            book.reject(sheet, row, "platform", letters["platform"], "duplicate_row",
                        f"a second row for {identity['platform']} {identity['plan_year']} ({identity['sector']}); "
                        f"row {seen[key]} has it already; delete one. This row's figures were not loaded")
            continue
        seen[key] = int(row["_row_number"])
        before = (len(book.figures), len(book.rejects))
        for measure in KEY_FIGURE_MEASURES:
            _figure(book, sheet, row, measure, letters[measure], identity, measure, None)
        if (len(book.figures), len(book.rejects)) == before:
            book.reject(sheet, row, KEY_FIGURE_MEASURES[0], letters[KEY_FIGURE_MEASURES[0]], "nothing_published",
                        f"every figure of {identity['platform']} {_year_text(identity['plan_year'])} is marked "
                        f"'not published'; delete the row")


def _read_other_figures(book: _Workbook, data: SheetData) -> None:
    """Every figure of the other_figures sheet: one measure (and age/gender group) per row."""
    sheet = data.sheet
    rows, letters = book.rows(data, OTHER_FIGURES_COLUMNS)
    seen: dict[tuple, int] = {}
    skipped = "; this row's figure was not loaded"
    for row in rows:
        identity = _identity(book, sheet, row, letters, year_required=False)
        if identity is None:
            continue
        measure = cell_text(row["measure"])
        if measure not in OTHER_MEASURES:
            book.reject(sheet, row, "measure", letters["measure"], "measure_unknown",
                        f"measure {measure!r} is not one of {', '.join(OTHER_MEASURES)}{skipped}")
            continue
        age_gender = cell_text(row["age_gender"])
        if OTHER_MEASURES[measure] and age_gender not in AGE_GENDER_GROUPS:
            book.reject(sheet, row, "age_gender", letters["age_gender"], "age_gender_invalid",
                        f"{measure} needs age_gender, one of {', '.join(AGE_GENDER_GROUPS)}; "
                        f"found {age_gender!r}{skipped}")
            continue
        if not OTHER_MEASURES[measure] and age_gender is not None:
            book.reject(sheet, row, "age_gender", letters["age_gender"], "age_gender_invalid",
                        f"{measure} takes no age_gender; empty the cell{skipped}")
            continue
        key = (identity["plan_year"], identity["platform"], identity["sector"], measure, age_gender)
        if key in seen:
            book.reject(sheet, row, "measure", letters["measure"], "duplicate_row",
                        f"a second row for {measure} {age_gender or ''} {identity['platform']} "
                        f"{_year_text(identity['plan_year'])}; row {seen[key]} has it already; delete one{skipped}")
            continue
        seen[key] = int(row["_row_number"])
        _figure(book, sheet, row, "published_text", letters["published_text"], identity, measure, age_gender)


#: The checks of the key-figures rules: the reader functions that decide each rule.
register_checks(KEY_FIGURES, {
    "language_unknown": _read_source,
    "plan_year_unreadable": _identity,
    "platform_unknown": _identity,
    "sector_missing": _identity,
    "duplicate_row": (_read_key_figures, _read_other_figures),
    "nothing_published": _read_key_figures,
    "measure_unknown": _read_other_figures,
    "age_gender_invalid": _read_other_figures,
    "value_missing": _figure,
    "cell_not_text": _figure,
    "locale_unknown": _figure,
    "number_unreadable": _figure,
    "unit_mismatch": _figure,
    "count_not_whole": _figure,
    "fraction_above_one": (_figure, _fraction_cell),
    "percent_without_sign": _fraction_cell,
})
