CREATE TABLE IF NOT EXISTS meta.cycle_revisions (
    cycle VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    figure_key VARCHAR NOT NULL,
    platform VARCHAR,
    country_iso3 VARCHAR,
    column_name VARCHAR,
    change VARCHAR NOT NULL,
    frozen_value VARCHAR,
    current_value VARCHAR,
    difference DOUBLE,
    reasons VARCHAR,
    found_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE meta.cycle_revisions IS 'What the current raw data would change in the figures of a frozen reporting cycle (meta.cycle_freezes): one row per figure (a column of one row of a table filled cycle by cycle) whose value would differ, and one per row that would appear or disappear. The tables keep the frozen figures; unfreezing the cycle and running applies these changes and empties the cycle''s rows here. Rewritten for each cycle by every run. See docs/freeze.md.';
COMMENT ON COLUMN meta.cycle_revisions.cycle IS 'The frozen reporting cycle: YYYY-H1 or YYYY-H2.';
COMMENT ON COLUMN meta.cycle_revisions.table_name IS 'The table of the figure (schema.table), e.g. marts.cycle_people_reached.';
COMMENT ON COLUMN meta.cycle_revisions.figure_key IS 'The row of the figure in that table: its key columns as name=value, comma-separated, empty ones left out (e.g. level=regional, platform=Regional, admin1=Regional level, subsector=Intersector).';
COMMENT ON COLUMN meta.cycle_revisions.platform IS 'Platform of the row (Regional on regional rows).';
COMMENT ON COLUMN meta.cycle_revisions.country_iso3 IS 'ISO3 code of the row''s country; NULL on platform and regional rows.';
COMMENT ON COLUMN meta.cycle_revisions.column_name IS 'The column of the figure; NULL when the whole row would appear or disappear.';
COMMENT ON COLUMN meta.cycle_revisions.change IS 'changed (the figure would take current_value), added (the current data gives a row the frozen cycle lacks) or removed (a frozen row the current data no longer gives).';
COMMENT ON COLUMN meta.cycle_revisions.frozen_value IS 'The figure as frozen (published), as text; NULL when added or empty.';
COMMENT ON COLUMN meta.cycle_revisions.current_value IS 'The figure the current data gives, as text; NULL when removed or empty.';
COMMENT ON COLUMN meta.cycle_revisions.difference IS 'current minus frozen, for numbers; NULL otherwise.';
COMMENT ON COLUMN meta.cycle_revisions.reasons IS 'Why, where the 5W files of the cycle''s months tell it, for the row''s country (its platform''s countries, every country on regional rows), against the files frozen (meta.cycle_freezes.frozen_inputs): late reports (a file new since the freeze), corrections (a file whose bytes changed), superseded (a file gone and another new), withdrawn (a file gone), rows now rejected; and, for every row, a people-reached option (RMRP activities only or every row) other than the frozen figures''. NULL when neither the 5W files nor that option changed there (planning figures, reference lists, other configuration or the pipeline did).';
COMMENT ON COLUMN meta.cycle_revisions.found_at IS 'When the run that found the change ran, UTC.';
