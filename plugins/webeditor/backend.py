"""Decap CMS's local_backend protocol over the working copy: what decap-server does, plus what the
portal needs of a save — written atomically, only inside content/, and committed to git naming the
article, then the file's checks run so that the editor sees them.

Decap's proxy backend POSTs ``{"action": ..., "params": {...}}`` to /api/v1 (decap-server's
localFs middleware is the reference: info, entriesByFolder, entriesByFiles, getEntry, persistEntry,
getMedia, getMediaFile, persistMedia, deleteFile, deleteFiles, getDeployPreview).
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import tempfile
import threading
from collections.abc import Callable

import messages
from sourcefiles import read_front_matter

# Where the editor may write, relative to the project: the content model's folders, nothing else
# (not the settings, the theme, the plugins, .git).
WRITABLE = ("content/articles/", "content/pages/", "content/documents/", "content/data/tables/", "content/images/", "content/files/")
MAX_UPLOAD = 50 * 1024 * 1024  # what the server reads of one request: a big scan, not a video


class BackendError(Exception):
    """A request the backend refuses; its message is for the editor (from the catalogue)."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def atomic_write(path: str, data: bytes) -> None:
    """Write ``path`` so that a reader, a crash or a full disk never sees half a file: a temporary
    file beside it, flushed to disk, then renamed over it in one step. On any failure the previous
    file is left as it was and the temporary one removed."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".saving")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if os.path.exists(path):
            os.chmod(temporary, os.stat(path).st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LocalBackend:
    """One working copy. ``check`` (path -> report text) runs the portal's checks on a saved file."""

    def __init__(self, root: str, check: Callable[[str], str] | None = None, commit: bool = True):
        self.root = os.path.realpath(root)
        self.check = check
        self.commit = commit
        self.lock = threading.Lock()  # one save at a time: a commit names exactly its files
        self.results: dict[str, dict] = {}  # path -> what the last save of it said (checks, commit)
        self.last: dict = {}  # the last save's: Decap's postSave does not always know a new entry's path

    # --- paths --------------------------------------------------------------------------------
    def resolve(self, relative: object, write: bool = False) -> str:
        """The absolute path of a project-relative path the CMS sent, refused when it leaves the
        project, goes through a symbolic link, or (to write) lies outside the content folders."""
        if not isinstance(relative, str) or not relative or "\x00" in relative or "\\" in relative:
            raise BackendError(messages.say("edit-path-refused", path=str(relative)[:200]))
        clean = os.path.normpath(relative.lstrip("/")).replace(os.sep, "/")
        if clean.startswith("../") or clean == ".." or os.path.isabs(clean):
            raise BackendError(messages.say("edit-path-refused", path=relative[:200]))
        if write and not any(clean.startswith(folder) for folder in WRITABLE):
            raise BackendError(messages.say("edit-path-refused", path=relative[:200]))
        if not write and not clean.startswith("content/") and clean != "content":
            raise BackendError(messages.say("edit-path-refused", path=relative[:200]))
        path = os.path.join(self.root, clean)
        # No symbolic link on the way: a link in content/ could otherwise read or overwrite any file.
        walked = self.root
        for part in clean.split("/"):
            walked = os.path.join(walked, part)
            if os.path.islink(walked):
                raise BackendError(messages.say("edit-path-refused", path=relative[:200]))
        return path

    def relative(self, path: str) -> str:
        return os.path.relpath(path, self.root).replace(os.sep, "/")

    # --- reading --------------------------------------------------------------------------------
    def _entry(self, relative: str, label: str | None = None) -> dict:
        try:
            with open(self.resolve(relative), "rb") as handle:
                data = handle.read()
        except (OSError, BackendError):
            return {"data": None, "file": {"path": relative, "label": label, "id": None}}
        return {"data": data.decode("utf-8", errors="replace"), "file": {"path": relative, "label": label, "id": _sha(data)}}

    def _list(self, folder: str, extension: str, depth: int) -> list[str]:
        start = self.resolve(folder)
        found: list[str] = []

        def walk(current: str, left: int) -> None:
            if left <= 0:
                return
            try:
                entries = sorted(os.scandir(current), key=lambda e: e.name)
            except OSError:
                return
            for entry in entries:
                if entry.name.startswith(".") or entry.is_symlink():
                    continue  # our own .saving files, and links, are never content
                if entry.is_dir():
                    walk(entry.path, left - 1)
                elif entry.name.endswith(extension):
                    found.append(self.relative(entry.path))

        walk(start, int(depth))
        return found

    def _media(self, relative: str) -> dict:
        path = self.resolve(relative)
        with open(path, "rb") as handle:
            data = handle.read()
        return {"id": _sha(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64", "path": relative, "name": os.path.basename(path)}

    # --- the protocol ---------------------------------------------------------------------------
    def handle(self, action: str, params: dict) -> object:
        if action == "info":
            return {"repo": os.path.basename(self.root), "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            return [self._entry(p) for p in self._list(params["folder"], params.get("extension", ""), params.get("depth", 1))]
        if action == "entriesByFiles":
            return [self._entry(f["path"], f.get("label")) for f in params["files"]]
        if action == "getEntry":
            return self._entry(params["path"])
        if action == "persistEntry":
            return self.persist_entry(params)
        if action == "getMedia":
            return [self._media(p) for p in self._list(params["mediaFolder"], "", 1)]
        if action == "getMediaFile":
            return self._media(params["path"])
        if action == "persistMedia":
            asset = params["asset"]
            with self.lock:
                path = self.resolve(asset["path"], write=True)
                atomic_write(path, base64.b64decode(asset["content"]))
                self._commit([path], messages.say("edit-commit-media", path=self.relative(path)))
            return self._media(self.relative(path))
        if action in ("deleteFile", "deleteFiles"):
            paths = [params["path"]] if action == "deleteFile" else list(params["paths"])
            with self.lock:
                absolute = [self.resolve(p, write=True) for p in paths]
                for path in absolute:
                    if os.path.isfile(path):
                        os.unlink(path)
                self._commit(absolute, messages.say("edit-commit-delete", path=", ".join(self.relative(p) for p in absolute)))
            return {"message": "deleted"}
        if action == "getDeployPreview":
            return None
        raise BackendError(messages.say("edit-action-unknown", action=str(action)[:80]))

    def persist_entry(self, params: dict) -> dict:
        # Decap 3 sends dataFiles (decap-server reads entry when they are missing).
        data_files = params.get("dataFiles") or [params["entry"]]
        assets = params.get("assets") or []
        with self.lock:
            # Every path is checked before anything is written: a refused one writes nothing.
            targets = [(self.resolve(f["path"], write=True), f["raw"].encode("utf-8"), f.get("newPath")) for f in data_files]
            media = [(self.resolve(a["path"], write=True), base64.b64decode(a["content"])) for a in assets]
            moves = [(path, self.resolve(new, write=True)) for path, _raw, new in targets if new]
            created = not os.path.exists(targets[0][0])
            # Pictures first: an article is never committed naming a picture that is not there.
            for path, data in media:
                atomic_write(path, data)
            for path, raw, _new in targets:
                atomic_write(path, raw)
            changed = [path for path, _ in media] + [path for path, _, _ in targets]
            for old, new in moves:
                if os.path.exists(new):
                    raise BackendError(messages.say("edit-move-exists", path=self.relative(new)))
                os.makedirs(os.path.dirname(new), exist_ok=True)
                os.replace(old, new)
                changed += [old, new]
            article = moves[0][1] if moves else targets[0][0]
            front = read_front_matter(article) if article.endswith(".md") else None
            title = (front and (front.get("title") or front.get("number"))) or os.path.basename(article)
            key = "edit-commit-new" if created else "edit-commit-update"
            commit = self._commit(changed, messages.say(key, title=" ".join(title.split()), path=self.relative(article)))
            report = self.check(article) if self.check else ""
            self.last = {"path": self.relative(article), "checks": report, "commit": commit}
            self.results[self.relative(article)] = self.last
        return {"message": "entry persisted", "checks": report, "commit": commit}

    def _commit(self, paths: list[str], message: str) -> str:
        """Commit exactly these paths (others an editor has changed by hand stay as they are);
        returns what to tell the editor: the commit made, or why there was none."""
        if not self.commit:
            return ""
        relative = [self.relative(p) for p in paths]
        git = ["git", "-C", self.root]
        if subprocess.run([*git, "rev-parse", "--is-inside-work-tree"], capture_output=True).returncode != 0:
            return messages.say("edit-commit-no-git")
        identity = []
        if not subprocess.run([*git, "config", "user.email"], capture_output=True, text=True).stdout.strip():
            # An office PC where git was never set up: the save is still committed, under the editor's desk.
            identity = ["-c", "user.name=Biên tập viên", "-c", "user.email=bien-tap@localhost"]
        subprocess.run([*git, "add", "-A", "--", *relative], capture_output=True)
        done = subprocess.run([*git, *identity, "commit", "-q", "-m", message, "--", *relative], capture_output=True, text=True)
        if done.returncode != 0:
            if not subprocess.run([*git, "status", "--porcelain", "--", *relative], capture_output=True, text=True).stdout.strip():
                return messages.say("edit-commit-unchanged")
            said = (done.stderr or done.stdout).strip().splitlines()
            return messages.say("edit-commit-failed", reason=said[-1] if said else "git commit")
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        return messages.say("edit-commit-done", commit=head, message=message)
