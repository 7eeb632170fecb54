"""Settings: one dataclass; every CLI flag has a MOCKCRM_* environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

AUTH_MODES = ("permissive", "strict")


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    seed: str = "zylker"
    auth: str = "permissive"
    # Python threads running requests. One serves the most: more hand the GIL to each other (at
    # every request body granian reads), and 4 served ~1.4x fewer writes (benchmarks/README.md).
    # Injected delays hold no thread (mockcrm/server.py answers them later) and webhooks are
    # delivered from threads of their own; more threads let a long request (a big state import)
    # share the GIL with the others instead of keeping them waiting.
    threads: int = 1
    fake_rules: int = 0
    fake_seed: int = 0
    state_file: str | None = None
    no_admin: bool = False
    admin_token: str | None = None
    journal_size: int = 1000
    deliver_webhooks: bool = False
    # Request bodies above this are refused with a Zoho-shaped 413 (0 = no limit). 5 MiB holds
    # 100 records of Zoho's 32,000-character text areas; the admin API is not limited.
    max_body_bytes: int = 5 * 1024 * 1024

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults <- MOCKCRM_<NAME> environment variables <- explicit overrides (CLI flags)."""
        env = dict(os.environ) if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"MOCKCRM_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _parse(f.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        if settings.auth not in AUTH_MODES:
            raise ValueError(f"auth must be one of {AUTH_MODES}")
        return settings


def _parse(kind: object, raw: str) -> Any:
    if kind in ("int", int):
        return int(raw)
    if kind in ("bool", bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return raw
