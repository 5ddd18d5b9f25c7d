"""Caseworker: offline-first casework for school-based family liaisons."""

__version__ = "0.1.0"
