"""Appealing organisations' activity submissions (RMRP 2023-2024 planning template).

:func:`stage_submissions`: a sheet of kind ``planning_submission`` (the template's `` Activity
Sheet``; values in English or Spanish, resolved to R4V's English names) -> one staged row per input
row (:data:`STAGED_COLUMNS`: budgets in USD, targets in persons, NULL where blank) and one issue row
per failed rule and cell, free text never copied. A row is rejected only when it cannot be read
with certainty; every R4V quality rule is a finding on a loaded row. :func:`target_above_pin` is
the one rule across rows and organisations. Sources: R4V's ``Subimission2324QualityCheck.R``
(Submission2324QualityApp), ``CAM_activities_target_check.R`` and the template's ``Indicator_type``
sheet (docs/domain.md §2.1); ids and messages in ``quality.rules``, checks registered below. Layout
and rules: docs/data_dictionary.md, "Activity submissions (RMRP 2023-2024 template)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from rmrp_pipeline.domain import REGIONAL, resolve_sectors
from rmrp_pipeline.quality.checks import RowChecks, above_persons_bound, check, negative, not_whole, register_checks
from rmrp_pipeline.quality.issues import concat_issues, empty_issues, issue_frame, sheet_issues
from rmrp_pipeline.quality.rules import FINDING, REJECT, SUBMISSIONS
from rmrp_pipeline.read.templates import Recognition, Template, load_templates
from rmrp_pipeline.read.workbook import SheetData
from rmrp_pipeline.sources.planning.common import (
    CellFailure,
    StagedPlanning,
    check_rows,
    failed_cells,
    failure_issues,
    parse_number_columns,
    problem_cells,
    sheet_column,
)
from rmrp_pipeline.sources.reference import ReferenceData
from rmrp_pipeline.text.cells import normalise_key, text_values
from rmrp_pipeline.text.personal_data import screen_codes

SUBMISSION_KIND = "planning_submission"
#: Template cycle year -> the plan's years (RMRP 2023-2024 and 2025-2026 are two-year plans,
#: docs/domain.md §6); a cycle not listed is a one-year plan.
PLAN_YEARS: dict[int, tuple[int, ...]] = {2023: (2023, 2024), 2025: (2025, 2026)}
MPC = "Multipurpose Cash Assistance (MPC)"

POPULATION = ["in_destination", "in_transit", "host_community", "pendular", "returnees"]
AGE_GENDER = ["girls", "boys", "women", "men"]
BUDGETS = ["budget_inkind_usd", "budget_cva_usd", "budget_total_usd"]
TARGETS = [*POPULATION, *AGE_GENDER, "total_target"]
TEXTS = ["country", "admin1", "organisation", "sector", "indicator", "indicator_type", "activity_name", "activity_description"]
#: The partners' free text: screened for personal data before it is staged, never quoted in an
#: issue (docs/data-protection.md). The other text columns hold values of the template's lists.
FREE_TEXT = ["activity_name", "activity_description"]
#: Columns the pipeline reads (the template's helper formula columns are left alone).
USED = ["year", *TEXTS, *BUDGETS, *TARGETS, "output"]
#: Cells every activity must fill (R4V's submission QA: PartnerMissing, ActivityMissing,
#: SectorIndicatorError).
REQUIRED = ["organisation", "admin1", "indicator", "indicator_type", "activity_name", "activity_description"]

#: Indicator type names (English, Spanish, Portuguese; normalised) -> R4V's English type
#: (registry ``Indicator Type`` / ``Tipo de indicador``; ``Capacity building`` is R4V's variant).
INDICATOR_TYPES: dict[str, str] = {
    "direct assistance": "Direct Assistance", "asistencia directa": "Direct Assistance", "assistencia direta": "Direct Assistance",
    "capacity building": "Capacity Building", "capacitaciones": "Capacity Building", "capacitacion": "Capacity Building",
    "capacitacao": "Capacity Building",
    "campaign": "Campaign", "campana": "Campaign", "campanha": "Campaign",
    "infrastructure": "Infrastructure", "infraestructura": "Infrastructure", "infraestrutura": "Infrastructure",
    "mechanism/advocacy": "Mechanism/Advocacy", "mecanismo/abogacia": "Mechanism/Advocacy", "mecanismo/advocacia": "Mechanism/Advocacy",
    "other": "Other", "otro": "Other", "outro": "Other",
}
#: Indicator type -> the target/output columns it fills (the template's ``Indicator_type`` sheet,
#: template columns 14-24; docs/domain.md §2.1). The others are black: no data.
TYPE_COLUMNS: dict[str, list[str]] = {
    "Direct Assistance": [*POPULATION, *AGE_GENDER, "total_target"],
    "Campaign": ["total_target", "output"],
    "Capacity Building": [*AGE_GENDER, "total_target", "output"],
    "Infrastructure": ["output"],
    "Mechanism/Advocacy": ["output"],
    "Other": ["output"],
}
NEEDS_TOTAL_TARGET = {"Direct Assistance", "Capacity Building", "Campaign"}
NEEDS_OUTPUT = {"Capacity Building", "Campaign", "Infrastructure", "Mechanism/Advocacy", "Other"}
NEEDS_BREAKDOWN = {"Direct Assistance": [*POPULATION, *AGE_GENDER], "Capacity Building": AGE_GENDER}

#: The template's placeholder for an organisation not yet registered (normalised, see _org_key).
PLACEHOLDER_ORGANISATIONS = {"new organisation", "nueva organisation", "nova organisation"}

#: Columns of ``staging.stg_planning__submissions`` in order (see warehouse/sql/ddl).
STAGED_COLUMNS = [
    "source_file", "source_sheet", "source_row", "template_id", "language", "plan_year",
    "country_raw", "country", "country_iso3", "platform", "level", "admin1",
    "organisation", "organisation_id", "organisation_key", "sector_raw", "sector", "indicator",
    "indicator_code", "indicator_type_raw", "indicator_type", "activity_name", "activity_description",
    *BUDGETS, *TARGETS, "output", "is_rejected",
]

_PLACEHOLDER_TEXTS = {"test", "testing", "prueba", "teste", "tbd", "tbc", "na", "n/a", "none", "ninguno", "nada",
                      "asdf", "qwerty", "lorem ipsum", "xxx", "blabla", "pendiente", "por definir"}


def meaningless(text: str | None) -> bool:
    """Whether an activity name or description says nothing: fewer than three letters, one short
    unit repeated (``qq``, ``xxx``, ``blablabla``, ``abab``), or a known placeholder (``test``,
    ``n/a``, ``prueba``, ``lorem ipsum``). None/empty is *missing*, not meaningless (another rule)."""
    if text is None or not str(text).strip():
        return False
    key = normalise_key(str(text))
    letters = re.sub(r"[^a-z]", "", key)
    if len(letters) < 3 or re.fullmatch(r"(.{1,4}?)\1+", letters):
        return True
    return key.strip(" .-_?!") in _PLACEHOLDER_TEXTS


def _org_key(name: str) -> str:
    key = normalise_key(name).strip(" .-_*´'`")
    return re.sub(r"organi[sz]acao|organi[sz]acion|organi[sz]ation", "organisation", key)


@dataclass
class SubmissionReference:
    """What submissions are checked against.

    Attributes:
        reference: the reference lists (countries, admin1 lists, organisations per cycle).
        indicators: cycle_year, sector (canonical English), indicator_key (normalised English or
            Spanish indicator text), code, indicator_type (canonical English).
        placeholder_organisations: normalised names meaning "an organisation not registered yet".
    """

    reference: ReferenceData
    indicators: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["cycle_year", "sector", "indicator_key", "code", "indicator_type"]))
    placeholder_organisations: set[str] = field(default_factory=lambda: set(PLACEHOLDER_ORGANISATIONS))

    @classmethod
    def build(cls, reference: ReferenceData, parts: list[tuple[Template, pd.DataFrame]]) -> SubmissionReference:
        """From the reference lists and the full canonical frames of the reference sheets (with
        the Spanish columns that ``ReferenceData`` does not keep)."""
        entries = []
        placeholders = set(PLACEHOLDER_ORGANISATIONS)
        for template, frame in parts:
            if template.kind == "indicator_registry":
                for language in ("", "_es"):
                    if f"indicator{language}" not in frame:
                        continue
                    sector_name = frame.get(f"subsector{language}", frame.get("subsector"))
                    sectors, _lang = resolve_sectors(sector_name.reset_index(drop=True))
                    english_sectors, _lang = resolve_sectors(frame["subsector"].reset_index(drop=True))
                    types = frame["indicator_type"].reset_index(drop=True).map(
                        lambda v: INDICATOR_TYPES.get(normalise_key(v)) if isinstance(v, str) else None)
                    entries.append(pd.DataFrame({
                        "cycle_year": template.cycle_year,
                        "sector": english_sectors.where(english_sectors.notna(), sectors),
                        "indicator_key": frame[f"indicator{language}"].reset_index(drop=True).map(
                            lambda v: normalise_key(v) if isinstance(v, str) else None),
                        "code": frame["code"].reset_index(drop=True).map(lambda v: v.strip() if isinstance(v, str) else None),
                        "indicator_type": types,
                    }))
            elif template.kind == "appealing_organisations" and "org_id" in frame:
                for _index, row in frame[frame["org_id"].isna()].iterrows():
                    for column in ("name_en", "name_es", "name_pt", "org_type"):
                        if isinstance(row.get(column), str):
                            placeholders.add(_org_key(row[column]))
        indicators = pd.concat(entries, ignore_index=True).dropna(subset=["indicator_key"]) if entries else cls().indicators
        return cls(reference, indicators, placeholders)

    def registry_for(self, year: int) -> dict[tuple[str, str], tuple[str, str]]:
        """(sector, normalised indicator) -> (code, indicator type) of the registry in force for
        ``year`` (the latest cycle not newer than it, else the oldest)."""
        table = self.indicators
        if table.empty:
            return {}
        years = sorted({int(y) for y in table["cycle_year"].dropna()})
        older = [y for y in years if y <= year]
        chosen = max(older) if older else min(years)
        table = table[table["cycle_year"] == chosen]
        return {(s, i): (c, t) for s, i, c, t in zip(table["sector"], table["indicator_key"], table["code"], table["indicator_type"])}


def _years(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Plan years as Int64 and the mask of unreadable or empty cells: a number cell holding a
    whole year 1990-2100, or text of four digits."""
    def one(value: object) -> int | None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if np.isfinite(value) and float(value).is_integer() and 1990 <= value <= 2100:
                return int(value)
            return None
        if isinstance(value, str) and re.fullmatch(r"\s*(19|20|21)\d\d\s*", value):
            return int(value)
        return None
    years = column.map(one)
    return years.astype("Int64"), years.isna()


