"""marshmallow schemas of request bodies: they check shape and JSON types, not business rules."""
