"""Column types shared by the models."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def enum_column(enum_class: type[enum.Enum]) -> Enum:
    """A portable enum column: stored as its value in a VARCHAR on every database."""
    return Enum(
        enum_class,
        native_enum=False,
        length=max(len(member.value) for member in enum_class),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
