import pytest
import requests

RULES = "/crm/v8/settings/automation/workflow_rules"


def rule_names(api_domain, headers, module):
    """The code under test: a module's workflow rules, retried once if Zoho throttles."""
    for _ in range(2):
        resp = requests.get(api_domain + RULES, params={"module": module}, headers=headers)
        if resp.status_code != 429:
            break
    if resp.status_code == 204:  # Zoho's answer for "no rules"
        return []
    resp.raise_for_status()
    return [rule["name"] for rule in resp.json()["workflow_rules"]]


def test_lists_rules(mockcrm_org, mockcrm):
    # mockcrm_org: a fresh org of this test's own; its token reaches no other org.
    names = rule_names(mockcrm_org.url, mockcrm_org.headers, "Deals")
    assert "VP Alert - High Value Deal" in names
    # The request journal: what did the code send?
    [call] = mockcrm.requests(path=RULES)
    assert call["query"] == "module=Deals"


def test_retries_once_when_throttled(mockcrm_org, mockcrm):
    mockcrm.fault(path=RULES, status=429, times=1)  # Zoho's TOO_MANY_REQUESTS body, once
    assert rule_names(mockcrm_org.url, mockcrm_org.headers, "Deals")
    assert [call["status"] for call in mockcrm.requests(path=RULES)] == [200, 429]


@pytest.mark.mockcrm_org(seed="empty")  # Zylker's modules and fields, no rules
def test_no_rules(mockcrm_org):
    assert rule_names(mockcrm_org.url, mockcrm_org.headers, "Deals") == []


def test_zohos_own_url_in_process(mockcrm_inprocess):
    # No server, no socket: requests to https://www.zohoapis.* reach mockcrm.
    headers = {"Authorization": "Zoho-oauthtoken any"}  # permissive: the default org
    assert rule_names("https://www.zohoapis.com", headers, "Deals")
