CREATE OR REPLACE TABLE staging.ref_planning_proportions (
    source_file VARCHAR,
    source_sheet VARCHAR,
    source_row BIGINT,
    template_id VARCHAR,
    plan_year INTEGER,
    basis VARCHAR,
    country_raw VARCHAR,
    country VARCHAR,
    country_iso3 VARCHAR,
    admin1 VARCHAR,
    sector_raw VARCHAR,
    sector VARCHAR,
    all_girls DOUBLE,
    all_boys DOUBLE,
    all_women DOUBLE,
    all_men DOUBLE,
    in_destination_girls DOUBLE,
    in_destination_boys DOUBLE,
    in_destination_women DOUBLE,
    in_destination_men DOUBLE,
    in_transit_girls DOUBLE,
    in_transit_boys DOUBLE,
    in_transit_women DOUBLE,
    in_transit_men DOUBLE,
    host_community_girls DOUBLE,
    host_community_boys DOUBLE,
    host_community_women DOUBLE,
    host_community_men DOUBLE,
    pendular_girls DOUBLE,
    pendular_boys DOUBLE,
    pendular_women DOUBLE,
    pendular_men DOUBLE,
    returnees_girls DOUBLE,
    returnees_boys DOUBLE,
    returnees_women DOUBLE,
    returnees_men DOUBLE,
    is_rejected BOOLEAN
);
COMMENT ON TABLE staging.ref_planning_proportions IS 'Age/gender proportions of PiN and target per country, admin1 and subsector (R4V Proportions.xlsx): reference data of the maxsector consolidation model (domain.md section 3.4).';
COMMENT ON COLUMN staging.ref_planning_proportions.source_file IS 'File the row comes from.';
COMMENT ON COLUMN staging.ref_planning_proportions.source_sheet IS 'Sheet the row comes from (pinproportions or targetproportions).';
COMMENT ON COLUMN staging.ref_planning_proportions.source_row IS 'Excel row number (1-based).';
COMMENT ON COLUMN staging.ref_planning_proportions.template_id IS 'Template the sheet was recognised as.';
COMMENT ON COLUMN staging.ref_planning_proportions.plan_year IS 'Plan year of the proportions.';
COMMENT ON COLUMN staging.ref_planning_proportions.basis IS 'pin or target: whose age/gender split the row gives. Taken from the sheet name, the only thing that tells the two sheets apart (same columns); NULL when the name says neither.';
COMMENT ON COLUMN staging.ref_planning_proportions.country_raw IS 'Country as written.';
COMMENT ON COLUMN staging.ref_planning_proportions.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.ref_planning_proportions.country_iso3 IS 'ISO 3166-1 alpha-3 code.';
COMMENT ON COLUMN staging.ref_planning_proportions.admin1 IS 'Admin1 as written.';
COMMENT ON COLUMN staging.ref_planning_proportions.sector_raw IS 'Subsector as written.';
COMMENT ON COLUMN staging.ref_planning_proportions.sector IS 'R4V sector or subsector (English name).';
COMMENT ON COLUMN staging.ref_planning_proportions.all_girls IS 'Share of girls (under 18) among all population types, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.all_boys IS 'Share of boys (under 18) among all population types, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.all_women IS 'Share of women (18 and over) among all population types, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.all_men IS 'Share of men (18 and over) among all population types, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.in_destination_girls IS 'Share of girls (under 18) among refugees and migrants in destination, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.in_destination_boys IS 'Share of boys (under 18) among refugees and migrants in destination, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.in_destination_women IS 'Share of women (18 and over) among refugees and migrants in destination, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.in_destination_men IS 'Share of men (18 and over) among refugees and migrants in destination, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.in_transit_girls IS 'Share of girls (under 18) among refugees and migrants in transit, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.in_transit_boys IS 'Share of boys (under 18) among refugees and migrants in transit, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.in_transit_women IS 'Share of women (18 and over) among refugees and migrants in transit, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.in_transit_men IS 'Share of men (18 and over) among refugees and migrants in transit, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.host_community_girls IS 'Share of girls (under 18) among host communities, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.host_community_boys IS 'Share of boys (under 18) among host communities, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.host_community_women IS 'Share of women (18 and over) among host communities, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.host_community_men IS 'Share of men (18 and over) among host communities, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.pendular_girls IS 'Share of girls (under 18) among pendular refugees and migrants, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.pendular_boys IS 'Share of boys (under 18) among pendular refugees and migrants, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.pendular_women IS 'Share of women (18 and over) among pendular refugees and migrants, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.pendular_men IS 'Share of men (18 and over) among pendular refugees and migrants, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.returnees_girls IS 'Share of girls (under 18) among Colombian returnees, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.returnees_boys IS 'Share of boys (under 18) among Colombian returnees, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.returnees_women IS 'Share of women (18 and over) among Colombian returnees, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.returnees_men IS 'Share of men (18 and over) among Colombian returnees, a fraction in [0, 1]; NULL where blank.';
COMMENT ON COLUMN staging.ref_planning_proportions.is_rejected IS 'TRUE when the row could not be read with certainty (see meta.rejected_rows).';
