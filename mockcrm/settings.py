"""Settings: one dataclass; every CLI flag has a MOCKCRM_* environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

AUTH_MODES = ("permissive", "strict")
MAX_FAKE_RULES = 10_000  # the admin API's bound too
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")
# What each number may be, inclusive (None: no maximum): a value outside is a usage error, never
# wrapped (a port of 70000 bound 4464) or clamped (--threads 0 ran one thread).
RANGES: dict[str, tuple[int, int | None]] = {
    "port": (0, 65535),
    "threads": (1, None),
    "fake_rules": (0, MAX_FAKE_RULES),
    "journal_size": (0, None),
    "max_body_bytes": (0, None),
}


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
                try:
                    values[f.name] = _parse(f.type, raw)
                except ValueError as error:
                    raise ValueError(f"MOCKCRM_{f.name.upper()}: {error}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        if settings.auth not in AUTH_MODES:
            raise ValueError(f"auth must be one of {AUTH_MODES}")
        for name, (low, high) in RANGES.items():
            value = getattr(settings, name)
            if value < low or (high is not None and value > high):
                bounds = f"at least {low}" if high is None else f"within {low}..{high}"
                raise ValueError(f"{name.replace('_', '-')} must be {bounds}, not {value}")
        return settings


def _parse(kind: object, raw: str) -> Any:
    if kind in ("int", int):
        return int(raw)
    if kind in ("bool", bool):
        word = raw.strip().lower()
        if word not in TRUE_WORDS + FALSE_WORDS:
            raise ValueError(f"{raw!r} is not one of {', '.join(TRUE_WORDS + FALSE_WORDS[:-1])}")
        return word in TRUE_WORDS
    return raw
