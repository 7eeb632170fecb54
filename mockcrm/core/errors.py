"""The one error type and the one place that renders Zoho's two error envelopes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ZohoError(Exception):
    """A Zoho error: per-item envelope `{collection: [item]}` if `collection`, else top-level."""

    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    status: int = 400
    collection: str | None = None

    def __post_init__(self) -> None:
        super().__init__(f"{self.code}: {self.message}")

    def item(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "details": self.details,
            "message": self.message,
            "status": "error",
        }

    def body(self) -> dict[str, Any]:
        if self.collection:
            return {self.collection: [self.item()]}
        return self.item()

    def wrapped(self, collection: str) -> ZohoError:
        """The same error in the per-item envelope of `collection`."""
        return ZohoError(self.code, self.message, self.details, self.status, collection)


def field_error(
    code: str,
    message: str,
    api_name: str | None,
    path: str | None,
    collection: str | None,
    **extra: Any,
) -> ZohoError:
    """An error about one key of a request body: `api_name`, then `extra`, then the key's
    `json_path` in details (each left out when None); per item of `collection`, or top-level
    when it is None."""
    details: dict[str, Any] = {}
    if api_name is not None:
        details["api_name"] = api_name
    details.update(extra)
    if path is not None:
        details["json_path"] = path
    return ZohoError(code, message, details, collection=collection)


def success_item(rid: str, message: str) -> dict[str, Any]:
    return {"code": "SUCCESS", "details": {"id": rid}, "message": message, "status": "success"}


def batch_status(items: list[dict[str, Any]], all_ok: int = 200) -> int:
    """The HTTP status of a per-item answer: `all_ok` when every item succeeded, 207 when some
    did, 400 when none did (Zoho's write and bulk-delete APIs alike)."""
    ok = sum(item["status"] == "success" for item in items)
    return all_ok if ok == len(items) else 207 if ok else 400


# Platform-level errors every endpoint can answer (fact sheet core §11).
def invalid_url_pattern() -> ZohoError:
    return ZohoError(
        "INVALID_URL_PATTERN",
        "Please check if the URL trying to access is a correct one",
        status=404,
    )


def invalid_request_method() -> ZohoError:
    return ZohoError("INVALID_REQUEST_METHOD", "The http request method type is not a valid one")


def internal_error() -> ZohoError:
    return ZohoError("INTERNAL_ERROR", "Internal Server Error", status=500)


def api_not_supported(version: int, supported: int = 8) -> ZohoError:
    return ZohoError(
        "API_NOT_SUPPORTED",
        f"The api version {version} is not supported. Please use the version {supported} or above.",
        {"supported_version": supported},
    )


def invalid_body(collection: str) -> ZohoError:
    """Body is not JSON, or the collection key is missing / not an array."""
    return ZohoError(
        "INVALID_DATA", "invalid data", {"api_name": collection, "json_path": f"$.{collection}"}
    )


def param_invalid(param: str, code: str = "INVALID_DATA") -> ZohoError:
    return ZohoError(code, "The value provided to the param is Invalid", {"param_name": param})


def param_missing(
    param: str, message: str = "One of the expected parameter is missing"
) -> ZohoError:
    return ZohoError("REQUIRED_PARAM_MISSING", message, {"param_name": param})


def invalid_url_id() -> ZohoError:
    """An unknown id in the URL (`resource_path_index` 3: the segment after /crm/v8/settings/x)."""
    return ZohoError("INVALID_DATA", "the id given seems to be invalid", {"resource_path_index": 3})
