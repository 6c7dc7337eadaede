"""A small Chrome DevTools Protocol client for the browser tests: headless Debian chromium.

Every request the page makes is paused by the Fetch domain and recorded; anything that is not
file:, data: or about: is failed on the spot, so a page that tries to reach a host is both
caught (counted) and kept offline. Console errors, uncaught exceptions and browser log errors
(CSP violations among them) are collected too.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import shutil
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from processes import stop_process
from websockets.sync.client import connect

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                  "--remote-debugging-port=0"]
LOCAL_SCHEMES = ("file:", "data:", "about:")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class PageLog:
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Browser:
    """One page in a headless chromium, driven over a flat CDP session."""

    def __init__(self, ws_url: str) -> None:
        self._ws = connect(ws_url, max_size=None, open_timeout=30)
        self._ids = itertools.count(1)
        self.log = PageLog()
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self.call("Target.attachToTarget",
                                  {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.call(method, session=True)
        self.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session=True)

    def call(self, method: str, params: dict | None = None, *, session: bool = False,
             timeout: float = 60) -> dict:
        """Send one command and wait for its answer, handling events that arrive meanwhile."""
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        self._ws.send(json.dumps(message))
        while True:
            reply = json.loads(self._ws.recv(timeout=timeout))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._event(reply)

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        while True:
            message = json.loads(self._ws.recv(timeout=timeout))
            if message.get("method") == event:
                return message.get("params", {})
            self._event(message)

    def _event(self, message: dict) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Fetch.requestPaused":
            self._decide(params)
        elif method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
            self.log.errors.append(" ".join(str(a.get("value", a.get("description", "")))
                                            for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            self.log.errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.log.errors.append(params["entry"].get("text", ""))

    def _decide(self, params: dict) -> None:
        url = params["request"]["url"]
        self.log.requests.append(url)
        request = {"requestId": params["requestId"]}
        # Answered without waiting for the reply: a reply is never awaited inside an event.
        if url.startswith(LOCAL_SCHEMES):
            self._send("Fetch.continueRequest", request)
        else:
            self.log.blocked.append(url)
            self._send("Fetch.failRequest", {**request, "errorReason": "BlockedByClient"})

    def _send(self, method: str, params: dict) -> None:
        self._ws.send(json.dumps({"id": next(self._ids), "method": method, "params": params,
                                  "sessionId": self._session}))

    def open(self, url: str, width: int, height: int = 900, mobile: bool = False) -> None:
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1,
                   "mobile": mobile}, session=True)
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("text", "evaluation failed"))
        return result["result"].get("value")

    def screenshot(self, path: Path, max_height: int | None = None) -> Path:
        """The whole page (or its top `max_height` pixels) as a PNG."""
        size = self.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
        height = size["height"] if max_height is None else min(size["height"], max_height)
        shot = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": height, "scale": 1},
        }, session=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def print_pdf(self, path: Path) -> Path:
        """The page as the print dialog would lay it out (A4, print CSS)."""
        pdf = self.call("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69,
                                            "printBackground": False}, session=True)
        path.write_bytes(base64.b64decode(pdf["data"]))
        return path

    def emulate_media(self, media: str) -> None:
        self.call("Emulation.setEmulatedMedia", {"media": media}, session=True)

    def close(self) -> None:
        self._ws.close()


@contextmanager
def headless_chromium(executable: str):
    """Start chromium with a throw-away profile; yield a Browser; stop it (this process only)."""
    profile = tempfile.mkdtemp(prefix="wirewatch-chromium-")
    process = subprocess.Popen([executable, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                "about:blank"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    browser = None
    try:
        browser = Browser(_devtools_url(process))
        yield browser
    finally:
        if browser is not None:
            browser.close()
        stop_process(process, timeout_s=20)
        shutil.rmtree(profile, ignore_errors=True)


def _devtools_url(process: subprocess.Popen) -> str:
    assert process.stderr is not None
    for line in process.stderr:
        found = re.search(r"DevTools listening on (ws://\S+)", line)
        if found:
            # Keep reading chromium's chatter so a full pipe never stalls it.
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return found.group(1)
    raise RuntimeError(f"chromium exited ({process.wait()}) before opening DevTools")
