"""The words of the sector page in English, Spanish and Portuguese: headings and labels as R4V
prints them (the Spanish ones are those of the RMRP 2023-2024 Trafficking & Smuggling page), and
the footnotes of published figures that do not add up (``meta.reconciliation``), one template per
check. Placeholders: ``{year}``, ``{published}`` (as printed), ``{computed}``, ``{low}``, ``{high}``
(formatted in the page's language), ``{reason}``, ``{explanation}`` (English, from the warehouse)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "es": {
        "people_in_need": "PERSONAS CON NECESIDADES", "people_targeted": "POBLACIÓN META",
        "share_of_total_pin": "PORCENTAJE DE PIN", "target_share_of_pin": "PORCENTAJE DE META SOBRE PIN",
        "requirements_usd": "REQUERIMIENTOS TOTALES", "partners": "SOCIOS DEL RMRP",
        "sector_leads": "LÍDERES DEL SECTOR", "by_platform": "CIFRAS CLAVE POR PLATAFORMA",
        "col_pin": "PiN", "col_target": "Meta", "col_share": "Meta/PiN", "col_requirements": "Requerimientos",
        "col_partners": "Socios", "platform": "Plataforma", "target": "Meta",
        "men": "Hombres", "women": "Mujeres", "boys": "Niños", "girls": "Niñas",
        "chart_pin_target": "PiN y población meta por plataforma",
        "reached": "PERSONAS ALCANZADAS", "reached_col": "Alcanzadas", "reached_of_target": "% de la meta",
        "reached_of_pin": "% del PiN", "reached_by_month": "Personas alcanzadas por mes (acumulado, sin doble conteo)",
        "cycle_months": "Datos 5W de {first} a {last} ({months} de {expected} meses).",
        "incomplete": "Ciclo incompleto: los datos terminan antes de {end}; las cifras subestiman el ciclo.",
        "computed": "Cifra calculada a partir de las tablas de PiN y meta de R4V (no publicada).",
        "notes": "NOTAS", "source": "Fuente: R4V, RMRP; cifras del almacén de datos RMRP ({tables}).",
        "reason_persons": "las personas en tránsito cruzan varios países y a nivel regional se cuentan una sola vez",
        "reason_partners": "una organización presente en varias plataformas cuenta una sola vez a nivel regional",
    },
    "en": {
        "people_in_need": "PEOPLE IN NEED", "people_targeted": "PEOPLE TARGETED",
        "share_of_total_pin": "SHARE OF PIN", "target_share_of_pin": "TARGET AS SHARE OF PIN",
        "requirements_usd": "TOTAL REQUIREMENTS", "partners": "RMRP PARTNERS",
        "sector_leads": "SECTOR LEADS", "by_platform": "KEY FIGURES BY PLATFORM",
        "col_pin": "PiN", "col_target": "Target", "col_share": "Target/PiN", "col_requirements": "Requirements",
        "col_partners": "Partners", "platform": "Platform", "target": "Target",
        "men": "Men", "women": "Women", "boys": "Boys", "girls": "Girls",
        "chart_pin_target": "PiN and people targeted by platform",
        "reached": "PEOPLE REACHED", "reached_col": "Reached", "reached_of_target": "% of target",
        "reached_of_pin": "% of PiN", "reached_by_month": "People reached by month (cumulative, without double counting)",
        "cycle_months": "5W data from {first} to {last} ({months} of {expected} months).",
        "incomplete": "Incomplete cycle: the data stop before {end}; the figures understate the cycle.",
        "computed": "Computed from R4V's PiN and target tables (not published).",
        "notes": "NOTES", "source": "Source: R4V, RMRP; figures from the RMRP data warehouse ({tables}).",
        "reason_persons": "people in transit cross several countries and are counted once at regional level",
        "reason_partners": "an organisation appealing in several platforms counts once at regional level",
    },
    "pt": {
        "people_in_need": "PESSOAS COM NECESSIDADES", "people_targeted": "POPULAÇÃO-ALVO",
        "share_of_total_pin": "PORCENTAGEM DO PIN", "target_share_of_pin": "PORCENTAGEM DA META SOBRE O PIN",
        "requirements_usd": "REQUISITOS FINANCEIROS TOTAIS", "partners": "PARCEIROS DO RMRP",
        "sector_leads": "LÍDERES DO SETOR", "by_platform": "NÚMEROS-CHAVE POR PLATAFORMA",
        "col_pin": "PiN", "col_target": "Meta", "col_share": "Meta/PiN", "col_requirements": "Requisitos",
        "col_partners": "Parceiros", "platform": "Plataforma", "target": "Meta",
        "men": "Homens", "women": "Mulheres", "boys": "Meninos", "girls": "Meninas",
        "chart_pin_target": "PiN e população-alvo por plataforma",
        "reached": "PESSOAS ALCANÇADAS", "reached_col": "Alcançadas", "reached_of_target": "% da meta",
        "reached_of_pin": "% do PiN", "reached_by_month": "Pessoas alcançadas por mês (acumulado, sem dupla contagem)",
        "cycle_months": "Dados 5W de {first} a {last} ({months} de {expected} meses).",
        "incomplete": "Ciclo incompleto: os dados terminam antes de {end}; os números subestimam o ciclo.",
        "computed": "Calculado a partir das tabelas de PiN e meta da R4V (não publicado).",
        "notes": "NOTAS", "source": "Fonte: R4V, RMRP; números do armazém de dados RMRP ({tables}).",
        "reason_persons": "as pessoas em trânsito cruzam vários países e contam uma só vez no nível regional",
        "reason_partners": "uma organização presente em várias plataformas conta uma só vez no nível regional",
    },
}

#: check_name -> language -> (what the note says once, what it says per year): the note of a
#: figure is ``"{once} {year part}; {year part}."`` (module doc for the placeholders).
NOTES: dict[str, dict[str, tuple[str, str]]] = {
    "target_share_vs_parts": {
        "es": ("El porcentaje publicado no resulta de la meta y el PiN publicados:", "{year}: {published} publicado, meta / PiN = {low}–{high}"),
        "en": ("The published share does not follow from the published target and PiN:", "{year}: {published} published, target / PiN = {low}–{high}"),
        "pt": ("A porcentagem publicada não resulta da meta e do PiN publicados:", "{year}: {published} publicado, meta / PiN = {low}–{high}"),
    },
    "regional_vs_platform_sum": {
        "es": ("La cifra regional no es la suma de las plataformas: {reason}.", "{year}: {published} frente a {computed}"),
        "en": ("The regional figure is not the sum of the platforms: {reason}.", "{year}: {published} against {computed}"),
        "pt": ("O número regional não é a soma das plataformas: {reason}.", "{year}: {published} contra {computed}"),
    },
    "regional_level_requirements": {
        "es": ("Incluye actividades de alcance regional (el total menos la suma de las plataformas):", "{year}: {computed} de {published}"),
        "en": ("Includes regional-level activities (the total minus the sum of the platforms):", "{year}: {computed} of {published}"),
        "pt": ("Inclui atividades de alcance regional (o total menos a soma das plataformas):", "{year}: {computed} de {published}"),
    },
    "share_of_total_pin_denominator": {
        "es": ("R4V no indica sobre qué total se calcula este porcentaje; cifra publicada, sin verificar:", "{year}: {published}"),
        "en": ("R4V does not state which total this share is taken of; published, not verified:", "{year}: {published}"),
        "pt": ("A R4V não indica sobre qual total se calcula esta porcentagem; número publicado, não verificado:", "{year}: {published}"),
    },
    "missing_parts": {
        "es": ("No puede comprobarse: faltan sus partes.", "{year}: {published}"),
        "en": ("Cannot be checked: its parts are missing.", "{year}: {published}"),
        "pt": ("Não pode ser verificado: faltam as suas partes.", "{year}: {published}"),
    },
    "other": {
        "es": ("", "{year}: {explanation}"), "en": ("", "{year}: {explanation}"), "pt": ("", "{year}: {explanation}"),
    },
}

#: The words before a note of a figure that contradicts its parts (status inconsistent).
CONTRADICTS = {"es": "No cuadra.", "en": "Does not add up.", "pt": "Não confere."}
