"""The `fourchain` command line (Typer)."""
