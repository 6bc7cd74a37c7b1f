"""Invented names, e-mail addresses and places for the demo's people (data/people.yaml)."""

from __future__ import annotations

import random
import unicodedata

from .catalogue import load

_PEOPLE = load("people")
FIRST_NAMES = tuple(_PEOPLE["first_names"])
LAST_NAMES = tuple(_PEOPLE["last_names"])
# (IANA time zone, cities, weight); the weights make most freelancers European, as the demo organisation is.
PLACES = tuple((place["timezone"], tuple(place["cities"]), place["weight"]) for place in _PEOPLE["places"])


def email_for(name: str, domain: str) -> str:
    """first.last@domain, accents dropped and spaces removed ("Van Dijk" -> "vandijk")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    first, _, last = ascii_name.lower().partition(" ")
    return f"{first}.{last.replace(' ', '')}@{domain}"


def unique_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """`count` names composed of a first and a last name, none in `taken` (which is extended)."""
    if count > len(FIRST_NAMES) * len(LAST_NAMES) - len(taken):
        raise ValueError(f"Cannot invent {count} distinct names.")
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def place(rng: random.Random) -> tuple[str, str]:
    """A (time zone, city) pair."""
    zone, cities, _ = rng.choices(PLACES, weights=[weight for *_, weight in PLACES])[0]
    return zone, rng.choice(cities)
