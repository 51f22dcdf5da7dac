"""innerpace: a private running journal for the mind, not the miles."""

__version__ = "0.1.0"
