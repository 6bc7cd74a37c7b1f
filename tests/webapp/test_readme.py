"""The README's tour works with the demo as seeded: every role's account, and the freelancers'
shared passphrase, are where it says."""

from __future__ import annotations

from pathlib import Path

from webapp.demo.content import FEATURED_FREELANCER, FERNCLIFF, LARKSPUR
from webapp.demo.people import email_for

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
TOUR = README.split("## Try this first")[1].split("\n## ")[0]


def test_the_tour_has_a_part_for_every_role():
    for part in ("**Leader", "**Freelancer", "**Program manager", "**A team member", "**The other organisation"):
        assert part in TOUR


def test_the_tour_names_the_demo_accounts_and_says_freelancers_share_one_passphrase():
    for name, domain in (
        (LARKSPUR.leader, LARKSPUR.email_domain),
        (LARKSPUR.program_manager, LARKSPUR.email_domain),
        (FEATURED_FREELANCER["name"], "example.net"),
        (FERNCLIFF.leader, FERNCLIFF.email_domain),
    ):
        assert name in TOUR and email_for(name, domain) in TOUR
    assert "All 220 demo freelancers share the freelancer's\npassphrase" in TOUR
