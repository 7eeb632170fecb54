"""The state file behind `mockcrm serve --state-file`: every org (with the seed it came from),
their snapshots and the tokens mockcrm issued, as one JSON document. Written atomically (a temp
file in the same directory, fsync, rename), so a reader or a crash never sees half a file. The
journal and faults are runtime aids, not state, and are not saved."""

from __future__ import annotations

import itertools
import json
import logging
import os
import stat
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from mockcrm.core.ids import is_digits
from mockcrm.core.store import ORG_ID_BASE, Origin, Store, Token

log = logging.getLogger("mockcrm.persistence")

FORMAT_VERSION = 1
DEFAULT_ORG = "default"  # how the CLI and admin API name the default org


class StateFileError(ValueError):
    """The file is not a mockcrm state file (or a version this mockcrm cannot read)."""


class Document:
    """The state file's text, made again after each change from what changed only: an org's
    entry (its origin and state) is copied and serialised when it changed since the last time
    (`Store.changed`), and a snapshot once (it is never changed after it is taken). Copying and
    serialising every org at every change held the store lock for seconds with 100 orgs."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._orgs: dict[str, tuple[int, str]] = {}  # org id -> (generation made at, text)
        self._snapshots: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}

    def text(self) -> tuple[int, str]:
        """The document as JSON, and the store generation it reflects (one consistent cut)."""
        st, fresh = self.store, {}
        with st.lock:
            generation = st.generation
            for org_id, org in st.orgs.items():
                made = self._orgs.get(org_id, (-1, ""))[0]
                if made < max(st.changed.get(org_id, 0), st.all_changed):
                    entry = {"origin": _origin(st.origins.get(org_id)), "state": org.to_state()}
                    fresh[org_id] = entry
            org_ids = list(st.orgs)
            snapshots = {org_id: dict(named) for org_id, named in st.snapshots.items()}
            tokens = [_token(t) for t in st.tokens.values()]
            default = st.default_org_id
            st.forget_changes(org_ids)
        # Serialised outside the lock: requests go on meanwhile.
        for org_id, entry in fresh.items():
            self._orgs[org_id] = (generation, _json(entry))
        for gone in self._orgs.keys() - set(org_ids):
            del self._orgs[gone]
        orgs = ",".join(f"{_json(org_id)}:{self._orgs[org_id][1]}" for org_id in org_ids)
        document = (
            f'{{"version":{FORMAT_VERSION},"default_org_id":{_json(default)},"orgs":{{{orgs}}},'
            f'"snapshots":{self._snapshots_text(snapshots)},"tokens":{_json(tokens)}}}'
        )
        return generation, document

    def _snapshots_text(self, snapshots: dict[str, dict[str, dict[str, Any]]]) -> str:
        kept: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
        per_org = []
        for org_id, named in snapshots.items():
            texts = []
            for name, state in named.items():
                cached = self._snapshots.get((org_id, name))
                text = cached[1] if cached and cached[0] is state else _json(state)
                kept[(org_id, name)] = (state, text)
                texts.append(f"{_json(name)}:{text}")
            per_org.append(f"{_json(org_id)}:{{{','.join(texts)}}}")
        self._snapshots = kept
        return f"{{{','.join(per_org)}}}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Temp file in the target's directory + fsync + os.replace: old or new, never torn."""
    target = Path(path)
    directory = target.parent
    fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (it holds tokens); an existing file keeps its own mode.
        if target.exists():
            os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); not possible on every platform."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def save(store: Store, path: str | os.PathLike[str]) -> int:
    """Write the store to `path`; returns the generation written."""
    generation, text = Document(store).text()
    write_atomically(path, text)
    return generation


