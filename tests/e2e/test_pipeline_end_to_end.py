"""The whole pipeline on the bundled real data."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from collections import defaultdict

import duckdb
import openpyxl
import pytest

from tests.conftest import FIVE_W_2021, INDICATORS_2021, RAW_DIR, ROOT


def test_load_log_counts_every_row_of_the_2021_export(wh):
    row = wh.execute(
        "SELECT rows_read, rows_loaded, rows_rejected, template_id FROM meta.load_log "
        "WHERE source_file LIKE '%rmrp2021_5w_activities_jan-may.xlsx'"
    ).fetchone()
    assert row[0] == 22_496  # the export's data rows (shared/data README)
    assert row[0] == row[1] + row[2]
    assert row[3] == "5w_2021"
    broken = wh.execute(
        "SELECT * FROM meta.load_log WHERE status = 'recognised' AND rows_read <> rows_loaded + rows_rejected"
    ).fetchall()
    assert broken == []


def test_every_reject_and_finding_has_a_rule_and_a_message(wh):
    for table in ("meta.rejected_rows", "meta.quality_findings"):
        missing = wh.execute(
            f"SELECT count(*) FROM {table} WHERE rule IS NULL OR message IS NULL OR message = '' OR row_number IS NULL"
        ).fetchone()[0]
        assert missing == 0


def test_values_in_messages_read_as_the_cells_do(wh, export_2021_rows):
    """A partner reads the cell as Excel shows it: row 4931's destination cell is 446.2 (openpyxl),
    and the finding says 446.2 (numpy's float64 once leaked as np.float64(446.2)); no value or
    message of any issue carries a Python type name."""
    header = export_2021_rows[0]
    cell = export_2021_rows[4931 - 1][header.index("Refugees.and.Migrants.IN.DESTINATION")]
    assert cell == 446.2
    value, message = wh.execute(
        "SELECT value, message FROM meta.quality_findings WHERE rule = 'breakdown_not_whole' AND row_number = 4931 "
        "AND \"column\" = 'Refugees.and.Migrants.IN.DESTINATION'").fetchone()
    assert value == "446.2" and "Refugees.and.Migrants.IN.DESTINATION is 446.2," in message
    for table in ("meta.rejected_rows", "meta.quality_findings"):
        assert wh.execute(f"SELECT count(*) FROM {table} WHERE regexp_matches(coalesce(value, '') || ' ' || message, 'np\\.|numpy|float64')").fetchone()[0] == 0


def test_known_breakdown_problems_of_the_2021_export_are_findings_not_rejects(wh):
    """Thousands of 2021 rows have breakdowns that do not add up: R4V counts them anyway."""
    findings = dict(wh.execute("SELECT rule, count(*) FROM meta.quality_findings GROUP BY rule").fetchall())
    assert findings["population_types_sum_mismatch"] > 1000
    assert findings["age_gender_sum_mismatch"] > 1000
    assert wh.execute(
        "SELECT count(*) FROM marts.fct_activities WHERE source_file LIKE '%rmrp2021_5w_activities_jan-may.xlsx'"
    ).fetchone()[0] == 22_496


#: The two 2021 subsector names that R4V changed from 2022 (docs/domain.md §1.2); the warehouse keeps the
#: canonical names, so one subsector is one name in every cycle.
RENAMED_SINCE_2021 = {"Multipurpose CBI": "Multipurpose Cash Assistance (MPC)",
                      "Protection (Human Trafficking & Smuggling)": "Protection (Human Trafficking and Smuggling)"}


def _independent_people_reached(export_rows: tuple[tuple, ...], only_rmrp_activities: bool = False):
    """People reached per (country, subsector, month) worked out from the raw workbook (``export_rows``:
    the 2021 export read with openpyxl) in plain Python: only rows whose (sector, indicator) is of type Pin in the 2021
    registry; monthly total = sum of total monthly; consolidated = new beneficiaries summed
    from January to the month; subsectors by their names since 2022; with ``only_rmrp_activities``,
    only rows whose RMRP.Activity is Yes."""
    registry = openpyxl.load_workbook(INDICATORS_2021, read_only=True)
    rows = registry.worksheets[0].iter_rows(values_only=True)
    header = next(rows)
    s, i, t = header.index("Sector...Subsector...WG"), header.index("Indicator"), header.index("Indicator_Type")
    pin = {(r[s].strip(), r[i].strip()) for r in rows if r[t] == "Pin"}
    rows = iter(export_rows)
    header = next(rows)
    col = {name: header.index(name) for name in header}
    monthly = defaultdict(float)
    new = defaultdict(float)
    for r in rows:
        if (r[col["Sector...Subsector...WG"]].strip(), r[col["Indicator"]].strip()) not in pin:
            continue
        if only_rmrp_activities and r[col["RMRP.Activity"]] != "Yes":
            continue
        country = r[col["Country"]].replace("Curacao", "Curaçao")
        sector = r[col["Sector...Subsector...WG"]]
        for subsector in (RENAMED_SINCE_2021.get(sector, sector), "Intersector"):
            key = (country, subsector, r[col["Reporting.Month"]])
            monthly[key] += r[col["Total.monthly.beneficiaries"]] or 0
            new[key] += r[col["New.beneficiaries.of.the.month"]] or 0
    consolidated = {}
    for (country, subsector, month) in monthly:
        consolidated[(country, subsector, month)] = sum(
            v for (c, s, m), v in new.items() if c == country and s == subsector and m <= month
        )
    return monthly, consolidated


def test_people_reached_monthly_agrees_with_an_independent_computation(wh, export_2021_rows):
    monthly, consolidated = _independent_people_reached(export_2021_rows)
    table = {
        (c, s, m.strftime("%Y-%m")): (mt, ct)
        for c, s, m, mt, ct in wh.execute(
            "SELECT country, subsector, month, monthly_total, consolidated_total FROM marts.people_reached_monthly "
            "WHERE year(month) = 2021 AND level = 'country'"   # the 2021 export is the only 2021 file
        ).fetchall()
    }
    for key, value in monthly.items():
        assert table[key] == (pytest.approx(value), pytest.approx(consolidated[key])), key
    # Months with no report in a series carry the consolidated figure with a monthly total of 0.
    extra = {k: v for k, v in table.items() if k not in monthly}
    assert all(mt == 0 for mt, _ct in extra.values())


def test_people_reached_from_rmrp_activities_only(reference_only, tmp_path, export_2021_rows):
    """``rmrp run --only-rmrp-activities``: the 2021 export's 7,842 rows with RMRP.Activity = Yes
    (14,654 say No; every Ecuador row) give the independent computation restricted to them. The
    run reads the reference lists and the 2021 export (the only 2021 5W file; planning figures
    and the other cycles' files change no people reached of 2021)."""
    from rmrp_pipeline.cli import main

    raw = reference_only
    (raw / "monitoring_5w").mkdir()
    shutil.copy(FIVE_W_2021, raw / "monitoring_5w" / FIVE_W_2021.name)
    warehouse = tmp_path / "rmrp.duckdb"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["run", "--raw-dir", str(raw), "--warehouse", str(warehouse), "--quiet", "--only-rmrp-activities"]) == 0
    monthly, consolidated = _independent_people_reached(export_2021_rows, only_rmrp_activities=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        table = {(c, s, m.strftime("%Y-%m")): (mt, ct) for c, s, m, mt, ct in con.execute(
            "SELECT country, subsector, month, monthly_total, consolidated_total FROM marts.people_reached_monthly "
            "WHERE year(month) = 2021 AND level = 'country'").fetchall()}
        assert con.execute("SELECT DISTINCT only_rmrp_activities FROM marts.people_reached_monthly").fetchall() == [(True,)]
        assert con.execute("SELECT DISTINCT only_rmrp_activities FROM marts.cycle_people_reached").fetchall() == [(True,)]
    assert not any(c == "Ecuador" for c, _s, _m in table)
    for key, value in monthly.items():
        assert table[key] == (pytest.approx(value), pytest.approx(consolidated[key])), key


@pytest.mark.parametrize(
    ("country", "subsector", "month", "monthly_total", "consolidated_total"),
    [
        ("Peru", "Health", "2021-02-01", 3_738, 36_830),
        ("Colombia", "Shelter", "2021-05-01", 14_394, 95_319),
        ("Brazil", "Protection (Human Trafficking and Smuggling)", "2021-05-01", None, 38),   # 2021: "&"
    ],
)
def test_people_reached_published_checkpoints(wh, country, subsector, month, monthly_total, consolidated_total):
    row = wh.execute(
        "SELECT monthly_total, consolidated_total, admin1 FROM marts.people_reached_monthly "
        "WHERE country = ? AND subsector = ? AND month = CAST(? AS DATE) AND level = 'country'",
        [country, subsector, month],
    ).fetchone()
    assert row[1] == consolidated_total
    if monthly_total is not None:
        assert row[0] == monthly_total
    assert row[2] == "Country level"


def test_sector_key_figures_hold_the_seed_page(wh):
    rows = {
        (y, p): (pin, target, share, req, partners)
        for y, p, pin, target, share, req, partners in wh.execute(
            "SELECT plan_year, platform, people_in_need, people_targeted, target_share_of_pin, requirements_usd, partners "
            "FROM marts.sector_key_figures "
            "WHERE sector = 'Protection (Human Trafficking and Smuggling)' AND plan_year IN (2023, 2024)"
        ).fetchall()
    }
    # Transcribed by hand from shared/data/seed/000_e121ab474548bc98.txt.
    expected = {
        (2023, "Regional"): (1_560_000, 33_300, 0.021, 22_080_000, 31),
        (2024, "Regional"): (1_660_000, 32_700, 0.028, 19_110_000, 31),
        (2023, "Brazil"): (11_500, 85, 0.007, 216_500, 4),
        (2024, "Brazil"): (12_200, 85, 0.007, 132_600, 4),
        (2023, "Chile"): (79_700, 200, 0.003, 295_000, 1),
        (2024, "Chile"): (86_300, 200, 0.002, 369_000, 1),
        (2023, "Colombia"): (948_200, 29_000, 0.031, 6_750_000, 8),
        (2024, "Colombia"): (1_020_000, 27_900, 0.028, 5_540_000, 8),
        (2023, "Ecuador"): (58_300, 920, 0.016, 2_550_000, 5),
        (2024, "Ecuador"): (57_000, 1_000, 0.018, 2_530_000, 5),
        (2023, "Peru"): (623_000, 8_000, 0.013, 7_380_000, 8),
        (2024, "Peru"): (660_800, 8_300, 0.013, 6_840_000, 8),
        (2023, "Caribbean"): (24_300, 644, 0.026, 2_170_000, 6),
        (2024, "Caribbean"): (24_600, 668, 0.027, 2_000_000, 6),
        (2023, "Central America and Mexico"): (108_100, 1_500, 0.014, 283_000, 3),
        (2024, "Central America and Mexico"): (110_800, 1_500, 0.014, 282_000, 3),
        (2023, "Southern Cone"): (9_500, 46, 0.005, 938_200, 6),
        (2024, "Southern Cone"): (10_200, 36, 0.004, 736_000, 6),
    }
    assert set(rows) == set(expected)
    for key, values in expected.items():
        assert rows[key] == tuple(pytest.approx(v) for v in values), key
    text = wh.execute(
        "SELECT people_in_need_text, people_targeted_text, requirements_usd_text, target_share_of_pin_text, "
        "people_in_need_source FROM marts.sector_key_figures WHERE plan_year = 2024 AND platform = 'Colombia'"
    ).fetchone()
    assert text == ("1,02 M", "27,9K", "$5,54 M", "2,8%", "published")


def test_exactly_one_published_ratio_is_inconsistent(wh):
    bad = wh.execute(
        "SELECT plan_year, platform FROM meta.reconciliation "
        "WHERE status = 'inconsistent' AND check_name = 'target_share_vs_parts'"
    ).fetchall()
    assert bad == [(2024, "Regional")]


def test_summary_counts_equal_the_tables(built_warehouse, wh):
    _path, cycles, summary = built_warehouse
    assert cycles == ["2021-H1", "2022-H2", "2023-H1"]   # the 2021 export, August 2022, January 2023
    section = summary.split("Tables written:")[1]
    listed = dict(re.findall(r"^\s+([a-z_]+\.[a-z_0-9]+)\s+([\d,]+)$", section, flags=re.M))
    assert "marts.people_reached_monthly" in listed and "meta.load_log" in listed
    for table, count in listed.items():
        assert int(count.replace(",", "")) == wh.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    assert re.search(r"rmrp2021_5w_activities_jan-may\.xlsx\s+Sheet1\s+5w_2021\s+recognised\s+22,496\s+22,496\s+0", summary)
    # how each cycle was consolidated: Southern Cone's configured 2022 model, sum elsewhere
    cycles_part = summary.split("Reporting cycles built:")[1].split("Tables written:")[0]
    assert ("2022-H2: 2022-08 to 2022-08 (1 of 12 months with data)\n    Intersector: Southern Cone southernconemodel_2022 "
            "(pin 2022 proportions); every other platform\n      sum\n") in cycles_part
    assert "2021-H1: 2021-01 to 2021-05 (5 of 6 months with data)\n    Intersector: sum everywhere\n" in cycles_part


def test_every_table_view_and_column_is_documented(wh):
    undocumented = wh.execute(
        "SELECT table_schema, table_name, column_name FROM meta.data_dictionary "
        "WHERE column_description IS NULL OR table_description IS NULL"
    ).fetchall()
    assert undocumented == []
    listed = {t for (t,) in wh.execute("SELECT DISTINCT table_schema || '.' || table_name FROM meta.data_dictionary").fetchall()}
    assert {"staging.loaded_rows", "meta.data_dictionary", "marts.people_reached_monthly"} <= listed


def _snapshot(warehouse) -> dict:
    """Row count and a hash of every row, per marts and meta table (load times left out)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [r[0] for r in con.execute(   # meta.publications aside: it keeps one row per publication
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE schema_name IN ('marts','meta') "
            "AND table_name <> 'publications'"
        ).fetchall()]
        times = {"meta.load_log": "read_at", "meta.cycle_builds": "built_at"}
        return {
            t: con.execute(
                f"SELECT count(*), sum(hash(COLUMNS(* EXCLUDE ({times[t]})))) FROM {t}" if t in times
                else f"SELECT count(*), sum(hash(t)) FROM {t} t"
            ).fetchone()
            for t in tables
        }


def test_running_twice_gives_the_same_tables(built_warehouse, tmp_path):
    """A second run over the same raw folder, into a copy of the session's warehouse (the first
    run), rebuilds it in place with the same rows."""
    from rmrp_pipeline.cli import run_pipeline

    warehouse = tmp_path / "twice.duckdb"
    shutil.copyfile(built_warehouse[0], warehouse)
    first = _snapshot(warehouse)
    ok, _cycles = run_pipeline(str(RAW_DIR), str(warehouse), quiet=True)
    assert ok
    assert _snapshot(warehouse) == first
    assert len(first) > 10
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT list(publication_id ORDER BY 1) FROM meta.publications").fetchone()[0] == [1, 2]


def test_asset_checks_pass_on_the_real_data(tmp_path):
    from rmrp_pipeline.definitions import build_definitions

    defs = build_definitions(str(RAW_DIR), str(tmp_path / "checks.duckdb"))
    result = defs.resolve_job_def("ingest_job").execute_in_process()
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert evaluations["rows_read_equal_loaded_plus_rejected"].passed
    # The one inconsistent published ratio (Regional 2024) makes this check warn.
    assert not evaluations["published_ratios_consistent"].passed
    assert evaluations["published_ratios_consistent"].severity.value == "WARN"
    assert all(e.passed for name, e in evaluations.items() if name == "every_column_documented")


def test_dagster_definitions_validate():
    exe = ROOT / ".venv" / "bin" / "dagster"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "dagster"]
    done = subprocess.run(
        [*command, "definitions", "validate", "-w", "workspace.yaml"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_5w_mart_and_its_staging_table_declare_the_same_columns(wh):
    """The two DDL files repeat the 5W columns (the staging table adds is_rejected): a column added
    to one must be added to the other, with the same type."""
    def columns(table):
        schema, name = table.split(".")
        return wh.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
            [schema, name],
        ).fetchall()

    assert columns("staging.stg_5w__activities") == columns("marts.fct_activities") + [("is_rejected", "BOOLEAN")]


NO_ADMIN1 = {"Aruba", "Curaçao", "Costa Rica", "Dominican Republic", "Trinidad and Tobago", "Guyana", "Mexico", "Panama"}
VALUE_COLUMNS = (
    "monthly_total", "monthly_cva", "consolidated_total", "consolidated_cva", "consolidated_in_destination",
    "consolidated_in_transit", "consolidated_host_community", "consolidated_pendular", "consolidated_returnees",
    "consolidated_girls", "consolidated_boys", "consolidated_women", "consolidated_men",
    "consolidated_other_under_18", "consolidated_other_above_18",
)


def _sum_by(rows, key):
    totals = defaultdict(lambda: [0.0] * len(VALUE_COLUMNS))
    for row in rows:
        for n, v in enumerate(row["values"]):
            totals[key(row)][n] += v
    return totals


def test_every_level_is_the_sum_of_the_level_below(wh):
    """admin1 -> country -> platform -> regional, added up here with plain Python from the table's
    own lower level; the country level itself is checked against the raw workbook by
    test_people_reached_monthly_agrees_with_an_independent_computation (openpyxl)."""
    cols = ", ".join(VALUE_COLUMNS)
    rows = [
        {"level": r[0], "platform": r[1], "country": r[2], "admin1": r[3], "month": r[4], "subsector": r[5], "values": r[6:]}
        for r in wh.execute(
            f"SELECT level, platform, country, admin1, month, subsector, {cols} FROM marts.people_reached_monthly"
        ).fetchall()
    ]
    by_level = defaultdict(list)
    for r in rows:
        by_level[r["level"]].append(r)
    assert set(by_level) == {"admin1", "country", "platform", "regional"}
    assert {r["admin1"] for r in by_level["country"]} == {"Country level"}
    assert {(r["admin1"], r["country"]) for r in by_level["platform"]} == {("Platform level", None)}
    assert {(r["platform"], r["admin1"], r["country"]) for r in by_level["regional"]} == {("Regional", "Regional level", None)}
    # countries without admin1 (docs/domain.md §1.1) keep only their Country level rows
    assert not {r["country"] for r in by_level["admin1"]} & NO_ADMIN1
    assert NO_ADMIN1 <= {r["country"] for r in by_level["country"]}   # all eight reported in 2021

    def table(level, key):
        return {key(r): list(r["values"]) for r in by_level[level]}

    def close(expected, actual):
        assert set(expected) == set(actual)
        for k in expected:
            assert actual[k] == [pytest.approx(v, abs=1e-6) for v in expected[k]], k

    country_key = lambda r: (r["country"], r["month"], r["subsector"])  # noqa: E731
    from_admin1 = _sum_by(by_level["admin1"], country_key)
    country = {k: v for k, v in table("country", country_key).items() if k[0] not in NO_ADMIN1}
    close(from_admin1, country)
    platform_key = lambda r: (r["platform"], r["month"], r["subsector"])  # noqa: E731
    close(_sum_by(by_level["country"], platform_key), table("platform", platform_key))
    regional_key = lambda r: (r["month"], r["subsector"])  # noqa: E731
    close(_sum_by(by_level["country"], regional_key), table("regional", regional_key))
    close(_sum_by(by_level["platform"], regional_key), table("regional", regional_key))


def test_people_reached_checkpoint_admin1_rows_add_up_to_the_published_country_figure(wh):
    """Colombia Shelter, May 2021: the admin1 rows add up to R4V's published 95,319."""
    values = [v for (v,) in wh.execute(
        "SELECT consolidated_total FROM marts.people_reached_monthly WHERE level = 'admin1' AND country = 'Colombia' "
        "AND subsector = 'Shelter' AND month = DATE '2021-05-01'"
    ).fetchall()]
    assert len(values) > 1
    assert sum(values) == pytest.approx(95_319)
