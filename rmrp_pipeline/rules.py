"""The validation rules: id, severity, the column they concern, and messages for partners.

Two severities (issue #2; R4V's practice, domain.md §3.3):

- ``reject``: the row cannot be loaded with certainty (an unreadable number or month, a
  country that is not one of the 17, a negative or fractional count of persons). The row
  goes to ``meta.rejected_rows`` and not to the marts.
- ``finding``: the row is readable but breaks an R4V quality rule. It is loaded and counted,
  as R4V does, and listed in ``meta.quality_findings`` so the partner can be asked to fix it.

Messages name the row and say what to fix, in English and Spanish (``{row}``, ``{column}``,
``{value}`` are filled in per failure).
"""

from __future__ import annotations

from dataclasses import dataclass

REJECT = "reject"
FINDING = "finding"


@dataclass(frozen=True)
class Rule:
    """One validation rule. ``source`` names the R4V document or script it comes from."""

    rule_id: str
    severity: str
    message_en: str
    message_es: str
    source: str


_RULES = [
    # ---- rejects: the value cannot be read with certainty ------------------------------
    Rule("number_unreadable", REJECT,
         "Row {row}: '{value}' in column {column} is not a number we can read with certainty. Type the number without units or text (e.g. 1250).",
         "Fila {row}: '{value}' en la columna {column} no es un número legible con certeza. Escriba solo el número, sin unidades ni texto (p. ej. 1250).",
         "issue #2: a wrong number is worse than a crash"),
    Rule("number_ambiguous", REJECT,
         "Row {row}: '{value}' in column {column} could be read two ways (is the point or comma a thousands or a decimal separator?). Type the number of people as digits only (e.g. 1000).",
         "Fila {row}: '{value}' en la columna {column} se puede leer de dos maneras (¿el punto o la coma separa miles o decimales?). Escriba el número de personas solo con dígitos (p. ej. 1000).",
         "issue #2: what cannot be read with certainty is rejected, never guessed"),
    Rule("cell_error", REJECT,
         "Row {row}: column {column} holds the spreadsheet error {value}. Fix the formula or type the value.",
         "Fila {row}: la columna {column} contiene el error de hoja de cálculo {value}. Corrija la fórmula o escriba el valor.",
         "issue #5: Excel error cells are never read as blank"),
    Rule("formula_without_value", REJECT,
         "Row {row}: column {column} holds a formula whose result was never saved (the file was written by a program, not a spreadsheet). Open and save the file in a spreadsheet, or type the value.",
         "Fila {row}: la columna {column} tiene una fórmula cuyo resultado nunca se guardó (el archivo lo escribió un programa). Abra y guarde el archivo en una hoja de cálculo, o escriba el valor.",
         "issue #5: a formula without a cached value is never read as blank or 0"),
    Rule("formula_not_recalculated", REJECT,
         "Row {row}: column {column} holds a formula whose saved result was written by a program that does not calculate (its 0 is not a real result). Open and save the file in a spreadsheet, or type the value.",
         "Fila {row}: la columna {column} tiene una fórmula cuyo resultado guardado lo escribió un programa que no calcula (su 0 no es un resultado real). Abra y guarde el archivo en una hoja de cálculo, o escriba el valor.",
         "issue #5: XlsxWriter writes a cached 0 for every formula"),
    Rule("count_implausible", REJECT,
         "Row {row}: {column} is {value}, more people than the whole population concerned. Correct the figure.",
         "Fila {row}: {column} es {value}, más personas que toda la población concernida. Corrija la cifra.",
         "R4V: about 7.7 million refugees and migrants from Venezuela in all (domain.md §2.4)"),
    Rule("count_negative", REJECT,
         "Row {row}: {column} is {value}; a number of people cannot be negative. Correct the figure.",
         "Fila {row}: {column} es {value}; un número de personas no puede ser negativo. Corrija la cifra.",
         "R4V 5W guidance: beneficiaries are persons (domain.md §3.1)"),
    Rule("count_not_whole", REJECT,
         "Row {row}: {column} is {value}; people are counted in whole persons. Correct the figure.",
         "Fila {row}: {column} es {value}; las personas se cuentan en números enteros. Corrija la cifra.",
         "R4V 5W guidance: beneficiaries are persons, never services (domain.md §3.1)"),
    Rule("amount_negative", REJECT,
         "Row {row}: {column} is {value}; it cannot be negative. Correct the figure.",
         "Fila {row}: {column} es {value}; no puede ser negativo. Corrija la cifra.",
         "R4V 5W QA rules (domain.md §3.3)"),
    Rule("month_unreadable", REJECT,
         "Row {row}: the month '{value}' cannot be read. Write the reporting month as YYYY-MM (e.g. 2021-03).",
         "Fila {row}: el mes '{value}' no se puede leer. Escriba el mes de reporte como AAAA-MM (p. ej. 2021-03).",
         "R4V 5W form: Month is YYYY-MM (domain.md §3.1)"),
    Rule("country_not_r4v", REJECT,
         "Row {row}: '{value}' is not one of the 17 R4V countries. Use the country name from the R4V list.",
         "Fila {row}: '{value}' no es uno de los 17 países de R4V. Use el nombre del país de la lista de R4V.",
         "R4V platform/country list (domain.md §1.1)"),
    Rule("yes_no_unreadable", REJECT,
         "Row {row}: '{value}' in column {column} must be Yes or No.",
         "Fila {row}: '{value}' en la columna {column} debe ser Sí o No.",
         "R4V 5W form: Yes/No fields (domain.md §3.1)"),
    # ---- findings: loaded and counted, to be fixed by the partner ----------------------
    Rule("required_missing", FINDING,
         "Row {row}: {column} is empty; it is required in the 5W. Please fill it in.",
         "Fila {row}: {column} está vacío; es obligatorio en el 5W. Por favor complételo.",
         "R4V 5W QA rules: required fields (domain.md §3.3)"),
    Rule("breakdown_not_whole", FINDING,
         "Row {row}: {column} is {value}, not a whole number of persons (an apportioned estimate?). It is counted as given; report whole persons.",
         "Fila {row}: {column} es {value}, no un número entero de personas (¿una estimación prorrateada?). Se cuenta tal cual; reporte personas enteras.",
         "R4V 5W guidance: beneficiaries are persons; R4V 2021 apportioned breakdowns (domain.md §1.4)"),
    Rule("month_outside_template_year", FINDING,
         "Row {row}: the month {value} is outside the year of this 5W template. Check the reporting month.",
         "Fila {row}: el mes {value} está fuera del año de esta plantilla 5W. Verifique el mes de reporte.",
         "R4V 5W: one template per plan year (domain.md §3.1)"),
    Rule("mojibake_repaired", FINDING,
         "Row {row}: the text '{value}' in column {column} had broken accents (a file saved in one encoding and read in another); it was repaired. Please save the file as UTF-8.",
         "Fila {row}: el texto '{value}' en la columna {column} tenía tildes dañadas (archivo guardado con una codificación y leído con otra); se reparó. Por favor guarde el archivo en UTF-8.",
         "issue #5 §7: mojibake is repaired or flagged, never multiplied"),
    Rule("admin1_not_in_list", FINDING,
         "Row {row}: admin1 '{value}' is not in the R4V admin1 list for this country. Use a name from the list.",
         "Fila {row}: el admin1 '{value}' no está en la lista de R4V para este país. Use un nombre de la lista.",
         "R4V 5W QA rules: Country-Admin1 pair in the reference list (domain.md §3.3)"),
    Rule("organisation_not_in_list", FINDING,
         "Row {row}: appealing organisation '{value}' is not in the R4V partner list. Use the name as registered with R4V.",
         "Fila {row}: la organización '{value}' no está en la lista de socios de R4V. Use el nombre registrado en R4V.",
         "R4V 5W QA rules: appealing organisation in the list (domain.md §3.3)"),
    Rule("implementing_partner_not_in_list", FINDING,
         "Row {row}: implementing partner '{value}' is not in the R4V list of implementing partners.",
         "Fila {row}: el socio implementador '{value}' no está en la lista de socios implementadores de R4V.",
         "R4V 5W QA rules (domain.md §3.3)"),
    Rule("implementing_partner_missing", FINDING,
         "Row {row}: implementation set-up is Yes but no implementing partner is named. Name the partner or set it to No.",
         "Fila {row}: la implementación es Sí pero no se indica el socio implementador. Indíquelo o cambie a No.",
         "R4V QA rule miss_implementing_org (domain.md §1.5)"),
    Rule("implementing_partner_unexpected", FINDING,
         "Row {row}: implementation set-up is No but an implementing partner ('{value}') is named. Remove it or set the set-up to Yes.",
         "Fila {row}: la implementación es No pero se indica un socio implementador ('{value}'). Bórrelo o cambie a Sí.",
         "R4V QA rule miss_implementing_org (domain.md §1.5)"),
    Rule("indicator_not_in_registry", FINDING,
         "Row {row}: the indicator is not registered for this sector in this cycle's indicator list; the row is not counted as people reached.",
         "Fila {row}: el indicador no está registrado para este sector en la lista de indicadores del ciclo; la fila no cuenta como personas alcanzadas.",
         "R4V 5W QA rules: (Subsector, Indicator) pair in the registry (domain.md §3.3)"),
    Rule("new_above_total", FINDING,
         "Row {row}: new beneficiaries ({value}) exceed total monthly beneficiaries. New ones are part of the monthly total.",
         "Fila {row}: los beneficiarios nuevos ({value}) superan el total mensual. Los nuevos son parte del total del mes.",
         "R4V 5W QA rules: New <= Total (domain.md §3.3)"),
    Rule("population_types_sum_mismatch", FINDING,
         "Row {row}: the population types add up to {value}, not to the new beneficiaries. Correct the breakdown.",
         "Fila {row}: los tipos de población suman {value}, no el número de beneficiarios nuevos. Corrija el desglose.",
         "R4V 5W QA rules: sum of population types = New (domain.md §3.3)"),
    Rule("age_gender_sum_mismatch", FINDING,
         "Row {row}: the age/gender cells add up to {value}, not to the new beneficiaries. Correct the breakdown.",
         "Fila {row}: las celdas de edad y género suman {value}, no el número de beneficiarios nuevos. Corrija el desglose.",
         "R4V 5W QA rules: sum of AGD = New (domain.md §3.3)"),
    Rule("no_beneficiaries", FINDING,
         "Row {row}: a people-reached indicator with neither new nor total beneficiaries. Report the people reached or remove the row.",
         "Fila {row}: indicador de personas alcanzadas sin beneficiarios nuevos ni totales. Reporte las personas o elimine la fila.",
         "R4V 5W QA rules: New and Total not both 0 (domain.md §3.3)"),
    Rule("cva_value_missing", FINDING,
         "Row {row}: CVA is Yes but the value of the transfer (USD) is empty or 0.",
         "Fila {row}: CVA es Sí pero el valor de la transferencia (USD) está vacío o es 0.",
         "R4V 5W QA rules: CVA = Yes needs value > 0 (domain.md §3.3)"),
    Rule("cva_mechanism_missing", FINDING,
         "Row {row}: CVA is Yes but no delivery mechanism is given.",
         "Fila {row}: CVA es Sí pero no se indica el mecanismo de entrega.",
         "R4V 5W QA rules: CVA = Yes needs a delivery mechanism (domain.md §3.3)"),
]

RULES: dict[str, Rule] = {rule.rule_id: rule for rule in _RULES}


def message(rule_id: str, *, row: int, column: str, value: object, language: str = "en") -> str:
    """The partner-facing message of ``rule_id`` for one failing cell."""
    rule = RULES[rule_id]
    template = rule.message_es if language == "es" else rule.message_en
    return template.format(row=row, column=column, value="" if value is None else value)
