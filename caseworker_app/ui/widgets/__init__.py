"""Reusable widgets: tables, section headings, badges."""
