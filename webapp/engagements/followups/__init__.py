"""Retained-capability follow-ups some days after an engagement completes."""
