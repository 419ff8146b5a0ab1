"""Simulator throughput: page requests per second on loopback, latency injection off.

The server runs in its own process (`courtlake simulator serve`), as in the demo; a
thread pool of HTTP clients replays a scraper-like mix — IML roster pages and person pages,
dashboard, Smart Search + results JSON, case detail fragments — for a fixed time.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx

SEED, AS_OF, SCALE = 7, "2026-11-23", 1.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def simulator_process(scale: float = SCALE, faults: str = "none") -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "orchestration.cli",
            "simulator",
            "serve",
            "--seed",
            str(SEED),
            "--as-of",
            AS_OF,
            "--scale",
            str(scale),
            "--port",
            str(port),
            "--faults",
            faults,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/_admin/clock", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the simulator did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def scraper_mix(base: str, stop_at: float, counter: list[int], lock: threading.Lock) -> None:
    with httpx.Client(base_url=base, timeout=30) as http:
        http.get("/Portal/Home/Dashboard/29")  # sets the court session
        http.get("/jail/")  # sets the jail session
        search = {"flow_action": "searchbyname", "systemUser_lastName": "", "quantity": "30"}
        roster = http.post("/jail/IML", data=search).text
        records = re.findall(r"rowClicked\('\d+','(\d+)','(\d+)'\)", roster)
        done, i = 0, 0
        while time.monotonic() < stop_at:
            i += 1
            sys_id, img_sys_id = records[i % len(records)]
            http.post(
                "/jail/IML", data={"flow_action": "edit", "sysID": sys_id, "imgSysID": img_sys_id}
            )
            http.post(
                "/jail/IML", data={"flow_action": "next", "currentStart": str(1 + 30 * (i % 3))}
            )
            http.post(
                "/Portal/SmartSearch/SmartSearch/SmartSearch",
                data={
                    "caseCriteria.CaseType": "Eviction",
                    "caseCriteria.FileDateStart": "11/01/2026",
                    "caseCriteria.FileDateEnd": f"11/{1 + i % 20:02d}/2026",
                },
            )
            rows = http.get("/Portal/SmartSearch/SmartSearchResults").json()["Data"]
            done += 4
            for row in rows[:2]:
                http.get(f"/Portal/Case/CaseDetail?eid={row['EncryptedCaseId']}&tabIndex=3")
                done += 1
        with lock:
            counter[0] += done


def requests_per_second(base: str, clients: int = 8, seconds: float = 10.0) -> float:
    counter, lock = [0], threading.Lock()
    started = time.monotonic()
    stop_at = started + seconds
    with ThreadPoolExecutor(clients) as pool:
        for future in [
            pool.submit(scraper_mix, base, stop_at, counter, lock) for _ in range(clients)
        ]:
            future.result()
    return counter[0] / (time.monotonic() - started)


def run() -> dict[str, float]:
    with simulator_process() as base:
        rps = requests_per_second(base)
    return {"simulator_requests_per_s": round(rps, 1)}


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value}")