register_checks(SUBMISSIONS, {"personal_data_in_free_text": screen_codes})


# ---- checks (over the staged rows plus the helper columns ``_*`` of :func:`stage_submissions`) --------

#: The template's instruction row (checked first: nothing else is checked on it).
INSTRUCTION_CHECKS = RowChecks(SUBMISSIONS)
#: The row checks of a submission: rejects, then findings on the loaded rows.
SUBMISSION_CHECKS = RowChecks(SUBMISSIONS)
row_check = SUBMISSION_CHECKS


@INSTRUCTION_CHECKS("not_an_activity_row", "year", shown=lambda df: df["_year_cell"])
def _instruction_row(df: pd.DataFrame) -> pd.Series:
    """No readable year, and text in at least three number columns (``_text_in_numbers``)."""
    return df["_year_unreadable"] & (df["_text_in_numbers"] >= 3)


def _as_written(df: pd.DataFrame, column: str) -> pd.Series:
    return df[column].map(lambda v: "(empty)" if v is None or v != v else v)


@row_check("year_unreadable", "year", shown=partial(_as_written, column="_year_cell"))
def _year_unreadable(df: pd.DataFrame) -> pd.Series:
    return df["_year_unreadable"]


@row_check("country_not_in_list", "country", shown=lambda df: df["country_raw"].fillna("(empty)"))
def _country_unknown(df: pd.DataFrame) -> pd.Series:
    return df["country_iso3"].isna() & ~df["_regional"]


