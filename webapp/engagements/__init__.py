"""Engagements: from the accepted invitation to the reviewed outcome, with the knowledge-transfer
plan, sessions, artifacts, pulse check-ins and the indicators that say whether the team came out
stronger."""
