"""The CI files users copy: valid YAML, and every command they run is a real task with real options."""

from __future__ import annotations

import shlex
import subprocess
import sys

import yaml

from conftest import ROOT


def commands():
    github = yaml.safe_load((ROOT / ".github/workflows/portal.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    found = [step["run"] for job in github["jobs"].values() for step in job["steps"] if "run" in step]
    found += [line for job in gitlab.values() if isinstance(job, dict) for line in job.get("script", [])]
    return [line for line in found if line.startswith("./portal")]


def test_ci_files_run_the_test_and_publish_tasks():
    lines = commands()
    assert "./portal test" in lines
    assert any(line.startswith("./portal publish --gh-pages") for line in lines)
    assert any(line.startswith("./portal publish --rsync") for line in lines)


def test_every_ci_command_parses_as_an_invoke_call():
    for line in commands():
        words = shlex.split(line.replace('"$DEPLOY_TARGET"', "deploy@host:/srv/site"))[1:]
        task, options = words[0], [w for w in words[1:] if w.startswith("--")]
        listing = subprocess.run([sys.executable, "-m", "invoke", "--help", task], cwd=ROOT, capture_output=True, text=True)
        assert listing.returncode == 0, (line, listing.stderr)
        for option in options:
            assert option.replace("_", "-") in listing.stdout.replace("_", "-"), (line, option)


def test_ci_entry_point_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert "./portal test" in readme and "./portal test" in ci
