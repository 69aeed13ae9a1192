"""The persons database: owner-controlled person records and the scored person check."""
