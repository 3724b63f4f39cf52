"""The demo city: a deterministic synthetic Xiamen, 2020-2025, labelled synthetic."""
