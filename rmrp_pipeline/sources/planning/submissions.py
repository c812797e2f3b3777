"""Appealing organisations' activity submissions (RMRP 2023-2024 planning template).

Input: a sheet recognised as kind ``planning_submission`` (the template's `` Activity Sheet``:
year, country, admin1, organisation, sector, indicator, indicator type, activity name and
description, in-kind / CVA / total budget in USD, targets by population type and age/gender, total
target, output), e.g. ``data/raw/planning/rmrp2023-2024_submission_template_en.xlsx``. Values may be
in English or Spanish (the filled example is: ``Alojamiento``, ``Asistencia directa``); both resolve
to R4V's English names through the indicator registry (``Indicators2324``, both languages) and
``reference_data/sectors.csv``. The template's own helper columns (organisation validation,
breakdown checks) are formulas: they are not read, the checks are recomputed.

Output of :func:`stage_submissions`: one staged row per input row (:data:`STAGED_COLUMNS`, amounts
in USD, targets in persons, NULL where blank) and one issue row per failed rule and cell.
:func:`target_above_pin` adds the one rule that looks across rows and organisations.

Rules (R4V's submission QA, ``Submission2324QualityApp/R/Subimission2324QualityCheck.R``, and
domain.md §2.1; ids and messages in ``rules.py``). Severities are the 5W's: a row is **rejected**
only when it cannot be read with certainty (``year_unreadable``, ``number_unreadable``,
``number_ambiguous``, ``cell_error``, ``formula_without_value`` in a column the pipeline uses,
``count_negative`` / ``count_not_whole`` / ``count_implausible`` for targets, ``amount_negative``
for budgets and outputs, ``country_not_in_list``, ``sector_unknown``, ``not_an_activity_row`` for the
template's instruction row); every R4V quality rule is a **finding** on a loaded row:

* ``year_outside_plan`` (the plan's years: 2023 and 2024 for the 2023-2024 template);
* ``submission_required_missing`` (organisation, admin1, indicator, indicator type, activity name,
  activity description), ``activity_text_not_meaningful`` (``qq``, ``blablabla``, ``test``: the text
  itself is never copied into an issue);
* ``admin1_not_in_list``, ``organisation_new`` (the template's "New organisation" placeholder),
  ``organisation_not_in_list``, ``sector_indicator_not_in_registry``, ``indicator_type_mismatch``;
* ``budget_total_mismatch`` (total ≠ in-kind + CVA), ``budget_not_positive`` (in-kind + CVA = 0),
  ``mpc_without_cva`` (the MPC sector needs a CVA budget);
* by indicator type (the template's ``Indicator_type`` sheet; the registry's type of the indicator
  when it is found, else the type written): ``total_target_missing`` (Direct Assistance, Capacity
  Building, Campaign), ``output_missing`` (Capacity Building, Campaign, Infrastructure,
  Mechanism/Advocacy, Other), ``breakdown_missing`` (Direct Assistance: population types and
  age/gender; Capacity Building: age/gender), ``value_not_expected_for_indicator_type`` (a non-zero
  value in a column the type leaves black), and for Direct Assistance
  ``target_population_types_mismatch`` / ``target_age_gender_mismatch`` (more than half a person off);
* ``target_above_pin``: the targets of all loaded Direct Assistance rows of a plan year, country,
  sector and population type add up to more than the country's PiN for it, where a PiN exists
  (``CAM_activities_target_check.R``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rmrp_pipeline.domain import MAX_PERSONS_IN_A_ROW, REGIONAL, resolve_sectors
from rmrp_pipeline.quality.issues import (
    concat_issues,
    issue_rows,
    issue_rows_at,
    problem_cell_masks,
    shown_cells,
)
from rmrp_pipeline.read.templates import Recognition, Template, load_templates
from rmrp_pipeline.read.workbook import SheetData
from rmrp_pipeline.sources.planning.pin_target import StagedPlanning
from rmrp_pipeline.sources.reference import ReferenceData
from rmrp_pipeline.text.cells import normalise_key, text_values
from rmrp_pipeline.text.parsers import parse_numbers

SUBMISSION_KIND = "planning_submission"
#: Template cycle year -> the plan's years (RMRP 2023-2024 and 2025-2026 are two-year plans,
#: domain.md §6); a cycle not listed is a one-year plan.
PLAN_YEARS: dict[int, tuple[int, ...]] = {2023: (2023, 2024), 2025: (2025, 2026)}
MPC = "Multipurpose Cash Assistance (MPC)"

POPULATION = ["in_destination", "in_transit", "host_community", "pendular", "returnees"]
AGE_GENDER = ["girls", "boys", "women", "men"]
BUDGETS = ["budget_inkind_usd", "budget_cva_usd", "budget_total_usd"]
TARGETS = [*POPULATION, *AGE_GENDER, "total_target"]
TEXTS = ["country", "admin1", "organisation", "sector", "indicator", "indicator_type", "activity_name", "activity_description"]
#: Columns the pipeline reads (the template's helper formula columns are left alone).
USED = ["year", *TEXTS, *BUDGETS, *TARGETS, "output"]

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
#: template columns 14-24; domain.md §2.1). The others are black: no data.
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

#: Columns of ``staging.stg_planning__submissions`` in order (see sql/ddl).
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


def stage_submissions(sheet: SheetData, recognition: Recognition, reference: SubmissionReference) -> StagedPlanning:
    """Stage one submission sheet (see the module docstring for the rules).

    Args:
        sheet: the sheet as read by ``reading.read_table``.
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
    cycle = template.cycle_year or 0
    n = len(sheet.frame)
    frame = sheet.frame.reset_index(drop=True)

    def raw(name: str) -> pd.Series:
        return frame[header_of[name]] if name in header_of else pd.Series([None] * n, dtype=object)

    out = pd.DataFrame(index=range(n))
    out["source_file"] = sheet.source_file
    out["source_sheet"] = sheet.sheet
    out["source_row"] = sheet.row_numbers
    out["template_id"] = template.template_id
    for name in TEXTS:
        out[name] = text_values(raw(name))
    out["plan_year"], year_bad = _years(raw("year"))
    failures: list[tuple[str, str, np.ndarray]] = []
    language = template.language or "en"
    for names, whole in ((BUDGETS, False), (TARGETS, True), (["output"], False)):
        for name in names:
            out[name], failed = parse_numbers(raw(name), language, whole=whole)
            for rule_id in failed.dropna().unique():
                failures.append((rule_id, name, failed.eq(rule_id).to_numpy()))
    failures += [(r, c, m.to_numpy()) for r, c, m in problem_cell_masks(sheet, header_of, USED)]

    # Country: the 17 R4V countries or the pseudo-country Regional (regional-level activities).
    out["country_raw"] = out["country"]
    is_regional = out["country_raw"].map(lambda v: isinstance(v, str) and normalise_key(v) == "regional")
    out["country_iso3"] = reference.reference.resolve_country(out["country_raw"])
    out["country"] = reference.reference.country_name_of(out["country_iso3"]).where(~is_regional, REGIONAL)
    out["platform"] = reference.reference.platform_of(out["country_iso3"]).where(~is_regional, REGIONAL)
    country_level = out["admin1"].map(lambda v: isinstance(v, str) and normalise_key(v) == "country level")
    out["level"] = np.where(is_regional, "regional", np.where(country_level, "country", "admin1"))
    out["sector_raw"] = out["sector"]
    out["sector"], sector_language = resolve_sectors(out["sector_raw"])
    out["indicator_type_raw"] = out["indicator_type"]

    # Rejects -------------------------------------------------------------------------------------
    parts: list[pd.DataFrame] = []
    rejected = np.zeros(n, dtype=bool)
    number_text = np.zeros(n, dtype=int)
    for rule_id, name, mask in failures:
        if rule_id == "number_unreadable":
            number_text += mask.astype(int)
    help_row = year_bad.to_numpy() & (number_text >= 3)
    if help_row.any():
        parts.append(_issues(sheet, header_of, "not_an_activity_row", "year", help_row, raw("year")))
        rejected |= help_row
    for rule_id, name, mask in failures:
        mask = mask & ~help_row
        parts.append(_issues(sheet, header_of, rule_id, name, mask, shown_cells(sheet, header_of[name])))
        rejected |= mask
    failed_cells = {name: np.zeros(n, dtype=bool) for name in USED}
    for _rule, name, mask in failures:
        failed_cells[name] |= mask
    checks = [
        ("year_unreadable", "year", year_bad, raw("year").map(lambda v: "(empty)" if v is None or v != v else v)),
        ("country_not_in_list", "country", out["country_iso3"].isna() & ~is_regional, out["country_raw"].fillna("(empty)")),
        ("sector_unknown", "sector", out["sector"].isna(), out["sector_raw"].fillna("(empty)")),
    ]
    for name in TARGETS:
        checks += [
            ("count_negative", name, out[name] < 0, out[name]),
            ("count_not_whole", name, (out[name] % 1).fillna(0) != 0, out[name]),
            ("count_implausible", name, out[name] > MAX_PERSONS_IN_A_ROW, out[name]),
        ]
    for name in [*BUDGETS, "output"]:
        checks.append(("amount_negative", name, out[name] < 0, out[name]))
    for rule_id, name, mask, shown in checks:
        mask = mask.fillna(False).to_numpy(dtype=bool) & ~failed_cells[name] & ~help_row
        parts.append(_issues(sheet, header_of, rule_id, name, mask, shown))
        rejected |= mask

    # Reference lists -----------------------------------------------------------------------------
    registry = reference.registry_for(cycle)
    keys = list(zip(out["sector"], out["indicator"].map(lambda v: normalise_key(v) if isinstance(v, str) else None)))
    found = [registry.get(k) for k in keys]
    out["indicator_code"] = [f[0] if f else None for f in found]
    registry_type = pd.Series([f[1] if f else None for f in found], dtype=object)
    given_type = out["indicator_type_raw"].map(lambda v: INDICATOR_TYPES.get(normalise_key(v)) if isinstance(v, str) else None)
    out["indicator_type"] = registry_type.where(registry_type.notna(), given_type)
    org_ids = reference.reference.resolve_organisation(out["organisation"], "appealing", cycle)
    out["organisation_id"] = org_ids
    placeholder = out["organisation"].map(lambda v: isinstance(v, str) and _org_key(v) in reference.placeholder_organisations)
    out["organisation_key"] = [
        oid if isinstance(oid, str) else (f"name:{normalise_key(name)}" if isinstance(name, str) and not instructions else None)
        for oid, name, instructions in zip(org_ids, out["organisation"], help_row)
    ]
    admin1_ok = reference.reference.admin1_known(out["country_iso3"], out["admin1"], cycle)
    admin1_ok = admin1_ok.where(~is_regional, out["admin1"].map(lambda v: isinstance(v, str) and normalise_key(v) == "regional"))
    has_orgs = reference.reference.has_organisations("appealing", cycle)

    # Findings on the loaded rows -----------------------------------------------------------------
    kind = out["indicator_type"]
    plan_years = PLAN_YEARS.get(cycle, (cycle,))
    zero = lambda name: out[name].fillna(0)  # noqa: E731 - blank counts as 0 in R4V's sums
    parts_sum = zero("budget_inkind_usd") + zero("budget_cva_usd")
    findings = [
        ("year_outside_plan", "year", out["plan_year"].notna() & ~out["plan_year"].isin(plan_years), out["plan_year"]),
        *[("submission_required_missing", c, out[c].isna(), out[c]) for c in
          ("organisation", "admin1", "indicator", "indicator_type", "activity_name", "activity_description")],
        *[("activity_text_not_meaningful", c, out[c].map(meaningless), pd.Series([None] * n, dtype=object))
          for c in ("activity_name", "activity_description")],
        ("admin1_not_in_list", "admin1", out["admin1"].notna() & ~country_level & admin1_ok.eq(False).fillna(False), out["admin1"]),
        ("organisation_new", "organisation", placeholder, out["organisation"]),
        ("organisation_not_in_list", "organisation",
         out["organisation"].notna() & ~placeholder & org_ids.isna() & has_orgs, out["organisation"]),
        ("sector_indicator_not_in_registry", "indicator",
         out["indicator"].notna() & out["sector"].notna() & out["indicator_code"].isna() & bool(registry), out["indicator"]),
        ("indicator_type_mismatch", "indicator_type",
         out["indicator_type_raw"].notna() & (given_type.isna() | (registry_type.notna() & (given_type != registry_type))),
         out["indicator_type_raw"]),
        ("budget_total_mismatch", "budget_total_usd",
         (out["budget_total_usd"].isna() & (parts_sum > 0))
         | (out["budget_total_usd"].notna() & ((out["budget_total_usd"] - parts_sum).abs() > 0.005)),
         out["budget_total_usd"].map(lambda v: "(empty)" if v != v else v)),
        ("budget_not_positive", "budget_inkind_usd", parts_sum <= 0, parts_sum),
        ("mpc_without_cva", "budget_cva_usd", out["sector"].eq(MPC) & (zero("budget_cva_usd") <= 0), out["budget_cva_usd"]),
        ("total_target_missing", "total_target", kind.isin(NEEDS_TOTAL_TARGET) & (zero("total_target") == 0), out["total_target"]),
        ("output_missing", "output", kind.isin(NEEDS_OUTPUT) & (zero("output") == 0), out["output"]),
    ]
    for name in [*TARGETS, "output"]:
        needs = kind.map(lambda k, c=name: c in NEEDS_BREAKDOWN.get(k, []))
        findings.append(("breakdown_missing", name, needs & out[name].isna(), out[name]))
        allowed = kind.map(lambda k, c=name: k is None or c in TYPE_COLUMNS.get(k, [*TARGETS, "output"]))
        findings.append(("value_not_expected_for_indicator_type", name, ~allowed & (zero(name) != 0), out[name]))
    direct = kind.eq("Direct Assistance") & out["total_target"].notna()
    pop_sum = out[POPULATION].fillna(0).sum(axis=1)
    agd_sum = out[AGE_GENDER].fillna(0).sum(axis=1)
    findings += [
        ("target_population_types_mismatch", "total_target", direct & ((pop_sum - out["total_target"]).abs() > 0.5), pop_sum),
        ("target_age_gender_mismatch", "total_target", direct & ((agd_sum - out["total_target"]).abs() > 0.5), agd_sum),
    ]
    for rule_id, name, mask, shown in findings:
        mask = mask.fillna(False).to_numpy(dtype=bool) & ~rejected
        parts.append(_issues(sheet, header_of, rule_id, name, mask, shown))

    languages = sector_language[~rejected].value_counts()
    out["language"] = "es" if languages.get("es", 0) > languages.get("en", 0) else "en"
    out["is_rejected"] = rejected
    rows = out[STAGED_COLUMNS].copy()
    rows["plan_year"] = rows["plan_year"].astype("Int64")
    return StagedPlanning(rows, concat_issues(parts))


