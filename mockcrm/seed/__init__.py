"""Seed orgs: the loader (seed_data/<name>/ -> Org) and the deterministic Faker generator."""
