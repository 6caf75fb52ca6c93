"""The browser tests' gate (conftest.py): without Chromium they skip and say why, except in CI,
where ``CI=true`` turns the skip into a failure (issue 19: CI cannot pass without running them)."""

from __future__ import annotations

import pytest

from classroom.conftest import CHROMIUM_ARGS, chromium_path, skip_or_fail


def test_without_ci_a_missing_browser_skips_saying_why(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception):
        skip_or_fail("no chromium")


@pytest.mark.parametrize("value", ["true", "TRUE", " true "])
def test_in_ci_a_missing_browser_fails(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="CI=true but no chromium: the browser tests must run in CI"):
        skip_or_fail("no chromium")


def test_chromium_is_found_on_the_path_and_runs_headless_offline(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium_path() == str(fake)
    for switch in ("--headless", "--no-sandbox", "--disable-background-networking", "--disable-component-update"):
        assert switch in CHROMIUM_ARGS
