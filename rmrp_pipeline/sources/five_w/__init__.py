"""Monthly 5W activity reports: canonical columns, staging, the R4V quality checks and the PiN outlier step."""
