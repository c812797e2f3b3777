"""`rmrp report sector-page`: the RMRP 2023-2024 Trafficking & Smuggling page rebuilt from the
warehouse reproduces every figure of R4V's published Spanish page (the seed page, read here
independently of the pipeline), in English too; published figures that contradict their parts
carry a footnote; a cycle with 5W data gets its people-reached section.

The PDF is read with poppler's ``pdftotext`` and ``pdftoppm`` (Debian ``poppler-utils``, which
``.ci/run`` installs); the tests install nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rmrp_pipeline.cli import main
from tests.conftest import ROOT

SEED = ROOT / "tests" / "fixtures" / "r4v" / "seed_trafficking_smuggling_page_2023-2024_es.txt"
SECTOR = "Protección (Trata y Tráfico de Personas)"
#: The seed's platform labels and R4V's English names (docs/domain.md §1.1), by hand.
ENGLISH = {"BRASIL": "BRAZIL", "CHILE": "CHILE", "COLOMBIA": "COLOMBIA", "ECUADOR": "ECUADOR", "PERÚ": "PERU",
           "CARIBE": "CARIBBEAN", "CENTROAMÉRICA Y MÉXICO": "CENTRAL AMERICA AND MEXICO", "CONO SUR": "SOUTHERN CONE"}
FIGURE = re.compile(r"\$?\d+(?:,\d+)?(?: ?[KM])?%?")


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} is missing: install Debian's poppler-utils (apt-get install -y poppler-utils; .ci/run does)"
    return path


def _seed() -> tuple[list[str], dict[str, list[str]], str, str]:
    """(figures of the key-figures block, platform label -> its table row's cells, partners,
    sector leads), as printed on the seed page."""
    assert SEED.is_file(), f"the seed page is missing: {SEED}"
    text = SEED.read_text(encoding="utf-8").replace("\\$", "$")   # the text escapes $ as in Markdown
    block, _, rest = text.partition("CIFRAS CLAVE POR PLATAFORMA")
    table = rest.partition("PANORMA DEL SECTOR")[0]
    block = block.split("TRATA Y TRÁFICO DE PERSONAS", 1)[1]
    partners = re.search(r"SOCIOS DEL RMRP: (\d+)", block).group(1)
    leads = re.search(r"LÍDERES DEL SECTOR: (.+)", block).group(1).strip()
    figures = [f for f in FIGURE.findall(block.split("SOCIOS DEL RMRP")[0]) if f not in ("2023", "2024")]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if cells and cells[0] in ENGLISH:
            rows[cells[0]] = cells[1:]
    assert len(figures) == 18 and len(rows) == 8, (figures, rows)
    return figures, rows, partners, leads


def _squeeze(text: str) -> str:
    """Text without white space: the seed prints ``27,9K`` and ``27,9 K`` alike."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pages(built_warehouse, tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """language -> (PDF written by `rmrp report sector-page`, its text by pdftotext -layout)."""
    pdftotext = _poppler("pdftotext")
    folder = tmp_path_factory.mktemp("sector_page")
    out = {}
    for language in ("es", "en"):
        pdf = folder / f"trafficking_{language}.pdf"
        code = main(["report", "sector-page", "--sector", SECTOR, "--years", "2023,2024", "--lang", language,
                     "--output", str(pdf), "--warehouse", str(built_warehouse[0])])
        assert code == 0 and pdf.is_file()
        out[language] = pdf, subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True,
                                            capture_output=True, text=True).stdout
    return out


def test_the_spanish_page_reproduces_every_figure_of_the_seed_page(pages):
    figures, rows, partners, leads = _seed()
    text = pages["es"][1]
    flat = _squeeze(text)
    for figure in figures:
        assert _squeeze(figure) in flat, f"{figure} of the key figures is not on the page"
    assert _squeeze(f"SOCIOS DEL RMRP: {partners}") in flat
    assert _squeeze(f"LÍDERES DEL SECTOR: {leads}") in flat
    for label in ("TRATA Y TRÁFICO DE PERSONAS", "PERSONAS CON NECESIDADES", "POBLACIÓN META", "PORCENTAJE DE PIN",
                  "PORCENTAJE DE META SOBRE PIN", "REQUERIMIENTOS TOTALES", "CIFRAS CLAVE POR PLATAFORMA"):
        assert label in text
    lines = [_squeeze(line) for line in text.splitlines()]
    for platform, cells in rows.items():
        assert _squeeze(platform + "".join(cells)) in lines, f"the row of {platform} differs from the seed page"


def test_the_english_page_prints_the_same_figures_in_english(pages):
    figures, rows, partners, _leads = _seed()
    text = pages["en"][1]
    flat = _squeeze(text)
    assert "PEOPLE IN NEED" in text and "KEY FIGURES BY PLATFORM" in text and "HUMAN TRAFFICKING" in text
    for figure in figures:
        assert _squeeze(figure.replace(",", ".")) in flat, figure
    assert "1.56 M" in text and "$22.08 M" in text and "1,56" not in text
    lines = [_squeeze(line) for line in text.splitlines()]
    for platform, cells in rows.items():
        assert _squeeze(ENGLISH[platform] + "".join(cells).replace(",", ".")) in lines, platform
    assert _squeeze(f"RMRP PARTNERS: {partners}") in flat


def test_a_published_figure_that_contradicts_its_parts_carries_a_footnote(pages, wh):
    (contradiction,) = wh.execute(
        "SELECT plan_year, published_text FROM meta.reconciliation WHERE status = 'inconsistent' "
        "AND sector = 'Protection (Human Trafficking and Smuggling)' AND plan_year IN (2023, 2024)").fetchall()
    assert contradiction == (2024, "2,8%")
    notes = _squeeze(pages["es"][1].partition("NOTAS")[2])
    assert _squeeze("No cuadra. El porcentaje publicado no resulta de la meta y el PiN publicados: 2024: 2,8%") in notes
    explained = wh.execute(
        "SELECT count(DISTINCT (check_name, measure, platform)) FROM meta.reconciliation WHERE status <> 'ok' "
        "AND country_iso3 IS NULL AND sector = 'Protection (Human Trafficking and Smuggling)' "
        "AND (plan_year IN (2023, 2024) OR plan_year IS NULL)").fetchone()[0]
    numbered = re.findall(r"^\s*(\d+)\s+\S", pages["es"][1].partition("NOTAS")[2], flags=re.M)
    assert [int(n) for n in numbered] == list(range(1, explained + 1))


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_first_page_renders_and_is_not_blank(pages, language, tmp_path):
    subprocess.run([_poppler("pdftoppm"), "-r", "40", "-f", "1", "-l", "1", "-gray", str(pages[language][0]),
                    str(tmp_path / "page")], check=True)
    (image,) = tmp_path.glob("page*.pgm")
    data = image.read_bytes()
    magic, width, height, maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and int(maxval) == 255 and len(pixels) == int(width) * int(height)
    inked = sum(1 for b in pixels if b < 200) / len(pixels)
    assert 0.05 < inked < 0.6, f"{inked:.1%} of the page is ink"


def test_a_cycle_with_5w_data_gets_its_people_reached_section(built_warehouse, wh, tmp_path):
    html = tmp_path / "page.html"
    assert main(["report", "sector-page", "--sector", "RE-PRHT", "--years", "2021,2022", "--lang", "es",
                 "--output", str(html), "--warehouse", str(built_warehouse[0])]) == 0
    text = html.read_text(encoding="utf-8")
    regional, months, complete = wh.execute(
        "SELECT consolidated_total, months_with_reports, is_complete FROM marts.cycle_people_reached "
        "WHERE cycle = '2021-H1' AND level = 'regional' AND subsector = 'Protection (Human Trafficking and Smuggling)'").fetchone()
    assert (round(regional, -2), months, complete) == (129_000, 5, False)
    assert "PERSONAS ALCANZADAS · 2021-H1" in text and "129,0 K" in text
    assert f"({months} de 6 meses)" in text and "Ciclo incompleto" in text
    assert "<svg" in text and "1,46 M*" in text   # 2022: PiN computed from R4V's tables, marked as such


def test_an_unknown_sector_or_file_type_is_refused_in_one_line(built_warehouse, tmp_path, capsys):
    warehouse = str(built_warehouse[0])
    assert main(["report", "sector-page", "--sector", "Astronomy", "--years", "2023", "--output",
                 str(tmp_path / "p.pdf"), "--warehouse", warehouse]) == 2
    assert main(["report", "sector-page", "--sector", SECTOR, "--years", "2023", "--output",
                 str(tmp_path / "p.docx"), "--warehouse", warehouse]) == 2
    assert main(["report", "sector-page", "--sector", SECTOR, "--years", "twenty", "--output",
                 str(tmp_path / "p.pdf"), "--warehouse", warehouse]) == 2
    err = capsys.readouterr().err
    assert "'Astronomy' is not an R4V sector" in err and "not p.docx" in err and "--years" in err
