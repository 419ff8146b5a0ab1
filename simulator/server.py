"""Run the simulator: in the foreground (`courtlake simulator serve`) or, for tests and
the demo, in a background thread on a free loopback port."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import uvicorn

from simulator.app import create_app
from simulator.counties import DEFAULT_COUNTY, load_county
from simulator.faults import FaultConfig
from simulator.state import Credentials, PortalState
from simulator.world import generate_world


@dataclass(frozen=True)
class RunningSimulator:
    base_url: str
    state: PortalState

    @property
    def court_url(self) -> str:
        return f"{self.base_url}{self.state.county.court.base_path}"

    @property
    def jail_url(self) -> str:
        return f"{self.base_url}/jail/"

    @property
    def admin_url(self) -> str:
        return f"{self.base_url}/_admin"


def build_state(
    seed: int,
    as_of: date,
    *,
    scale: float = 1.0,
    faults: FaultConfig | None = None,
    credentials: Credentials | None = None,
    county: str = DEFAULT_COUNTY,
) -> PortalState:
    """The world for `seed` at `scale`, served as of `as_of` under the county profile
    `county` (a name from `counties/`; raises `CountyError` for an unknown one)."""
    profile = load_county(county)
    world = generate_world(seed, scale)
    return PortalState.build(
        world, as_of, faults or FaultConfig(), credentials or Credentials(), profile
    )


def _config(state: PortalState, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        create_app(state),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_keep_alive=30,
    )


def serve_forever(state: PortalState, host: str = "127.0.0.1", port: int = 8800) -> None:
    uvicorn.Server(_config(state, host, port)).run()


@contextmanager
def running(state: PortalState, host: str = "127.0.0.1") -> Iterator[RunningSimulator]:
    """Serve `state` on a free port in a daemon thread until the block exits."""
    # Declared TCP, so that asyncio turns Nagle off on every connection it accepts:
    # otherwise a response's headers and body, written apart, wait for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(_config(state, host, port))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()

    def wait_started() -> None:
        while not server.started and thread.is_alive():
            started.wait(0.02)

    wait_started()
    if not server.started:
        raise RuntimeError("the simulator did not start")
    try:
        yield RunningSimulator(base_url=f"http://{host}:{port}", state=state)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
