"""Whether work runs without holding a lock: only another thread can tell (the thread that
holds an RLock re-enters it)."""

from __future__ import annotations

import threading


def lock_is_free(lock: threading.RLock) -> bool:
    """Whether another thread could take `lock` right now."""
    free: list[bool] = []

    def probe() -> None:
        got = lock.acquire(blocking=False)
        free.append(got)
        if got:
            lock.release()

    other = threading.Thread(target=probe)
    other.start()
    other.join()
    return free[0]


def lock_states(monkeypatch, owner: object, name: str, lock: threading.RLock) -> list[bool]:
    """Replace `owner.name` with a wrapper that records, at each call, whether `lock` is free;
    the list fills as the code under test calls it."""
    free: list[bool] = []
    original = getattr(owner, name)

    def probe(*args, **kwargs):
        free.append(lock_is_free(lock))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, probe)
    return free
