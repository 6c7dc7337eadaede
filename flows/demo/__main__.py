"""`python -m flows.demo [PORT]`: serve the demo outlets until interrupted, to browse them."""

from __future__ import annotations

import sys
import threading

from flows.demo.server import DemoSite


def main(argv: list[str]) -> int:
    port = int(argv[0]) if argv else 8800
    with DemoSite(port=port) as site:
        print(f"wirewatch demo outlets at {site.base_url}/")
        print(f"their outlets configuration: {site.base_url}/outlets.toml")
        print("Press Ctrl-C to stop.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
