"""Stagers: one recognised sheet of a kind (reference list, 5W report, planning table) to typed staging rows and issues."""
