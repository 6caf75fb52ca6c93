"""The progress bar: silent on quick runs and off a terminal, drawn on stderr, erased at the end."""

from __future__ import annotations

import io

import pytest

from learning_dilemma.io import progress
from learning_dilemma.io.progress import ProgressBar


class Clock:
    """A stand-in for time.monotonic that moves only when told to."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(progress.time, "monotonic", fake)
    return fake


def test_draws_only_after_the_delay(clock):
    stream = io.StringIO()
    bar = ProgressBar("run", delay=1.0, stream=stream, force=True)
    clock.now += 0.5
    bar(1, 4)
    assert stream.getvalue() == "" and not bar.drawn
    clock.now += 0.6
    bar(2, 4)
    assert stream.getvalue() == "\rrun [" + "#" * 15 + "." * 15 + "] 2/4" and bar.drawn


def test_the_bar_fills_in_proportion_and_redraws_in_place(clock):
    stream = io.StringIO()
    bar = ProgressBar("x", delay=0, stream=stream, force=True)
    for done in (0, 1, 3):
        bar(done, 3)
    lines = stream.getvalue().split("\r")[1:]
    assert [line.count("#") for line in lines] == [0, 10, 30]
    assert all(len(line) == len(lines[0]) for line in lines) and "\n" not in stream.getvalue()
    bar(0, 0)  # an empty run divides by nothing
    assert stream.getvalue().endswith("0/0")


def test_close_erases_what_was_drawn(clock):
    stream = io.StringIO()
    bar = ProgressBar("a long label", delay=0, stream=stream, force=True)
    bar(12345, 12345)
    drawn = stream.getvalue().split("\r")[-1]
    bar.close()
    erase = stream.getvalue()[len("\r" + drawn):]
    assert erase.startswith("\r") and erase.endswith("\r") and erase.strip() == ""
    assert len(erase) - 2 >= len(drawn)  # the blanks cover the whole line


def test_close_writes_nothing_when_nothing_was_drawn(clock):
    stream = io.StringIO()
    bar = ProgressBar("quick", delay=5, stream=stream, force=True)
    bar(1, 1)
    bar.close()
    assert stream.getvalue() == ""


def test_only_a_terminal_gets_a_bar_unless_forced(clock):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    plain = io.StringIO()
    ProgressBar("p", delay=0, stream=plain)(1, 2)
    assert plain.getvalue() == ""
    terminal = Terminal()
    ProgressBar("t", delay=0, stream=terminal)(1, 2)
    assert "t [" in terminal.getvalue()


def test_stderr_is_the_default_stream(clock, capsys):
    bar = ProgressBar("default", delay=0, force=True)
    bar(1, 1)
    bar.close()
    captured = capsys.readouterr()
    assert captured.out == "" and "default [" in captured.err
