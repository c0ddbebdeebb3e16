"""`python -m loadforge` is the `loadforge` command."""

from loadforge.cli.app import main

main()
