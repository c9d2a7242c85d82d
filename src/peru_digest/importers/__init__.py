"""Importers: outside text and feeds into new content files."""
