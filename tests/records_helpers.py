"""Shared facts and helpers of the records API tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

DEALS = "/crm/v8/Deals"
VP_DEAL = "4876876000005040001"  # Orbit Logistics - Fleet Tracking Suite, 75000, Negotiation
ORBIT, ANIKA = "4876876000005010001", "4876876000005020001"
PATRICIA = {"name": "Patricia Boyle", "id": "4876876000000327001"}
NOW = datetime(2025, 12, 1, 5, 39, 10, tzinfo=UTC)
NOW_ISO = "2025-12-01T11:09:10+05:30"
SEED = Path(__file__).resolve().parents[1] / "seed_data" / "zylker"


@pytest.fixture(autouse=True)
def frozen(org):
    org.clock.set(NOW, freeze=True)


def err(code, message, details, wrapped=True):
    item = {"code": code, "details": details, "message": message, "status": "error"}
    return {"data": [item]} if wrapped else item


def at(api_name, path, **extra):
    return {**extra, "api_name": api_name, "json_path": path}


def unchanged(org):
    """A fingerprint of everything a failed write must leave alone."""
    return json.dumps([org.records, org.tags], sort_keys=True), org.ids.state()


# --------------------------------------------------------------------------- read
