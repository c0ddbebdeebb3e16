"""The load engine: users or arrivals following a traffic pattern, in one process or over workers."""
