"""Pulse check-ins: personal links, anonymous answers, guarded results."""
