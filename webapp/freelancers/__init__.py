"""A freelancer's profile as leaders and program managers see it."""
