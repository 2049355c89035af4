"""OpenWenku: a self-hosted document-sharing site."""

__version__ = "0.1.0"
