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


def test_the_test_command_and_pre_commit_run_the_linters():
    import tasks

    assert [name for name, _ in tasks.LINTERS] == ["ruff check", "ruff format", "mypy"]
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"content-check", "ruff-check", "ruff-format", "mypy"} <= hooks
    for pin in ("ruff==", "mypy=="):
        assert pin in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")


def test_the_linters_catch_what_they_are_configured_for(tmp_path):
    """The project's settings are the ones in force: an unused import, unsorted imports, a mutable default
    argument, bad formatting and a type error are each caught (in a copy of the settings, on a scratch file)."""
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8").replace('files = ["plugins"]', 'files = ["bad.py"]'), encoding="utf-8"
    )
    (tmp_path / "bad.py").write_text("import sys\nimport os\n\n\ndef f(a: int, seen: list = []) -> str:\n    return a  # wrong type\n", encoding="utf-8")
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."], cwd=tmp_path, capture_output=True, text=True
    )
    assert ruff.returncode == 1 and all(code in ruff.stdout for code in ("F401", "I001", "B006")), ruff.stdout
    (tmp_path / "ugly.py").write_text("x = [1,2 ,3]\n", encoding="utf-8")
    formatted = subprocess.run([sys.executable, "-m", "ruff", "format", "--no-cache", "--check", "ugly.py"], cwd=tmp_path, capture_output=True, text=True)
    assert formatted.returncode == 1, formatted.stdout
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy")], cwd=tmp_path, capture_output=True, text=True
    )
    assert mypy.returncode == 1 and "Incompatible return value type" in mypy.stdout, mypy.stdout
