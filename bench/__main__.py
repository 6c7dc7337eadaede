"""Run the benchmarks: `python -m bench` runs every bench/*_bench.py, `python -m bench NAME
[ARGS…]` runs bench/NAME_bench.py with ARGS, `python -m bench --list` names them."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    return sorted(p.stem.removesuffix("_bench") for p in HERE.glob("*_bench.py"))


def run(name: str, args: list[str]) -> None:
    module = importlib.import_module(f"bench.{name}_bench")
    # Each benchmark parses sys.argv itself, as when it is run as a script.
    sys.argv = [str(HERE / f"{name}_bench.py"), *args]
    if "--json" not in args:  # with --json the bench's stdout is one JSON object, nothing else
        print(f"== {name} ==", flush=True)
    module.main()


def main(argv: list[str]) -> int:
    names = available()
    if argv and argv[0] in ("--list", "-l"):
        print("\n".join(names))
        return 0
    if argv and argv[0] not in names:
        print(f"no benchmark {argv[0]!r}; available: {', '.join(names)}", file=sys.stderr)
        return 2
    for name in [argv[0]] if argv else names:
        run(name, argv[1:] if argv else [])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
