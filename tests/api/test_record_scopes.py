"""How the records API names a module in its scopes: Zoho's scope list and its OAS `security`
entries write `ZohoCRM.modules.salesorders.READ`, `pricebooks`, `purchaseorders` (the api name
in lower case, without underscores), so a token with exactly those scopes reaches the module."""

from __future__ import annotations

import pytest
from oauth_helpers import bearer, crm_error, strict_client  # noqa: F401 (a fixture)

from mockcrm.core.auth import record_scope

UNDERSCORED = ("Sales_Orders", "Purchase_Orders", "Price_Books")


@pytest.mark.parametrize("module", UNDERSCORED)
def test_zohos_scope_name_of_an_underscored_module_gets_through(strict, store, org, module):
    zoho_name = module.replace("_", "").lower()
    token = store.issue_token(
        org.id, frozenset({f"ZohoCRM.modules.{zoho_name}.READ"}), 3600, org.clock.now()
    )
    resp = strict.get(f"/crm/v8/{module}?fields=Subject", headers=bearer(token.value))
    assert resp.status_code in (200, 204), resp.json
    count = strict.get(f"/crm/v8/{module}/actions/count", headers=bearer(token.value))
    assert count.status_code == 200, count.json


@pytest.mark.parametrize("module", UNDERSCORED)
def test_the_api_name_with_its_underscore_is_not_zohos_scope(strict, store, org, module):
    scope = f"ZohoCRM.modules.{module.lower()}.READ"  # sales_orders: no such scope at Zoho
    token = store.issue_token(org.id, frozenset({scope}), 3600, org.clock.now())
    resp = strict.get(f"/crm/v8/{module}?fields=Subject", headers=bearer(token.value))
    assert resp.status_code == 401
    assert resp.json == crm_error("OAUTH_SCOPE_MISMATCH", "Unauthorized")


def test_record_scope_names():
    assert record_scope("Sales_Orders", "READ") == "ZohoCRM.modules.salesorders.READ"
    assert record_scope("Price_Books", "CREATE") == "ZohoCRM.modules.pricebooks.CREATE"
    assert record_scope("Deals", "DELETE") == "ZohoCRM.modules.deals.DELETE"
