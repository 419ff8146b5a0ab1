"""Headless Chromium sessions for the scrapers: local (Debian's chromium + chromedriver)
or remote (a Selenium Grid, or any W3C remote end such as a chromedriver on its own)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from courtlake.children import watch_group

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM = Path("/usr/bin/chromium")
HEADLESS_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--window-size=1280,1024",
)


class BrowserUnavailable(RuntimeError):
    """Chromium or chromedriver is missing; `make setup` installs them."""


@dataclass(frozen=True)
class BrowserConfig:
    remote_url: str | None = None  # a Selenium Grid / remote WebDriver URL
    page_load_timeout_s: float = 30.0
    chromedriver: Path = CHROMEDRIVER
    chromium: Path = CHROMIUM


def chrome_options(user_data_dir: str | None, binary: Path | None) -> Options:
    options = Options()
    for flag in HEADLESS_FLAGS:
        options.add_argument(flag)
    if user_data_dir:
        options.add_argument(f"--user-data-dir={user_data_dir}")
    if binary is not None:
        options.binary_location = str(binary)
    options.page_load_strategy = "normal"
    return options


@contextmanager
def open_browser(config: BrowserConfig | None = None) -> Iterator[webdriver.Remote]:
    """A fresh headless browser with its own profile, closed (and cleaned) on exit."""
    config = config or BrowserConfig()
    profile, watch = None, None
    if config.remote_url:
        driver: webdriver.Remote = webdriver.Remote(
            command_executor=config.remote_url, options=chrome_options(None, None)
        )
    else:
        for needed in (config.chromedriver, config.chromium):
            if not needed.exists():
                raise BrowserUnavailable(f"{needed} is missing: run `make setup`")
        profile = tempfile.mkdtemp(prefix="courtlake-chrome-")
        # chromedriver and its Chromium in a process group of their own, killed with
        # this process however it ends (courtlake.children)
        service = Service(
            executable_path=str(config.chromedriver), popen_kw={"start_new_session": True}
        )
        driver = webdriver.Chrome(service=service, options=chrome_options(profile, config.chromium))
        watch = watch_group(service.process.pid)
    try:
        driver.set_page_load_timeout(config.page_load_timeout_s)
        yield driver
    finally:
        driver.quit()
        if watch is not None:
            watch.release()
        if profile:
            shutil.rmtree(profile, ignore_errors=True)
