"""Files written for people: QA workbooks, exports in R4V layouts, the run summary."""
