"""Converters run without network and without a view of local files."""

import contextlib
import socket
import threading

import pytest

from openwenku.conversion import sandbox

pytestmark = pytest.mark.skipif(not sandbox.bubblewrap_available(), reason="no bubblewrap")


def test_sandbox_cannot_read_local_files(tmp_path):
    secret = tmp_path.parent / "secret.txt"
    secret.write_text("top secret")
    work = tmp_path / "work"
    work.mkdir()
    done = sandbox.run(
        ["/bin/sh", "-c", f"cat {secret} /etc/passwd; ls /root /home"],
        timeout=10,
        workdir=work,
        sandbox=True,
    )
    assert "top secret" not in done.stdout
    assert "root:" not in done.stdout


def test_sandbox_cannot_reach_the_network(tmp_path):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    hits = []
    server.settimeout(3)

    def accept():
        with contextlib.suppress(OSError):
            hits.append(server.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    sandbox.run(
        ["/bin/bash", "-c", f"echo hi > /dev/tcp/127.0.0.1/{port}"],
        timeout=10,
        workdir=tmp_path,
        sandbox=True,
    )
    thread.join()
    server.close()
    assert hits == []


def test_timeout_kills_the_whole_process_group(tmp_path):
    with pytest.raises(sandbox.Timeout):
        sandbox.run(
            ["/bin/sh", "-c", "sleep 100 & sleep 100"], timeout=1, workdir=tmp_path, sandbox=True
        )
