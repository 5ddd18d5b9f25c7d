"""Dialogs of the case file's actions, one per use case."""
