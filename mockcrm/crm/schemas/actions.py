"""Request bodies of the automation-action entities (field updates, email notifications, tasks,
webhooks): the marshmallow schemas (types, mandatory keys). Imported on first validation only:
crm/action_builders.py holds the per-kind checks that need the org, crm/actions.py the generic
service and the table of kinds (which names these classes)."""

from __future__ import annotations

from mockcrm.crm.validation import ZohoSchema, any_value, array, boolean, obj, text

# Zoho reports a non-text id as `bigint` (field_updates / webhooks YAML examples).
BIGINT = {"invalid": "INVALID_DATA|Invalid data type|bigint"}
# tasks: "MandatoryDataMissingResponse" for a field mapping without a value.
MAPPING_VALUE_MISSING = {"required": "MANDATORY_NOT_FOUND|The required data missing|"}


class RefSchema(ZohoSchema):
    """A module or field reference: `{api_name, id}` (either is enough)."""

    api_name = text()
    id = text(error_messages=BIGINT)


class EntitySchema(ZohoSchema):
    """What every entity body shares. `id` is read only by PUT without an id in the URL."""

    id = text(error_messages=BIGINT)
    name = text(required=True)
    module = obj(RefSchema, required=True)
    related_module = obj(RefSchema, allow_none=True)
    feature_type = text()


class DependentFieldSchema(ZohoSchema):
    field = obj(RefSchema, required=True)
    value = any_value(required=True)


class FieldUpdateSchema(EntitySchema):
    field = obj(RefSchema, required=True)
    value = any_value(required=True)
    type = text(required=True)
    notify = boolean()
    update_type = text(allow_none=True)
    apply_assignment_threshold = boolean()
    dependent_fields = array(obj(DependentFieldSchema), allow_none=True)
    related_records = array(obj(RefSchema), allow_none=True)


class FieldMappingSchema(ZohoSchema):
    field = obj(RefSchema, required=True)
    type = text(required=True)
    value = any_value(required=True, error_messages=MAPPING_VALUE_MISSING)
    display_value = any_value()


class TaskSchema(EntitySchema):
    field_mappings = array(obj(FieldMappingSchema), required=True)
    notify = any_value()  # a non-boolean has its own message (crm/action_builders.build_task)


class ParameterSchema(ZohoSchema):
    """A webhook header / body / url parameter; both keys are checked by the service."""

    name = text(allow_none=True)
    value = text(allow_none=True)


class ParametersSchema(ZohoSchema):
    module_parameters = array(obj(ParameterSchema), allow_none=True)
    custom_parameters = array(obj(ParameterSchema), allow_none=True)


class WebhookBodySchema(ZohoSchema):
    type = text(required=True)
    format = text(allow_none=True)
    raw_data_content = text(allow_none=True)
    # Not an object: Zoho's own message (crm/webhook_builder._webhook_body).
    form_data_content = any_value()


class DateTimeFormatSchema(ZohoSchema):
    date_format = text()
    datetime_format = text()
    time_zone = text()


class AuthenticationSchema(ZohoSchema):
    type = text(required=True)
    connection_name = text(allow_none=True)


class WebhookSchema(EntitySchema):
    url = text(required=True, error_messages={"invalid": "INVALID_DATA|Invalid data type|website"})
    http_method = text(required=True, allow_none=True)  # null: checked by build_webhook
    feature_type = text(required=True)
    description = text(allow_none=True)
    headers = obj(ParametersSchema, allow_none=True)
    url_parameters = obj(ParametersSchema, allow_none=True)
    body = obj(WebhookBodySchema, allow_none=True)
    date_time_format = obj(DateTimeFormatSchema, allow_none=True)
    authentication = obj(AuthenticationSchema, required=True)


class TemplateSchema(ZohoSchema):
    id = text(required=True, error_messages=BIGINT)
    name = text()


class AddressSchema(ZohoSchema):
    type = text(required=True)
    resource = any_value()


class RecipientsSchema(ZohoSchema):
    to = array(any_value())
    cc = array(any_value(), allow_none=True)
    bcc = array(any_value(), allow_none=True)


class EmailNotificationSchema(EntitySchema):
    template = obj(TemplateSchema, required=True)
    from_address = obj(AddressSchema, allow_none=True)
    reply_to_address = obj(AddressSchema, allow_none=True)
    recipients = obj(RecipientsSchema, required=True)
    bulk_email = boolean()
