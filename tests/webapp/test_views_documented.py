"""Every view says in a line what it does: the docstring is what `flask routes` readers and the
access matrix's failures point people to."""

from __future__ import annotations


def test_every_view_has_a_docstring(app):
    undocumented = []
    for endpoint, view in app.view_functions.items():
        while hasattr(view, "__wrapped__"):
            view = view.__wrapped__
        if view.__module__.startswith("webapp.") and not (view.__doc__ or "").strip():
            undocumented.append(endpoint)
    assert sorted(undocumented) == []
