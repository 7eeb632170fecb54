"""Request bodies checked against their marshmallow schema, named by module and class: the
schema modules (and marshmallow, ~25 ms of import) load with the first write, never for reads,
and each schema is built once."""

from __future__ import annotations

import functools
import importlib
from typing import Any


@functools.cache
def _schema(module: str, name: str, partial: bool) -> Any:
    """One instance per schema: building one deep-copies every declared field (most of a
    create's cost). Reused safely: crm code runs under the store lock. `partial` is PUT's
    reading: every top-level key optional (omitted keys keep their values), nested objects that
    are sent still complete."""
    cls = getattr(importlib.import_module(f"mockcrm.crm.schemas.{module}"), name)
    return cls(partial=tuple(cls._declared_fields)) if partial else cls()


def checked(
    module: str,
    name: str,
    data: Any,
    root: str,
    collection: str,
    top: str | None = None,
    *,
    partial: bool = False,
) -> dict[str, Any]:
    """`data` loaded by schemas/<module>.<name>, errors as Zoho's (crm/validation.load)."""
    from mockcrm.crm.validation import load  # lazy: marshmallow loads with the first write

    return load(_schema(module, name, partial), data, root, collection, top)
