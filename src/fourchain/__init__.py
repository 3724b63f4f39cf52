"""fourchain: an open platform for running a city's science-and-technology innovation system."""

__version__ = "0.1.0"
