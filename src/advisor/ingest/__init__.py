"""Ingest: load documents, clean their text, cut them into passages and tag passage kinds."""
