"""The load engine: virtual users following a traffic pattern on one event loop."""
