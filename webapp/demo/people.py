"""Invented names, e-mail addresses and places for the demo's people."""
from __future__ import annotations

import random
import unicodedata

FIRST_NAMES = (
    "Aaliyah", "Adaeze", "Adrian", "Agnieszka", "Aiko", "Alejandro", "Amara", "Anders", "Andrea",
    "Anika", "Arjun", "Astrid", "Aurelie", "Benedikt", "Bianca", "Bongani", "Camille", "Carlos",
    "Chiara", "Chidi", "Clara", "Daniel", "Dariusz", "Deepa", "Diego", "Dimitra", "Elif", "Elena",
    "Emeka", "Emma", "Eszter", "Farah", "Felix", "Fiona", "Gabriel", "Giulia", "Hana", "Hannes",
    "Helena", "Hugo", "Ibrahim", "Ilse", "Imani", "Ingrid", "Isabel", "Jakub", "Jana", "Javier",
    "Johanna", "Jonas", "Kamal", "Karin", "Kasia", "Kenji", "Kofi", "Laila", "Lars", "Laura",
    "Leon", "Lina", "Lucas", "Luisa", "Magnus", "Maja", "Malik", "Mariana", "Marta", "Mateo",
    "Meera", "Mikael", "Mirela", "Nadia", "Naledi", "Nikhil", "Nina", "Noah", "Olga", "Omar",
    "Oskar", "Paula", "Pedro", "Petra", "Priya", "Rania", "Rhys", "Rosa", "Ruth", "Saanvi",
    "Samir", "Sara", "Sebastian", "Selin", "Siddharth", "Signe", "Simone", "Tariq", "Teresa",
    "Thabo", "Tobias", "Tomasz", "Valentina", "Vera", "Viktor", "Wanjiru", "Yara", "Yusuf",
    "Zainab", "Zofia",
)

LAST_NAMES = (
    "Abebe", "Adeyemi", "Almeida", "Andersson", "Bakker", "Banerjee", "Bauer", "Bergstrom",
    "Bianchi", "Brennan", "Castillo", "Chowdhury", "Costa", "Dahl", "De Vries", "Demir", "Dubois",
    "Eriksen", "Esposito", "Fernandes", "Fischer", "Friedman", "Gallagher", "Garcia", "Grant",
    "Haddad", "Hakimi", "Hansen", "Hartmann", "Holm", "Ibrahim", "Iyer", "Jansen", "Jovanovic",
    "Kamau", "Kapoor", "Karlsson", "Kaur", "Keller", "Kim", "Kowalski", "Kruger", "Lambert",
    "Larsen", "Lehmann", "Lindgren", "Lopez", "Mahlangu", "Mancini", "Marin", "Mendes", "Meyer",
    "Moreau", "Murphy", "Nakamura", "Navarro", "Ndlovu", "Nieminen", "Novak", "Nowak", "Nyberg",
    "Obi", "Odhiambo", "Okafor", "Olsen", "Ortiz", "Osei", "Patel", "Pereira", "Petrov", "Popescu",
    "Quinn", "Rahman", "Ramos", "Reddy", "Richter", "Rossi", "Santos", "Schmidt", "Sharma",
    "Silva", "Sorensen", "Suzuki", "Svensson", "Tanaka", "Tran", "Tshabalala", "Van Dijk",
    "Varga", "Vasquez", "Virtanen", "Wagner", "Walsh", "Weber", "Wojcik", "Yilmaz", "Zhang",
    "Zimmermann",
)

# (IANA time zone, cities); weights make most freelancers European, as the demo organisation is.
PLACES = (
    ("Europe/London", ("London", "Manchester", "Bristol", "Edinburgh"), 12),
    ("Europe/Dublin", ("Dublin", "Cork"), 4),
    ("Europe/Amsterdam", ("Amsterdam", "Rotterdam", "Utrecht"), 12),
    ("Europe/Berlin", ("Berlin", "Hamburg", "Munich", "Cologne"), 12),
    ("Europe/Paris", ("Paris", "Lyon", "Nantes"), 6),
    ("Europe/Madrid", ("Madrid", "Barcelona", "Valencia"), 6),
    ("Europe/Lisbon", ("Lisbon", "Porto"), 5),
    ("Europe/Stockholm", ("Stockholm", "Gothenburg", "Malmo"), 7),
    ("Europe/Copenhagen", ("Copenhagen", "Aarhus"), 4),
    ("Europe/Warsaw", ("Warsaw", "Krakow", "Wroclaw"), 6),
    ("Europe/Helsinki", ("Helsinki", "Tampere"), 3),
    ("Europe/Athens", ("Athens", "Thessaloniki"), 2),
    ("America/New_York", ("New York", "Boston", "Philadelphia"), 4),
    ("America/Toronto", ("Toronto", "Montreal"), 3),
    ("America/Chicago", ("Chicago", "Austin"), 2),
    ("America/Sao_Paulo", ("Sao Paulo", "Curitiba"), 2),
    ("Africa/Lagos", ("Lagos", "Abuja"), 3),
    ("Africa/Nairobi", ("Nairobi",), 3),
    ("Africa/Johannesburg", ("Cape Town", "Johannesburg"), 2),
    ("Asia/Kolkata", ("Bengaluru", "Pune", "Hyderabad"), 4),
    ("Asia/Singapore", ("Singapore",), 2),
    ("Australia/Sydney", ("Sydney", "Melbourne"), 1),
)


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