def read(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A state file's document, checked for shape. Raises StateFileError (or OSError)."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except ValueError as error:
        raise StateFileError(f"{path}: not JSON ({error})") from error
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise StateFileError(f"{path}: not a mockcrm state file of version {FORMAT_VERSION}")
    orgs = document.get("orgs")
    if not isinstance(orgs, dict) or document.get("default_org_id") not in orgs:
        raise StateFileError(f"{path}: no orgs or no default org")
    return document


def org_state(document: dict[str, Any], org_id: str) -> dict[str, Any] | None:
    """One org's exported state from a state-file document (`default` names the default org)."""
    if org_id == DEFAULT_ORG:
        org_id = document["default_org_id"]
    entry = document["orgs"].get(org_id)
    return entry["state"] if entry else None


def load(store: Store, path: str | os.PathLike[str]) -> None:
    """Replace the store's orgs, snapshots and tokens with the file's (templates stay loaded)."""
    apply(store, read(path))


def apply(store: Store, document: dict[str, Any]) -> None:
    from mockcrm.crm.org import Org
    from mockcrm.seed.loader import catalogue

    try:
        orgs = {
            org_id: Org.from_state({**entry["state"], "id": org_id}, catalogue())
            for org_id, entry in document["orgs"].items()
        }
        origins = {
            org_id: Origin(**(entry.get("origin") or {"seed": "zylker"}))
            for org_id, entry in document["orgs"].items()
        }
        tokens = [_parse_token(t) for t in document.get("tokens", [])]
    except (KeyError, TypeError, ValueError) as error:
        raise StateFileError(f"malformed state file: {error!r}") from error
    with store.lock:
        store.orgs = orgs
        store.origins = origins
        store.default_org_id = document["default_org_id"]
        store.snapshots = {k: dict(v) for k, v in document.get("snapshots", {}).items()}
        store.tokens = {t.value: t for t in tokens}
        # New isolated orgs must not reuse the id of a restored org, nor of a deleted one whose
        # tokens are kept (they would open the new org).
        known = [*orgs, *(t.org_id for t in tokens)]
        numbers = [int(i) - ORG_ID_BASE for i in known if is_digits(i) and int(i) > ORG_ID_BASE]
        store._org_numbers = itertools.count(max(numbers, default=0) + 1)


def _origin(origin: Origin | None) -> dict[str, Any]:
    origin = origin or Origin("zylker")
    return {"seed": origin.seed, "fake_rules": origin.fake_rules, "fake_seed": origin.fake_seed}


def _token(token: Token) -> dict[str, Any]:
    return {
        "value": token.value,
        "org_id": token.org_id,
        "scopes": sorted(token.scopes),
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        "refresh": token.refresh,
        "revoked": token.revoked,
        "client": list(token.client) if token.client else None,
        "granted_by": token.granted_by,
    }


def _parse_token(raw: dict[str, Any]) -> Token:
    expires = raw.get("expires_at")
    return Token(
        value=raw["value"],
        org_id=raw["org_id"],
        scopes=frozenset(raw["scopes"]),
        expires_at=datetime.fromisoformat(expires) if expires else None,
        refresh=bool(raw.get("refresh", False)),
        revoked=bool(raw.get("revoked", False)),
        client=(str(client[0]), str(client[1])) if (client := raw.get("client")) else None,
        granted_by=raw.get("granted_by"),
    )


class Saver:
    """Saves the store to its state file shortly after each change (a daemon thread polling the
    store's generation), so even a `kill -9` loses at most the last `interval` or so."""

    def __init__(self, store: Store, path: str | os.PathLike[str], interval: float = 0.25) -> None:
        self.store = store
        self.path = path
        self.interval = interval
        self.saved_generation = -1
        self.document = Document(store)
        self._save_lock = threading.RLock()  # a signal handler may save mid-save
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mockcrm-saver", daemon=True)

    def start(self) -> Saver:
        self._thread.start()
        return self

    def save(self, *, force: bool = False) -> bool:
        """Write the file if the store changed since the last write (or always, with `force`)."""
        with self._save_lock:
            if not force and self.store.generation == self.saved_generation:
                return False
            generation, text = self.document.text()
            write_atomically(self.path, text)
            self.saved_generation = generation
            return True

    def stop(self) -> None:
        """Stop polling and write any last change."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self.save()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.save()
            except OSError as error:
                # A full disk or a removed directory must not kill the server; retry next tick.
                log.error("could not save %s: %s", self.path, error)
