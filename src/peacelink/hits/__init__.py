"""Hits: a check matched a record; the owner confirms or rejects, the searcher sees the outcome."""
