"""The web editor's server: /admin/ (the CMS and our scripts), the theme's files for the preview,
and the local backend's API — on this machine only, never part of a built site.

The CMS's own code is read from node_modules/decap-cms/dist/ (installed by npm ci, pinned in
package-lock.json), so no third-party file is in the repository or in output/.
"""

from __future__ import annotations

import json
import mimetypes
import os
import posixpath
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import messages

from . import ADMIN_PATH, API_PATH, CHECK_PATH
from .backend import MAX_UPLOAD, BackendError, LocalBackend

CMS_DIST = os.path.join("node_modules", "decap-cms", "dist")


def _inside(root: str, relative: str) -> str | None:
    """``root/relative`` when it stays inside ``root`` and is a regular file (no link followed out)."""
    clean = posixpath.normpath("/" + unquote(relative)).lstrip("/")
    path = os.path.realpath(os.path.join(root, clean))
    real_root = os.path.realpath(root)
    if not (path == real_root or path.startswith(real_root + os.sep)) or not os.path.isfile(path):
        return None
    return path


class EditorServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], project: str, config: dict, backend: LocalBackend):
        self.project = project
        self.config = config
        self.backend = backend
        # Static roots by URL prefix: ours, the CMS's build, the theme (the preview's CSS), content's files.
        self.roots = {
            "/admin/decap/": os.path.join(project, CMS_DIST),
            ADMIN_PATH: os.path.join(project, "webeditor"),
            "/theme/": os.path.join(project, "theme", "static"),
            "/images/": os.path.join(project, "content", "images"),
            "/files/": os.path.join(project, "content", "files"),
        }
        super().__init__(address, EditorHandler)

    def allowed_hosts(self) -> set[str]:
        host, port = self.server_address[:2]
        names = {str(host), "localhost", "127.0.0.1"}
        return {f"{name}:{port}" for name in names}


class EditorHandler(BaseHTTPRequestHandler):
    server: EditorServer
    server_version = "portal-edit"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002  (http.server's name)
        pass  # the editor's terminal shows saves and their checks, not every file the CMS loads

    def _send(self, status: int, body: bytes, kind: str, cache: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "max-age=3600" if cache else "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, value: object) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _same_origin(self) -> bool:
        # Another site open in the editor's browser, or a DNS-rebinding name, may not drive the API.
        if self.headers.get("Host", "") not in self.server.allowed_hosts():
            return False
        origin = self.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc in self.server.allowed_hosts()

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path in ("/", "/admin"):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", ADMIN_PATH)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if url.path == ADMIN_PATH + "config.json":
            return self._json(200, self.server.config)
        if url.path == CHECK_PATH:
            if not self._same_origin():
                return self._json(403, {"error": messages.say("edit-origin-refused")})
            wanted = (parse_qs(url.query).get("path") or [""])[0]
            backend = self.server.backend
            return self._json(200, backend.results.get(wanted) or backend.last or {"path": wanted, "checks": "", "commit": ""})
        target = url.path + ("index.html" if url.path == ADMIN_PATH else "")
        for prefix, root in self.server.roots.items():
            if target.startswith(prefix):
                path = _inside(root, target[len(prefix) :])
                if path:
                    with open(path, "rb") as handle:
                        body = handle.read()
                    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    if kind.startswith("text/") or kind.endswith("javascript"):
                        kind += "; charset=utf-8"
                    return self._send(200, body, kind, cache=prefix == "/admin/decap/")
                break
        self._send(404, messages.say("edit-not-found", path=url.path[:200]).encode("utf-8"), "text/plain; charset=utf-8")

    def do_POST(self):
        if urlsplit(self.path).path != API_PATH:
            return self._json(404, {"error": messages.say("edit-not-found", path=self.path[:200])})
        if not self._same_origin():
            return self._json(403, {"error": messages.say("edit-origin-refused")})
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_UPLOAD:
            return self._json(413, {"error": messages.say("edit-too-large", megabytes=MAX_UPLOAD // (1024 * 1024))})
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(request, dict):
                raise ValueError(request)
            result = self.server.backend.handle(str(request.get("action")), request.get("params") or {})
        except BackendError as error:
            return self._json(error.status, {"error": str(error)})
        except (ValueError, KeyError, TypeError) as error:
            return self._json(422, {"error": messages.say("edit-bad-request", reason=type(error).__name__)})
        except OSError as error:
            # A full or read-only disk: the editor's file on disk is the previous one (atomic_write).
            return self._json(500, {"error": messages.say("edit-save-failed", reason=error.strerror or str(error))})
        self._json(200, result)


def serve(project: str, config: dict, backend: LocalBackend, host: str = "127.0.0.1", port: int = 8080) -> EditorServer:
    """A started server (in a thread); ``.shutdown()`` stops it."""
    server = EditorServer((host, port), project, config, backend)
    threading.Thread(target=server.serve_forever, name="portal-edit", daemon=True).start()
    return server
