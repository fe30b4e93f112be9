"""Ingest documents and extract their header, sections and entities (no rules, no storage)."""
