"""What gets embedded for a need and for a profile, and how the parts become one vector.

Each item is split into named fields (`need_fields`, `profile_fields`). Every field is embedded on
its own and the item's vector is the renormalised weighted sum of its field vectors plus, with an
`OccupationBridge`, the blend of ESCO occupations its title or tasks read as. Embedding fields
apart keeps a long tool list or bio from drowning the title in a mean-pooled vector, and the
occupation blend lets "Chief Information Officer" meet "direct IT strategy".

`embedded_text(fields)` is the canonical text of an item: when its `text_hash` is unchanged there
is nothing to re-embed. Bump DOCUMENT_VERSION whenever a weight, a field or the bridge changes,
so that stored vectors are renewed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from matching.embedder import Embedder, normalise
from matching.types import NeedDoc, ProfileDoc, SkillRef

if TYPE_CHECKING:
    from matching.occupations import OccupationBridge

DOCUMENT_VERSION = 1

# The weights were chosen on half of the O*NET benchmark's occupations and checked on the other
# half (the ablation is in matching/evaluate.py). *_OCCUPATION is the weight of the ESCO blend,
# which is taken from the fields named in *_BRIDGE_FROM.

# A headline is the densest statement of what someone does; it counts most. Embedded with the
# rest of the text it drowns: headline + bio at 1 : 1 scored 0.31 nDCG@10, headline alone 0.36.
# Bios (on the benchmark, a "Level: senior. Tools and technologies: ..." list) are long and generic
# and blur a mean-pooled vector, so they and the skill list count a little, for the words a need
# may share with them; bio 0.15 costs 0.004 on the benchmark, a price for real bios. The occupation
# blend counts double the headline: blend weights (profile / need) 0.5/0.5 scored 0.44, 1/1 0.46,
# 2/1.5 0.48, 3/3 0.48 -- flat past 2, so no need to let the blend crowd out the words further.
PROFILE_WEIGHTS: Mapping[str, float] = {"headline": 1.0, "skills": 0.25, "bio": 0.15, "ai_usage": 0.1}
PROFILE_OCCUPATION = 2.0
PROFILE_BRIDGE_FROM = ("headline",)

# A need's title and description say what the work is; its skills are a short list in the same
# vocabulary as a profile's skills; goals are context. Task statements already read like ESCO
# descriptions, so the need's blend counts a little less than the profile's.
NEED_WEIGHTS: Mapping[str, float] = {"title": 1.0, "description": 1.0, "skills": 0.25, "goals": 0.15}
NEED_OCCUPATION = 1.5
NEED_BRIDGE_FROM = ("title", "description")


def need_fields(need: NeedDoc) -> dict[str, str]:
    """A need's embedded texts by field: title, description (the tasks), skills, goals.

    Skills are their labels, most important first; goals join the company goal and the learning
    goals. Budget, hours and place are filters and scores, not text. Empty fields are "".
    """
    return {
        "title": _clean(need.title),
        "description": _clean(need.description),
        "skills": _skill_list(need.skills),
        "goals": _join(need.goal, need.learning_goals),
    }


def profile_fields(profile: ProfileDoc) -> dict[str, str]:
    """A profile's embedded texts by field: headline, skills (strongest first), bio, ai_usage.

    Rate, hours and time zone are filters and scores, not text. Empty fields are "".
    """
    return {
        "headline": _clean(profile.headline),
        "skills": _skill_list(profile.skills),
        "bio": _clean(profile.bio),
        "ai_usage": _clean(profile.ai_usage),
    }


def embedded_text(fields: Mapping[str, str], bridge: OccupationBridge | None = None) -> str:
    """The canonical text behind a vector: version, the occupation data it was blended with (if
    any), then `name: text` per non-empty field, sorted.

    Whitespace is collapsed, so equal content gives an equal `text_hash` however it was typed;
    switching the bridge on or off, or changing its data, changes the hash.
    """
    lines = [f"tandem-document v{DOCUMENT_VERSION}"]
    if bridge is not None:
        lines.append(f"occupations: {bridge.data_hash[:16]}")
    lines += [f"{name}: {_clean(text)}" for name, text in sorted(fields.items()) if _clean(text)]
    return "\n".join(lines)


def encode_needs(needs: Sequence[NeedDoc], embedder: Embedder, bridge: OccupationBridge | None = None) -> np.ndarray:
    """One unit vector per need, float32 (len(needs), dim); all-empty needs get a zero row."""
    return encode_fields(
        [need_fields(n) for n in needs],
        embedder,
        NEED_WEIGHTS,
        bridge=bridge,
        bridge_from=NEED_BRIDGE_FROM,
        bridge_weight=NEED_OCCUPATION,
    )


def encode_profiles(
    profiles: Sequence[ProfileDoc], embedder: Embedder, bridge: OccupationBridge | None = None
) -> np.ndarray:
    """One unit vector per profile, float32 (len(profiles), dim); all-empty profiles get a zero row."""
    return encode_fields(
        [profile_fields(p) for p in profiles],
        embedder,
        PROFILE_WEIGHTS,
        bridge=bridge,
        bridge_from=PROFILE_BRIDGE_FROM,
        bridge_weight=PROFILE_OCCUPATION,
    )


def encode_fields(
    items: Sequence[Mapping[str, str]],
    embedder: Embedder,
    weights: Mapping[str, float],
    *,
    bridge: OccupationBridge | None = None,
    bridge_from: Sequence[str] = (),
    bridge_weight: float = 0.0,
) -> np.ndarray:
    """The renormalised weighted sum of each item's field vectors, plus its occupation blend.

    All fields of all items go to the embedder in one `encode` call (it batches by length and
    embeds a repeated text once); empty fields are left out, so an item's vector is made of the
    fields it has. The blend is taken from the `bridge_from` fields, or from all the item's
    fields when those are empty.
    """
    fields = field_vectors(items, embedder, [name for name, weight in weights.items() if weight > 0])
    blend = occupation_blend(fields, weights, bridge, bridge_from) if bridge is not None and bridge_weight > 0 else None
    return combine(fields, weights, blend, bridge_weight)


def field_vectors(
    items: Sequence[Mapping[str, str]], embedder: Embedder, names: Sequence[str]
) -> dict[str, np.ndarray]:
    """Each named field's unit vectors, (len(items), dim) a field, zero rows where it is empty."""
    vectors = {name: np.zeros((len(items), embedder.dim), dtype=np.float32) for name in names}
    slots = [(i, name) for name in names for i, item in enumerate(items) if _clean(item.get(name, ""))]
    if slots:
        encoded = np.asarray(embedder.encode([_clean(items[i][name]) for i, name in slots]), dtype=np.float32)
        for (i, name), vector in zip(slots, encoded):
            vectors[name][i] = vector
    return vectors


