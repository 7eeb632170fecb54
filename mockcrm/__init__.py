"""mockcrm: a local emulator of Zoho CRM v8 workflow-automation APIs."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "create_app"]


def __getattr__(name: str) -> Any:
    # Lazy: `mockcrm.server` alone (the benchmarks' bare-Flask floor) does not load the app.
    if name == "create_app":
        from mockcrm.app import create_app

        return create_app
    raise AttributeError(f"module 'mockcrm' has no attribute {name!r}")
