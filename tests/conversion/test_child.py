"""The one child-process protocol (conversion/child.py), with real processes."""

import os
import sys
import textwrap
import time

import pytest

from openwenku.conversion.child import Child, ChildExited, ChildTimeout, wait_readable


def python(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_child_that_hangs_is_killed_with_its_group_at_the_deadline(tmp_path):
    # The child starts a grandchild in its process group, then both hang.
    child = Child(["/bin/sh", "-c", "sleep 100 & sleep 100"], workdir=tmp_path)
    pgid = os.getpgid(child.pid)
    assert pgid == child.pid  # its own session and group, apart from ours
    started = time.monotonic()
    with pytest.raises(ChildTimeout):
        child.read(1)
    assert 0.9 < time.monotonic() - started < 5
    assert group_alive(pgid)
    child.kill()
    assert not child.alive
    deadline = time.monotonic() + 5
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(pgid)  # the grandchild is gone too


def test_a_child_that_crashes_is_reported(tmp_path):
    child = Child(
        python("import os, sys; print('{\"step\": 1}', flush=True); os.abort()"), workdir=tmp_path
    )
    with child:
        assert child.read(10) == {"step": 1}
        with pytest.raises(ChildExited, match="status -6"):
            child.read(10)


def test_lines_split_across_reads_are_joined_before_parsing(tmp_path):
    code = """
        import sys, time
        for part in ('{"page": 1, "te', 'xt": "第一页"}\\n{"pa', 'ge": 2}\\n'):
            sys.stdout.write(part)
            sys.stdout.flush()
            time.sleep(0.2)
    """
    with Child(python(code), workdir=tmp_path) as child:
        assert child.read(10) == {"page": 1, "text": "第一页"}
        assert child.read(10) == {"page": 2}
        with pytest.raises(ChildExited):
            child.read(10)


def test_feed_and_messages_keep_a_partial_line_for_later(tmp_path):
    code = """
        import sys, time
        sys.stdout.write('{"a": 1}\\n{"b"')
        sys.stdout.flush()
        time.sleep(0.5)
        sys.stdout.write(': 2}\\n')
    """
    with Child(python(code), workdir=tmp_path) as child:
        assert wait_readable([child], 10) == [child]
        assert child.feed()
        assert list(child.messages()) == [{"a": 1}]  # {"b" waits for the rest
        assert wait_readable([child], 10) == [child]
        assert child.feed()
        assert list(child.messages()) == [{"b": 2}]


def test_requests_and_replies_over_stdin(tmp_path):
    code = """
        import json, sys
        for line in sys.stdin:
            request = json.loads(line)
            print(json.dumps({"double": request["n"] * 2}), flush=True)
    """
    with Child(python(code), workdir=tmp_path, interactive=True) as child:
        for n in (1, 21):
            child.send({"n": n})
            assert child.read(10) == {"double": n * 2}


def test_the_child_gets_a_minimal_environment_and_its_workdir(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENWENKU_SECRET_KEY_FOR_TEST", "do-not-leak")
    code = """
        import json, os
        print(json.dumps({"env": dict(os.environ), "cwd": os.getcwd()}), flush=True)
    """
    with Child(python(code), workdir=tmp_path, env={"EXTRA": "1"}) as child:
        reply = child.read(10)
    assert "OPENWENKU_SECRET_KEY_FOR_TEST" not in reply["env"]
    assert reply["env"]["EXTRA"] == "1"
    assert reply["env"]["HOME"] == str(tmp_path)
    assert reply["cwd"] == str(tmp_path)


def test_the_memory_limit_holds(tmp_path):
    code = """
        import json
        try:
            block = bytearray(512 * 1024 * 1024)
            print(json.dumps({"allocated": True}), flush=True)
        except MemoryError:
            print(json.dumps({"allocated": False}), flush=True)
    """
    with Child(python(code), workdir=tmp_path, memory_bytes=256 * 1024 * 1024) as child:
        assert child.read(20) == {"allocated": False}