@row_check("sector_unknown", "sector", shown=lambda df: df["sector_raw"].fillna("(empty)"))
def _sector_unknown(df: pd.DataFrame) -> pd.Series:
    return df["sector"].isna()


row_check("amount_negative", each=[*BUDGETS, "output"])(negative)
row_check("count_negative", each=TARGETS)(negative)
row_check("count_not_whole", each=TARGETS)(not_whole)
row_check("count_implausible", each=TARGETS)(above_persons_bound)


def _zero(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name].fillna(0)  # blank counts as 0 in R4V's sums


def _budget_parts(df: pd.DataFrame) -> pd.Series:
    return _zero(df, "budget_inkind_usd") + _zero(df, "budget_cva_usd")


@row_check("year_outside_plan", "year", shown=lambda df: df["plan_year"])
def _year_outside_plan(df: pd.DataFrame) -> pd.Series:
    """``_cycle``: the template's cycle year, whose plan years are :data:`PLAN_YEARS`."""
    cycle = int(df["_cycle"].iloc[0]) if len(df) else 0
    return df["plan_year"].notna() & ~df["plan_year"].isin(PLAN_YEARS.get(cycle, (cycle,)))


@row_check("submission_required_missing", each=REQUIRED)
def _missing(df: pd.DataFrame, column: str) -> pd.Series:
    return df[column].isna()


