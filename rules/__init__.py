"""Compliance checks over extracted documents: rule packs (YAML), check families, reports."""
