"""A cluster's Python environment, layered on Hearth's.

Run as a script (``python3 hearth_layer.py TARGET``) by Hearth with the Python of its base
environment, it creates TARGET: a venv of the same interpreter whose own site-packages come first
and whose ``hearth-layer.pth`` imports this module, which adds the base environment's
site-packages (with its own ``.pth`` files, PySpark's among them) after them. So a package a
bootstrap action installs into the cluster wins, and the base stays untouched. TARGET's ``bin``
also gets ``pip``/``pip3`` (pip of the base, installing into TARGET) and a ``sudo`` that runs its
command as it is, for EMR bootstrap scripts that write ``sudo python3 -m pip install``.

Imported at start-up, it also lets pip read ``s3://`` locations of Hearth's object store
(``-r s3://bucket/requirements.txt``, ``--find-links s3://bucket/wheels/``), serializes pip (the instances of a cluster run their bootstrap
actions at once on this one machine, into this one environment), and copies an uncaught
exception's traceback to the file ``HEARTH_PYTHON_TRACEBACKS`` names: a step's stderr, which a
PySpark driver's own stderr never reaches (Spark merges it into stdout).
"""

from __future__ import annotations

import os
import site
import sys
import sysconfig
from pathlib import Path

BASE_SITE_FILE = "hearth-base-site.txt"
TRACEBACKS_ENV = "HEARTH_PYTHON_TRACEBACKS"
OBJECT_STORE_ENV = "HEARTH_S3_ROOT"

_lock = None


def _layer() -> None:
    here = Path(__file__).resolve().parent
    base = here / BASE_SITE_FILE
    if base.is_file():
        site.addsitedir(base.read_text().strip())
    argv = getattr(sys, "orig_argv", [])
    if "-m" in argv and argv[argv.index("-m") + 1:argv.index("-m") + 2] == ["pip"]:
        import fcntl

        global _lock
        _lock = open(Path(sys.prefix) / ".pip.lock", "w")
        fcntl.flock(_lock, fcntl.LOCK_EX)
        # What pip installs stays the owner's, like the rest of the data directory.
        os.umask(0o077)
        root = os.environ.get(OBJECT_STORE_ENV)
        if root:
            sys.argv[1:] = [_local(argument, root) for argument in sys.argv[1:]]
    tracebacks = os.environ.get(TRACEBACKS_ENV)
    if tracebacks:
        _copy_tracebacks(tracebacks)


def _local(argument: str, root: str) -> str:
    """An s3:// location (alone or as --option=value) as the file of Hearth's object store it names."""
    option, equals, value = argument.partition("=") if argument.startswith("--") else ("", "", argument)
    for scheme in ("s3://", "s3a://", "s3n://"):
        if value.startswith(scheme):
            local = os.path.normpath(os.path.join(root, value[len(scheme):]))
            if local.startswith(os.path.normpath(root) + os.sep):
                return option + equals + local + ("/" if value.endswith("/") else "")
    return argument


def _copy_tracebacks(path: str) -> None:
    shown = sys.excepthook

    def hook(kind, value, trace):  # type: ignore[no-untyped-def]
        shown(kind, value, trace)
        import traceback

        try:
            with open(path, "a", encoding="utf-8") as stderr:
                traceback.print_exception(kind, value, trace, file=stderr)
        except OSError:
            pass

    sys.excepthook = hook


WRAPPERS = {
    "pip": '#!/bin/sh\nexec "$(dirname "$0")/python3" -m pip "$@"\n',
    "sudo": (
        "#!/bin/sh\n"
        "# Hearth runs bootstrap actions and steps as the user who runs Hearth: sudo runs its command as it is.\n"
        "while [ $# -gt 0 ]; do\n"
        '  case "$1" in\n'
        "    -u|-g|-C|-D|-h|-p|-r|-t|-U|-T) shift 2 ;;\n"
        "    --) shift; break ;;\n"
        "    -*) shift ;;\n"
        "    *) break ;;\n"
        "  esac\n"
        "done\n"
        'exec "$@"\n'
    ),
}


def create(target: Path) -> None:
    import shutil
    import venv

    # Copies, not symlinks, and owner-only modes: the environment lives in Hearth's data directory,
    # which is nobody else's business (a symlink's mode bits are always rwxrwxrwx).
    venv.EnvBuilder(with_pip=False, symlinks=False).create(target)
    lib64 = target / "lib64"
    if lib64.is_symlink():
        lib64.unlink()
    paths = sysconfig.get_paths(vars={"base": str(target), "platbase": str(target)})
    target_site = Path(paths["purelib"])
    target_site.mkdir(parents=True, exist_ok=True)
    (target_site / BASE_SITE_FILE).write_text(sysconfig.get_paths()["purelib"] + "\n")
    shutil.copyfile(__file__, target_site / "hearth_layer.py")
    (target_site / "hearth-layer.pth").write_text("import hearth_layer\n")
    version = "%d.%d" % sys.version_info[:2]
    bin_directory = target / "bin"
    for name, text in {"pip": WRAPPERS["pip"], "pip3": WRAPPERS["pip"], "pip" + version: WRAPPERS["pip"], "sudo": WRAPPERS["sudo"]}.items():
        script = bin_directory / name
        script.write_text(text)
    _owner_only(target)


def _owner_only(root: Path) -> None:
    for directory, folders, files in os.walk(root):
        for name in [*folders, *files]:
            path = Path(directory) / name
            if not path.is_symlink():
                mode = path.stat().st_mode & 0o777
                path.chmod((mode & 0o700) | (0o700 if path.is_dir() or mode & 0o100 or path.parent.name == "bin" else 0))
    root.chmod(0o700)


if __name__ == "__main__":
    create(Path(sys.argv[1]))
else:
    _layer()
