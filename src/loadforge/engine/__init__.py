"""The load engine: users or arrivals following a pattern, in one process or over workers."""
