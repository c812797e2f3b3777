"""Every validation rule of every input, declared once: its id, severity, the inputs it applies
to, the partner message in English and Spanish, and the source of the rule.

Severities (R4V's practice, docs/domain.md §3.3; docs/input-rules.md §7): ``reject``, the row
cannot be loaded with certainty and goes to ``meta.rejected_rows``, not to the marts; ``finding``,
the row breaks an R4V quality rule but is loaded and counted, and listed in ``meta.quality_findings``.
Row rules (:data:`RULES`): messages name the row and say what to fix (``{row}``, ``{column}``,
``{value}`` filled in per failing cell); they never quote free text (activity names and
descriptions: its value is None, and ``'{value}'`` is left out of the message). Key-figures rejects
(:data:`KEY_FIGURES_REJECTS`): the message says what the rule means; ``sources.planning.key_figures``
adds the cell. Each rule's check sits beside the staging of its input, registered under its id
(``quality.checks``; ``tests/sources/test_rule_catalogue.py`` compares the two). For partners:
docs/input-rules.md, whose tables ``scripts/generate_input_rules.py`` writes from these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass

REJECT = "reject"
FINDING = "finding"

# ---- inputs: what a rule applies to --------------------------------------------------------------
FIVE_W = "five_w"
PIN_TARGET = "pin_target"
PROPORTIONS = "proportions"
SUBMISSIONS = "submissions"
KEY_FIGURES = "key_figures"
#: Input -> what it is (template kinds in ``read/layouts/templates.csv``).
INPUTS: dict[str, str] = {
    FIVE_W: "5W monthly activity reports (kind five_w)",
    PIN_TARGET: "RMRP PiN and target tables (kinds pin_table, target_table)",
    PROPORTIONS: "RMRP age/gender proportion tables (kind planning_proportions)",
    SUBMISSIONS: "appealing organisations' activity submissions (kind planning_submission)",
    KEY_FIGURES: "published key-figures workbooks (kinds published_*)",
}


@dataclass(frozen=True)
class Rule:
    """One validation rule.

    Attributes:
        rule_id: the id in ``meta.rejected_rows.rule`` / ``meta.quality_findings.rule``.
        severity: :data:`REJECT` or :data:`FINDING`.
        message_en, message_es: what the partner reads (see the module docstring).
        source: the R4V document or script the rule comes from, or the ``docs/`` page that
            states it.
        applies_to: the inputs (:data:`INPUTS`) whose staging checks it.
        value_words_es: (English, Spanish) words of the values the rule shows, translated in
            the Spanish message (the value is a list of them separated by ``, ``).
    """

    rule_id: str
    severity: str
    message_en: str
    message_es: str
    source: str
    applies_to: tuple[str, ...]
    value_words_es: tuple[tuple[str, str], ...] = ()


# ---- row rules: cells every input reads, then the 5W -------------------------------------------
_ROW_RULES = [
    # rejects: the value cannot be read with certainty
    Rule("number_unreadable", REJECT,
         "Row {row}: '{value}' in column {column} is not a number we can read with certainty. Type the number without units or text (e.g. 1250).",
         "Fila {row}: '{value}' en la columna {column} no es un número legible con certeza. Escriba solo el número, sin unidades ni texto (p. ej. 1250).",
         "docs/input-rules.md §3 (Numbers): a value that cannot be read with certainty is refused, never guessed",
         (FIVE_W, PIN_TARGET, PROPORTIONS, SUBMISSIONS)),
    Rule("number_ambiguous", REJECT,
         "Row {row}: '{value}' in column {column} could be read two ways (is the point or comma a thousands or a decimal separator?). Type the number of people as digits only (e.g. 1000).",
         "Fila {row}: '{value}' en la columna {column} se puede leer de dos maneras (¿el punto o la coma separa miles o decimales?). Escriba el número de personas solo con dígitos (p. ej. 1000).",
         "docs/input-rules.md §3 and §11: a number that reads two ways is refused, never guessed",
         (FIVE_W, PIN_TARGET, PROPORTIONS, SUBMISSIONS)),
    Rule("cell_error", REJECT,
         "Row {row}: column {column} holds the spreadsheet error {value}. Fix the formula or type the value.",
         "Fila {row}: la columna {column} contiene el error de hoja de cálculo {value}. Corrija la fórmula o escriba el valor.",
         "docs/input-rules.md §3: an Excel error cell is never read as blank",
         (FIVE_W, PIN_TARGET, PROPORTIONS, SUBMISSIONS)),
    Rule("formula_without_value", REJECT,
         "Row {row}: column {column} holds a formula whose result was never saved (the file was written by a program, not a spreadsheet). Open and save the file in a spreadsheet, or type the value.",
         "Fila {row}: la columna {column} tiene una fórmula cuyo resultado nunca se guardó (el archivo lo escribió un programa). Abra y guarde el archivo en una hoja de cálculo, o escriba el valor.",
         "docs/input-rules.md §3: a formula without a saved result is never read as blank or 0",
         (FIVE_W, PIN_TARGET, PROPORTIONS, SUBMISSIONS)),
    Rule("formula_not_recalculated", REJECT,
         "Row {row}: column {column} holds a formula whose saved result was written by a program that does not calculate (its 0 is not a real result). Open and save the file in a spreadsheet, or type the value.",
         "Fila {row}: la columna {column} tiene una fórmula cuyo resultado guardado lo escribió un programa que no calcula (su 0 no es un resultado real). Abra y guarde el archivo en una hoja de cálculo, o escriba el valor.",
         "docs/input-rules.md §3: programs that do not calculate (XlsxWriter) save 0 as the result of every formula",
         (FIVE_W,)),
    Rule("count_implausible", REJECT,
         "Row {row}: {column} is {value}, more people than the whole population concerned. Correct the figure.",
         "Fila {row}: {column} es {value}, más personas que toda la población concernida. Corrija la cifra.",
         "R4V: about 7.7 million refugees and migrants from Venezuela in all (docs/domain.md §2.4)",
         (FIVE_W, PIN_TARGET, SUBMISSIONS)),
    Rule("count_negative", REJECT,
         "Row {row}: {column} is {value}; a number of people cannot be negative. Correct the figure.",
         "Fila {row}: {column} es {value}; un número de personas no puede ser negativo. Corrija la cifra.",
         "R4V 5W guidance: beneficiaries are persons (docs/domain.md §3.1)",
         (FIVE_W, PIN_TARGET, SUBMISSIONS)),
    Rule("count_not_whole", REJECT,
         "Row {row}: {column} is {value}; people are counted in whole persons. Correct the figure.",
         "Fila {row}: {column} es {value}; las personas se cuentan en números enteros. Corrija la cifra.",
         "R4V 5W guidance: beneficiaries are persons, never services (docs/domain.md §3.1)",
         (FIVE_W, PIN_TARGET, SUBMISSIONS)),
    Rule("amount_negative", REJECT,
         "Row {row}: {column} is {value}; it cannot be negative. Correct the figure.",
         "Fila {row}: {column} es {value}; no puede ser negativo. Corrija la cifra.",
         "R4V 5W QA rules (docs/domain.md §3.3)",
         (FIVE_W, SUBMISSIONS)),
    Rule("month_unreadable", REJECT,
         "Row {row}: the month '{value}' cannot be read. Write the reporting month as YYYY-MM (e.g. 2021-03).",
         "Fila {row}: el mes '{value}' no se puede leer. Escriba el mes de reporte como AAAA-MM (p. ej. 2021-03).",
         "R4V 5W form: Month is YYYY-MM (docs/domain.md §3.1)",
         (FIVE_W,)),
    Rule("country_not_r4v", REJECT,
         "Row {row}: '{value}' is not one of the 17 R4V countries. Use the country name from the R4V list.",
         "Fila {row}: '{value}' no es uno de los 17 países de R4V. Use el nombre del país de la lista de R4V.",
         "R4V platform/country list (docs/domain.md §1.1)",
         (FIVE_W, PIN_TARGET, PROPORTIONS)),
    Rule("yes_no_unreadable", REJECT,
         "Row {row}: '{value}' in column {column} must be Yes or No.",
         "Fila {row}: '{value}' en la columna {column} debe ser Sí o No.",
         "R4V 5W form: Yes/No fields (docs/domain.md §3.1)",
         (FIVE_W,)),
    # findings: loaded and counted, to be fixed by the partner
    Rule("required_missing", FINDING,
         "Row {row}: {column} is empty; it is required in the 5W. Please fill it in.",
         "Fila {row}: {column} está vacío; es obligatorio en el 5W. Por favor complételo.",
         "R4V 5W QA rules: required fields (docs/domain.md §3.3)",
         (FIVE_W,)),
    Rule("breakdown_not_whole", FINDING,
         "Row {row}: {column} is {value}, not a whole number of persons (an apportioned estimate?). It is loaded as whole persons, rounded so that the breakdown still adds up; report whole persons.",
         "Fila {row}: {column} es {value}, no un número entero de personas (¿una estimación prorrateada?). Se carga en personas enteras, redondeadas de modo que el desglose siga sumando lo mismo; reporte personas enteras.",
         "R4V 5W guidance: beneficiaries are persons; R4V 2021 apportioned breakdowns (docs/domain.md §1.4)",
         (FIVE_W,)),
    Rule("month_outside_template_year", FINDING,
         "Row {row}: the month {value} is outside the year of this 5W template. Check the reporting month.",
         "Fila {row}: el mes {value} está fuera del año de esta plantilla 5W. Verifique el mes de reporte.",
         "R4V 5W: one template per plan year (docs/domain.md §3.1)",
         (FIVE_W,)),
    Rule("percent_without_sign", FINDING,
         "Row {row}: the share {value} in column {column} has no % sign and its cell is not formatted as a percentage; it was read as a fraction (0.7 = 70%). If it means 0.7%, write 0,7%.",
         "Fila {row}: la proporción {value} en la columna {column} no tiene signo % y la celda no tiene formato de porcentaje; se leyó como fracción (0,7 = 70%). Si significa 0,7%, escriba 0,7%.",
         "docs/input-rules.md §10 (published key figures): a bare 0.7 in a share column could be 70% or 0.7%",
         (KEY_FIGURES,)),
    Rule("mojibake_repaired", FINDING,
         "Row {row}: the text '{value}' in column {column} had broken accents (a file saved in one encoding and read in another); it was repaired. Please save the file as UTF-8.",
         "Fila {row}: el texto '{value}' en la columna {column} tenía tildes dañadas (archivo guardado con una codificación y leído con otra); se reparó. Por favor guarde el archivo en UTF-8.",
         "docs/input-rules.md §6: broken accents are repaired and reported, never loaded as new names",
         (FIVE_W,)),
    Rule("personal_data_in_free_text", FINDING,
         "Row {row}: column {column} holds personal data ({value}). It was masked before loading and is kept only in your file: delete it from the cell. Describe the activity, never a person.",
         "Fila {row}: la columna {column} contiene datos personales ({value}). Se ocultaron antes de cargar los datos y solo quedan en su archivo: bórrelos de la celda. Describa la actividad, nunca a una persona.",
         "R4V data protection practice: no personal data of beneficiaries in activity reports; free text screened and masked before it is staged (docs/data-protection.md)",
         (FIVE_W, SUBMISSIONS),
         (("e-mail", "correo electrónico"), ("ID number", "número de documento de identidad"), ("phone", "teléfono"),
          ("name", "nombre de una persona"))),
    Rule("admin1_not_in_list", FINDING,
         "Row {row}: admin1 '{value}' is not in the R4V admin1 list for this country. Use a name from the list.",
         "Fila {row}: el admin1 '{value}' no está en la lista de R4V para este país. Use un nombre de la lista.",
         "R4V 5W QA rules: Country-Admin1 pair in the reference list (docs/domain.md §3.3)",
         (FIVE_W, SUBMISSIONS)),
    Rule("admin1_spelling_differs_from_reference", FINDING,
         "Row {row}: the admin1 in column {column} is found in the R4V admin1 list only once accents, capitals, spaces or garbled characters are set aside; the list writes it '{value}'. It is counted here, but R4V's own consolidation matches admin1 names letter by letter and would count this row apart or not at all: select '{value}' from the list.",
         "Fila {row}: el admin1 de la columna {column} solo se encuentra en la lista de admin1 de R4V si se pasan por alto tildes, mayúsculas, espacios o caracteres dañados; la lista lo escribe '{value}'. Aquí se cuenta, pero la consolidación de R4V compara los nombres de admin1 letra por letra y contaría esta fila aparte o no la contaría: seleccione '{value}' de la lista.",
         "R4V consolidation scripts (R4RMRP2022, R4VRMRP2023: admin1 joined to the proportions table and grouped as written); docs/r4v-differences.md",
         (FIVE_W,)),
    Rule("organisation_not_in_list", FINDING,
         "Row {row}: appealing organisation '{value}' is not in the R4V partner list. Use the name as registered with R4V.",
         "Fila {row}: la organización '{value}' no está en la lista de socios de R4V. Use el nombre registrado en R4V.",
         "R4V 5W QA rules: appealing organisation in the list (docs/domain.md §3.3)",
         (FIVE_W, SUBMISSIONS)),
    Rule("implementing_partner_not_in_list", FINDING,
         "Row {row}: implementing partner '{value}' is not in the R4V list of implementing partners.",
         "Fila {row}: el socio implementador '{value}' no está en la lista de socios implementadores de R4V.",
         "R4V 5W QA rules (docs/domain.md §3.3)",
         (FIVE_W,)),
    Rule("implementing_partner_missing", FINDING,
         "Row {row}: implementation set-up is Yes but no implementing partner is named. Name the partner or set it to No.",
         "Fila {row}: la implementación es Sí pero no se indica el socio implementador. Indíquelo o cambie a No.",
         "R4V QA rule miss_implementing_org (docs/domain.md §1.5)",
         (FIVE_W,)),
    Rule("implementing_partner_unexpected", FINDING,
         "Row {row}: implementation set-up is No but an implementing partner ('{value}') is named. Remove it or set the set-up to Yes.",
         "Fila {row}: la implementación es No pero se indica un socio implementador ('{value}'). Bórrelo o cambie a Sí.",
         "R4V QA rule miss_implementing_org (docs/domain.md §1.5)",
         (FIVE_W,)),
    Rule("subsector_not_r4v", FINDING,
         "Row {row}: '{value}' is not the name of an R4V sector or subsector (in English, Spanish or Portuguese). Write the sector as in the RMRP indicator list, e.g. Shelter, Health or Protection (GBV); until then the row is not counted as people reached.",
         "Fila {row}: '{value}' no es el nombre de un sector o subsector de R4V (en inglés, español o portugués). Escriba el sector como en la lista de indicadores del RMRP, p. ej. Alojamiento, Salud o Protección (VBG); mientras tanto la fila no cuenta como personas alcanzadas.",
         "R4V sector list with its names across cycles and languages (docs/domain.md §1.2; reference_data/sectors.csv)",
         (FIVE_W,)),
    Rule("indicator_not_in_registry", FINDING,
         "Row {row}: the indicator is not registered for this sector in this cycle's indicator list; the row is not counted as people reached.",
         "Fila {row}: el indicador no está registrado para este sector en la lista de indicadores del ciclo; la fila no cuenta como personas alcanzadas.",
         "R4V 5W QA rules: (Subsector, Indicator) pair in the registry (docs/domain.md §3.3)",
         (FIVE_W,)),
    Rule("new_above_total", FINDING,
         "Row {row}: new beneficiaries ({value}) exceed total monthly beneficiaries. New ones are part of the monthly total.",
         "Fila {row}: los beneficiarios nuevos ({value}) superan el total mensual. Los nuevos son parte del total del mes.",
         "R4V 5W QA rules: New <= Total (docs/domain.md §3.3)",
         (FIVE_W,)),
    Rule("population_types_sum_mismatch", FINDING,
         "Row {row}: the population types add up to {value}, not to the new beneficiaries. Correct the breakdown.",
         "Fila {row}: los tipos de población suman {value}, no el número de beneficiarios nuevos. Corrija el desglose.",
         "R4V 5W QA rules: sum of population types = New (docs/domain.md §3.3)",
         (FIVE_W,)),
    Rule("age_gender_sum_mismatch", FINDING,
         "Row {row}: the age/gender cells add up to {value}, not to the new beneficiaries. Correct the breakdown.",
         "Fila {row}: las celdas de edad y género suman {value}, no el número de beneficiarios nuevos. Corrija el desglose.",
         "R4V 5W QA rules: sum of AGD = New (docs/domain.md §3.3)",
         (FIVE_W,)),
    Rule("no_beneficiaries", FINDING,
         "Row {row}: a people-reached indicator with neither new nor total beneficiaries. Report the people reached or remove the row.",
         "Fila {row}: indicador de personas alcanzadas sin beneficiarios nuevos ni totales. Reporte las personas o elimine la fila.",
         "R4V 5W QA rules: New and Total not both 0 (docs/domain.md §3.3)",
         (FIVE_W,)),
    Rule("cva_value_missing", FINDING,
         "Row {row}: CVA is Yes but the value of the transfer (USD) is empty or 0.",
         "Fila {row}: CVA es Sí pero el valor de la transferencia (USD) está vacío o es 0.",
         "R4V 5W QA rules: CVA = Yes needs value > 0 (docs/domain.md §3.3)",
         (FIVE_W,)),
    Rule("cva_mechanism_missing", FINDING,
         "Row {row}: CVA is Yes but no delivery mechanism is given.",
         "Fila {row}: CVA es Sí pero no se indica el mecanismo de entrega.",
         "R4V 5W QA rules: CVA = Yes needs a delivery mechanism (docs/domain.md §3.3)",
         (FIVE_W,)),
    Rule("mpc_without_cva_yes", FINDING,
         "Row {row}: a Multipurpose Cash Assistance (MPC) activity is cash by definition: CVA must be Yes, with the value and the delivery mechanism.",
         "Fila {row}: una actividad de Transferencias Monetarias Multipropósito (MPC) es efectivo por definición: CVA debe ser Sí, con el valor y el mecanismo de entrega.",
         "R4V 5W QA rules: the MPC sector must have CVA = Yes (docs/domain.md §3.3; R4VRMRP2023/R/2_data_quality_check.R)",
         (FIVE_W,)),
    Rule("cva_no_value_given", FINDING,
         "Row {row}: CVA is No but a value of transfer ({value} USD) is given. Remove the value or set CVA to Yes.",
         "Fila {row}: CVA es No pero se indica un valor de transferencia ({value} USD). Bórrelo o cambie CVA a Sí.",
         "R4V 5W QA rules: CVA = No needs value and mechanism empty (docs/domain.md §3.3)",
         (FIVE_W,)),
    Rule("cva_no_mechanism_given", FINDING,
         "Row {row}: CVA is No but a delivery mechanism ('{value}') is given. Remove it or set CVA to Yes.",
         "Fila {row}: CVA es No pero se indica un mecanismo de entrega ('{value}'). Bórrelo o cambie CVA a Sí.",
         "R4V 5W QA rules: CVA = No needs value and mechanism empty (docs/domain.md §3.3)",
         (FIVE_W,)),
    Rule("capacity_building_no_total", FINDING,
         "Row {row}: a Capacity Building indicator needs the number of people trained in total monthly beneficiaries (it is empty or 0).",
         "Fila {row}: un indicador de Capacitaciones necesita el número de personas capacitadas en el total mensual de beneficiarios (está vacío o es 0).",
         "R4V 5W QA rules: Capacity Building needs Total monthly > 0 (docs/domain.md §3.3; monitoringQuality2025/functions.R)",
         (FIVE_W,)),
    Rule("output_quantity_missing", FINDING,
         "Row {row}: this indicator is measured by its output (sessions, mechanisms, items...), but the quantity of output is empty or 0. Enter the quantity delivered.",
         "Fila {row}: este indicador se mide por su producto (sesiones, mecanismos, artículos...), pero la cantidad de producto está vacía o es 0. Indique la cantidad entregada.",
         "R4V 5W QA: the indicator types that do not report people need Quantity of output > 0: 2021 Other (r4v_app, R/2_quality_check_report_generator.R, Other.quantity.equal.0); 2022 every type but PiN and Capacity Building (R4RMRP2022, R/2_data_quality_check.R, NoOutput); 2023-2024 every type but Direct Assistance and Capacity Building (R4VRMRP2023 NoOutput; ActivtityInfoQuality); from 2025 every type but Direct Assistance (monitoringQuality2025 QA_output, is_valid_output); docs/r4v-checks.md",
         (FIVE_W,)),
    Rule("new_not_expected_for_type", FINDING,
         "Row {row}: new beneficiaries ({value}) are only reported for Direct Assistance and Capacity Building indicators; leave the cell empty for this indicator type.",
         "Fila {row}: los beneficiarios nuevos ({value}) solo se reportan en indicadores de Asistencia directa y de Capacitaciones; deje la celda vacía para este tipo de indicador.",
         "R4V 2025 5W QA: QA_NewBeneficiariesMonth, New empty for every type but Direct Assistance and Capacity Building (monitoringQuality2025, functions.R and R/qa_rules.R is_valid_new_beneficiaries_of_month; R/QAFromAIDB.R); docs/r4v-checks.md",
         (FIVE_W,)),
    Rule("under_18_missing", FINDING,
         "Row {row}: an Education or Child Protection direct-assistance activity with no one under 18 (the under-18 cells add up to {value}). Report the girls and boys reached.",
         "Fila {row}: una actividad de asistencia directa de Educación o Protección de la Infancia sin ninguna persona menor de 18 años (las celdas de menores de 18 suman {value}). Reporte las niñas y los niños alcanzados.",
         "R4V 2025 5W QA rules: Education and Child Protection Direct Assistance need an under-18 AGD cell > 0 (docs/domain.md §3.3; monitoringQuality2025)",
         (FIVE_W,)),
    Rule("people_type_population_breakdown", FINDING,
         "Row {row}: {column} holds {value}, but this indicator is of type People in the indicator list of its year (people outside the population in need, such as teachers or health workers trained): it is broken down by age and gender only. Remove the population-type figures from this row.",
         "Fila {row}: {column} contiene {value}, pero este indicador es de tipo People en la lista de indicadores de su año (personas fuera de la población con necesidades, como docentes o personal de salud capacitados): se desglosa solo por edad y género. Borre las cifras por tipo de población de esta fila.",
         "R4V 2021 QA: People indicators carry no population-type breakdown (r4v_app, vignettes/Quality check RMRP 2021 shiny.Rmd, chunk pplindicator; R/2_quality_check_report_generator.R, cleaning option people_erase_extradata); docs/r4v-checks.md",
         (FIVE_W,)),
    Rule("people_type_age_gender_sum_mismatch", FINDING,
         "Row {row}: the age/gender cells add up to {value}, not to the new beneficiaries of this People indicator (people outside the population in need are broken down by age and gender). Correct the breakdown.",
         "Fila {row}: las celdas de edad y género suman {value}, no el número de beneficiarios nuevos de este indicador de tipo People (las personas fuera de la población con necesidades se desglosan por edad y género). Corrija el desglose.",
         "R4V 2021 QA: People.Beneficiaries.vs.AGbreakdown (r4v_app, R/2_quality_check_report_generator.R); docs/r4v-checks.md",
         (FIVE_W,)),
    Rule("people_type_no_beneficiaries", FINDING,
         "Row {row}: this indicator is of type People (it counts people outside the population in need, such as teachers trained) but neither new nor total beneficiaries are given. Report those people in the beneficiaries columns, broken down by age and gender.",
         "Fila {row}: este indicador es de tipo People (cuenta personas fuera de la población con necesidades, como docentes capacitados) pero no indica beneficiarios nuevos ni totales. Reporte esas personas en las columnas de beneficiarios, desglosadas por edad y género.",
         "R4V 2021 QA: PinPeople.Beneficaries.equal.0 for People indicators (r4v_app, R/2_quality_check_report_generator.R); docs/r4v-checks.md",
         (FIVE_W,)),
    Rule("beneficiaries_not_expected_for_type", FINDING,
         "Row {row}: {column} holds {value}, but this indicator's type in the indicator list of its year leaves that column empty (its result is a quantity of output, or it has no such breakdown). Remove the figure, or check the indicator.",
         "Fila {row}: {column} contiene {value}, pero el tipo de este indicador en la lista de indicadores de su año deja esa columna vacía (su resultado es una cantidad de producto, o no tiene ese desglose). Borre la cifra o revise el indicador.",
         "R4V QA: 2021 Other indicators carry no beneficiaries (r4v_app vignette chunk nopplnopin, cleaning option other_erase_extradata); 2024 CampaignWithPopulationType, CampaignWithAgeAndGender, CapacityBuildingWithPopulationType, ActivityWithBeneficiariesRegistered (ActivtityInfoQuality, R/fct_error_report.R); docs/r4v-checks.md",
         (FIVE_W,)),
    Rule("quantity_not_expected_for_type", FINDING,
         "Row {row}: the quantity of output is {value}, but this indicator counts people: its result goes in the total and new beneficiaries, not in the quantity of output. Move the figure or leave the quantity empty.",
         "Fila {row}: la cantidad de producto es {value}, pero este indicador cuenta personas: su resultado va en los beneficiarios totales y nuevos, no en la cantidad de producto. Mueva la cifra o deje la cantidad vacía.",
         "R4V QA: 2021 Pin and People indicators with a quantity (r4v_app vignette chunk quantity; cleaning options pin_erase_quantity, people_erase_extradata); 2024 DirectAssistanceWithQuantityOfOutput (ActivtityInfoQuality, R/fct_error_report.R); docs/r4v-checks.md",
         (FIVE_W,)),
    Rule("direct_assistance_total_missing", FINDING,
         "Row {row}: new beneficiaries are given but total monthly beneficiaries is empty or 0. A Direct Assistance indicator needs the people served this month, the new ones included.",
         "Fila {row}: se indican beneficiarios nuevos pero el total mensual de beneficiarios está vacío o es 0. Un indicador de Asistencia directa necesita las personas atendidas en el mes, incluidos los nuevos.",
         "R4V 2025 5W QA: QA_TotalMonthlyBeneficiaries (monitoringQuality2025, functions.R is_valid_total_beneficiaries_of_month; R/QAFromAIDB.R); docs/r4v-checks.md",
         (FIVE_W,)),
    Rule("new_beneficiaries_missing", FINDING,
         "Row {row}: new beneficiaries of the month is empty. Direct Assistance and Capacity Building indicators need it (write 0 if everyone was already reached earlier in the year).",
         "Fila {row}: los beneficiarios nuevos del mes están vacíos. Los indicadores de Asistencia directa y de Capacitaciones los necesitan (escriba 0 si todas las personas ya se alcanzaron antes en el año).",
         "R4V 2025 5W QA: QA_NewBeneficiariesMonth, New required for Direct Assistance (with a total; neither is no_beneficiaries) and Capacity Building (monitoringQuality2025, functions.R and R/qa_rules.R is_valid_new_beneficiaries_of_month; R/QAFromAIDB.R); docs/r4v-checks.md",
         (FIVE_W,)),
    Rule("row_in_another_file", FINDING,
         "Row {row}: the same row, every cell alike, is also in another file (file, row: {value}): both are loaded and counted. If one file is a copy of the other, take the copy out of the raw folder; if it is a corrected report, send it again under the first one's name with a version mark (_v2).",
         "Fila {row}: la misma fila, con todas sus celdas iguales, está también en otro archivo (archivo, fila: {value}): ambas se cargan y se cuentan. Si un archivo es copia del otro, saque la copia de la carpeta; si es un informe corregido, envíelo de nuevo con el nombre del primero y una marca de versión (_v2).",
         "docs/input-rules.md §9: nothing is doubled silently; a copy with the same bytes is loaded once, a copy with other bytes (edited, or saved again) is not guessed between, its rows that are the same as another file's are named",
         (FIVE_W,)),
    Rule("outlier_organisation_history", FINDING,
         "Row {row}: {value} new beneficiaries is far above what your organisation reports for this sector in this country (more than 10 times the median of its other rows). Check the figure: a typo, or a total of several months or places?",
         "Fila {row}: {value} beneficiarios nuevos está muy por encima de lo que su organización reporta para este sector en este país (más de 10 veces la mediana de sus otras filas). Revise la cifra: ¿un error de tipeo, o el total de varios meses o lugares?",
         "DHIS2-style outlier against the organisation's own history (docs/input-rules.md §6; five_w.checks.OUTLIER_RATIO, OUTLIER_MIN_GAP, OUTLIER_MIN_HISTORY)",
         (FIVE_W,)),
    Rule("outlier_above_pin", FINDING,
         "Row {row}: {value}: the new beneficiaries of this one row are more than all the people in need (PiN) the RMRP counts for this sector in this admin1 (or in the whole country, where the plan gives no PiN for the admin1). Check the figure (a typo, a total of several months, the wrong admin1 or sector?) or tell your platform why.",
         "Fila {row}: {value}: los beneficiarios nuevos de esta sola fila son más que todas las personas con necesidades (PiN) que el RMRP cuenta para este sector en este admin1 (o en todo el país, cuando el plan no da un PiN para el admin1). Revise la cifra (¿un error de tipeo, el total de varios meses, otro admin1 u otro sector?) o explique el motivo a su plataforma.",
         "DHIS2-style outlier against the plan: new beneficiaries of a people-reached row above the sector's PiN for the admin1, else for the country (Country level), of the same plan year, PiN of 0 left out (outliers.outlier_above_pin; R4V PiN tables, docs/domain.md §2.1, §2.3)",
         (FIVE_W,)),
]

# ---- row rules: planning figures (PiN/target and proportion tables, activity submissions) ----
_ROW_RULES += [
    # rejects: the row's figures cannot be read or attributed with certainty
    Rule("platform_not_r4v", REJECT,
         "Row {row}: '{value}' is not an R4V platform (Brazil, Chile, Colombia, Ecuador, Peru, Caribbean, Central America and Mexico, Southern Cone). Use the platform's English name.",
         "Fila {row}: '{value}' no es una plataforma de R4V (Brazil, Chile, Colombia, Ecuador, Peru, Caribbean, Central America and Mexico, Southern Cone). Use el nombre en inglés de la plataforma.",
         "R4V platforms (docs/domain.md §1.1)",
         (PIN_TARGET,)),
    Rule("platform_country_mismatch", REJECT,
         "Row {row}: the country of this row does not belong to the platform '{value}'. Check the platform and the country.",
         "Fila {row}: el país de esta fila no pertenece a la plataforma '{value}'. Verifique la plataforma y el país.",
         "R4V platforms and their countries (docs/domain.md §1.1)",
         (PIN_TARGET,)),
    Rule("sector_unknown", REJECT,
         "Row {row}: '{value}' in column {column} is not an R4V sector or subsector (in English, Spanish or Portuguese), so the row's figures cannot be given to a sector. Use a name from the R4V list.",
         "Fila {row}: '{value}' en la columna {column} no es un sector o subsector de R4V (en inglés, español o portugués), así que las cifras de la fila no se pueden asignar a un sector. Use un nombre de la lista de R4V.",
         "R4V sectors and subsectors (docs/domain.md §1.2)",
         (PIN_TARGET, PROPORTIONS, SUBMISSIONS)),
    Rule("duplicate_row", REJECT,
         "Row {row}: another row has the same country, admin1 and sector ({value}). Keep one row per country, admin1 and sector.",
         "Fila {row}: otra fila tiene el mismo país, admin1 y sector ({value}). Deje una sola fila por país, admin1 y sector.",
         "R4V PiN/target and proportion tables (Proportions.xlsx): one row per country, admin1 and sector; copies that disagree are not guessed between (docs/input-rules.md §10)",
         (PIN_TARGET, PROPORTIONS)),
    Rule("proportions_sum_not_one", REJECT,
         "Row {row}: the four age/gender shares starting at {column} add up to {value}, not 1. The shares of a population type must add up to 1 (or all be 0 where it has nobody); correct them.",
         "Fila {row}: las cuatro proporciones de edad y género que empiezan en {column} suman {value}, no 1. Las proporciones de un tipo de población deben sumar 1 (o ser todas 0 si no tiene a nadie); corríjalas.",
         "R4V proportion tables (Proportions.xlsx): shares of one population type split its people (docs/domain.md §3.4); two-decimal rounding allows 0.02",
         (PROPORTIONS,)),
    Rule("proportion_invalid", REJECT,
         "Row {row}: {column} is {value}, not a proportion between 0 and 1. Correct the figure.",
         "Fila {row}: {column} es {value}, no una proporción entre 0 y 1. Corrija la cifra.",
         "R4V proportion tables (docs/domain.md §3.4)",
         (PROPORTIONS,)),
    Rule("year_unreadable", REJECT,
         "Row {row}: the year '{value}' cannot be read. Select the year of the activity from the list (e.g. 2023).",
         "Fila {row}: el año '{value}' no se puede leer. Seleccione el año de la actividad en la lista (p. ej. 2023).",
         "R4V submission template: Year from the dropdown list (docs/domain.md §2.1)",
         (SUBMISSIONS,)),
    Rule("country_not_in_list", REJECT,
         "Row {row}: '{value}' is neither one of the 17 R4V countries nor Regional. Select the country from the list.",
         "Fila {row}: '{value}' no es uno de los 17 países de R4V ni Regional. Seleccione el país en la lista.",
         "R4V submission QA: Country+Admin1 in the list (docs/domain.md §2.1)",
         (SUBMISSIONS,)),
    Rule("not_an_activity_row", REJECT,
         "Row {row}: the year and number columns hold text, not figures: this looks like the template's instructions, not an activity. Delete the row or fill in the activity.",
         "Fila {row}: el año y las columnas de cifras contienen texto, no cifras: parecen las instrucciones de la plantilla, no una actividad. Borre la fila o complete la actividad.",
         "R4V submission template: row 2 holds the instructions of each column",
         (SUBMISSIONS,)),
    # findings: the row is loaded and counted; the partner is asked to fix it
    Rule("breakdown_sum_mismatch", FINDING,
         "Row {row}: the parts of {column} add up to {value}, not to the total given. Correct the breakdown.",
         "Fila {row}: las partes de {column} suman {value}, no el total indicado. Corrija el desglose.",
         "R4V PiN/target tables: totals = sum of population types = sum of age/gender groups (docs/domain.md §2.1)",
         (PIN_TARGET,)),
    Rule("year_outside_plan", FINDING,
         "Row {row}: the year {value} is not a year of this plan. Select one of the plan's years.",
         "Fila {row}: el año {value} no es un año de este plan. Seleccione uno de los años del plan.",
         "R4V submission QA: Year within the cycle's years (docs/domain.md §2.1)",
         (SUBMISSIONS,)),
    Rule("submission_required_missing", FINDING,
         "Row {row}: {column} is empty; it is required in the RMRP activity submission. Please fill it in.",
         "Fila {row}: {column} está vacío; es obligatorio en la propuesta de actividades del RMRP. Por favor complételo.",
         "R4V submission QA: PartnerMissing, ActivityMissing, SectorIndicatorError (docs/domain.md §2.1)",
         (SUBMISSIONS,)),
    Rule("activity_text_not_meaningful", FINDING,
         "Row {row}: {column} is too short or a placeholder (such as 'qq', 'xxx' or 'test'). Describe the activity in a few words.",
         "Fila {row}: {column} es demasiado corto o un texto de relleno (como 'qq', 'xxx' o 'test'). Describa la actividad en pocas palabras.",
         "R4V submission QA: ActivityMissing (Subimission2324QualityCheck.R), with placeholders such as 'qq' counted as missing",
         (SUBMISSIONS,)),
    Rule("organisation_new", FINDING,
         "Row {row}: '{value}' is the template's placeholder for an organisation not yet registered with R4V. Send the organisation's details (name in English and Spanish, acronym, type) to your platform so that it is registered, then select it.",
         "Fila {row}: '{value}' es el texto de la plantilla para una organización aún no registrada en R4V. Envíe los datos de la organización (nombre en inglés y español, sigla, tipo) a su plataforma para que la registre, y luego selecciónela.",
         "R4V submission template: 'New organisation' and the Instructions sheet",
         (SUBMISSIONS,)),
    Rule("sector_indicator_not_in_registry", FINDING,
         "Row {row}: the indicator is not one of this sector's indicators in the plan's indicator list. Select the sector, then one of its indicators.",
         "Fila {row}: el indicador no es uno de los indicadores de este sector en la lista de indicadores del plan. Seleccione el sector y luego uno de sus indicadores.",
         "R4V submission QA: SectorIndicatorError (Sector + Indicator + Indicator Type in the registry)",
         (SUBMISSIONS,)),
    Rule("indicator_type_mismatch", FINDING,
         "Row {row}: '{value}' is not the type of this indicator in the indicator list. Select the indicator again so that the template fills in its type.",
         "Fila {row}: '{value}' no es el tipo de este indicador en la lista de indicadores. Vuelva a seleccionar el indicador para que la plantilla complete su tipo.",
         "R4V submission QA: SectorIndicatorError (Sector + Indicator + Indicator Type in the registry)",
         (SUBMISSIONS,)),
    Rule("budget_total_mismatch", FINDING,
         "Row {row}: the total budget ({value}) is not in-kind + CVA. Correct the amounts; the total is calculated by the template, do not type over it.",
         "Fila {row}: el presupuesto total ({value}) no es en especie + CVA. Corrija los montos; el total lo calcula la plantilla, no lo sobrescriba.",
         "R4V submission QA: BudgetError (TotalBudget = InKind + CVA)",
         (SUBMISSIONS,)),
    Rule("budget_not_positive", FINDING,
         "Row {row}: the budget is 0 or empty (in-kind + CVA = {value}). Every activity needs its requirement in USD.",
         "Fila {row}: el presupuesto es 0 o está vacío (en especie + CVA = {value}). Cada actividad necesita su requerimiento en USD.",
         "R4V submission QA: BudgetError (InKind + CVA > 0)",
         (SUBMISSIONS,)),
    Rule("mpc_without_cva", FINDING,
         "Row {row}: a Multipurpose Cash Assistance (MPC) activity needs a CVA budget (value of transfers in USD) above 0.",
         "Fila {row}: una actividad de Transferencias Monetarias Multipropósito (MPC) necesita un presupuesto CVA (valor de las transferencias en USD) mayor que 0.",
         "R4V submission QA: MPCSectorBudget",
         (SUBMISSIONS,)),
    Rule("total_target_missing", FINDING,
         "Row {row}: {column} is empty or 0; this indicator type needs the total number of people targeted.",
         "Fila {row}: {column} está vacío o es 0; este tipo de indicador necesita el número total de personas meta.",
         "R4V submission QA: DirectAssistNoBenef, CBuildNoBenef; template Indicator_type sheet (Campaign)",
         (SUBMISSIONS,)),
    Rule("output_missing", FINDING,
         "Row {row}: {column} is empty or 0; this indicator type is measured by its output (sessions, mechanisms, items...). Enter the planned output.",
         "Fila {row}: {column} está vacío o es 0; este tipo de indicador se mide por su producto (sesiones, mecanismos, artículos...). Indique el producto previsto.",
         "R4V submission QA: NoOutput; template Indicator_type sheet (Capacity building)",
         (SUBMISSIONS,)),
    Rule("breakdown_missing", FINDING,
         "Row {row}: {column} is empty; this indicator type needs the breakdown of its target (write 0 where there is none).",
         "Fila {row}: {column} está vacío; este tipo de indicador necesita el desglose de su meta (escriba 0 donde no haya).",
         "R4V submission template: Indicator_type sheet, mandatory columns by type (docs/domain.md §2.1)",
         (SUBMISSIONS,)),
    Rule("value_not_expected_for_indicator_type", FINDING,
         "Row {row}: {column} holds {value}, but this indicator type leaves that column black (no data). Remove it or check the indicator.",
         "Fila {row}: {column} contiene {value}, pero este tipo de indicador deja esa columna en negro (sin datos). Bórrelo o revise el indicador.",
         "R4V submission template: Indicator_type sheet, black cells by type",
         (SUBMISSIONS,)),
    Rule("target_population_types_mismatch", FINDING,
         "Row {row}: the population types add up to {value}, not to the total target. Correct the breakdown.",
         "Fila {row}: los tipos de población suman {value}, no la meta total. Corrija el desglose.",
         "R4V submission QA: DirectAssistPopType",
         (SUBMISSIONS,)),
    Rule("target_age_gender_mismatch", FINDING,
         "Row {row}: the age/gender cells add up to {value}, not to the total target. Correct the breakdown.",
         "Fila {row}: las celdas de edad y género suman {value}, no la meta total. Corrija el desglose.",
         "R4V submission QA: DirectAssistAGD",
         (SUBMISSIONS,)),
    Rule("target_above_pin", FINDING,
         "Row {row}: the {column} targets of all activities for this country and sector add up to {value}: more than the people in need. Check the target with your platform.",
         "Fila {row}: las metas de {column} de todas las actividades de este país y sector suman {value}: más que las personas con necesidades. Revise la meta con su plataforma.",
         "R4V target check against PiN per sector and population type (CAM_activities_target_check.R, docs/domain.md §2.1)",
         (SUBMISSIONS,)),
]

# ---- published key-figures workbook: rejects (the reader writes each cell's message) ------------
_KEY_FIGURES_REJECTS = [
    Rule("language_unknown", REJECT,
         "source sheet: 'language' missing or not es/pt/en",
         "la hoja `source` no tiene `language`, o no es es, pt ni en",
         "docs/input-rules.md §10: every number of the workbook is read in the one language its source sheet gives",
         (KEY_FIGURES,)),
    Rule("plan_year_unreadable", REJECT,
         "plan_year is not a four-digit year (required in key_figures, optional in other_figures)",
         "el año del plan no es un año de cuatro dígitos (obligatorio en key_figures, opcional en other_figures)",
         "docs/data_dictionary.md, Published key figures: sheets key_figures and other_figures",
         (KEY_FIGURES,)),
    Rule("platform_unknown", REJECT,
         "platform is not an R4V platform name (English) or 'Regional'",
         "no es un nombre de plataforma de R4V (en inglés) ni 'Regional'",
         "R4V platforms (docs/domain.md §1.1); docs/data_dictionary.md, Published key figures",
         (KEY_FIGURES,)),
    Rule("sector_missing", REJECT,
         "sector is empty",
         "el sector está vacío",
         "RMRP key figures are given per sector (docs/domain.md §2.1); docs/data_dictionary.md, Published key figures",
         (KEY_FIGURES,)),
    Rule("measure_unknown", REJECT,
         "measure is not one of the other_figures measures",
         "no es una de las medidas de other_figures",
         "docs/data_dictionary.md, Published key figures: sheet other_figures",
         (KEY_FIGURES,)),
    Rule("age_gender_invalid", REJECT,
         "age_gender missing where required, not women/men/girls/boys, or given where not allowed",
         "falta edad/género donde se necesita, no es women/men/girls/boys, o aparece donde no se admite",
         "R4V age/gender groups (docs/domain.md §1.4); docs/data_dictionary.md, Published key figures: sheet other_figures",
         (KEY_FIGURES,)),
    Rule("duplicate_row", REJECT,
         "a second row for the same plan year, platform, sector (and measure, age_gender)",
         "una segunda fila para el mismo año del plan, plataforma, sector (y medida, edad/género)",
         "docs/input-rules.md §10: a published figure is loaded once; copies are not guessed between",
         (KEY_FIGURES,)),
    Rule("value_missing", REJECT,
         "the figure cell is empty",
         "la celda de la cifra está vacía",
         "docs/input-rules.md §10: every figure is the text as printed, or 'not published'",
         (KEY_FIGURES,)),
    Rule("cell_not_text", REJECT,
         "a figure cell holding a number (or date) instead of the text as printed",
         "la celda de la cifra tiene un número (o una fecha) en lugar del texto publicado",
         "docs/input-rules.md §10: every figure is text, exactly as printed",
         (KEY_FIGURES,)),
    Rule("number_unreadable", REJECT,
         "the text is not a published number in the file's locale",
         "el texto no es una cifra publicada en el idioma del archivo",
         "docs/input-rules.md §10: the accepted forms of a printed number",
         (KEY_FIGURES,)),
    Rule("locale_unknown", REJECT,
         "the number depends on the decimal separator and the file's locale is unknown",
         "la cifra depende del separador decimal y el idioma del archivo es desconocido",
         "docs/input-rules.md §10: the decimal separator comes from the workbook's language, never guessed per cell",
         (KEY_FIGURES,)),
    Rule("unit_mismatch", REJECT,
         "the number's unit ($, %, plain) does not fit the measure",
         "la unidad de la cifra ($, %, número sin más) no corresponde a la medida",
         "docs/data_dictionary.md, Published key figures: the unit of each measure",
         (KEY_FIGURES,)),
    Rule("count_not_whole", REJECT,
         "a count of persons or organisations that is not a whole number",
         "un número de personas u organizaciones que no es entero",
         "RMRP key figures: people in need, people targeted and partners are counts (docs/domain.md §2.1)",
         (KEY_FIGURES,)),
    Rule("fraction_above_one", REJECT,
         "a share above 100%",
         "una proporción mayor que 100%",
         "docs/data_dictionary.md, Published key figures: shares are fractions between 0 and 1",
         (KEY_FIGURES,)),
    Rule("nothing_published", REJECT,
         "a key_figures row whose every figure is marked 'not published'",
         "una fila de key_figures cuyas cifras están todas marcadas 'no publicado'",
         "docs/data_dictionary.md, A figure that is not published",
         (KEY_FIGURES,)),
]


def _index(declared: list[Rule]) -> dict[str, Rule]:
    """rule id -> rule, after checking that ids are unique and severities and inputs known."""
    index: dict[str, Rule] = {}
    for rule in declared:
        assert rule.rule_id not in index, f"rule {rule.rule_id} declared twice"
        assert rule.severity in (REJECT, FINDING), f"rule {rule.rule_id}: unknown severity {rule.severity}"
        assert rule.applies_to and set(rule.applies_to) <= set(INPUTS), f"rule {rule.rule_id}: unknown input"
        index[rule.rule_id] = rule
    return index


#: The row rules (every input but the published key figures' rejects), in the order of the docs.
RULES: dict[str, Rule] = _index(_ROW_RULES)
#: The rejects of the published key-figures workbook (their ids may be row rules' ids too).
KEY_FIGURES_REJECTS: dict[str, Rule] = _index(_KEY_FIGURES_REJECTS)


def rules_for(source: str) -> dict[str, Rule]:
    """The rules that apply to input ``source`` (a key of :data:`INPUTS`): rule id -> rule."""
    if source not in INPUTS:
        raise KeyError(f"unknown input {source!r}; one of {', '.join(INPUTS)}")
    return _index([rule for rule in (*_ROW_RULES, *_KEY_FIGURES_REJECTS) if source in rule.applies_to])


#: Characters of a cell's value a message quotes (the rest cut, marked with "…"; the issue's value
#: column holds it whole): a cell may hold 32,767, as many as a workbook cell takes, and the message
#: must still fit one and name the column and what to do.
QUOTED_CHARS = 200


def message(rule_id: str, *, row: int, column: str, value: object, language: str = "en") -> str:
    """The partner-facing message of row rule ``rule_id`` for one failing cell. A value None is
    a cell that is not quoted (free text): ``'{value}'`` is left out of the message; a longer
    value than QUOTED_CHARS is quoted by its start."""
    rule = RULES[rule_id]
    template = rule.message_es if language == "es" else rule.message_en
    if value is None:
        template = template.replace(" '{value}'", "")
    elif language == "es" and rule.value_words_es:
        words = dict(rule.value_words_es)
        value = ", ".join(words.get(part, part) for part in str(value).split(", "))
    if value is not None and len(str(value)) > QUOTED_CHARS:
        value = str(value)[: QUOTED_CHARS - 1] + "…"
    return template.format(row=row, column=column, value="" if value is None else value)
