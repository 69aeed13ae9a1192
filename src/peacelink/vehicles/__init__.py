"""Stolen motor vehicles (the SMV database)."""
