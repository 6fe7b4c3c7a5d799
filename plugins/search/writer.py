"""Writing the index files: meta.json last, so a reader never gets a meta.json whose files are missing."""

from __future__ import annotations

import os
import re
import shutil

__all__ = ["write_index", "write_site_index"]

_BASE_RE = re.compile(r"^[0-9a-f]{12}$")


def write_index(folder: str, meta: str, files: dict[str, str]) -> None:
    """Write files under folder/<base>/ and folder/meta.json; remove index folders of earlier builds."""
    import json

    base = json.loads(meta)["base"].strip("/")
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if _BASE_RE.match(name) and name != base:
            shutil.rmtree(os.path.join(folder, name), ignore_errors=True)
    target = os.path.join(folder, base)
    for path, text in files.items():
        full = os.path.join(target, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as handle:
            handle.write(text)
    with open(os.path.join(folder, "meta.json"), "w", encoding="utf-8") as handle:
        handle.write(meta)


def write_site_index(output: str, lunr_js: str, meta: str, files: dict[str, str]) -> None:
    """output/search/ and theme/js/lunr.min.js."""
    write_index(os.path.join(output, "search"), meta, files)
    target = os.path.join(output, "theme", "js", "lunr.min.js")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(lunr_js, target)
