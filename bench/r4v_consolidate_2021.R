# R4V's 2021 consolidation of the 5W export, as the baseline of bench/bench_real_job.py.
#
# A minimal equivalent of r4v_consolidated(totalmodel = "sum") in R/6_consolidated_report.R of
# response4venezuelans/r4v_app (R4V's 2021 app, commit 40b0ade): read the 5W export and the
# indicator list with readxl, join them, keep the PiN indicators, sum new beneficiaries and their
# breakdowns per country, month and sector (and the "All" total per country and month), join the
# monthly totals and CVA figures, and accumulate month by month per country and sector. Left out:
# the per-country and per-organisation filters (all rows kept), the other total models, the join
# with R4V's consolidated template (data/Consolidated_Template.xlsx, not public here), and the
# xlsx writer (writexl): the table is written as CSV with base R.
#
#   Rscript bench/r4v_consolidate_2021.R EXPORT.xlsx INDICATORS.xlsx OUTPUT.csv

suppressPackageStartupMessages({
  library(readxl)
  library(dplyr)
})

args <- commandArgs(trailingOnly = TRUE)
df <- read_excel(args[1])
dfindicator <- read_excel(args[2])

dfindicator2 <- df %>%
  left_join(dfindicator, by = c("Sector...Subsector...WG", "Indicator"))
pin <- dfindicator2 %>% filter(Indicator_Type == "Pin")
counts <- c("New.beneficiaries.of.the.month", "Refugees.and.Migrants.IN.DESTINATION",
            "Refugees.and.Migrants.IN.TRANSIT", "Host.Communities.Beneficiaries",
            "Refugees.and.Migrants.PENDULARS", "Colombian.Returnees", "Women.under.18",
            "Men.under.18", "Women.above.18", "Men.above.18")
# 1b_read_data_rmrp.R: empty counts are 0 before any sum
pin <- pin %>% mutate(across(all_of(c("Total.monthly.beneficiaries", counts)), ~ replace(., is.na(.), 0)))

monthlysectors <- pin %>%
  group_by(Country, Reporting.Month, Sector...Subsector...WG) %>%
  summarise(`Monthly Total Beneficiaries` = sum(Total.monthly.beneficiaries), .groups = "drop")
monthlysectorstotal <- monthlysectors %>%
  group_by(Country, Reporting.Month) %>%
  summarise(Sector...Subsector...WG = "All", `Monthly Total Beneficiaries` = sum(`Monthly Total Beneficiaries`),
            .groups = "drop")
monthlysectorCVA <- pin %>%
  filter(CVA == "Yes") %>%
  group_by(Country, Reporting.Month, Sector...Subsector...WG) %>%
  summarise(`Monthly CVA Beneficiaries` = sum(Total.monthly.beneficiaries), .groups = "drop")
monthlyCVAtotal <- monthlysectorCVA %>%
  group_by(Country, Reporting.Month) %>%
  summarise(Sector...Subsector...WG = "All", `Monthly CVA Beneficiaries` = sum(`Monthly CVA Beneficiaries`),
            .groups = "drop")
Monthly_benef <- bind_rows(monthlysectors, monthlysectorstotal) %>%
  full_join(bind_rows(monthlysectorCVA, monthlyCVAtotal),
            by = c("Country", "Reporting.Month", "Sector...Subsector...WG")) %>%
  mutate(`Monthly CVA Beneficiaries` = ifelse(is.na(`Monthly CVA Beneficiaries`), 0, `Monthly CVA Beneficiaries`))

New_beneficiaries <- pin %>%
  group_by(Country, Admin1, Reporting.Month, Sector...Subsector...WG) %>%
  summarise(across(all_of(counts), sum), .groups = "drop")
New_CVA <- pin %>%
  filter(CVA == "Yes") %>%
  group_by(Country, Admin1, Reporting.Month, Sector...Subsector...WG) %>%
  summarise(Monthly_CVA_Consolidated = sum(New.beneficiaries.of.the.month), .groups = "drop")
New_table <- New_beneficiaries %>%
  full_join(New_CVA, by = c("Country", "Admin1", "Reporting.Month", "Sector...Subsector...WG")) %>%
  mutate(Monthly_CVA_Consolidated = ifelse(is.na(Monthly_CVA_Consolidated), 0, Monthly_CVA_Consolidated))
sectors <- New_table %>%
  group_by(Country, Reporting.Month, Sector...Subsector...WG) %>%
  summarise(across(all_of(c(counts, "Monthly_CVA_Consolidated")), sum), .groups = "drop")
# totalmodel == "sum": every sector added up per country and month
total <- New_table %>%
  group_by(Country, Reporting.Month) %>%
  summarise(Sector...Subsector...WG = "All", across(all_of(c(counts, "Monthly_CVA_Consolidated")), sum),
            .groups = "drop")

Consolidated <- bind_rows(sectors, total) %>%
  full_join(Monthly_benef, by = c("Country", "Reporting.Month", "Sector...Subsector...WG")) %>%
  mutate(across(where(is.numeric), ~ replace(., is.na(.), 0))) %>%
  group_by(Country, Sector...Subsector...WG) %>%
  arrange(Country, Reporting.Month, .by_group = TRUE) %>%
  mutate(across(all_of(c(counts, "Monthly_CVA_Consolidated")), cumsum, .names = "Consolidated {.col}")) %>%
  ungroup() %>%
  mutate(Sector...Subsector...WG = ifelse(Sector...Subsector...WG == "All", "Total", Sector...Subsector...WG))

write.csv(Consolidated, args[3], row.names = FALSE)
