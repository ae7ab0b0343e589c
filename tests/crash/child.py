"""The crash-test child: a long-lived "zygote" that forks one worker per run.

Starting Python and importing the app costs far more than a run itself, so the zygote
pays it once; each run is a forked worker that opens the workspace from scratch (as a
restarted app would), records edits or exports in a loop, and writes ``ack …`` to the
shared pipe only after the service call has returned. The parent kills the worker with
SIGKILL at a moment chosen from the acks it has seen (``harness.KillPlan``); the zygote reaps
it and reports ``done <pid> <status>``, which also tells the parent that every ack the worker
wrote is already in the pipe.

Protocol (one JSON object per line on stdin): ``{"job": "edits"|"export", "home": …,
"bundle": …, "start": k, "out": …, "passphrase": …}``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any


def _ack(text: str) -> None:
    os.write(1, (text + "\n").encode())


def edit_value(k: int) -> tuple[str, int, int, str]:
    """Edit number k: (kind, proposal index, item index, value). Values are unique per k."""
    kind = ("comment", "note", "figure")[k % 3]
    return kind, (k // 3), (k // 7), f"c{k}" if kind == "comment" else f"n{k}" if kind == "note" else str(k)


def run_edits(job: dict[str, Any]) -> None:
    from reviewer_app.services.workspace import Workspace

    ws = Workspace()
    bundle = job["bundle"]
    rubric = ws.round_info(bundle).rubric
    items = [i.id for i in rubric.items]
    level_items = [i.id for i in rubric.items if rubric.scale_of(i).kind == "level"]
    pids = ws.proposal_ids(bundle)
    k = job["start"]
    while True:
        kind, p, i, value = edit_value(k)
        pid = pids[p % len(pids)]
        if kind == "comment":
            ws.record_comment(bundle, pid, items[i % len(items)], value)
        elif kind == "note":
            ws.record_note(bundle, pid, value)
        else:
            ws.record_figure(bundle, pid, level_items[i % len(level_items)], value)
        _ack(f"ack {k}")
        k += 1


def run_export(job: dict[str, Any]) -> None:
    from reviewer_app.services.workspace import Workspace
    from tests.workspace_fixtures import MemoryKeyring

    MemoryKeyring.install()  # the reviewer key is read from its key file once, then kept in memory
    ws = Workspace()
    while True:
        # overwrite: a kill between writing the file and recording it leaves a file no export
        # recorded; a person would be asked to confirm (--force), the harness confirms.
        out = ws.export(job["bundle"], job["out"], job["passphrase"], overwrite=True)
        _ack(f"ack {out.revision} {out.digest}")


def main() -> int:
    import reviewer_app.services.workspace  # noqa: F401  (warm the imports once, before forking)
    import tests.workspace_fixtures  # noqa: F401

    for line in sys.stdin:
        job = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.environ["REVIEWER_APP_HOME"] = job["home"]
                (run_edits if job["job"] == "edits" else run_export)(job)
            except BaseException:
                traceback.print_exc()
                code = 70
            os._exit(code)
        _ack(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        _ack(f"done {pid} {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
