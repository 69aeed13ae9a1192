"""The check pipeline every database plugs into: normalise -> look up -> filter by access -> hits -> audit."""
