"""What an e-mail notification or a webhook action puts in the org's outbox: the message as Zoho
would send it (recipients resolved, URL / headers / body rendered from merge fields). Nothing is
sent from here; a webhook entry carries everything a deliverer needs (url, method, headers with
Content-Type, body text)."""

from __future__ import annotations

import json
from functools import partial
from typing import Any
from urllib.parse import urlencode

from mockcrm.crm import merge_fields
from mockcrm.crm.org import Org

CONTENT_TYPES = {
    "JSON": "application/json",
    "XML": "application/xml",
    "HTML": "text/html",
    "TEXT": "text/plain",
}
FORM = "application/x-www-form-urlencoded"
# Methods that carry a body (Zoho: body only for POST and PUT).
WITH_BODY = frozenset({"POST", "PUT"})
# Recipient types resolved to every active user holding the role / profile.
GROUPS = {"role": "role", "profile": "profile"}


def envelope(
    org: Org, kind: str, rule: dict, action: dict, module: str, record_id: str
) -> dict[str, Any]:
    """The keys every outbox entry starts with (allocates the entry's id)."""
    return {
        "id": org.ids.next(),
        "type": kind,
        "time": org.now(),
        "rule": {"id": rule.get("id"), "name": rule.get("name")},
        "action": {"id": action.get("id"), "name": action.get("name"), "type": action["type"]},
        "record": {"module": module, "id": record_id},
    }


# --------------------------------------------------------------------------- e-mail
def email(org: Org, module: str, record: dict[str, Any], entity: dict[str, Any]) -> dict:
    """The message of an email_notifications entity. Zoho's template bodies are not emulated:
    the subject is the template's name (else the notification's)."""
    recipients = entity.get("recipients") or {}
    out: dict[str, Any] = {"from": _sender(org, module, record, entity.get("from_address"))}
    for kind in ("to", "cc", "bcc"):
        addresses: list[str] = []
        for entry in recipients.get(kind) or []:
            for address in _addresses(org, module, record, entry):
                if address not in addresses:
                    addresses.append(address)
        out[kind] = addresses
    out["reply_to"] = _sender(org, module, record, entity.get("reply_to_address"))
    template = entity.get("template") or {}
    out["subject"] = template.get("name") or entity.get("name") or ""
    out["template"] = {"id": template.get("id"), "name": template.get("name")}
    return out


def _user_email(org: Org, user_id: Any) -> str | None:
    user = org.user(str(user_id)) if user_id else None
    return user.get("email") if user and user.get("status", "active") == "active" else None


def _sender(org: Org, module: str, record: dict, address: Any) -> str | None:
    if not isinstance(address, dict):
        return None
    found = _addresses(org, module, record, address)
    return found[0] if found else None


def _addresses(org: Org, module: str, record: dict, entry: Any) -> list[str]:
    """One recipient entry -> e-mail addresses: a user, a merge field (an owner/user field gives
    that user's address, an e-mail field its value), every active user of a role or profile,
    or a literal address."""
    if not isinstance(entry, dict):
        return []
    kind = entry.get("type")
    resource = entry.get("resource") if isinstance(entry.get("resource"), dict) else {}
    details = entry.get("details") if isinstance(entry.get("details"), dict) else {}
    if kind == "user":
        found = _user_email(org, resource.get("id"))
        return [found] if found else []
    if kind == "merge_field":
        token = str(details.get("api_name") or "")
        return _merged_addresses(org, merge_fields.value(org, module, record, token), record)
    if kind in GROUPS:
        key = GROUPS[kind]
        return [
            u["email"]
            for u in org.users
            if (u.get(key) or {}).get("id") == resource.get("id")
            and u.get("status", "active") == "active"
            and u.get("email")
        ]
    literal = [v for v in (*resource.values(), *details.values()) if isinstance(v, str)]
    return [v for v in literal if "@" in v][:1]


def _merged_addresses(org: Org, val: Any, record: dict) -> list[str]:
    if isinstance(val, dict):
        found = val.get("email") or _user_email(org, val.get("id"))
        return [found] if found else []
    if isinstance(val, str) and "@" in val:
        # Zoho sends no workflow e-mail to a record that opted out.
        return [] if record.get("Email_Opt_Out") is True else [val]
    return []


# --------------------------------------------------------------------------- webhooks
def webhook(org: Org, module: str, record: dict[str, Any], entity: dict[str, Any]) -> dict:
    """The request of a webhooks entity: merge fields rendered in the URL, url_parameters,
    header values and body. JSON bodies get JSON-escaped values, XML/HTML ones XML-escaped."""
    render = partial(merge_fields.render, org, module, record)
    method = str(entity.get("http_method") or "POST").upper()
    url = render(str(entity.get("url") or ""))
    params = _parameters(render, entity.get("url_parameters"))
    if params:
        url += ("&" if "?" in url else "?") + urlencode(params)
    headers = dict(_parameters(render, entity.get("headers")))
    body, content_type = None, None
    if method in WITH_BODY and isinstance(entity.get("body"), dict):
        body, content_type = _body(org, module, record, entity["body"])
    if content_type and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = content_type
    return {
        "url": url,
        "method": method,
        "headers": headers,
        "body": body,
        "authentication": entity.get("authentication"),
    }


def _parameters(render: Any, params: Any) -> list[tuple[str, str]]:
    """`{module_parameters, custom_parameters, user_defined_parameter}` -> (name, value) pairs;
    module parameter values are merge fields, custom ones are static."""
    if not isinstance(params, dict):
        return []
    pairs: list[tuple[str, str]] = []
    for key in ("module_parameters", "custom_parameters", "user_defined_parameter"):
        items = params.get(key) or []
        for item in [items] if isinstance(items, dict) else items:
            if isinstance(item, dict) and item.get("name"):
                value = str(item.get("value") or "")
                pairs.append((item["name"], value if key == "custom_parameters" else render(value)))
    return pairs


def _body(org: Org, module: str, record: dict, body: dict) -> tuple[str | None, str | None]:
    kind = body.get("type")
    if kind == "form_data":
        render = partial(merge_fields.render, org, module, record)
        return urlencode(_parameters(render, body.get("form_data_content"))), FORM
    if kind != "raw" or body.get("raw_data_content") is None:
        return None, None
    fmt = str(body.get("format") or "Text").upper()
    escape = {"JSON": lambda s: json.dumps(s)[1:-1], "XML": _markup_escape, "HTML": _markup_escape}
    text = merge_fields.render(org, module, record, body["raw_data_content"], escape.get(fmt))
    return text, CONTENT_TYPES.get(fmt, "text/plain")


def _markup_escape(text: str) -> str:
    """&, < and > as entities: what xml.sax.saxutils.escape does, without its import (it loads
    urllib.request, ~3 ms of every start)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
