"""The knowledge-transfer plan: skills × team members, and the team's roster."""
