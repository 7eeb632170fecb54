"""Helpers the SDK settings and metadata tests share (test_sdk_settings.py,
test_sdk_metadata.py)."""

from __future__ import annotations

from typing import Any

from zohocrmsdk.src.com.zoho.crm.api.parameter_map import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.util import APIResponse, Choice


def param_map(param_class: type, **values: Any) -> ParameterMap:
    """A ParameterMap of `param_class`'s Params (GetHolidaysParam.year, ...) by name."""
    out = ParameterMap()
    for name, value in values.items():
        out.add(getattr(param_class, name), value)
    return out


def choice(value: Any) -> Any:
    """A Choice's value: the SDK wraps enum-typed keys in Choice objects."""
    assert isinstance(value, Choice), f"expected a Choice, got {value!r}"
    return value.get_value()


def success(resp: APIResponse, status: int, wrapper: type, key: str) -> Any:
    """The one success item of an action response (`key`: the wrapper's list or object)."""
    assert resp.get_status_code() == status
    body = resp.get_object()
    assert isinstance(body, wrapper), body
    item = getattr(body, f"get_{key}")()
    if isinstance(item, list):
        (item,) = item
    return item
