"""Planning spreadsheets: PiN/target tables and proportions, activity submissions, published key figures."""
