"""advisor: a self-hosted study advisor for the mathematics behind machine learning."""

__version__ = "0.1.0"
