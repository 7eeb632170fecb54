"""Request-body schemas of the workflow rules API (PUT's; POST adds `required`)."""

from __future__ import annotations

from marshmallow import fields

from mockcrm.crm.rule_actions import DELETE_KEY
from mockcrm.crm.validation import ZohoSchema, any_value, array, boolean, integer, obj, text


def _delete_field() -> fields.Raw:
    return fields.Raw(data_key=DELETE_KEY, allow_none=True)


class RefSchema(ZohoSchema):
    api_name = text(allow_none=True)
    id = text(allow_none=True)


class ActionSchema(ZohoSchema):
    type = text(required=True, error_messages={"required": "INVALID_DATA|invalid data|"})
    id = text(allow_none=True)
    name = text(allow_none=True)
    details = fields.Dict(
        allow_none=True, error_messages={"invalid": "INVALID_DATA|Invalid data type|jsonobject"}
    )
    related_details = any_value()
    # Kaizen 215 sends `module: "Deals"` beside the details; Zoho accepts and ignores it.
    module = any_value()
    delete = _delete_field()


class InstantActionsSchema(ZohoSchema):
    actions = array(obj(ActionSchema), required=True, allow_none=False)


class ExecuteAfterSchema(ZohoSchema):
    period = text()
    unit = integer()


class ScheduledGroupSchema(ZohoSchema):
    id = text(allow_none=True)
    execute_after = obj(ExecuteAfterSchema)
    actions = array(obj(ActionSchema))
    delete = _delete_field()


class CriteriaDetailsSchema(ZohoSchema):
    criteria = fields.Raw(allow_none=True)
    relational_criteria = fields.Raw(allow_none=True)


class ConditionSchema(ZohoSchema):
    id = text(allow_none=True)
    sequence_number = integer()
    criteria_details = obj(CriteriaDetailsSchema)
    instant_actions = obj(InstantActionsSchema, allow_none=True)
    scheduled_actions = array(obj(ScheduledGroupSchema), allow_none=True)
    delete = _delete_field()


class ExecuteWhenSchema(ZohoSchema):
    type = text(required=True)
    details = fields.Dict(
        allow_none=True, error_messages={"invalid": "INVALID_DATA|Invalid data type|jsonobject"}
    )


class StatusSchema(ZohoSchema):
    active = boolean()
    delete_schedule_action = boolean()


class LockSchema(ZohoSchema):
    status = boolean()
    message = text(allow_none=True)


class RuleUpdateSchema(ZohoSchema):
    id = text(allow_none=True)
    name = text(max_len=100)
    description = text(allow_none=True, max_len=1000)
    module = obj(RefSchema)
    execute_when = obj(ExecuteWhenSchema)
    conditions = array(obj(ConditionSchema))
    status = obj(StatusSchema)
    lock = obj(LockSchema)


class RuleCreateSchema(RuleUpdateSchema):
    name = text(required=True, max_len=100)
    module = obj(RefSchema, required=True)
    execute_when = obj(ExecuteWhenSchema, required=True)
    conditions = array(obj(ConditionSchema), required=True)
