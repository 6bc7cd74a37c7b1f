"""Real ESCO skills, curated per domain, and their lookup in the imported taxonomy.

The labels are ESCO preferred labels, each with its URI in esco_uris.py. When the taxonomy has
not been imported, a label is kept as free text (skill_id None), which the app accepts everywhere."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Skill
from .esco_uris import URIS

DOMAIN_SKILLS: dict[str, tuple[str, ...]] = {
    "customer_ops": (
        "customer service", "manage customer service", "handle customer complaints",
        "customer relationship management", "analyse call centre activities",
        "manage key performance indicators of call centres", "call-centre technologies",
        "communicate with customers", "identify customer requirements",
        "guarantee customer satisfaction", "knowledge management", "show empathy",
    ),
    "finance": (
        "financial analysis", "financial forecasting", "budgetary principles",
        "accounting techniques", "manage the general ledger", "evaluate budgets",
        "enterprise risk management", "perform risk analysis", "use spreadsheets software",
        "develop financial statistics reports", "provide cost benefit analysis reports",
        "present reports", "manage payroll",
    ),
    "data": (
        "data analytics", "machine learning", "Python (computer programming)", "SQL",
        "statistics", "data mining", "data models", "business intelligence",
        "data visualisation software", "data quality assessment", "data warehouse",
        "normalise data", "statistical modeling techniques", "analyse big data",
        "natural language processing", "deep learning", "R",
    ),
    "marketing": (
        "marketing management", "digital marketing techniques", "content marketing strategy",
        "social media marketing techniques", "search engine optimisation", "market research",
        "customer segmentation", "marketing analytics", "perform copywriting", "customer insight",
        "pricing strategies",
    ),
    "hr": (
        "human resource management", "recruit employees", "labour law", "identify training needs",
        "develop training programmes", "motivate employees", "conflict management",
        "interview people", "carry out job analysis", "learning needs analysis",
        "adult education", "e-learning", "instructional design",
    ),
    "supply_chain": (
        "supply chain management", "logistics", "warehouse operations", "forecast products' demand",
        "carry out inventory planning", "lean manufacturing", "six sigma methods",
        "match vehicles with routes", "use fleet management system", "track shipments",
        "develop procurement strategy", "e-procurement", "assess supplier risks",
        "use methods of logistical data analysis", "minimise shipping cost",
    ),
    "operations": (
        "improve business processes", "analyse business processes", "business process modelling",
        "lean manufacturing", "six sigma methods", "manage schedule of tasks",
        "maintain availability of spare parts", "plan road fleet maintenance",
        "track key performance indicators", "Process-based management", "project management",
    ),
    "healthcare": (
        "health informatics", "clinical coding", "use electronic health records management system",
        "use e-health and mobile health technologies", "citizen involvement in healthcare",
        "health care legislation", "implement policy in healthcare practices", "medical statistics",
        "empathise with the healthcare user", "manage clinical risk",
    ),
    "public_sector": (
        "government policy implementation", "work with e-services available to citizens", "GDPR",
        "respect data protection principles", "monitor policy proposals",
        "ensure information privacy", "communicate with stakeholders",
        "develop procurement strategy", "e-procurement", "engage with stakeholders",
    ),
    "software": (
        "Python (computer programming)", "JavaScript", "Java (computer programming)", "DevOps",
        "Agile development", "Agile project management", "design cloud architecture",
        "develop with cloud services", "tools for ICT test automation", "design user interface",
        "create prototype of user experience solutions", "cyber security",
        "cloud security and compliance", "Rapid application development",
    ),
}

# Skills that go with a way of working rather than a domain.
AUGMENT_SKILLS = (
    "coaching techniques", "coach employees", "mentor individuals", "provide mentorship",
    "apply change management", "develop training programmes", "listen actively",
    "give constructive feedback", "perform ideation activities", "moderate a discussion",
    "develop a coaching style", "design thinking", "promote organisational communication",
)
AUTOMATE_SKILLS = (
    "business process modelling", "improve business processes", "tools for ICT test automation",
    "automation technology", "information extraction", "Process-based management",
    "ICT process quality models",
)
AI_SKILLS = (
    "machine learning", "principles of artificial intelligence", "natural language processing",
    "deep learning", "computer vision", "data science",
)


@dataclass(frozen=True)
class SkillRef:
    label: str
    skill_id: int | None


class SkillBook:
    """Curated labels resolved to taxonomy rows: by ESCO URI, else by preferred, else alternative label.

    A row found by URI keeps the curated ESCO preferred label when the imported label differs
    (the run-together ESCO file is split by heuristics, which sometimes glue words on)."""

    def __init__(self, by_label: dict[str, SkillRef]):
        self._by_label = by_label

    @classmethod
    def load(cls, labels: set[str]) -> SkillBook:
        wanted = {label.lower(): label for label in labels}
        by_label = _by_uri(wanted)
        missing = [key for key in wanted if key not in by_label]
        rows = db.session.execute(select(Skill.id, Skill.label).where(func.lower(Skill.label).in_(missing)))
        for skill_id, label in rows:
            by_label.setdefault(label.lower(), SkillRef(label, skill_id))
        missing = {key for key in wanted if key not in by_label}
        if missing:
            by_label.update(_by_alternative_label(missing))
        return cls(by_label)

    def ref(self, label: str) -> SkillRef:
        return self._by_label.get(label.lower(), SkillRef(label, None))


def _by_uri(wanted: dict[str, str]) -> dict[str, SkillRef]:
    uris = {URIS[label]: label for label in wanted.values() if label in URIS}
    rows = db.session.execute(select(Skill.id, Skill.uri, Skill.label).where(Skill.uri.in_(list(uris))))
    found = {}
    for skill_id, uri, label in rows:
        curated = uris[uri]
        found[curated.lower()] = SkillRef(label if label.lower() == curated.lower() else curated, skill_id)
    return found


def _by_alternative_label(missing: set[str]) -> dict[str, SkillRef]:
    found: dict[str, SkillRef] = {}
    if not db.session.scalar(select(Skill.id).limit(1)):
        return found
    for skill_id, label, alt_labels in db.session.execute(select(Skill.id, Skill.label, Skill.alt_labels)):
        for alt in alt_labels or ():
            key = alt.lower()
            if key in missing and key not in found:
                found[key] = SkillRef(label, skill_id)
    return found


def all_curated_labels() -> set[str]:
    """Every skill label the demo uses: profiles' domains and ways of working, needs, the featured freelancer."""
    from .content import FEATURED_FREELANCER
    from .needs_catalogue import PROBLEMS

    labels = {label for domain in DOMAIN_SKILLS.values() for label in domain}
    labels |= set(AUGMENT_SKILLS) | set(AUTOMATE_SKILLS) | set(AI_SKILLS)
    labels |= {label for problems in PROBLEMS.values() for problem in problems for label, _ in problem.skills}
    return labels | {label for label, _ in FEATURED_FREELANCER["skills"]}
