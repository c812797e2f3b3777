"""Screening of free text for personal data: what is masked, and what must be left alone.

The texts are shaped like real 5W activity descriptions (the bundled 2021 export carries both
kinds); the people, numbers and addresses are invented."""

from __future__ import annotations

import pytest

from rmrp_pipeline.text.personal_data import regions_for, screen_text

MASKED = [
    ("Contactar a juan.perez@correo.org", "Contactar a [e-mail]", ("e-mail",)),
    ("amenazas contra María Inventada Gómez Pérez, cc: 1000000001, edad: 24 años",
     "amenazas contra [name], cc: [ID number], edad: 24 años", ("ID number", "name")),
    ("la indígena del Pueblo Wayuu, Ana Ficticia Ruiz, T.i: 1122334455; hechos",
     "la indígena del Pueblo Wayuu, [name], T.i: [ID number]; hechos", ("ID number", "name")),
    ("Cédula V-12.345.678 del beneficiario", "Cédula [ID number] del beneficiario", ("ID number",)),
    ("titular con CPF 123.456.789-09", "titular con CPF [ID number]", ("ID number",)),
    ("RUT 12.345.678-K en trámite", "RUT [ID number] en trámite", ("ID number",)),
    ("pasaporte nº 123456789 vencido", "pasaporte nº [ID number] vencido", ("ID number",)),
    ("llamar al 0412-123-4567 para la cita", "llamar al [phone] para la cita", ("phone",)),
    ("WhatsApp +57 300 123 4567", "WhatsApp [phone]", ("phone",)),
    ("contratada pelo Sr. João Exemplo da Silva.", "contratada pelo Sr. [name].", ("name",)),
    ("derechos humanos de la mayora Rosa Ejemplo", "derechos humanos de la mayora [name]", ("name",)),
    ("C.E. 001234567 vencido", "C.E. [ID number] vencido", ("ID number",)),
    ("carné de extranjería 001234567", "carné de extranjería [ID number]", ("ID number",)),
    # a phone announced as one is masked whatever its country's formats
    ("Tel: (01) 234-5678 de la oficina", "Tel: [phone] de la oficina", ("phone",)),
    ("comunicarse con Juan Ejemplo al 3001234567", "comunicarse con [name] al [phone]", ("phone", "name")),
    ("SR. JUAN EJEMPLO GÓMEZ recibió el kit", "SR. [name] recibió el kit", ("name",)),
    ("MARIA INVENTADA, CC 1000000001", "[name], CC [ID number]", ("ID number", "name")),
]

KEPT = [
    "E.S.E. Nuestra Señora Del Perpetuo Socorro",
    "Jornadas de salud extramural desde La Don Juana",
    "participaron 72 personas (10 peruan@/ 62 venezolan@s/ 52 mujeres)",
    "orientación para tramitar cédula de identidad, sobre regularización migratoria",
    "14/04/2021_Proceso del concurso Capital Semilla IntegrAcción: participaron 384 personas",
    "3186 personas alcanzadas (https://www.instagram.com/tv/CNcqLyCnGvt/)",
    "Entrega de 250 kits de higiene a 1.250 personas en 2021",
    "Prestar el servicio de identificación a través de Cédula de Ciudadanía",
    "(10 peruan@s/62 venezolan@s.Total 72 personas)",
    "Dotación del Hospital Dr. José Gregorio Hernández",
    "Talleres en la Fundación Don Bosco y la Ciudad Don Bosco",
    "Subsidio del programa Colombia Mayor Bogotá",
    "orientación para la renovación del PEP 2021 - 2022",
    "Jornada 2021-05-21 en Cúcuta con un alcance de 2.771.170 personas",
    "TW: https://twitter.com/OIM_Argentina/status/1365300905147514881",
    "the mayor of Ananindeua signed a decree",
]


@pytest.mark.parametrize(("text", "masked", "kinds"), MASKED)
def test_personal_data_is_masked_and_named_by_kind(text, masked, kinds):
    assert screen_text(text, regions_for("COL")) == (masked, kinds)


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_activity_text_is_left_alone(text):
    assert screen_text(text, regions_for("COL")) == (text, ())


@pytest.mark.parametrize(("text", "_masked", "_kinds"), MASKED)
def test_screening_a_masked_text_changes_nothing(text, _masked, _kinds):
    once, _ = screen_text(text, regions_for("COL"))
    assert screen_text(once, regions_for("COL")) == (once, ())


def test_phone_regions_are_the_rows_country_and_venezuela():
    assert regions_for("PER") == ("PE", "VE")
    assert regions_for("VEN") == ("VE",)
    assert regions_for(None) == ("VE",)
    assert regions_for("XXX") == ("VE",)
    # a Peruvian mobile is a phone for a Peru row, not for a row screened with Venezuela's formats only
    assert screen_text("celular 987 654 321", regions_for("PER")) == ("celular [phone]", ("phone",))


def test_a_coded_column_is_screened_once_per_distinct_text_and_country():
    import numpy as np

    from rmrp_pipeline.text.personal_data import screen_codes

    texts = ["Kits de higiene", "llamar al 987 654 321", None]
    # rows: (text 0, Peru), (text 1, Peru), (text 1, Colombia), (text 1, Peru), (empty, Peru)
    pairs, masked, kinds = screen_codes(np.array([0, 1, 1, 1, 2]), texts, np.array([0, 0, 1, 0, 0]), ["PER", "COL"])
    assert [masked[p] for p in pairs] == ["Kits de higiene", "llamar al [phone]", "llamar al 987 654 321",
                                          "llamar al [phone]", None]
    assert [kinds[p] for p in pairs] == [(), ("phone",), (), ("phone",), ()]
    assert len(masked) == 4   # four distinct (text, country) pairs
