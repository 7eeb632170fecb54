"""The rules a tag's name and colour follow wherever a tag is made: the Tags API (crm/tags.py)
and a record write that names a new tag (its `Tag` list, add_tags: crm/record_values.py,
crm/record_tags.py)."""

from __future__ import annotations

from typing import Any

from mockcrm.core.errors import field_error

TAG_NAME_LENGTH = 25
TAG_NAME_FORBIDDEN = frozenset("<>,")
TAG_COLOR_LENGTH = 7
# Zoho's colour palette (tags.json Tag.color_code enum; the create-tag doc lists the same).
TAG_PALETTE = (
    "#57B1FD", "#879BFC", "#658BA8", "#FD87BD", "#969696", "#F48435", "#1DB9B4",
    "#E7A826", "#63C57E", "#F17574", "#D297EE", "#A8C026", "#B88562",
)  # fmt: skip
TAGS_PER_RECORD = 10  # fact sheet §4.1 (Zoho's docs); v8's `record_limit` is records per tag


def has_forbidden(name: str) -> bool:
    """No < > , and no emoji in a tag name (Zoho's create-tag rules; the Tags API's too)."""
    return any(
        c in TAG_NAME_FORBIDDEN or ord(c) > 0xFFFF or 0x2600 <= ord(c) <= 0x27BF for c in name
    )


def tag_color(color: Any, path: str, collection: str | None) -> str | None:
    """A tag's `color_code`: null, or one of Zoho's palette (kept in upper case). `path` is the
    key's own json_path; the error belongs to `collection` (None: the request's)."""
    if color is None:
        return None
    if isinstance(color, str) and len(color) > TAG_COLOR_LENGTH:
        raise field_error(
            "INVALID_DATA", "invalid data", "color_code", path, collection,
            maximum_length=TAG_COLOR_LENGTH,
        )  # fmt: skip
    if not isinstance(color, str) or color.upper() not in TAG_PALETTE:
        raise field_error("INVALID_DATA", "invalid data", "color_code", path, collection)
    return color.upper()
