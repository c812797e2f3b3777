"""Derived tables: people reached per cycle, cycle outputs and pillars, reconciliation of published figures."""
