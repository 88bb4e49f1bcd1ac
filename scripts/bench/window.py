#!/usr/bin/env python3
"""Window start and idle memory of a Tauri app, for scripts/bench.sh.

Usage: window.py BINARY WINDOW_TITLE [--runs N] [--idle SECONDS]

Run inside an X display (bench.sh runs it under xvfb-run). Each run starts BINARY with
empty XDG folders, times how long until a visible window titled WINDOW_TITLE is mapped
(polled with xdotool every 10 ms), waits --idle seconds, then sums the memory of the
whole process tree (the app and WebKit's web and network processes): PSS, so pages
shared between the processes count once, and RSS beside it. Prints one JSON object:
the median start and the last run's memory.
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time


def children(pid):
    """Every descendant of pid, from /proc's parent links."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    # The command name may hold spaces; the parent pid follows its ")".
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(c for c, parent in parents.items() if parent == p)
    return tree


def memory_kb(pid, field):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def window_shown(title):
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"], capture_output=True, text=True
    )
    return found.returncode == 0 and found.stdout.strip() != ""


def one_run(binary, title, idle):
    with tempfile.TemporaryDirectory(prefix="folio-bench-window-") as home:
        env = dict(os.environ)
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            env[var] = os.path.join(home, var.lower())
        started = time.monotonic()
        log = open(os.path.join(home, "app.log"), "w")
        app = subprocess.Popen([binary], env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            while not window_shown(title):
                if app.poll() is not None:
                    with open(os.path.join(home, "app.log")) as f:
                        sys.exit(f"{binary} exited with {app.returncode} before its window showed:\n{f.read()[-2000:]}")
                if time.monotonic() - started > 60:
                    sys.exit(f"{binary} showed no window titled {title!r} within 60 s")
                time.sleep(0.01)
            start_ms = (time.monotonic() - started) * 1000
            time.sleep(idle)
            tree = children(app.pid)
            pss = sum(memory_kb(p, "Pss") for p in tree) / 1024
            rss = sum(memory_kb(p, "Rss") for p in tree) / 1024
            return start_ms, pss, rss, len(tree)
        finally:
            app.send_signal(signal.SIGTERM)
            try:
                app.wait(timeout=10)
            except subprocess.TimeoutExpired:
                app.kill()


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    binary, title = args[0], args[1]
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 3
    idle = float(args[args.index("--idle") + 1]) if "--idle" in args else 8.0
    results = [one_run(binary, title, idle) for _ in range(runs)]
    print(
        json.dumps(
            {
                "binary": binary,
                "start_ms_median": round(statistics.median(r[0] for r in results)),
                "start_ms_runs": [round(r[0]) for r in results],
                "idle_pss_mb": round(results[-1][1], 1),
                "idle_rss_mb": round(results[-1][2], 1),
                "processes": results[-1][3],
                "binary_mb": round(os.path.getsize(binary) / 1e6, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
