CREATE OR REPLACE TABLE staging.stg_planning__pin_target (
    source_file VARCHAR,
    source_sheet VARCHAR,
    source_row BIGINT,
    template_id VARCHAR,
    plan_year INTEGER,
    measure VARCHAR,
    platform_raw VARCHAR,
    platform VARCHAR,
    country_raw VARCHAR,
    country VARCHAR,
    country_iso3 VARCHAR,
    admin1_raw VARCHAR,
    admin1 VARCHAR,
    level VARCHAR,
    sector_raw VARCHAR,
    sector VARCHAR,
    all_all DOUBLE,
    all_girls DOUBLE,
    all_boys DOUBLE,
    all_women DOUBLE,
    all_men DOUBLE,
    in_destination_all DOUBLE,
    in_destination_girls DOUBLE,
    in_destination_boys DOUBLE,
    in_destination_women DOUBLE,
    in_destination_men DOUBLE,
    in_transit_all DOUBLE,
    in_transit_girls DOUBLE,
    in_transit_boys DOUBLE,
    in_transit_women DOUBLE,
    in_transit_men DOUBLE,
    host_community_all DOUBLE,
    host_community_girls DOUBLE,
    host_community_boys DOUBLE,
    host_community_women DOUBLE,
    host_community_men DOUBLE,
    pendular_all DOUBLE,
    pendular_girls DOUBLE,
    pendular_boys DOUBLE,
    pendular_women DOUBLE,
    pendular_men DOUBLE,
    returnees_all DOUBLE,
    returnees_girls DOUBLE,
    returnees_boys DOUBLE,
    returnees_women DOUBLE,
    returnees_men DOUBLE,
    is_rejected BOOLEAN
);
COMMENT ON TABLE staging.stg_planning__pin_target IS 'Every row of the PiN and target tables (R4V layout: platform x country x admin1, with Country level rows, x subsector, with Intersector), one column per population type x age/gender, typed, with lineage; rejected rows flagged.';
COMMENT ON COLUMN staging.stg_planning__pin_target.source_file IS 'File the row comes from (relative to the raw folder).';
COMMENT ON COLUMN staging.stg_planning__pin_target.source_sheet IS 'Sheet the row comes from.';
COMMENT ON COLUMN staging.stg_planning__pin_target.source_row IS 'Excel row number of the row (1-based, header included).';
COMMENT ON COLUMN staging.stg_planning__pin_target.template_id IS 'Template the sheet was recognised as (pin_2022, target_2022).';
COMMENT ON COLUMN staging.stg_planning__pin_target.plan_year IS 'Plan year of the table.';
COMMENT ON COLUMN staging.stg_planning__pin_target.measure IS 'people_in_need or people_targeted.';
COMMENT ON COLUMN staging.stg_planning__pin_target.platform_raw IS 'Platform as written.';
COMMENT ON COLUMN staging.stg_planning__pin_target.platform IS 'R4V platform (English name); NULL when not one.';
COMMENT ON COLUMN staging.stg_planning__pin_target.country_raw IS 'Country as written.';
COMMENT ON COLUMN staging.stg_planning__pin_target.country IS 'R4V country name (English).';
COMMENT ON COLUMN staging.stg_planning__pin_target.country_iso3 IS 'ISO 3166-1 alpha-3 code of the country.';
COMMENT ON COLUMN staging.stg_planning__pin_target.admin1_raw IS 'Admin1 as written (Country level for the national row).';
COMMENT ON COLUMN staging.stg_planning__pin_target.admin1 IS 'Admin1 as written; NULL on Country level rows. Kept as given: R4V''s 2022 table has units in no admin1 list (Other).';
COMMENT ON COLUMN staging.stg_planning__pin_target.level IS 'country for the Country level row (the national figure, stored as given, not the sum of the admin1 rows), else admin1.';
COMMENT ON COLUMN staging.stg_planning__pin_target.sector_raw IS 'Subsector as written.';
COMMENT ON COLUMN staging.stg_planning__pin_target.sector IS 'R4V sector or subsector (English name), or Intersector (people counted once across sectors).';
COMMENT ON COLUMN staging.stg_planning__pin_target.all_all IS 'Persons: all population types, all ages and genders. NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.all_girls IS 'Persons: all population types, girls (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.all_boys IS 'Persons: all population types, boys (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.all_women IS 'Persons: all population types, women (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.all_men IS 'Persons: all population types, men (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.in_destination_all IS 'Persons: refugees and migrants in destination, all ages and genders. NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.in_destination_girls IS 'Persons: refugees and migrants in destination, girls (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.in_destination_boys IS 'Persons: refugees and migrants in destination, boys (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.in_destination_women IS 'Persons: refugees and migrants in destination, women (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.in_destination_men IS 'Persons: refugees and migrants in destination, men (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.in_transit_all IS 'Persons: refugees and migrants in transit, all ages and genders. NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.in_transit_girls IS 'Persons: refugees and migrants in transit, girls (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.in_transit_boys IS 'Persons: refugees and migrants in transit, boys (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.in_transit_women IS 'Persons: refugees and migrants in transit, women (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.in_transit_men IS 'Persons: refugees and migrants in transit, men (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.host_community_all IS 'Persons: host communities, all ages and genders. NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.host_community_girls IS 'Persons: host communities, girls (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.host_community_boys IS 'Persons: host communities, boys (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.host_community_women IS 'Persons: host communities, women (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.host_community_men IS 'Persons: host communities, men (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.pendular_all IS 'Persons: pendular refugees and migrants, all ages and genders. NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.pendular_girls IS 'Persons: pendular refugees and migrants, girls (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.pendular_boys IS 'Persons: pendular refugees and migrants, boys (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.pendular_women IS 'Persons: pendular refugees and migrants, women (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.pendular_men IS 'Persons: pendular refugees and migrants, men (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.returnees_all IS 'Persons: Colombian returnees, all ages and genders. NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.returnees_girls IS 'Persons: Colombian returnees, girls (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.returnees_boys IS 'Persons: Colombian returnees, boys (under 18). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.returnees_women IS 'Persons: Colombian returnees, women (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.returnees_men IS 'Persons: Colombian returnees, men (18 and over). NULL where the cell is blank (not given).';
COMMENT ON COLUMN staging.stg_planning__pin_target.is_rejected IS 'TRUE when the row could not be read or attributed with certainty (see meta.rejected_rows); such rows are not in marts.fct_planning_figures.';
