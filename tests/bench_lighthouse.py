"""`invoke bench --lighthouse`: Lighthouse (npm, pinned in package.json) on the pages readers open most.

The sample site is built as `invoke build` builds it, served from a local server, and each page is
audited on Lighthouse's default phone profile (simulated slow 4G and a slowed CPU), one fresh
headless Chromium a page. The scores (performance, accessibility, best practices, SEO) go to stdout
and to BENCHMARKS.md between the markers, with the machine and the command; every audit that keeps
a category under 100 is named under the table, so that a regression says what to fix.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

from bench import machine, write_between_markers  # noqa: E402

START, END = "<!-- bench-lighthouse:start -->", "<!-- bench-lighthouse:end -->"
HEADING = "## Lighthouse: what a phone sees"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"

# The pages of the sample site a reader opens most, one of each kind.
PAGES = {
    "home": "/",
    "section": "/tin-tuc-su-kien/",
    "article": "/2018/01/tong-hop-ket-qua-giai-quyet-ho-so-thu-tuc-hanh-chinh-nam-2017/",
    "month": "/2024/05/",
    "search (một cửa)": "/tim-kiem/?q=m%E1%BB%99t+c%E1%BB%ADa",
    "results table": "/ket-qua-cchc/bang/par-index/",
    "registry": "/van-ban/",
    "document": "/van-ban/18-nq-tw/",
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def build(output: Path) -> None:
    import tasks

    tasks.build_site(output=str(output))


def audit(url: str, report: Path) -> dict:
    """One Lighthouse run on the phone profile; its JSON report, read."""
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--quiet",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not report.is_file():
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def scores(result: dict) -> dict[str, int]:
    return {name: round((result["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def shortfalls(result: dict) -> list[str]:
    """The audits that keep accessibility, best practices or SEO under 100 (performance is a weighted
    sum of timings, not pass or fail), by title."""
    found = []
    for name in CATEGORIES[1:]:
        for ref in result["categories"][name]["auditRefs"]:
            audit_result = result["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit_result.get("score") is not None and audit_result["score"] < 1:
                found.append(f"{name}: {audit_result['title']}")
    return found


def failing_nodes(result: dict, limit: int = 4) -> list[str]:
    """Where each failing audit failed (its first few elements), for the console: what to fix."""
    found = []
    for name in CATEGORIES[1:]:
        for ref in result["categories"][name]["auditRefs"]:
            audit_result = result["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit_result.get("score") is not None and audit_result["score"] < 1:
                for item in (audit_result.get("details") or {}).get("items", [])[:limit]:
                    node = item.get("node") or {}
                    found.append(f"{ref['id']}: {node.get('selector', '')} {node.get('snippet', '')[:120]}")
    return found


def table(rows: dict[str, dict]) -> str:
    lines = ["| page | address | performance | accessibility | best practices | SEO |", "|---|---|---:|---:|---:|---:|"]
    for name, row in rows.items():
        s = row["scores"]
        lines.append(f"| {name} | `{PAGES[name]}` | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} |")
    notes = [f"- {name}: {', '.join(row['shortfalls'])}" for name, row in rows.items() if row["shortfalls"]]
    if notes:
        lines += ["", "Audits under 100 (accessibility, best practices, SEO):", "", *notes]
    return "\n".join(lines)


def lighthouse_version() -> str:
    done = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "unknown"


def chromium_version() -> str:
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    done = subprocess.run([chrome, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().splitlines()[0] if done.stdout.strip() else chrome


def run(write: bool, command: str, pages: dict[str, str] | None = None) -> str:
    if not LIGHTHOUSE.exists() or shutil.which("node") is None:
        raise RuntimeError("Lighthouse is not installed: run `npm ci` (package.json pins it) and install Node 20")
    chosen = pages or PAGES
    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="portal-lighthouse-") as work:
        output = Path(work) / "output"
        build(output)
        server, base = serve(output)
        try:
            for name, address in chosen.items():
                result = audit(base + address, Path(work) / "report.json")
                rows[name] = {"scores": scores(result), "shortfalls": shortfalls(result)}
                print(f"[lighthouse] {name}: {rows[name]['scores']}", flush=True)
                for line in failing_nodes(result):
                    print(f"[lighthouse]   {line}", flush=True)
        finally:
            server.shutdown()
    report = "\n".join(
        [
            START,
            f"Command: `{command}`  ",
            f"Machine: {machine()}  ",
            f"Versions: Lighthouse {lighthouse_version()}, Node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}, {chromium_version()}  ",
            "Profile: Lighthouse's default phone profile (simulated slow 4G, 4x CPU slowdown), the sample site served by python -m http.server  ",
            f"Date: {time.strftime('%Y-%m-%d')}",
            "",
            table(rows),
            END,
        ]
    )
    print(report)
    if write:
        write_between_markers(report, START, END, HEADING)
    return report
