"""Thousands of feeds on loopback from one small asyncio process (bench/scale_bench.py).

bench/farm.py gives every outlet its own server thread, which is right for 100 outlets and
too heavy for 10,000. Here one event loop listens on `hosts` loopback addresses
(127.0.1.1, 127.0.1.2, …) and serves `feeds` feeds spread over them, each with `items` items
whose pages are small articles on the same host. Most feeds answer a conditional request with
304 (they send an ETag); every `no_etag_every`-th feed sends no validator, so a repeat poll
gets the identical body again (the cycle sees it unchanged by its hash).

    python -m bench.feedfarm --feeds 10000 --hosts 50 --items 0 --ready FILE

writes {"feeds": [[outlet_id, feed_url], ...]} to FILE once listening, then serves until
killed. Only HTTP/1.1 GET with keep-alive, which is all the cycle sends.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
from pathlib import Path

PAGE = ("<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title></head>"
        "<body><main><article><h1>{title}</h1><p class=byline>By Farm Reporter</p>{body}"
        "</article></main></body></html>")
SENTENCE = ("Officials in the border city said on Tuesday that the crossing would reopen "
            "after inspections of the bridge were completed by engineers from both sides. ")


def feed_body(host: str, port: int, feed: int, items: int) -> bytes:
    base = f"http://{host}:{port}"
    entries = "".join(
        f"<item><title>Story {feed}-{i} from the farm</title><link>{base}/p/{feed}/{i}</link>"
        f"<guid>{base}/p/{feed}/{i}</guid><pubDate>Mon, 12 Jan 2026 12:{i % 60:02d}:00 GMT"
        f"</pubDate><description>Summary of story {feed}-{i}.</description></item>"
        for i in range(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Farm feed {feed}</title><link>{base}/</link>"
            f"<description>{'A farm feed. ' * 40}</description>{entries}</channel></rss>"
            ).encode()


def page_body(feed: int, item: int) -> bytes:
    paragraphs = "".join(f"<p>{SENTENCE * 4}Paragraph {n} of story {feed}-{item}.</p>"
                         for n in range(8))
    return PAGE.format(title=f"Story {feed}-{item} from the farm", body=paragraphs).encode()


class Farm:
    def __init__(self, feeds: int, hosts: int, items: int, no_etag_every: int) -> None:
        self.feeds, self.hosts, self.items = feeds, hosts, items
        self.no_etag_every = no_etag_every
        self.bodies: dict[tuple[str, int], tuple[bytes, str | None]] = {}
        self.ports: dict[str, int] = {}

    def host_of(self, feed: int) -> str:
        return f"127.0.1.{feed % self.hosts + 1}"

    async def start(self) -> None:
        for n in range(self.hosts):
            host = f"127.0.1.{n + 1}"
            server = await asyncio.start_server(self.handle, host, 0, backlog=1024)
            self.ports[host] = server.sockets[0].getsockname()[1]
        for feed in range(self.feeds):
            host = self.host_of(feed)
            body = feed_body(host, self.ports[host], feed, self.items)
            etag = None if feed % self.no_etag_every == 0 else (
                '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"')
            self.bodies[(host, feed)] = (body, etag)

    def feed_list(self) -> list[list[str]]:
        return [[f"farm{feed}", f"http://{self.host_of(feed)}:{self.ports[self.host_of(feed)]}"
                 f"/f/{feed}.xml"] for feed in range(self.feeds)]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {k.strip().lower(): v.strip() for k, _, v in
                           (line.partition(":") for line in lines[1:] if line)}
                writer.write(self.respond(host, path, headers.get("if-none-match")))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError):
            pass
        finally:
            writer.close()

    def respond(self, host: str, path: str, if_none_match: str | None) -> bytes:
        status, ctype, body, etag = "404 Not Found", "text/plain", b"not found", None
        if path == "/robots.txt":
            status, body = "200 OK", b"User-agent: *\nAllow: /\n"
        elif path.startswith("/f/"):
            found = self.bodies.get((host, int(path[3:].removesuffix(".xml"))))
            if found is not None:
                body, etag = found
                status, ctype = "200 OK", "application/rss+xml"
                if etag is not None and if_none_match == etag:
                    status, body = "304 Not Modified", b""
        elif path.startswith("/p/"):
            feed, _, item = path[3:].partition("/")
            status, ctype, body = "200 OK", "text/html; charset=utf-8", page_body(
                int(feed), int(item))
        header = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n"
        if status != "304 Not Modified":
            header += f"Content-Type: {ctype}\r\n"
        if etag is not None:
            header += f"ETag: {etag}\r\n"
        return (header + "\r\n").encode() + body


async def serve(args: argparse.Namespace) -> None:
    farm = Farm(args.feeds, args.hosts, args.items, args.no_etag_every)
    await farm.start()
    Path(args.ready).write_text(json.dumps({"feeds": farm.feed_list()}), encoding="utf-8")
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--items", type=int, default=0)
    parser.add_argument("--no-etag-every", type=int, default=7)
    parser.add_argument("--ready", required=True)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
