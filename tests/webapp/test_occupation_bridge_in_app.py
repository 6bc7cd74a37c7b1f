"""The web app encodes needs and profiles through the ESCO occupation bridge, as the evaluation
does, and a vector made with the bridge is never mistaken for one made without it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from matching import documents
from matching.embedder import text_hash
from tests import factories
from webapp.extensions import db
from webapp.models import Embedding, ItemKind
from webapp.search.docs import profile_doc
from webapp.search.engine import occupation_bridge


@pytest.fixture
def app_config(app_config, tmp_path):
    return app_config | {"TANDEM_OCCUPATION_BRIDGE": "1", "TANDEM_CACHE_DIR": str(tmp_path / "cache")}


def test_match_page_ranks_through_the_bridge(client, auth):
    org = factories.OrganisationFactory()
    leader = factories.UserFactory(leader=True, organisation=org, email="lead@example.org")
    need = factories.NeedFactory(
        organisation=org,
        created_by=leader,
        title="Coach our analysts in data analytics",
        description="Analysts build weekly reports and want to analyse data with AI.",
    )
    coach = factories.ProfileFactory(headline="Data analytics coach for finance analysts")
    factories.ProfileFactory(headline="Pastry chef", skill_labels=("bake pastries",))
    db.session.commit()
    auth.sign_in("lead@example.org")

    page = client.get(f"/needs/{need.id}/matches").get_data(as_text=True)

    assert page.index("Data analytics coach for finance analysts") < page.index("Pastry chef")
    bridge = occupation_bridge()
    assert bridge is not None
    stored = db.session.scalar(
        select(Embedding).where(Embedding.kind == ItemKind.PROFILE, Embedding.item_id == coach.id)
    )
    fields = documents.profile_fields(profile_doc(coach))
    assert stored.text_hash == text_hash(documents.embedded_text(fields, bridge))
    assert stored.text_hash != text_hash(documents.embedded_text(fields))
