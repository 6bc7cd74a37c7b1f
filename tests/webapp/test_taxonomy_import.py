"""`flask taxonomy import`: ESCO and the AI-skills extension into the database, fixed in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import NeedSkill, Skill

from .. import factories

URI = "http://data.europa.eu/esco/skill/"
ROWS = [
    ("sql", "SQL Informix 4GL/SQL SEQUEL Subquery The computer language SQL is a query language."),
    ("stats", "statistics use of data in performance of work use of statistics The study of statistical theory."),
    ("coach", "coach employees coaching employees mentor employees Maintain and improve employees' performance."),
]
EXTENSION = """# Tandem AI skills
# version: 1.0.0
# namespace: urn:tandem:skill:ai:
# licence: CC BY 4.0
uri,label,alt_labels,description,broader,augment_lean
urn:tandem:skill:ai:lit,AI literacy training,AI literacy,Teach people how AI works.,{coach},augment
urn:tandem:skill:ai:bad,broken row,"unclosed
urn:tandem:skill:ai:gone,AI governance,,Govern AI.,{gone},
"""


@pytest.fixture
def files(tmp_path: Path, app) -> dict[str, Path]:
    esco = tmp_path / "skills.csv"
    esco.write_text("id,description\n" + "".join(f'{URI}{uri},"{text}"\n' for uri, text in ROWS))
    labels = tmp_path / "esco"
    labels.mkdir()
    (labels / "skills_en_label.txt").write_text("SQL\nstatistics\ncoach employees\n")
    extension = tmp_path / "ai.csv"
    extension.write_text(EXTENSION.format(coach=URI + "coach", gone=URI + "gone"))
    app.config["TANDEM_CACHE_DIR"] = str(tmp_path / "cache")
    return {"esco": esco, "labels": labels, "extension": extension}


def run_import(runner, app, files, *, with_labels: bool = True):
    app.config["TANDEM_ESCO_DATA"] = str(files["labels"]) if with_labels else None
    return runner.invoke(args=["taxonomy", "import", str(files["esco"]), "--extension", str(files["extension"])])


def labels_by_uri() -> dict[str, str]:
    return dict(db.session.execute(select(Skill.uri, Skill.label)).all())


def test_import_loads_esco_with_clean_labels_and_the_extension_beside_it(runner, app, files):
    result = run_import(runner, app, files)
    assert result.exit_code == 0, result.output
    labels = labels_by_uri()
    assert labels[URI + "sql"] == "SQL" and labels[URI + "stats"] == "statistics"
    assert labels["urn:tandem:skill:ai:lit"] == "AI literacy training"
    literacy = db.session.scalar(select(Skill).where(Skill.uri == "urn:tandem:skill:ai:lit"))
    assert literacy.broader == [URI + "coach"] and literacy.augment_lean == 1.0
    assert literacy.source == "tandem-ai-skills 1.0.0" and literacy.alt_labels == ["AI literacy"]
    sql = db.session.scalar(select(Skill).where(Skill.uri == URI + "sql"))
    assert sql.alt_labels == [] and "SEQUEL" in " ".join(sql.hidden_labels)
    assert "ai.csv:7: expected 6 columns" in result.output  # the broken row, with its line
    assert "AI governance" in result.output and "links dropped" in result.output
    assert "5 skills read: 5 added" in result.output


def test_importing_again_fixes_labels_in_place_and_keeps_every_row(runner, app, files):
    run_import(runner, app, files, with_labels=False)  # labels split by heuristics alone
    before = dict(db.session.execute(select(Skill.uri, Skill.id)).all())
    org = factories.OrganisationFactory()
    need = factories.NeedFactory(
        organisation=org, created_by=factories.UserFactory(leader=True, organisation=org), skill_labels=()
    )
    sql_id = before[URI + "sql"]
    db.session.add(NeedSkill(need=need, skill_id=sql_id, label=labels_by_uri()[URI + "sql"], importance=3))
    db.session.commit()

    result = run_import(runner, app, files)
    assert result.exit_code == 0, result.output
    assert dict(db.session.execute(select(Skill.uri, Skill.id)).all()) == before  # ids stay
    assert labels_by_uri()[URI + "sql"] == "SQL"
    db.session.expire_all()
    assert [s.label for s in db.session.get(type(need), need.id).skills] == ["SQL"]

    again = run_import(runner, app, files)
    assert "0 added, 0 updated in place, 5 unchanged" in again.output
