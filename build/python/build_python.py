"""Builds the Python parts of Hearth's distribution, from a cache first and PyPI second.

Two commands, both run by Maven in the ``package`` phase:

``pyspark-runtime``
    Puts ``pyspark.zip`` and ``py4j-*-src.zip`` into the Spark runtime's ``python/lib``, where a
    Spark distribution keeps them: Spark's launcher puts them on ``PYTHONPATH`` for drivers and
    executors. They come from the PySpark source release on PyPI, of exactly the runtime's
    Spark version, checked against its pinned SHA-256.

``environment``
    Creates the distribution's Python environment (a venv) and installs the hash-pinned
    requirements into it, then links PySpark from the runtime into it with a ``.pth`` file.

Every download lands in a cache outside the build tree (``$HEARTH_PYTHON_CACHE``, by default
``~/.cache/hearth/python``), so a clean or offline build reuses it. Without the network a build
takes what the cache has and, when something is missing, says what and where it looked.
Both commands do nothing when their output is already up to date.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# Offline, pip would retry each index request for minutes with the machine's defaults.
PIP_NETWORK_OPTIONS = ["--timeout", "20", "--retries", "1"]
SUPPORTED_PYTHONS = ((3, 9), (3, 10), (3, 11))


class BuildError(Exception):
    """A failure the user can act on; printed without a traceback."""


def cache_directory() -> Path:
    configured = os.environ.get("HEARTH_PYTHON_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "hearth" / "python"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    """Runs a command (argv, never a shell) and returns it, whatever its exit code."""
    return subprocess.run(command, capture_output=True, text=True, check=False)


def pip_environment() -> dict[str, str]:
    # The machine's own find-links or index settings must not change what a pinned build installs.
    return {key: value for key, value in os.environ.items() if key not in ("PIP_FIND_LINKS", "PIP_NO_INDEX", "PIP_REQUIRE_VIRTUALENV")}


def last_lines(text: str, count: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-count:])


# --- pyspark-runtime -------------------------------------------------------------------------


def pyspark_source(version: str, sha256: str, cache: Path) -> Path:
    """The PySpark source release from the cache, downloading it first when it is not there."""
    sdist = cache / "sdist" / f"pyspark-{version}.tar.gz"
    if sdist.is_file() and sha256_of(sdist) == sha256:
        return sdist
    print(f"Downloading PySpark {version} (about 320 MB, once) into {sdist.parent}", flush=True)
    sdist.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=sdist.parent) as temporary:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             *PIP_NETWORK_OPTIONS, "--dest", temporary, f"pyspark=={version}"],
            capture_output=True, text=True, check=False, env=pip_environment())
        downloaded = Path(temporary) / sdist.name
        if result.returncode != 0 or not downloaded.is_file():
            raise BuildError(
                f"PySpark {version} is not in the cache and could not be downloaded from PyPI.\n"
                f"  Looked for: {sdist} (sha256 {sha256})\n"
                f"  Build once with access to PyPI, or put that file there.\n"
                f"  pip said:\n{last_lines(result.stdout + result.stderr)}")
        actual = sha256_of(downloaded)
        if actual != sha256:
            raise BuildError(f"The downloaded {sdist.name} has sha256 {actual}, not the pinned {sha256}; it was not used")
        os.replace(downloaded, sdist)
    return sdist


def pyspark_runtime(arguments: argparse.Namespace) -> None:
    output = Path(arguments.output)
    stamp = output / ".pyspark-source.sha256"
    if stamp.is_file() and stamp.read_text().strip() == arguments.sha256 and (output / "pyspark.zip").is_file():
        print(f"PySpark {arguments.version} in {output} is up to date")
        return
    sdist = pyspark_source(arguments.version, arguments.sha256, cache_directory())
    output.mkdir(parents=True, exist_ok=True)
    prefix = f"pyspark-{arguments.version}/lib/"
    copied = []
    with tarfile.open(sdist) as archive:
        for member in archive:
            name = member.name
            if not member.isfile() or not name.startswith(prefix) or "/" in name[len(prefix):]:
                continue
            if not name.endswith(".zip"):
                continue
            source = archive.extractfile(member)
            if source is None:
                continue
            target = output / name[len(prefix):]
            partial = target.with_name(target.name + ".partial")
            with source, partial.open("wb") as sink:
                shutil.copyfileobj(source, sink)
            os.replace(partial, target)
            copied.append(target.name)
    if "pyspark.zip" not in copied or not any(name.startswith("py4j-") for name in copied):
        raise BuildError(f"{sdist} holds no lib/pyspark.zip and lib/py4j-*-src.zip; it is not a PySpark source release")
    stamp.write_text(arguments.sha256 + "\n")
    print(f"PySpark {arguments.version}: {', '.join(sorted(copied))} in {output}")


# --- environment -----------------------------------------------------------------------------


def requirement_pins(requirements: Path) -> list[tuple[str, str]]:
    """The (name, version) pins of a hash-pinned requirements file."""
    pins = []
    for line in requirements.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", line)
        if match:
            pins.append((match.group(1), match.group(2)))
    return pins


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def missing_wheels(requirements: Path, wheels: Path) -> list[str]:
    present = {normalized(path.name.split("-")[0]) + "==" + path.name.split("-")[1] for path in wheels.glob("*.whl")} if wheels.is_dir() else set()
    return [f"{name}=={version}" for name, version in requirement_pins(requirements) if f"{normalized(name)}=={version}" not in present]


def python_version(python: str) -> tuple[int, int]:
    result = run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
    if result.returncode != 0:
        raise BuildError(f"Cannot run the Python '{python}' (set -Dhearth.python to another): {last_lines(result.stderr)}")
    major, minor = result.stdout.strip().split(".")
    return int(major), int(minor)


def install(venv: Path, requirements: Path, wheels: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-index", "--find-links", str(wheels),
         "--require-hashes", "--only-binary", ":all:", "--requirement", str(requirements)],
        capture_output=True, text=True, check=False, env=pip_environment())


def download(python: str, requirements: Path, wheels: Path) -> subprocess.CompletedProcess[str]:
    wheels.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [python, "-m", "pip", "download", "--quiet", "--only-binary", ":all:", "--require-hashes", *PIP_NETWORK_OPTIONS,
         "--dest", str(wheels), "--requirement", str(requirements)],
        capture_output=True, text=True, check=False, env=pip_environment())


def site_packages(venv: Path) -> Path:
    result = run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    if result.returncode != 0:
        raise BuildError(f"Cannot ask the new environment {venv} where its packages go: {last_lines(result.stderr)}")
    return Path(result.stdout.strip())


def link_pyspark(venv: Path, runtime_python_lib: Path) -> None:
    """A .pth file that puts the runtime's PySpark on the environment's path, relative so it moves with the distribution."""
    site = site_packages(venv)
    zips = sorted(runtime_python_lib.glob("*.zip"))
    if not any(path.name == "pyspark.zip" for path in zips):
        raise BuildError(f"{runtime_python_lib} has no pyspark.zip; build hearth-spark-runtime first")
    lines = [os.path.relpath(path, site) for path in zips]
    (site / "hearth-pyspark.pth").write_text("\n".join(lines) + "\n")


def environment(arguments: argparse.Namespace) -> None:
    venv = Path(arguments.output)
    requirements = Path(arguments.requirements)
    version = python_version(arguments.python)
    if version not in SUPPORTED_PYTHONS:
        supported = ", ".join("%d.%d" % pair for pair in SUPPORTED_PYTHONS)
        raise BuildError(f"'{arguments.python}' is Python {version[0]}.{version[1]}; the pinned packages have wheels for Python {supported}. "
                         "Point -Dhearth.python at one of those.")
    fingerprint = {"requirements": sha256_of(requirements), "python": "%d.%d" % version, "runtime": str(Path(arguments.runtime).resolve())}
    stamp = venv / "hearth-environment.json"
    if stamp.is_file() and json.loads(stamp.read_text()) == fingerprint and (venv / "bin" / "python").exists():
        print(f"The Python environment {venv} is up to date")
        return
    if venv.exists():
        shutil.rmtree(venv)
    created = run([arguments.python, "-m", "venv", str(venv)])
    if created.returncode != 0:
        raise BuildError(f"Cannot create a virtual environment with '{arguments.python} -m venv': {last_lines(created.stdout + created.stderr)}")
    wheels = cache_directory() / "wheels"
    installed = install(venv, requirements, wheels)
    if installed.returncode != 0:
        print(f"Downloading the pinned Python packages from PyPI into {wheels} (about 120 MB, once)", flush=True)
        downloaded = download(arguments.python, requirements, wheels)
        if downloaded.returncode != 0:
            missing = missing_wheels(requirements, wheels)
            raise BuildError(
                f"The Python packages of {requirements} could not all be found.\n"
                f"  Missing from the cache {wheels}: {', '.join(missing) or '(none by name; see pip below)'}\n"
                f"  Build once with access to PyPI, or put those wheels there.\n"
                f"  pip said:\n{last_lines(downloaded.stdout + downloaded.stderr)}")
        installed = install(venv, requirements, wheels)
        if installed.returncode != 0:
            raise BuildError(f"Installing {requirements} into {venv} failed:\n{last_lines(installed.stdout + installed.stderr)}")
    link_pyspark(venv, Path(arguments.runtime) / "python" / "lib")
    stamp.write_text(json.dumps(fingerprint, indent=2) + "\n")
    print(f"Python environment {venv}: Python {version[0]}.{version[1]} with {len(requirement_pins(requirements))} pinned packages and PySpark")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    runtime = commands.add_parser("pyspark-runtime", help="put pyspark.zip and py4j into a Spark runtime's python/lib")
    runtime.add_argument("--version", required=True)
    runtime.add_argument("--sha256", required=True)
    runtime.add_argument("--output", required=True)
    runtime.set_defaults(run=pyspark_runtime)
    env = commands.add_parser("environment", help="create the distribution's Python environment")
    env.add_argument("--python", default="python3")
    env.add_argument("--requirements", required=True)
    env.add_argument("--runtime", required=True, help="the Spark runtime directory, whose python/lib holds PySpark")
    env.add_argument("--output", required=True)
    env.set_defaults(run=environment)
    arguments = parser.parse_args(argv)
    try:
        arguments.run(arguments)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
