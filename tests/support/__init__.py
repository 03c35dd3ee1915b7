"""Helpers shared by the tests (imported by tests, never from a conftest.py)."""
