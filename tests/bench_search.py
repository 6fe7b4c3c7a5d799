"""`invoke bench --search`: the portal's search beside Pagefind on the same generated archives.

For each size: build the portal (its search index is part of the build), index the same built site
with Pagefind (1.6.0 from npm, node_modules/.bin/pagefind, pinned in package.json: PyPI stops at
1.5.2; content of <main> of every article page), then run a fixed list of two-word Vietnamese
queries in headless Chromium, one fresh browser session a query, as a reader would: load the
engine, search, and get the first ten results ready to show (our display records with the passage
around the query's words, Pagefind's result fragments). A local server counts the bytes of every request as a server that
precompresses would send them: the smaller of the file and its gzip -9 (the publish step writes
.gz and .br copies; Pagefind's own index files are gzip already). Results go into BENCHMARKS.md
between the search markers.

Relevance: the sample site, built and indexed by both engines the same way, answers every query of
tests/search_relevance.yaml in Chromium; the mean reciprocal rank of the first relevant article in
the first ten results (MRR@10), overall and by kind of query, goes into the same section.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from archive_generator import generate  # noqa: E402

START, END = "<!-- bench-search:start -->", "<!-- bench-search:end -->"
# Two words (syllables) each, as readers type them: common and rare, accented and not.
QUERIES = [
    "một cửa",
    "số hóa",
    "hồ sơ",
    "thủ tục",
    "dịch vụ",
    "kiểm tra",
    "tinh giản",
    "hóa đơn",
    "khen thưởng",
    "văn hóa",
    "mot cua",
    "so hoa",
    "chuyen doi",
    "bien che",
]
PAGEFIND_GLOB = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"
BLANK = b"<!DOCTYPE html><html lang=vi><meta charset=utf-8><title>bench</title>"

OURS = """async (q) => {
  const t0 = performance.now();
  if (!window.lunr) await new Promise((ok, fail) => {
    const s = document.createElement("script"); s.src = "/theme/js/lunr.min.js"; s.onload = ok; s.onerror = fail; document.head.append(s);
  });
  const { openIndex } = await import("/theme/js/search.js");
  const index = await openIndex({ lunr: window.lunr, fetchJSON: (u) => fetch(u).then((r) => r.json()), root: "/" });
  const found = await index.search(q);
  await index.documents(found.results.slice(0, 10).map((r) => r.ref), found.query);
  const t1 = performance.now();
  const again = await index.search(q);
  await index.documents(again.results.slice(0, 10).map((r) => r.ref), again.query);
  return { total: found.total, cold: t1 - t0, warm: performance.now() - t1 };
}"""
PAGEFIND = """async (q) => {
  const t0 = performance.now();
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const found = await pagefind.search(q);
  await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  const t1 = performance.now();
  const again = await pagefind.search(q);
  await Promise.all(again.results.slice(0, 10).map((r) => r.data()));
  return { total: found.results.length, cold: t1 - t0, warm: performance.now() - t1 };
}"""


@functools.cache
def transfer_size(path: Path) -> int:
    data = path.read_bytes()
    return min(len(data), len(gzip.compress(data, 9))) if len(data) >= 256 else len(data)


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    requests: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/__bench"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(BLANK)
            return
        target = Path(self.translate_path(self.path))
        if target.is_file():
            self.requests.append(target)
        super().do_GET()

    def end_headers(self):
        self.send_header("Cache-Control", "no-store" if self.path.startswith("/__bench") else "max-age=3600")
        super().end_headers()


def query_in_browser(output: Path, engine: str, log) -> list[dict]:
    """Every query in a fresh Chromium context; bytes, files and times of each."""
    from playwright.sync_api import sync_playwright

    handler = type("Handler", (_CountingHandler,), {"requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    script = OURS if engine == "portal" else PAGEFIND
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for query in QUERIES:
                context = browser.new_context()
                page = context.new_page()
                page.goto(base + "/__bench.html")
                handler.requests.clear()
                answer = page.evaluate(script, query)
                fetched = list(handler.requests)
                context.close()
                rows.append(
                    {
                        "query": query,
                        "total": answer["total"],
                        "cold_ms": answer["cold"],
                        "warm_ms": answer["warm"],
                        "files": {str(p.relative_to(output)): transfer_size(p) for p in fetched},
                    }
                )
            browser.close()
    finally:
        server.shutdown()
    log(f"{engine}: {len(rows)} queries")
    return rows


PAGEFIND_BIN = ROOT / "node_modules" / ".bin" / "pagefind"


def pagefind_version() -> str:
    return json.loads((ROOT / "node_modules" / "pagefind" / "package.json").read_text())["version"]


def index_with_pagefind(output: Path):
    """Pagefind over the article pages of a built site (the content of <main>), into output/pagefind."""
    from bench import timed

    try:
        return timed([str(PAGEFIND_BIN), "--site", str(output), "--root-selector", "main", "--glob", PAGEFIND_GLOB, "--quiet"], ROOT)
    except OSError as error:  # node_modules/.bin/pagefind missing: ./portal runs npm ci
        raise SystemExit(f"pagefind failed:\n{error}") from None


# The relevance set in one browser session an engine: each query's first ten result addresses.
OURS_RANKED = """async (queries) => {
  const s = document.createElement("script"); s.src = "/theme/js/lunr.min.js";
  await new Promise((ok, fail) => { s.onload = ok; s.onerror = fail; document.head.append(s); });
  const { openIndex } = await import("/theme/js/search.js");
  const index = await openIndex({ lunr: window.lunr, fetchJSON: (u) => fetch(u).then((r) => r.json()), root: "/" });
  const out = [];
  for (const q of queries) {
    const found = await index.search(q);
    out.push((await index.documents(found.results.slice(0, 10).map((r) => r.ref))).map((d) => d.url));
  }
  return out;
}"""
PAGEFIND_RANKED = """async (queries) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const out = [];
  for (const q of queries) {
    const found = await pagefind.search(q);
    out.push((await Promise.all(found.results.slice(0, 10).map((r) => r.data()))).map((d) => d.url));
  }
  return out;
}"""


def relevance(work: Path, log) -> dict:
    """MRR@10 of both engines on tests/search_relevance.yaml over the sample site: {engine: {kind: mrr}}."""
    import yaml
    from bench import pelican, timed
    from playwright.sync_api import sync_playwright

    cases = yaml.safe_load((ROOT / "tests" / "search_relevance.yaml").read_text(encoding="utf-8"))
    output = work / "sample-site"
    log("relevance: building the sample site")
    build = timed(pelican(ROOT / "content", ROOT / "pelicanconf.py", output, {}), ROOT)
    if not build.ok:
        raise SystemExit(f"the sample site failed to build:\n{build.log}")
    indexed = index_with_pagefind(output)
    if not indexed.ok:
        raise SystemExit(f"pagefind failed:\n{indexed.log}")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_CountingHandler, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    scores: dict = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for engine, script in (("portal", OURS_RANKED), ("Pagefind", PAGEFIND_RANKED)):
                page = browser.new_page()
                page.goto(base + "/__bench.html")
                answers = page.evaluate(script, [case["q"] for case in cases])
                page.close()
                by_kind: dict[str, list[float]] = {}
                for case, urls in zip(cases, answers):
                    found = [url.rstrip("/").rsplit("/", 1)[-1] for url in urls]
                    rank = next((i + 1 for i, slug in enumerate(found) if slug in case["expected"]), None)
                    by_kind.setdefault(case["kind"], []).append(1 / rank if rank else 0.0)
                    by_kind.setdefault("all", []).append(1 / rank if rank else 0.0)
                scores[engine] = {kind: (statistics.mean(values), len(values)) for kind, values in by_kind.items()}
                log(f"relevance: {engine} MRR@10 {scores[engine]['all'][0]:.3f}")
            browser.close()
    finally:
        server.shutdown()
    return scores


def relevance_table(scores: dict) -> str:
    kinds = ["all"] + sorted(k for k in scores["portal"] if k != "all")
    lines = ["| engine | " + " | ".join(f"{kind} ({scores['portal'][kind][1]})" for kind in kinds) + " |", "|---|" + "---:|" * len(kinds)]
    for engine in ("portal", "Pagefind"):
        lines.append(f"| {engine} | " + " | ".join(f"{scores[engine][kind][0]:.2f}" for kind in kinds) + " |")
    return "\n".join(lines)


def folder_stats(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(transfer_size(p) for p in files)


def summarize(rows: list[dict]) -> dict:
    """Bytes of a query in a fresh session, and without what every query loads (engine, meta)."""
    every = set.intersection(*(set(r["files"]) for r in rows))
    totals = [sum(r["files"].values()) for r in rows]
    own = [sum(b for f, b in r["files"].items() if f not in every) for r in rows]
    once = sum(rows[0]["files"][f] for f in every)
    return {
        "first_median": statistics.median(totals),
        "first_max": max(totals),
        "once": once,
        "own_median": statistics.median(own),
        "own_max": max(own),
        "requests": statistics.median(len(r["files"]) for r in rows),
        "cold_ms": statistics.median(r["cold_ms"] for r in rows),
        "warm_ms": statistics.median(r["warm_ms"] for r in rows),
        "results": statistics.median(r["total"] for r in rows),
    }


def measure(size: int, work: Path, log) -> dict:
    from bench import pelican, timed

    content = work / f"archive-{size}"
    log(f"generating {size} articles")
    generate(content, size)
    output = work / f"site-{size}"
    report = work / f"search-{size}.json"
    log("portal: full build with the search index")
    build = timed(pelican(content, ROOT / "pelicanconf.py", output, {"SEARCH_REPORT": str(report)}), ROOT)
    if not build.ok:
        raise SystemExit(f"the portal failed to build {size} articles:\n{build.log}")
    ours_build = json.loads(report.read_text())
    log("pagefind: indexing the built site")
    pagefind = index_with_pagefind(output)
    if not pagefind.ok:
        raise SystemExit(f"pagefind failed:\n{pagefind.log}")
    result = {"size": size, "portal_build_s": build.seconds}
    for engine, folder, seconds in (("portal", output / "search", ours_build["seconds"]), ("Pagefind", output / "pagefind", pagefind.seconds)):
        files, total = folder_stats(folder)
        result[engine] = {"build_s": seconds, "files": files, "size": total, **summarize(query_in_browser(output, engine, log))}
    import shutil

    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(content, ignore_errors=True)
    return result


def kb(value: float) -> str:
    return f"{value / 1024:,.0f} KB" if value >= 10 * 1024 else f"{value / 1024:,.1f} KB"


def table(results: list[dict]) -> str:
    lines = [
        "| articles | engine | index build (s) | index files | index on disk (gzip) | bytes for a query, fresh session: median / max | of which every query's (engine, meta) | bytes of the query itself: median / max | requests | time cold / warm (ms) | results (median) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for engine in ("portal", "Pagefind"):
            e = r[engine]
            lines.append(
                f"| {r['size']:,} | {engine} | {e['build_s']:.1f} | {e['files']:,} | {e['size'] / 1e6:.1f} MB | "
                f"{kb(e['first_median'])} / {kb(e['first_max'])} | {kb(e['once'])} | {kb(e['own_median'])} / {kb(e['own_max'])} | "
                f"{e['requests']:.0f} | {e['cold_ms']:.0f} / {e['warm_ms']:.0f} | {e['results']:,.0f} |"
            )
    return "\n".join(lines)


def run(sizes: list[int], write: bool, command: str) -> str:
    import tempfile

    from bench import machine, versions, write_between_markers

    results = []
    log = lambda m: print(f"[bench --search] {m}", flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="portal-bench-search-") as work:
        scores = relevance(Path(work), log)
        print(relevance_table(scores), flush=True)
        for size in sizes:
            results.append(measure(size, Path(work), log))
            print(table(results[-1:]), flush=True)
    from importlib.metadata import version

    report = "\n".join(
        [
            START,
            f"Command: `{command}`  ",
            f"Machine: {machine()}  ",
            f"Versions: {versions()}, lunr.py {version('lunr')}, lunr.js 2.3.9, Pagefind {pagefind_version()} (npm), Chromium (Debian)  ",
            f"Date: {time.strftime('%Y-%m-%d')}  ",
            f"Queries (two words each): {', '.join(QUERIES)}",
            "",
            table(results),
            "",
            f"Relevance, MRR@10 on the {scores['portal']['all'][1]} queries of tests/search_relevance.yaml over the sample site, by kind (how many):",
            "",
            relevance_table(scores),
            END,
        ]
    )
    print(report)
    if write:
        write_between_markers(report, START, END, heading="## Search: the portal beside Pagefind")
    return report


# --- lunr.py's Builder beside the portal's (python tests/bench_search.py builders 1000) ----------------


def _build_once(which: str, folder: str) -> None:
    """Child process: build the index one way; the parent reads its time and peak memory."""
    sys.path.insert(0, str(ROOT / "plugins"))
    sys.path.insert(0, str(ROOT / "tests"))
    from test_search_index import markdown_documents

    from search.abbreviations import load_abbreviations
    from search.builder import IndexBuilder

    documents = markdown_documents(Path(folder))
    abbreviations, _ = load_abbreviations(str(ROOT / "content" / "data" / "abbreviations.yaml"))
    started = time.perf_counter()
    if which == "lunr.py":
        from test_search_index import lunr_py_index

        index = lunr_py_index(documents, abbreviations)
        json.dumps(index.serialize())
    else:
        IndexBuilder(abbreviations).files(documents, [])
    print(json.dumps({"seconds": time.perf_counter() - started}))


def compare_builders(size: int) -> str:
    import os
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="portal-bench-builders-") as work:
        folder = generate(Path(work) / "content", size)
        cells = []
        for which in ("lunr.py", "portal"):
            process = subprocess.Popen([sys.executable, __file__, "_build", which, str(folder)], stdout=subprocess.PIPE, cwd=ROOT)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = json.loads(process.stdout.read())["seconds"]
            cells.append(f"{which}: {seconds:.1f} s, peak {usage.ru_maxrss / 1024:,.0f} MB")
    return f"Index of {size:,} generated articles (same analysis, same weights): " + "; ".join(cells)


if __name__ == "__main__":
    if sys.argv[1] == "_build":
        _build_once(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "builders":
        print(compare_builders(int(sys.argv[2])))
