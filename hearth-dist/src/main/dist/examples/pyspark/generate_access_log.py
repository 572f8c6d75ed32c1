"""Writes a synthetic web access log (Apache combined-log style, one file per day) from a fixed seed.

Usage: python3 generate_access_log.py OUTPUT_DIR [--days N] [--users N] [--seed N]

The same arguments give the same bytes. Users have habits: each prefers a few pages and visits
on some days only, so the analysis finds real segments.
"""

from __future__ import annotations

import argparse
import datetime
import random
from pathlib import Path

PAGES = ["/", "/search", "/product/1", "/product/2", "/product/3", "/cart", "/checkout", "/account", "/help", "/blog",
         "/blog/spark", "/blog/pandas", "/pricing", "/docs", "/docs/api"]
START = datetime.date(2024, 1, 20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--days", type=int, default=21)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    random_source = random.Random(arguments.seed)
    users = []
    for number in range(arguments.users):
        kind = random_source.choice(["browser", "buyer", "reader"])
        favourites = {"browser": PAGES[:5], "buyer": PAGES[2:8], "reader": PAGES[9:]}[kind]
        users.append((f"user{number:04d}", f"10.0.{number // 250}.{number % 250 + 1}", favourites, random_source.uniform(0.1, 0.9)))
    output = Path(arguments.output)
    output.mkdir(parents=True, exist_ok=True)
    for offset in range(arguments.days):
        day = START + datetime.timedelta(days=offset)
        lines = []
        for user, address, favourites, activity in users:
            if random_source.random() > activity:
                continue
            for _ in range(random_source.randint(1, 12)):
                page = random_source.choice(favourites) if random_source.random() < 0.8 else random_source.choice(PAGES)
                moment = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(seconds=random_source.randrange(86400))
                status = 404 if random_source.random() < 0.03 else 200
                size = random_source.randint(200, 90000)
                lines.append((moment, f'{address} - {user} [{moment:%d/%b/%Y:%H:%M:%S} +0000] "GET {page} HTTP/1.1" {status} {size}'))
        lines.sort()
        (output / f"access-{day:%Y-%m-%d}.log").write_text("\n".join(line for _, line in lines) + "\n")


if __name__ == "__main__":
    main()