@row_check("activity_text_not_meaningful", each=["activity_name", "activity_description"],
           shown=lambda df, column: pd.Series([None] * len(df), dtype=object))
def _not_meaningful(df: pd.DataFrame, column: str) -> pd.Series:
    """The text itself is never copied into an issue."""
    return df[column].map(meaningless)


@row_check("admin1_not_in_list", "admin1")
def _admin1_unknown(df: pd.DataFrame) -> pd.Series:
    """``_admin1_known``: the (country, admin1) pair is in the admin1 list of the cycle."""
    return df["admin1"].notna() & ~df["_country_level"] & df["_admin1_known"].eq(False).fillna(False)


@row_check("organisation_new", "organisation")
def _organisation_new(df: pd.DataFrame) -> pd.Series:
    return df["_placeholder"]


@row_check("organisation_not_in_list", "organisation")
def _organisation_unknown(df: pd.DataFrame) -> pd.Series:
    return df["organisation"].notna() & ~df["_placeholder"] & df["organisation_id"].isna() & df["_has_organisations"]


@row_check("sector_indicator_not_in_registry", "indicator")
def _indicator_unknown(df: pd.DataFrame) -> pd.Series:
    return df["indicator"].notna() & df["sector"].notna() & df["indicator_code"].isna() & df["_has_registry"]


@row_check("indicator_type_mismatch", "indicator_type", shown=lambda df: df["indicator_type_raw"])
def _indicator_type_mismatch(df: pd.DataFrame) -> pd.Series:
    """The type written is no indicator type, or not the registry's type of the indicator."""
    given, registered = df["_given_type"], df["_registry_type"]
    return df["indicator_type_raw"].notna() & (given.isna() | (registered.notna() & (given != registered)))


@row_check("budget_total_mismatch", "budget_total_usd", shown=partial(_as_written, column="budget_total_usd"))
def _budget_total_mismatch(df: pd.DataFrame) -> pd.Series:
    total, parts = df["budget_total_usd"], _budget_parts(df)
    return (total.isna() & (parts > 0)) | (total.notna() & ((total - parts).abs() > 0.005))


@row_check("budget_not_positive", "budget_inkind_usd", shown=_budget_parts)
def _budget_not_positive(df: pd.DataFrame) -> pd.Series:
    return _budget_parts(df) <= 0


@row_check("mpc_without_cva", "budget_cva_usd")
def _mpc_without_cva(df: pd.DataFrame) -> pd.Series:
    return df["sector"].eq(MPC) & (_zero(df, "budget_cva_usd") <= 0)


@row_check("total_target_missing", "total_target")
def _total_target_missing(df: pd.DataFrame) -> pd.Series:
    return df["indicator_type"].isin(NEEDS_TOTAL_TARGET) & (_zero(df, "total_target") == 0)


@row_check("output_missing", "output")
def _output_missing(df: pd.DataFrame) -> pd.Series:
    return df["indicator_type"].isin(NEEDS_OUTPUT) & (_zero(df, "output") == 0)


