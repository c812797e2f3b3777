"""The canonical 5W columns (``staging.stg_5w__activities``): counts, amounts, Yes/No and text
columns, and the staged column order. Column meanings: docs/data_dictionary.md."""

from __future__ import annotations

POPULATION_TYPES = ["in_destination", "in_transit", "host_community", "pendular", "returnees"]



AGE_GENDER = ["girls", "boys", "women", "men", "other_under_18", "other_above_18"]



COUNT_COLUMNS = ["total_monthly", "new_beneficiaries", *POPULATION_TYPES, *AGE_GENDER]



AMOUNT_COLUMNS = ["value_usd", "quantity_output"]



YES_NO_COLUMNS = ["implementation", "rmrp_activity", "cva", "covid19", "support_space_activity"]



TEXT_COLUMNS = [
    "country", "admin1", "admin2", "appealing_org", "implementing_partner", "subsector", "indicator",
    "activity_name", "activity_description", "delivery_mechanism",
]



#: Columns of ``staging.stg_5w__activities`` in order (see warehouse/sql/ddl).
STAGED_COLUMNS = [
    "source_file", "source_sheet", "source_row", "template_id", "month", "country_raw", "country",
    "country_iso3", "platform", "admin1", "admin1_listed", "admin2", "appealing_org", "appealing_org_id", "implementation",
    "implementing_partner", "implementing_partner_id", "subsector", "sector", "indicator", "indicator_code",
    "indicator_type", "counts_as_reached", "activity_name", "activity_description", "covid19",
    "rmrp_activity", "support_space_activity", "cva", "value_usd", "delivery_mechanism",
    "quantity_output", *COUNT_COLUMNS, "is_rejected",
]



RAW_COLUMNS = [*TEXT_COLUMNS, *YES_NO_COLUMNS, *COUNT_COLUMNS, *AMOUNT_COLUMNS, "month"]

