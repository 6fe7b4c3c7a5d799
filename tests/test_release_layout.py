"""Publishing and local builds under every merge: a flat release layout, a site that never vanishes,
one run at a time, no Pelican outliving ./portal, and plain sentences when the disk fails."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import invoke
import pytest
from invoke.exceptions import Exit

import messages
import publishing
import tasks
from conftest import ROOT

# Stands in for Pelican where only the layout matters: writes a small site into -o after a pause, or
# prints the line Pelican logs when it stops on an OSError.
FAKE_PELICAN = r"""
import os, sys, time
output = sys.argv[sys.argv.index("-o") + 1]
log = os.environ.get("FAKE_PELICAN_LOG")
def note(what):
    if log:
        with open(log, "a") as handle:
            handle.write(f"{what}\n")
note("start")
time.sleep(float(os.environ.get("FAKE_PELICAN_SECONDS", "0")))
if os.environ.get("FAKE_PELICAN_ERROR"):
    print(os.environ["FAKE_PELICAN_ERROR"], file=sys.stderr)
    sys.exit(1)
os.makedirs(output, exist_ok=True)
with open(os.path.join(output, "index.html"), "w") as handle:
    handle.write(f"<p>{os.environ.get('FAKE_PELICAN_TEXT', 'site')}</p>")