@row_check("breakdown_missing", each=[*TARGETS, "output"])
def _breakdown_missing(df: pd.DataFrame, column: str) -> pd.Series:
    needs = df["indicator_type"].map(lambda kind: column in NEEDS_BREAKDOWN.get(kind, []))
    return needs & df[column].isna()


@row_check("value_not_expected_for_indicator_type", each=[*TARGETS, "output"])
def _value_not_expected(df: pd.DataFrame, column: str) -> pd.Series:
    allowed = df["indicator_type"].map(lambda kind: kind is None or column in TYPE_COLUMNS.get(kind, [*TARGETS, "output"]))
    return ~allowed & (_zero(df, column) != 0)


def _direct_assistance(df: pd.DataFrame) -> pd.Series:
    return df["indicator_type"].eq("Direct Assistance") & df["total_target"].notna()


def _sum(df: pd.DataFrame, columns: list[str]) -> pd.Series:
    return df[columns].fillna(0).sum(axis=1)


@row_check("target_population_types_mismatch", "total_target", shown=partial(_sum, columns=POPULATION))
def _population_types_off(df: pd.DataFrame) -> pd.Series:
    return _direct_assistance(df) & ((_sum(df, POPULATION) - df["total_target"]).abs() > 0.5)


@row_check("target_age_gender_mismatch", "total_target", shown=partial(_sum, columns=AGE_GENDER))
def _age_gender_off(df: pd.DataFrame) -> pd.Series:
    return _direct_assistance(df) & ((_sum(df, AGE_GENDER) - df["total_target"]).abs() > 0.5)


# ---- staging -----------------------------------------------------------------------------------------

def stage_submissions(sheet: SheetData, recognition: Recognition, reference: SubmissionReference) -> StagedPlanning:
    """Stage one submission sheet (rules: docs/data_dictionary.md, "Activity submissions").

    Args:
        sheet: the sheet as read by ``read.workbook.read_table``.
        recognition: its template match (kind ``planning_submission``; the template's cycle year
            gives the plan's years and the registry, its language the locale of numbers typed as text).
        reference: the lists to check against (``SubmissionReference.build``).

    Returns:
        ``StagedPlanning``: ``rows`` with :data:`STAGED_COLUMNS` (``plan_year`` Int64, budgets in
        USD and targets in persons as float, NaN where blank; ``level`` ``regional`` for the
        pseudo-country Regional, ``country`` for an admin1 ``Country level``, else ``admin1``;
        ``language`` ``es`` when most sector names are Spanish, else ``en``); ``issues`` one row per
        failed rule and cell (free text never copied).
    """
    template = recognition.template
    assert template is not None and template.kind == SUBMISSION_KIND, "stage_submissions needs a submission sheet"
    header_of = recognition.mapping
    out, failures, sector_language = _read_columns(sheet, header_of, template, reference)
    screened = _screen_free_text(sheet, header_of, out)
    # Rejects: the instruction row, the cells that cannot be read, the rows that cannot be attributed.
    parts, instructions = check_rows(sheet, header_of, INSTRUCTION_CHECKS, out)
    found, rejected = failure_issues(sheet, header_of, failures, rows=~instructions)
    parts += found
    rejected |= instructions
    found, hit = check_rows(sheet, header_of, SUBMISSION_CHECKS.of(REJECT), out, rows=~instructions,
                            skip=failed_cells(failures, USED, len(out)))
    parts += found
    rejected |= hit
    # Findings on the loaded rows, against the reference lists.
    _resolve_lists(out, reference, template.cycle_year or 0, instructions)
    found, _hit = check_rows(sheet, header_of, SUBMISSION_CHECKS.of(FINDING), out, rows=~rejected)
    parts += found + screened

    languages = sector_language[~rejected].value_counts()
    out["language"] = "es" if languages.get("es", 0) > languages.get("en", 0) else "en"
    out["is_rejected"] = rejected
    rows = out[STAGED_COLUMNS].copy()
    rows["plan_year"] = rows["plan_year"].astype("Int64")
    for name in TARGETS:   # whole persons; a fraction is a reject (count_not_whole), NULL here
        values = rows[name].to_numpy(dtype=float)
        usable = np.isfinite(values) & (np.abs(values) < 2.0 ** 63) & (np.abs(values - np.round(values)) < 1e-9)
        rows[name] = pd.arrays.IntegerArray(np.where(usable, np.round(values), 0).astype(np.int64), ~usable)
    for name in BUDGETS:   # USD to the cent (DECIMAL(18,2)); an amount that does not fit is NULL
        values = rows[name].to_numpy(dtype=float)
        rows[name] = np.where(np.abs(values) < 1e15, np.round(values, 2), np.nan)
    return StagedPlanning(rows, concat_issues(parts))