def _issues(sheet: SheetData, header_of: dict[str, str], rule_id: str, column: str, mask, shown: pd.Series) -> pd.DataFrame:
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    if not len(positions):
        return pd.DataFrame()
    header = header_of.get(column, column)
    shown = shown.reset_index(drop=True)
    return issue_rows(sheet, rule_id, header, [sheet.row_numbers[p] for p in positions],
                      [shown.iloc[p] for p in positions])


def target_above_pin(rows: pd.DataFrame, pin: pd.DataFrame) -> pd.DataFrame:
    """``target_above_pin`` findings: for every plan year, country, sector and population type
    where a PiN exists, the targets of all loaded Direct Assistance rows (all organisations, all
    files) must not add up to more than it (``CAM_activities_target_check.R``, domain.md §2.1).

    Args:
        rows: staged submission rows (:data:`STAGED_COLUMNS`).
        pin: country-level PiN: plan_year, country_iso3, sector, population_type (``in_destination``
            ...), value (persons).

    Returns:
        Issue rows (``planning_common.ISSUE_COLUMNS``), one per contributing row with a target > 0
        for that population type; the value shown is the sum and the PiN.
    """
    direct = rows[~rows["is_rejected"] & rows["indicator_type"].eq("Direct Assistance")
                  & rows["country_iso3"].notna() & rows["sector"].notna() & rows["plan_year"].notna()]
    if direct.empty or pin.empty:
        return pd.DataFrame(columns=["source_file", "sheet", "row_number", "column", "rule", "severity", "value", "message"])
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
        return pd.DataFrame(columns=["source_file", "sheet", "row_number", "column", "rule", "severity", "value", "message"])
    hits = long.merge(over.rename(columns={"target": "target_sum", "value": "pin"}), on=keys)
    hits = hits[hits["target"].fillna(0) > 0]
    templates = load_templates()
    parts = []
    for (source_file, sheet, template_id, pop), group in hits.groupby(["source_file", "source_sheet", "template_id", "population_type"]):
        header = templates[template_id].columns.get(pop, pop) if template_id in templates else pop
        shown = [f"{s:,.0f} (PiN {p:,.0f})" for s, p in zip(group["target_sum"], group["pin"])]
        parts.append(issue_rows_at(source_file, sheet, "target_above_pin", header, group["source_row"].tolist(), shown))
    return concat_issues(parts)
