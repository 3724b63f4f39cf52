"""Analytics over the registry: Ibis expressions on DuckDB (embedded) or PySpark (distributed)."""