def _screen_free_text(sheet: SheetData, header_of: dict[str, str], out: pd.DataFrame) -> list[pd.DataFrame]:
    """Mask the personal data of the :data:`FREE_TEXT` columns of ``out`` (once per distinct text
    and country, with the phone formats of the row's country); returns the findings
    ``personal_data_in_free_text`` of the cells where something was masked (the kinds, never
    the text)."""
    found = []
    country_codes, countries = pd.factorize(out["country_iso3"], use_na_sentinel=False)
    iso3 = [c if isinstance(c, str) else None for c in countries]
    for name in FREE_TEXT:
        text_codes, texts = pd.factorize(out[name], use_na_sentinel=False)
        pairs, masked, kinds = screen_codes(text_codes, [t if isinstance(t, str) else None for t in texts],
                                            country_codes, iso3)
        out[name] = pd.Series([masked[p] for p in pairs.tolist()], index=out.index, dtype=object)
        flagged = np.array([bool(kinds[p]) for p in pairs.tolist()], dtype=bool)
        if flagged.any():
            shown = pd.Series([", ".join(kinds[p]) for p in pairs.tolist()], index=out.index, dtype=object)
            found.append(sheet_issues(sheet, "personal_data_in_free_text", header_of.get(name, name), flagged, shown))
    return found


def _read_columns(sheet: SheetData, header_of: dict[str, str], template: Template,
                  reference: SubmissionReference) -> tuple[pd.DataFrame, list[CellFailure], pd.Series]:
    """(rows, cells that cannot be read, language of each sector name) of a submission sheet: the
    staged columns read from the cells, and the helper columns of the reject checks."""
    n = len(sheet.frame)
    out = pd.DataFrame(index=range(n))
    out["source_file"] = sheet.source_file
    out["source_sheet"] = sheet.sheet
    out["source_row"] = sheet.row_numbers
    out["template_id"] = template.template_id
    for name in TEXTS:
        out[name] = text_values(sheet_column(sheet, header_of, name))
    out["_year_cell"] = sheet_column(sheet, header_of, "year")
    out["plan_year"], out["_year_unreadable"] = _years(out["_year_cell"])
    failures: list[CellFailure] = []
    language = template.language or "en"
    for names, whole in ((BUDGETS, False), (TARGETS, True), (["output"], False)):
        values, failed = parse_number_columns(sheet, header_of, names, language, whole)
        for name in names:
            out[name] = values[name]
        failures += failed
    failures += problem_cells(sheet, header_of, USED)
    out["_text_in_numbers"] = sum((mask.astype(int) for rule_id, _name, mask in failures if rule_id == "number_unreadable"),
                                  np.zeros(n, dtype=int))

    # Country: the 17 R4V countries or the pseudo-country Regional (regional-level activities).
    out["country_raw"] = out["country"]
    out["_regional"] = out["country_raw"].map(lambda v: isinstance(v, str) and normalise_key(v) == "regional")
    out["country_iso3"] = reference.reference.resolve_country(out["country_raw"])
    out["country"] = reference.reference.country_name_of(out["country_iso3"]).where(~out["_regional"], REGIONAL)
    out["platform"] = reference.reference.platform_of(out["country_iso3"]).where(~out["_regional"], REGIONAL)
    out["_country_level"] = out["admin1"].map(lambda v: isinstance(v, str) and normalise_key(v) == "country level")
    out["level"] = np.where(out["_regional"], "regional", np.where(out["_country_level"], "country", "admin1"))
    out["sector_raw"] = out["sector"]
    out["sector"], sector_language = resolve_sectors(out["sector_raw"])
    out["indicator_type_raw"] = out["indicator_type"]
    return out, failures, sector_language


