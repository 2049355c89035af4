"""How full the sandbox's private /tmp got while a converter worked (system python3).

LibreOffice writes what it inflates and what it exports to temporary files
first; at the scratch bound (a tmpfs of OPENWENKU_CONVERT_SCRATCH_MB, see
sandbox.py) the write fails, LibreOffice deletes the file and reports a
generic load or export error. Polling the file system's use while it works is
how the parent learns that the bound, not a damaged file, stopped it.

Used by lo_bridge.py (a thread) and, for cold conversions, as a wrapper:
``python3 scratch_watch.py CMD…`` runs CMD and prints a last line
``SCRATCH {"tmp_full": true|false}``. No dependency on the project.
"""

import json
import os
import subprocess
import sys
import threading

MARKER = "SCRATCH "
FULL_SHARE = 0.9  # used this share of the tmpfs at some point: it was full


class PeakWatch(threading.Thread):
    def __init__(self, path=None, interval=0.05):
        super().__init__(daemon=True, name="scratch-watch")
        self.path = path or os.environ.get("TMPDIR") or "/tmp"  # noqa: S108 (the sandbox's)
        self.interval = interval
        self.peak = 0
        self.total = 0
        self._stop = threading.Event()

    def _used(self):
        try:
            fs = os.statvfs(self.path)
        except OSError:
            return 0
        self.total = fs.f_blocks * fs.f_frsize
        return (fs.f_blocks - fs.f_bfree) * fs.f_frsize

    def run(self):
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self._used())

    def reset(self):
        self.peak = self._used()

    def full(self):
        self.peak = max(self.peak, self._used())
        return self.total > 0 and self.peak >= self.total * FULL_SHARE

    def stop(self):
        self._stop.set()


def main():
    watch = PeakWatch()
    watch.reset()
    watch.start()
    code = subprocess.call(sys.argv[1:])
    watch.stop()
    sys.stdout.write(MARKER + json.dumps({"tmp_full": watch.full()}) + "\n")
    sys.stdout.flush()
    sys.exit(code)


if __name__ == "__main__":
    main()
