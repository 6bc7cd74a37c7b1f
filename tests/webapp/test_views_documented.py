"""Every view says in a line what it does: the docstring is what `flask routes` readers and the
access matrix's failures point people to."""
from __future__ import annotations

# The engagements' and programs' views get theirs once the work reshaping those areas (issue 18)
# has landed; take a module off this list when its views are documented, never add one.
NOT_YET = {
    "webapp.engagements.routes", "webapp.engagements.plan_routes", "webapp.engagements.activity_routes",
    "webapp.engagements.checkin_routes", "webapp.programs.routes", "webapp.programs.api",
}


def test_every_view_has_a_docstring(app):
    undocumented = []
    for endpoint, view in app.view_functions.items():
        while hasattr(view, "__wrapped__"):
            view = view.__wrapped__
        if view.__module__.startswith("webapp.") and view.__module__ not in NOT_YET and not (view.__doc__ or "").strip():
            undocumented.append(endpoint)
    assert sorted(undocumented) == []
