"""Files to recognised sheets: the raw folder, workbooks and CSV read with row numbers, templates by their columns."""
