"""Curation, harmonisation and meta-analysis of extracted outcome data."""
