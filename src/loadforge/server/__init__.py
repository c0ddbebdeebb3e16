"""`loadforge serve`: saved specs, runs over a REST API and web pages, schedules.

The contract between its parts is in `contract.py` and docs/server-api.md.
"""
