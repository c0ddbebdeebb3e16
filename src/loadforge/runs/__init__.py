"""What turns a run's options into a run, shared by `loadforge run` and `loadforge serve`.

`options` reads flags and config-file tables into `RunOptions` and builds the
traffic pattern; `settings` validates them into the engine's `LoadSettings`;
`outputs` plans the thresholds and output files before the load starts and
checks and writes them once the run is over. Nothing here prints: the CLI
prints what these return, and the server stores it.
"""
