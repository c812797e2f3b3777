CREATE OR REPLACE TABLE staging.stg_planning__submissions (
    source_file VARCHAR,
    source_sheet VARCHAR,
    source_row BIGINT,
    template_id VARCHAR,
    language VARCHAR,
    plan_year INTEGER,
    country_raw VARCHAR,
    country VARCHAR,
    country_iso3 VARCHAR,
    platform VARCHAR,
    level VARCHAR,
    admin1 VARCHAR,
    organisation VARCHAR,
    organisation_id VARCHAR,
    organisation_key VARCHAR,
    sector_raw VARCHAR,
    sector VARCHAR,
    indicator VARCHAR,
    indicator_code VARCHAR,
    indicator_type_raw VARCHAR,
    indicator_type VARCHAR,
    activity_name VARCHAR,
    activity_description VARCHAR,
    budget_inkind_usd DECIMAL(18,2),
    budget_cva_usd DECIMAL(18,2),
    budget_total_usd DECIMAL(18,2),
    in_destination BIGINT,
    in_transit BIGINT,
    host_community BIGINT,
    pendular BIGINT,
    returnees BIGINT,
    girls BIGINT,
    boys BIGINT,
    women BIGINT,
    men BIGINT,
    total_target BIGINT,
    output DOUBLE,
    is_rejected BOOLEAN
);
COMMENT ON TABLE staging.stg_planning__submissions IS 'Every row of the appealing organisations'' activity submissions (RMRP 2023-2024 template), canonical columns, typed, with lineage; rejected rows flagged. Quality findings in meta.quality_findings.';
COMMENT ON COLUMN staging.stg_planning__submissions.source_file IS 'File the row comes from (relative to the raw folder).';
COMMENT ON COLUMN staging.stg_planning__submissions.source_sheet IS 'Sheet the row comes from.';
COMMENT ON COLUMN staging.stg_planning__submissions.source_row IS 'Excel row number of the row (1-based, header included).';
COMMENT ON COLUMN staging.stg_planning__submissions.template_id IS 'Submission template version the sheet was recognised as.';
COMMENT ON COLUMN staging.stg_planning__submissions.language IS 'Language of the values of the sheet (en or es, from its sector names): the language of its QA workbook.';
COMMENT ON COLUMN staging.stg_planning__submissions.plan_year IS 'Year of the activity (a year of the plan: 2023 or 2024 for the 2023-2024 plan).';
COMMENT ON COLUMN staging.stg_planning__submissions.country_raw IS 'Country as written.';
COMMENT ON COLUMN staging.stg_planning__submissions.country IS 'R4V country name (English), or Regional for regional-level activities.';
COMMENT ON COLUMN staging.stg_planning__submissions.country_iso3 IS 'ISO 3166-1 alpha-3 code (NULL for Regional).';
COMMENT ON COLUMN staging.stg_planning__submissions.platform IS 'R4V platform of the country, or Regional.';
COMMENT ON COLUMN staging.stg_planning__submissions.level IS 'admin1, country (admin1 written Country level) or regional (the pseudo-country Regional).';
COMMENT ON COLUMN staging.stg_planning__submissions.admin1 IS 'Admin1 as written.';
COMMENT ON COLUMN staging.stg_planning__submissions.organisation IS 'Appealing organisation as written.';
COMMENT ON COLUMN staging.stg_planning__submissions.organisation_id IS 'R4V id of the organisation (ORGnnn); NULL when not in the list (or the New organisation placeholder).';
COMMENT ON COLUMN staging.stg_planning__submissions.organisation_key IS 'The organisation for counting partners: its R4V id, else name:<normalised name>.';
COMMENT ON COLUMN staging.stg_planning__submissions.sector_raw IS 'Sector, subsector or working group as written (English or Spanish).';
COMMENT ON COLUMN staging.stg_planning__submissions.sector IS 'R4V sector or subsector (English name).';
COMMENT ON COLUMN staging.stg_planning__submissions.indicator IS 'Indicator as written.';
COMMENT ON COLUMN staging.stg_planning__submissions.indicator_code IS 'Code of the indicator in the plan''s registry (e.g. RE-PRHT3); NULL when the sector and indicator do not match the registry.';
COMMENT ON COLUMN staging.stg_planning__submissions.indicator_type_raw IS 'Indicator type as written (English or Spanish).';
COMMENT ON COLUMN staging.stg_planning__submissions.indicator_type IS 'Indicator type in English: the registry''s type of the indicator when found, else the type written (Direct Assistance counts toward people targeted).';
COMMENT ON COLUMN staging.stg_planning__submissions.activity_name IS 'Activity name (free text), personal data masked ([e-mail], [ID number], [phone], [name]; finding personal_data_in_free_text): never copied into reports (docs/data-protection.md).';
COMMENT ON COLUMN staging.stg_planning__submissions.activity_description IS 'Activity description (free text), personal data masked as in activity_name: never copied into reports.';
COMMENT ON COLUMN staging.stg_planning__submissions.budget_inkind_usd IS 'In-kind and all programming costs, USD.';
COMMENT ON COLUMN staging.stg_planning__submissions.budget_cva_usd IS 'Cash and voucher assistance (value of transfers), USD.';
COMMENT ON COLUMN staging.stg_planning__submissions.budget_total_usd IS 'Total budget requirement as written, USD (should be in-kind + CVA: see budget_total_mismatch).';
COMMENT ON COLUMN staging.stg_planning__submissions.in_destination IS 'Target, persons: refugees and migrants from Venezuela in destination.';
COMMENT ON COLUMN staging.stg_planning__submissions.in_transit IS 'Target, persons: refugees and migrants from Venezuela in transit.';
COMMENT ON COLUMN staging.stg_planning__submissions.host_community IS 'Target, persons: host communities.';
COMMENT ON COLUMN staging.stg_planning__submissions.pendular IS 'Target, persons: pendular refugees and migrants.';
COMMENT ON COLUMN staging.stg_planning__submissions.returnees IS 'Target, persons: returnees.';
COMMENT ON COLUMN staging.stg_planning__submissions.girls IS 'Target, persons: girls (under 18).';
COMMENT ON COLUMN staging.stg_planning__submissions.boys IS 'Target, persons: boys (under 18).';
COMMENT ON COLUMN staging.stg_planning__submissions.women IS 'Target, persons: women (18 and over).';
COMMENT ON COLUMN staging.stg_planning__submissions.men IS 'Target, persons: men (18 and over).';
COMMENT ON COLUMN staging.stg_planning__submissions.total_target IS 'Total target (people: refugees, migrants or host communities), persons.';
COMMENT ON COLUMN staging.stg_planning__submissions.output IS 'Total output (things, not people: sessions, mechanisms, items...).';
COMMENT ON COLUMN staging.stg_planning__submissions.is_rejected IS 'TRUE when the row could not be read with certainty (see meta.rejected_rows); such rows are not in marts.fct_planning_figures.';