def _resolve_lists(out: pd.DataFrame, reference: SubmissionReference, cycle: int, instructions: np.ndarray) -> None:
    """Add to ``out`` the columns found in the reference lists of the ``cycle`` (indicator code
    and type, organisation id and key) and the helper columns of the finding checks; the
    ``instructions`` rows get no organisation key."""
    out["_cycle"] = cycle
    registry = reference.registry_for(cycle)
    keys = list(zip(out["sector"], out["indicator"].map(lambda v: normalise_key(v) if isinstance(v, str) else None)))
    found = [registry.get(k) for k in keys]
    out["indicator_code"] = [f[0] if f else None for f in found]
    out["_registry_type"] = pd.Series([f[1] if f else None for f in found], dtype=object)
    out["_given_type"] = out["indicator_type_raw"].map(
        lambda v: INDICATOR_TYPES.get(normalise_key(v)) if isinstance(v, str) else None)
    out["indicator_type"] = out["_registry_type"].where(out["_registry_type"].notna(), out["_given_type"])
    out["_has_registry"] = bool(registry)
    org_ids = reference.reference.resolve_organisation(out["organisation"], "appealing", cycle)
    out["organisation_id"] = org_ids
    out["_placeholder"] = out["organisation"].map(
        lambda v: isinstance(v, str) and _org_key(v) in reference.placeholder_organisations)
    out["organisation_key"] = [
        oid if isinstance(oid, str) else (f"name:{normalise_key(name)}" if isinstance(name, str) and not instruction else None)
        for oid, name, instruction in zip(org_ids, out["organisation"], instructions)
    ]
    out["_has_organisations"] = reference.reference.has_organisations("appealing", cycle)
    admin1_known = reference.reference.admin1_known(out["country_iso3"], out["admin1"], cycle)
    out["_admin1_known"] = admin1_known.where(
        ~out["_regional"], out["admin1"].map(lambda v: isinstance(v, str) and normalise_key(v) == "regional"))


@check("target_above_pin", source=SUBMISSIONS)
def target_above_pin(rows: pd.DataFrame, pin: pd.DataFrame) -> pd.DataFrame:
    """``target_above_pin`` findings: for every plan year, country, sector and population type
    where a PiN exists, the targets of all loaded Direct Assistance rows (all organisations, all
    files) must not add up to more than it (``CAM_activities_target_check.R``, docs/domain.md §2.1).

    Args:
        rows: staged submission rows (:data:`STAGED_COLUMNS`).
        pin: country-level PiN: plan_year, country_iso3, sector, population_type (``in_destination``
            ...), value (persons).

    Returns:
        Issue rows (``quality.issues.ISSUE_COLUMNS``), one per contributing row with a target > 0
        for that population type; the value shown is the sum and the PiN.
    """
    direct = rows[~rows["is_rejected"] & rows["indicator_type"].eq("Direct Assistance")
                  & rows["country_iso3"].notna() & rows["sector"].notna() & rows["plan_year"].notna()]
    if direct.empty or pin.empty:
        return empty_issues()
    long = direct.melt(
        id_vars=["source_file", "source_sheet", "source_row", "template_id", "plan_year", "country_iso3", "sector"],
        value_vars=POPULATION, var_name="population_type", value_name="target",
    )
    long["plan_year"] = long["plan_year"].astype("int64")
    keys = ["plan_year", "country_iso3", "sector", "population_type"]
    sums = long.groupby(keys, as_index=False)["target"].sum(min_count=1)
    pins = pin[keys + ["value"]].assign(plan_year=lambda f: f["plan_year"].astype("int64"))
    over = sums.merge(pins, on=keys).query("target > value")
    if over.empty:
        return empty_issues()
    hits = long.merge(over.rename(columns={"target": "target_sum", "value": "pin"}), on=keys)
    hits = hits[hits["target"].fillna(0) > 0]
    templates = load_templates()
    parts = []
    for (source_file, sheet, template_id, pop), group in hits.groupby(["source_file", "source_sheet", "template_id", "population_type"]):
        header = templates[template_id].columns.get(pop, pop) if template_id in templates else pop
        shown = [f"{s:,.0f} (PiN {p:,.0f})" for s, p in zip(group["target_sum"], group["pin"])]
        parts.append(issue_frame(source_file, sheet, group["source_row"].tolist(), header, "target_above_pin", shown))
    return concat_issues(parts)
