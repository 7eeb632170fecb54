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
