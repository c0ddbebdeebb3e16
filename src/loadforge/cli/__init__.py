"""The `loadforge` command line."""
