"""A small skills world with vectors the tests choose: what is near what is stated, not hashed."""

from __future__ import annotations

import numpy as np
import pytest

from matching.embedder import FakeEmbedder, normalise
from matching.skill_normaliser import SkillNormaliser
from matching.skill_vectors import SkillVectors
from matching.taxonomy import SkillTaxonomy, TaxonomySkill

URI = "http://data.europa.eu/esco/skill/"
AI = "urn:tandem:skill:ai:"
DIM = 32


class TableEmbedder:
    """Texts named in `table` get the unit vector of their axes (a dict axis -> weight); any
    other text gets a FakeEmbedder vector, which lies near none of them. Counts its calls."""

    model_name = "table-32"
    dim = DIM

    def __init__(self, table: dict[str, dict[int, float]]) -> None:
        self.table = {text.casefold(): axes for text, axes in table.items()}
        self.fallback = FakeEmbedder(DIM)
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        rows = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            axes = self.table.get(text.casefold())
            if axes is None:
                rows[row] = 0.2 * self.fallback.encode([text])[0]
                rows[row, DIM - 1] = 1.0  # the "about something else" axis no skill uses
            else:
                for axis, weight in axes.items():
                    rows[row, axis] = weight
        return normalise(rows)


SKILLS = [
    TaxonomySkill(URI + "sql", "SQL", ("Structured Query Language",)),
    TaxonomySkill(URI + "sqls", "SQL Server", ("MS SQL Server",)),
    TaxonomySkill(URI + "pg", "PostgreSQL", ()),
    TaxonomySkill(URI + "coach", "coach employees", (), hidden_labels=("mentor staff",)),
    TaxonomySkill(URI + "mentor", "mentor individuals", ()),
    TaxonomySkill(URI + "cpp", "C++", ()),
    TaxonomySkill(URI + "cs", "C#", ()),
    TaxonomySkill(URI + "net", ".NET", ()),
    TaxonomySkill(URI + "ml", "machine learning", ()),
    TaxonomySkill(AI + "rag", "retrieval-augmented generation", ("RAG",), broader=(URI + "ml",), augment_lean=None),
    TaxonomySkill(AI + "lit", "AI literacy training", (), broader=(URI + "coach",), augment_lean=1.0),
]

# Axes: 0 databases, 1 SQL Server, 2 PostgreSQL, 3 coaching, 4 mentoring, 5 C++, 6 C#, 7 .NET,
# 8 learning machines, 9 retrieval, 10 teaching AI.
TABLE = {
    "SQL": {0: 1.0},
    "Structured Query Language": {0: 1.0},
    "SQL Server": {0: 0.75, 1: 0.66},
    "MS SQL Server": {0: 0.7, 1: 0.7},
    "PostgreSQL": {0: 0.55, 2: 0.83},
    "coach employees": {3: 1.0},
    "mentor staff": {3: 0.8, 4: 0.6},
    "mentor individuals": {3: 0.3, 4: 0.95},
    "C++": {5: 1.0},
    "C#": {6: 1.0},
    ".NET": {6: 0.5, 7: 0.86},
    "machine learning": {8: 1.0},
    "retrieval-augmented generation": {8: 0.45, 9: 0.9},
    "RAG": {8: 0.4, 9: 0.9},
    "AI literacy training": {3: 0.4, 10: 0.9},
    # Mentions, as people write them:
    "sql databases": {0: 0.98, 1: 0.2},  # plainly SQL
    "database work": {0: 0.5, 1: 0.4, 2: 0.45, DIM - 1: 0.55},  # near three skills, none clearly
    "mentoring staff": {3: 0.8, 4: 0.6},
    "coaching staff": {3: 0.97, 4: 0.24},
    "build rag pipelines": {8: 0.35, 9: 0.94},
    "teach our analysts": {3: 0.6, 10: 0.75},
    # Sentences whose whole meaning is coaching (plainly, then less surely), while a phrase names RAG:
    "Build RAG pipelines and help our whole team grow": {3: 0.95, 9: 0.3},
    "We want someone to build RAG pipelines for us and then to help our whole team grow with confidence": {
        3: 0.7,
        4: 0.55,
        9: 0.3,
    },
}


@pytest.fixture
def embedder() -> TableEmbedder:
    return TableEmbedder(TABLE)


@pytest.fixture
def taxonomy() -> SkillTaxonomy:
    return SkillTaxonomy(SKILLS)


@pytest.fixture
def vectors(taxonomy, embedder, tmp_path) -> SkillVectors:
    return SkillVectors.for_taxonomy(taxonomy, embedder, tmp_path / "cache")


@pytest.fixture
def normaliser(taxonomy, vectors, embedder) -> SkillNormaliser:
    return SkillNormaliser(taxonomy, vectors, embedder)