def occupation_blend(
    fields: Mapping[str, np.ndarray], weights: Mapping[str, float], bridge: OccupationBridge, bridge_from: Sequence[str]
) -> np.ndarray:
    """The occupation blend of each item, from its `bridge_from` fields (all fields where those are empty)."""
    anchor = sum((weights[name] * fields[name] for name in bridge_from if name in fields), start=_zeros_like(fields))
    everything = sum((weights[name] * vectors for name, vectors in fields.items()), start=_zeros_like(fields))
    no_anchor = ~anchor.any(axis=1)
    anchor[no_anchor] = everything[no_anchor]
    return bridge.mix(normalise(anchor))


def combine(
    fields: Mapping[str, np.ndarray], weights: Mapping[str, float], blend: np.ndarray | None, blend_weight: float
) -> np.ndarray:
    """The unit vector of each item: its weighted fields, plus `blend_weight` of its occupation blend."""
    total = sum((weights.get(name, 0.0) * vectors for name, vectors in fields.items()), start=_zeros_like(fields))
    if blend is not None and blend_weight > 0:
        total = total + blend_weight * blend
    return normalise(np.asarray(total, dtype=np.float32))


def _zeros_like(fields: Mapping[str, np.ndarray]) -> np.ndarray:
    first = next(iter(fields.values()))
    return np.zeros_like(first)


def _skill_list(skills: Sequence[SkillRef]) -> str:
    ordered = sorted(skills, key=lambda s: -s.weight)  # stable: equal weights keep their order
    return ", ".join(dict.fromkeys(_clean(s.label) for s in ordered if _clean(s.label)))


def _join(*parts: str) -> str:
    return " ".join(_clean(p) for p in parts if _clean(p))


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())
