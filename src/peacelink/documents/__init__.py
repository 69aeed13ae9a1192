"""Stolen, lost, revoked and invalidated travel documents (the SLTD database)."""
