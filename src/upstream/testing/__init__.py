"""Fixtures and helpers that tests (ours and plugins') can import."""
