"""Bad-input catalogue, part 2: wrong types in action entities, tags and records; ids of the
wrong length, bad pages, `ids=` with 11 ids, SQL- and script-looking strings."""

from __future__ import annotations

from badinput_helpers import (
    AUTOMATION,
    BAD_URL_ID,
    DEALS,
    ELEVEN_IDS,
    TAGS,
    TOO_MANY_IDS,
    Case,
    bad_param,
    bad_type,
    item,
    no_collection,
    post_rule,
    top,
)
from rules_helpers import RULES, body

OTHER_TYPES = [
    # wrong types in action entities, tags and records
    Case(
        "field-update-not-object",
        "POST",
        f"{AUTOMATION}/field_updates",
        400,
        bad_type("field_updates", "field_updates", "$.field_updates[0]", "jsonobject"),
        {"json": {"field_updates": [5]}},
    ),
    Case(
        "field-update-name-number",
        "POST",
        f"{AUTOMATION}/field_updates",
        400,
        bad_type("field_updates", "name", "$.field_updates[*].name", "text"),
        {"json": {"field_updates": [{"name": 5}]}},
    ),
    Case(
        "tasks-string",
        "POST",
        f"{AUTOMATION}/tasks",
        400,
        no_collection("tasks"),
        {"json": {"tasks": "x"}},
    ),
    Case(
        "task-id-number",
        "PUT",
        f"{AUTOMATION}/tasks",
        400,
        bad_type("tasks", "id", "$.tasks[*].id", "bigint"),
        {"json": {"tasks": [{"id": 5}]}},
    ),
    Case(
        "tags-string",
        "POST",
        f"{TAGS}?module=Deals",
        400,
        no_collection("tags"),
        {"json": {"tags": "x"}},
    ),
    Case(
        "tag-name-number",
        "POST",
        f"{TAGS}?module=Deals",
        400,
        bad_type("tags", "name", "$.tags[0].name", "text"),
        {"json": {"tags": [{"name": 5}]}},
    ),
    Case(
        "tag-color-number",
        "POST",
        f"{TAGS}?module=Deals",
        400,
        bad_type("tags", "color_code", "$.tags[0].color_code", "text"),
        {"json": {"tags": [{"name": "Fine", "color_code": 5}]}},
    ),
    Case(
        "records-data-string",
        "POST",
        DEALS,
        400,
        top(
            "INVALID_DATA",
            "invalid data",
            expected_data_type="jsonarray",
            api_name="data",
            json_path="$.data",
        ),
        {"json": {"data": "x"}},
    ),
    Case(
        "record-not-object",
        "POST",
        DEALS,
        400,
        item(
            "data",
            "INVALID_DATA",
            "invalid data",
            expected_data_type="jsonobject",
            api_name="data",
            json_path="$.data[0]",
        ),
        {"json": {"data": [5]}},
    ),
    Case(
        "record-currency-string",
        "POST",
        DEALS,
        400,
        item(
            "data",
            "INVALID_DATA",
            "invalid data",
            expected_data_type="currency",
            api_name="Amount",
            json_path="$.data[0].Amount",
        ),
        {"json": {"data": [{"Deal_Name": "x", "Amount": "lots", "Stage": "Qualification"}]}},
    ),
]