note("end")
"""

# `invoke TASK ...` with the fake Pelican, in a process of its own.
RUNNER = r"""
import sys
sys.path.insert(0, sys.argv[1])
import tasks
tasks.PELICAN = [sys.executable, sys.argv[2]]
from invoke import Collection, Program
Program(namespace=Collection.from_module(tasks)).run(["invoke", *sys.argv[3:]])
"""


@pytest.fixture
def fake_pelican(tmp_path, monkeypatch) -> Path:
    script = tmp_path / "fake_pelican.py"
    script.write_text(FAKE_PELICAN, encoding="utf-8")
    monkeypatch.setattr(tasks, "PELICAN", [sys.executable, str(script)])
    return script


def run_fake(fake_pelican: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(ROOT), str(fake_pelican), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, **(env or {})),
    )


def invoke_publish(*args):
    return subprocess.run([sys.executable, "-m", "invoke", "publish", *map(str, args)], cwd=ROOT, capture_output=True, text=True, check=False)


def disk_use(folder: Path) -> int:
    """Bytes on disk under folder, each file once, links not followed."""
    seen, total = set(), 0
    for where, _folders, files in os.walk(folder):
        for name in files:
            stat = os.lstat(os.path.join(where, name))
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_blocks * 512
    return total


def assert_flat(dest: Path, keep: int) -> list[str]:
    """dest is one symlink to a real release folder; exactly ``keep`` of them; nothing else beside."""
    releases = dest.parent / f".{dest.name}.releases"
    assert dest.is_symlink(), f"{dest} is not a symlink"
    target = os.readlink(dest)
    assert target.startswith(f".{dest.name}.releases/") and target.count("/") == 1, f"{dest} -> {target}: not one level"
    entries = sorted(p.name for p in releases.iterdir())
    folders = [name for name in entries if name != ".lock"]
    assert all((releases / name).is_dir() and not (releases / name).is_symlink() for name in folders), entries
    assert all(re.fullmatch(r"\d{8}-\d{6}(-\d+)?", name) for name in folders), f"leftovers: {entries}"
    assert len(folders) == keep, f"keep={keep}, found {entries}"
    assert sorted(p.name for p in dest.parent.iterdir()) == sorted([dest.name, releases.name]), "nothing left beside the site"
    return folders


# --- the real task on the sample content -------------------------------------------------------


def test_five_publishes_keep_a_flat_layout_and_the_site_never_vanishes(tmp_path):
    dest = tmp_path / "www" / "site"
    dest.parent.mkdir()
    failures, reads = [], [0]
    stop = threading.Event()

    def reader():
        # What nginx does for `/`, as fast as it can, during every publish after the first.
        while not stop.is_set():
            try:
                if "</html>" not in (dest / "index.html").read_text(encoding="utf-8"):
                    failures.append("half a page")
                reads[0] += 1
            except OSError as error:
                failures.append(repr(error))
            time.sleep(0.002)  # hundreds of reads a second, and a core left for the publish

    published, thread = [], threading.Thread(target=reader, daemon=True)
    try:
        for number in range(5):
            result = invoke_publish("--dest", dest)
            assert result.returncode == 0, result.stdout + result.stderr
            published.append(result.stdout.split("Published ", 1)[1].split()[0])
            kept = assert_flat(dest, min(number + 1, 3))
            if number == 0:
                thread.start()
    finally:
        stop.set()
        if thread.ident is not None:
            thread.join(10)
    assert failures == [] and reads[0] > 100, f"{len(failures)} failed reads of {reads[0]}: {failures[:3]}"
    assert kept == published[-3:], "the three newest are kept"
    assert os.readlink(dest) == f".site.releases/{published[-1]}"
    live = dest.parent / ".site.releases" / published[-1]
    assert disk_use(dest.parent) <= 3 * disk_use(live) * 1.05 + 65536, "disk use: three releases, no more"


def pelican_processes(parent: int, seconds: float = 60) -> tuple[int, int]:
    """Waits for Pelican under ``parent`` and the search worker it forks; returns both pids."""

    def children(pid):
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
        return found

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for pelican in children(parent):
            try:
                command = Path(f"/proc/{pelican}/cmdline").read_bytes()
            except OSError:
                continue
            if b"pelican" in command and (workers := children(pelican)):
                return pelican, workers[0]
        time.sleep(0.005)
    raise AssertionError(f"no Pelican with its search worker under {parent}")


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pids, seconds=10) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]


def test_a_killed_publish_ends_pelican_and_the_next_publish_cleans_up(tmp_path):
    dest = tmp_path / "www" / "site"
    first = invoke_publish("--dest", dest)
    assert first.returncode == 0, first.stdout + first.stderr
    live = os.readlink(dest)
    killed = subprocess.Popen([sys.executable, "-m", "invoke", "publish", "--dest", str(dest)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pelican, worker = pelican_processes(killed.pid)
    killed.kill()  # SIGKILL: nothing of ./portal runs after it
    killed.wait()
    assert wait_gone([pelican, worker]) == [], "Pelican or its search worker outlived ./portal"
    leftovers = list((dest.parent / ".site.releases").glob("*.building"))
    assert leftovers, "killed while Pelican built the release"
    assert not [p for p in leftovers if (p / "index.html").exists()], "Pelican ended with ./portal, it did not go on building"
    assert os.readlink(dest) == live and (dest / "index.html").is_file(), "the site stays served"

    after = invoke_publish("--dest", dest)
    assert after.returncode == 0, after.stdout + after.stderr
    assert_flat(dest, 2)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_stop_signal_ends_the_build_cleanly(tmp_path, signum):
    output = tmp_path / "out"
    output.mkdir()
    (output / "index.html").write_text("previous site", encoding="utf-8")
    run = subprocess.Popen(
        [sys.executable, "-m", "invoke", "build", "--output", str(output)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    pelican, worker = pelican_processes(run.pid)
    run.send_signal(signum)
    log, _ = run.communicate(timeout=60)
    name = signal.Signals(signum).name
    assert run.returncode == 128 + signum, log
    assert f"Stopped by {name}; the previous site in {output}/ is unchanged." in log
    assert "Traceback" not in log
    assert wait_gone([pelican, worker], 5) == []
    assert (output / "index.html").read_text(encoding="utf-8") == "previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.releases", "out"]
    assert list((tmp_path / ".out.releases").iterdir()) == [], "the half-built folder is removed at once"


def test_rebuilds_through_the_output_link_still_reuse_unchanged_pages(tmp_path, content_copy):
    output, cache = tmp_path / "out", tmp_path / "cache"
    overrides = tasks.livereload_overrides(str(output), str(cache))
    tasks.build_site(output=str(output), content=str(content_copy), overrides=overrides)
    first = os.readlink(output)
    tasks.build_site(output=str(output), content=str(content_copy), overrides=overrides)
    assert os.readlink(output) != first
    counts = json.loads((cache / "reuse-pages.json").read_text(encoding="utf-8"))
    assert counts["rendered"] == 0 and counts["reused"] > 50, "nothing changed: every page from the last good site"


# --- local builds: the output link ---------------------------------------------------------------


def test_builds_switch_an_output_link_and_never_leave_no_site(tmp_path, fake_pelican, monkeypatch):
    output = tmp_path / "out"
    output.mkdir()
    (output / "index.html").write_text("a plain output/ of an older version", encoding="utf-8")
    # What killed runs of this and older versions left.
    (tmp_path / ".build-abcd1234").mkdir()
    (tmp_path / ".old-k_9zzzzz").mkdir()
    (tmp_path / ".out.releases" / "20261201-100000-000001.building").mkdir(parents=True)
    vanished = []
    for name in ("rename", "replace"):
        original = getattr(os, name)

        def watched(source, target, *args, _original=original, _name=name, **kwargs):
            _original(source, target, *args, **kwargs)
            if not (output / "index.html").is_file():
                vanished.append(f"after os.{_name}({source}, {target})")

        monkeypatch.setattr(os, name, watched)
    for number in range(3):
        monkeypatch.setenv("FAKE_PELICAN_TEXT", f"build {number}")
        tasks.build_site(output=str(output))
        assert (output / "index.html").read_text(encoding="utf-8") == f"<p>build {number}</p>"
        assert output.is_symlink() and os.readlink(output).startswith(".out.releases/")
        assert sorted(p.name for p in tmp_path.iterdir()) == [".out.releases", "fake_pelican.py", "out"]
        assert [p.name for p in (tmp_path / ".out.releases").iterdir()] == [os.path.basename(os.readlink(output))], "one build kept"
    assert vanished == [], "output/ was missing for a moment"


def test_a_failed_build_says_fix_the_errors_and_keeps_the_link(tmp_path, fake_pelican, monkeypatch):
    output = tmp_path / "out"
    tasks.build_site(output=str(output))
    live = os.readlink(output)
    monkeypatch.setenv("FAKE_PELICAN_ERROR", 'ERROR: content/articles/a.md:2: Date "2020-02-31" is not a date')
    with pytest.raises(Exit) as failure:
        tasks.build_site(output=str(output))
    assert failure.value.message == f"Build failed: fix the errors above; the previous site in {output}/ is unchanged."
    assert os.readlink(output) == live and (output / "index.html").is_file()
    assert [p.name for p in (tmp_path / ".out.releases").iterdir()] == [os.path.basename(live)]


# --- one run at a time ---------------------------------------------------------------------------


@pytest.mark.parametrize("task", ["publish", "build"])
def test_two_runs_never_interleave_the_second_waits_and_says_so(tmp_path, fake_pelican, task):
    log = tmp_path / "pelican.log"
    env = {"FAKE_PELICAN_LOG": str(log), "FAKE_PELICAN_SECONDS": "1.5"}
    if task == "publish":
        args = [["publish", "--dest", str(tmp_path / "www" / "site")]] * 2
        waits_for = "waiting for a publish to"
    else:  # two outputs, one cache/
        args = [["build", "--output", str(tmp_path / "a")], ["build", "--output", str(tmp_path / "b")]]
        waits_for = "waiting for the build of"
    first = run_fake(fake_pelican, *args[0], env=env)
    deadline = time.monotonic() + 30
    while not (log.exists() and "start" in log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    second = run_fake(fake_pelican, *args[1], env=env)
    outputs = [first.communicate(timeout=60)[0], second.communicate(timeout=60)[0]]
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert log.read_text().split() == ["start", "end", "start", "end"], "the two builds overlapped"
    assert waits_for in outputs[1] and "(pid " in outputs[1], outputs[1]
    if task == "publish":
        assert_flat(tmp_path / "www" / "site", 2)


# --- a full or read-only disk: one sentence, never a traceback -------------------------------------


def test_a_full_disk_during_the_build_is_said_plainly(tmp_path, fake_pelican, monkeypatch, capsys):
    output = tmp_path / "out"
    tasks.build_site(output=str(output))
    live = os.readlink(output)
    monkeypatch.setenv("FAKE_PELICAN_ERROR", f"CRITICAL: OSError: [Errno 28] No space left on device: '{tmp_path}/x/index.html'")
    with pytest.raises(Exit) as failure:
        tasks.build_site(output=str(output))
    assert failure.value.message == (
        f"{tmp_path}/x/index.html: the disk is full; the build stopped and the previous site in {output}/ is unchanged (free some space and run it again)."
    )
    assert "fix the errors above" not in failure.value.message and "Traceback" not in capsys.readouterr().err
    assert os.readlink(output) == live and [p.name for p in (tmp_path / ".out.releases").iterdir()] == [os.path.basename(live)]


def raise_os_error(code: int, filename: str):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code), filename)

    return fail


@pytest.mark.parametrize(
    "code, broken, said",
    [
        (errno.ENOSPC, "compress_site", "the disk is full"),
        (errno.EROFS, "switch_symlink", "the file system is read-only"),
        (errno.EACCES, "new_release", "permission denied"),
    ],
)
def test_a_disk_failure_while_publishing_is_one_sentence_and_the_site_stays(tmp_path, fake_pelican, monkeypatch, code, broken, said):
    dest = tmp_path / "www" / "site"
    tasks.publish(invoke.Context(), dest=str(dest))
    live = os.readlink(dest)
    monkeypatch.setattr(publishing, broken, raise_os_error(code, str(dest.parent / ".site.releases")))
    with pytest.raises(Exit) as failure:
        tasks.publish(invoke.Context(), dest=str(dest))
    assert failure.value.message == (
        f"{dest.parent}/.site.releases: {said}; publishing stopped, nothing was published and the previous site is still served "
        f"({messages.say(tasks._OS_FAILURES[code][1])})."
    )
    assert os.readlink(dest) == live and (dest / "index.html").is_file()
    assert [p.name for p in (dest.parent / ".site.releases").iterdir() if p.is_dir()] == [os.path.basename(live)], "nothing half done left"


def test_a_read_only_output_folder_is_said_plainly(tmp_path, fake_pelican, monkeypatch):
    output = tmp_path / "out"
    tasks.build_site(output=str(output))
    monkeypatch.setattr(os, "symlink", raise_os_error(errno.EROFS, str(tmp_path)))
    with pytest.raises(Exit) as failure:
        tasks.build_site(output=str(output))
    assert failure.value.message.startswith(f"{tmp_path}: the file system is read-only; the build stopped and the previous site in {output}/ is unchanged")
    assert (output / "index.html").is_file()
    assert [p.name for p in (tmp_path / ".out.releases").iterdir()] == [os.path.basename(os.readlink(output))], "nothing half done left"
