"""`flask demo seed`: an invented organisation, 200+ freelancers, needs and engagements.

Every text is written for Tandem and kept in data/*.yaml (organisations, domains, needs, stories,
people, profiles, skills), read by catalogue.py; one seeded random generator composes them
(profiles_text, needs_text), so every seed of an empty database writes the same people and words.
seed.py writes them in one transaction; builders, plot, engagements, activity and interactions turn
them into rows; skills and esco_uris tie the skills to the imported ESCO taxonomy."""
