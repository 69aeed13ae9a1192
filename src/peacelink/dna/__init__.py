"""The DNA database: anonymous STR profiles, families of missing persons, frequency tables, and checks."""
