"""SFPC knowledge base: ingestion, search and cited answers over the programme's publications."""

__version__ = "0.1.0"