IDS_AND_PAGES = [
    # ids of the wrong length, in the URL and in bodies/params
    Case("rule-id-short", "GET", f"{RULES}/12345", 400, BAD_URL_ID),
    Case("rule-id-20-digits", "GET", f"{RULES}/12345678901234567890", 400, BAD_URL_ID),
    Case("rule-id-letters", "PUT", f"{RULES}/abc", 400, BAD_URL_ID, {"json": body({})}),
    Case("rule-id-delete", "DELETE", f"{RULES}/123", 400, BAD_URL_ID),
    Case("usage-id", "GET", f"{RULES}/123/actions/usage", 400, BAD_URL_ID),
    Case("task-get-id", "GET", f"{AUTOMATION}/tasks/123", 400, BAD_URL_ID),
    Case(
        "webhook-id",
        "PUT",
        f"{AUTOMATION}/webhooks/123",
        400,
        BAD_URL_ID,
        {"json": {"webhooks": [{"name": "x"}]}},
    ),
    Case("task-id", "DELETE", f"{AUTOMATION}/tasks/123", 400, BAD_URL_ID),
    Case("tag-id", "DELETE", f"{TAGS}/123", 400, top("INVALID_DATA", "tags not found", id="123")),
    Case(
        "record-id",
        "GET",
        f"{DEALS}/123",
        400,
        top("INVALID_DATA", "the id given seems to be invalid", resource_path_index=1),
    ),
    Case(
        "record-id-put",
        "PUT",
        f"{DEALS}/123",
        400,
        item("data", "INVALID_DATA", "the id given seems to be invalid", resource_path_index=1),
        {"json": {"data": [{"Deal_Name": "x"}]}},
    ),
    Case(
        "bulk-delete-short-ids",
        "DELETE",
        f"{RULES}?ids=1,2",
        400,
        {
            "workflow_rules": [
                top("INVALID_DATA", "the id given seems to be invalid", id="1"),
                top("INVALID_DATA", "the id given seems to be invalid", id="2"),
            ]
        },
    ),
    Case(
        "bulk-put-short-id",
        "PUT",
        RULES,
        400,
        item(
            "workflow_rules",
            "INVALID_DATA",
            "the id given seems to be invalid",
            api_name="id",
            json_path="$.workflow_rules[0].id",
        ),
        {"json": {"workflow_rules": [{"id": "123", "name": "x"}]}},
    ),
    # negative, zero, huge and non-numeric page numbers
    Case("page-zero", "GET", f"{RULES}?page=0", 400, bad_param("page")),
    Case("page-negative", "GET", f"{RULES}?page=-1", 400, bad_param("page")),
    Case("page-letters", "GET", f"{RULES}?page=abc", 400, bad_param("page")),
    Case("per-page-zero", "GET", f"{RULES}?per_page=0", 400, bad_param("per_page")),
    Case("per-page-201", "GET", f"{RULES}?per_page=201", 400, bad_param("per_page")),
    Case("users-page-zero", "GET", "/crm/v8/users?page=0", 400, bad_param("page")),
    Case(
        "records-page-negative", "GET", f"{DEALS}?fields=Deal_Name&page=-5", 400, bad_param("page")
    ),
    Case(
        "records-page-huge",
        "GET",
        f"{DEALS}?fields=Deal_Name&page=99999999999999999999",
        400,
        top(
            "DISCRETE_PAGINATION_LIMIT_EXCEEDED",
            "You can only get the first 2000 records without using page_token param",
            limit=2000,
        ),
    ),
    # `ids=` with 11 ids: every bulk delete takes at most 10
    *[
        Case(
            f"eleven-ids-{kind}",
            "DELETE",
            f"{AUTOMATION}/{kind}?ids={ELEVEN_IDS}",
            400,
            TOO_MANY_IDS,
        )
        for kind in ("workflow_rules", "field_updates", "email_notifications", "tasks")
    ],
    Case(
        "eleven-ids-webhooks",
        "DELETE",
        f"{AUTOMATION}/webhooks?ids={ELEVEN_IDS}",
        400,
        top("INVALID_DATA", "Bulk deletion of records limit reached", param_name="ids", limit=10),
    ),
    Case(
        "eleven-ids-actions-count",
        "GET",
        f"{RULES}/actions/actions_count?ids={ELEVEN_IDS}",
        400,
        TOO_MANY_IDS,
    ),
    Case(
        "empty-ids",
        "DELETE",
        f"{RULES}?ids=,,,",
        400,
        top("REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", param_name="ids"),
    ),
    # SQL- and script-looking strings are just (invalid) text
    Case(
        "script-tag-name",
        "POST",
        f"{TAGS}?module=Deals",
        400,
        item(
            "tags",
            "INVALID_DATA",
            "special characters found in the given name",
            api_name="name",
            json_path="$.tags[0].name",
        ),
        {"json": {"tags": [{"name": "<script>alert(1)</script>"}]}},
    ),
    Case(
        "emoji-tag-name",  # Zoho's create-tag rules: no emoji in tag names (rule names may)
        "POST",
        f"{TAGS}?module=Deals",
        400,
        item(
            "tags",
            "INVALID_DATA",
            "special characters found in the given name",
            api_name="name",
            json_path="$.tags[0].name",
        ),
        {"json": {"tags": [{"name": "Rocket 🚀"}]}},
    ),
    Case(
        "script-rule-name",
        "POST",
        RULES,
        400,
        item(
            "workflow_rules",
            "INVALID_DATA",
            "Special characters found",
            api_name="name",
            json_path="$.workflow_rules[*].name",
        ),
        post_rule(name="<script>alert(1)</script>"),
    ),
    Case(
        "sql-module-param",
        "GET",
        "/crm/v8/settings/fields?module=Deals%27%20OR%201%3D1--",
        400,
        top("INVALID_MODULE", "the module name given seems to be invalid"),
    ),
    Case(
        "script-module-param",
        "GET",
        "/crm/v8/workflow_configurations?module=%3Cscript%3E",
        400,
        top("INVALID_MODULE", "The value provided to the param is Invalid", param_name="module"),
    ),
    Case(
        "sql-ids",
        "DELETE",
        f"{RULES}?ids=%27%20OR%201%3D1%20--",
        400,
        {
            "workflow_rules": [
                top("INVALID_DATA", "the id given seems to be invalid", id="' OR 1=1 --")
            ]
        },
    ),
]
