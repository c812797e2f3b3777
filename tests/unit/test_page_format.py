"""Figures as R4V prints them (reports/page_format.py), in each language, and the sector and
platform names of the page (domain.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from rmrp_pipeline import domain
from rmrp_pipeline.reports import page_format as fmt


@pytest.mark.parametrize("value, es, en", [
    (1_560_000, "1,56 M", "1.56 M"), (33_300, "33,3 K", "33.3 K"), (85, "85", "85"), (1_000, "1,0 K", "1.0 K"),
    (999, "999", "999"), (999_999, "1,00 M", "1.00 M"), (660_800, "660,8 K", "660.8 K"), (None, "–", "–"),
])
def test_persons_in_r4v_short_form(value, es, en):
    assert (fmt.short_number(value, "es"), fmt.short_number(value, "en")) == (es, en)
    assert fmt.short_number(value, "pt") == es


def test_usd_shares_counts_and_months():
    assert (fmt.usd(22_080_000, "es"), fmt.usd(22_080_000, "en"), fmt.usd(216_500, "es")) == ("$22,08 M", "$22.08 M", "$216,5 K")
    assert (fmt.share(0.007, "es"), fmt.share(0.112, "en"), fmt.share(0.0197, "es", 2)) == ("0,7%", "11.2%", "1,97%")
    assert (fmt.count(129_030, "es"), fmt.count(129_030, "en"), fmt.count(float("nan"), "en")) == ("129.030", "129,030", "–")
    assert (fmt.month(dt.date(2021, 5, 1), "es"), fmt.month(dt.date(2021, 5, 1), "en")) == ("mayo 2021", "May 2021")


def test_sector_and_platform_names_by_language():
    hts = "Protection (Human Trafficking and Smuggling)"
    assert domain.resolve_sector("Trata_de_Personas") == hts == domain.resolve_sector("protección (trata y tráfico de personas)")
    assert domain.resolve_sector("Intersectorial") == domain.INTERSECTOR and domain.resolve_sector("Astronomy") is None
    assert domain.sector_name(hts, "es") == "Protección (Trata y Tráfico de Personas)"
    assert domain.sector_name(hts, "en") == hts and domain.sector_name(hts, "pt") == "Tráfico de Pessoas"
    assert [domain.platform_name(p, "es").upper() for p in domain.PLATFORMS] == [
        "BRASIL", "CHILE", "COLOMBIA", "ECUADOR", "PERÚ", "CARIBE", "CENTROAMÉRICA Y MÉXICO", "CONO SUR"]
    assert domain.platform_name("Southern Cone", "pt") == "Cone Sul" and domain.platform_name("Peru", "en") == "Peru"


@pytest.mark.parametrize("text", ["a", "à", "la", "de la", "and", "y", "e", "de"])
def test_a_word_that_names_no_sector_by_itself_means_none(text):
    """Words of one sector's names pick it (``Trafficking``, ``GBV``, ``Agua y``); a joining word
    alone (``a`` of ``Proteção à Criança``, ``and``) names no sector, so a slip gives no figure."""
    assert domain.sectors_meant(text) == []


def test_words_of_one_sector_with_joining_words_still_pick_it():
    assert domain.sectors_meant("Trata y Tráfico") == ["Protection (Human Trafficking and Smuggling)"]
    assert domain.sectors_meant("Agua y") == ["WASH"] and domain.sectors_meant("IM") == ["Common Services (IM)"]
