"""Schemathesis with Zoho's OpenAPI files against mockcrm: no 5xx, Zoho envelopes, schemas.

How many requests each spec generated is shown at the end of the run ("measured figures",
tests/conftest.py).
"""

from __future__ import annotations

import pytest
from fuzz_helpers import SPECS, fuzz_spec


@pytest.mark.parametrize("spec", SPECS)
def test_fuzz_spec(spec: str, record_property) -> None:
    run = fuzz_spec(spec)
    statuses = " ".join(f"{code}:{n}" for code, n in sorted(run.statuses.items()))
    record_property(
        "figure", f"schemathesis {spec}: generated requests {run.requests} ({statuses})"
    )
    assert run.requests > 0
    assert not run.failures, f"{spec}: {len(run.failures)} failing operation(s):\n" + "\n".join(
        run.failures
    )
