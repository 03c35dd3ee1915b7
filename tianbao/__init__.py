"""Tianbao (填报): the Qt-free core — plan catalogues, checks, aggregation, returns, command line."""

__version__ = "0.1.0"
