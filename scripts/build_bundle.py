"""Build the workstation bundle: one folder that runs the client with nothing else installed.

    python scripts/build_bundle.py                 # PyInstaller: dist/dissuade/ (the chosen tool)
    python scripts/build_bundle.py --archive       # and dist/dissuade-VERSION-PLATFORM.zip|.tar.gz
    python scripts/build_bundle.py --check         # then check the folder as an IT section would
    python scripts/build_bundle.py --tool nuitka   # pyside6-deploy (Nuitka), for comparison

Needs the `bundle` extra (pip install ".[bundle]"); PyInstaller builds for the machine it runs
on, so the Windows folder is built on Windows (see README, "Installing at a centre"). The spec
is packaging/dissuade.spec; Nuitka's configuration is packaging/pysidedeploy.spec.

--check starts the built program from an empty folder with an empty environment (so nothing
from this checkout or its virtual environment can be found): `dissuade resources` must find
every shipped file inside the bundle, and a screenshot of a demo database must render. It prints
the build time, the folder's size and the start-up time (a screenshot, window drawn and saved).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXE = "dissuade.exe" if sys.platform == "win32" else "dissuade"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build_pyinstaller(dist: Path, work: Path) -> Path:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work),
                    str(ROOT / "packaging" / "dissuade.spec")], check=True, env=env, cwd=ROOT)
    return dist / "dissuade"


def build_nuitka(dist: Path, work: Path) -> Path:
    """pyside6-deploy with the committed configuration, its paths made absolute and the CJK font
    added (as the PyInstaller spec does)."""
    import configparser

    from dissuade.fonts import FontMissing, find_cjk_font

    config = configparser.ConfigParser()
    config.read(ROOT / "packaging" / "pysidedeploy.spec", encoding="utf-8")
    work.mkdir(parents=True, exist_ok=True)
    config["app"]["project_dir"] = str(ROOT)
    config["app"]["input_file"] = str(ROOT / "packaging" / "dissuade_main.py")
    config["app"]["exec_directory"] = str(dist)
    extra = config["nuitka"]["extra_args"] + f" --output-dir={work}"
    if sys.platform != "win32":
        try:
            font = find_cjk_font().path
            extra += f" --include-data-files={font}=resources/fonts/{font.name}"
        except FontMissing:
            pass
    config["nuitka"]["extra_args"] = extra
    spec = work / "pysidedeploy.spec"
    with spec.open("w", encoding="utf-8") as fh:
        config.write(fh)
    deploy = Path(sys.executable).parent / ("pyside6-deploy.exe" if sys.platform == "win32" else "pyside6-deploy")
    subprocess.run([str(deploy), "-c", str(spec), "--no-install", "-f"], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    # Nuitka leaves NAME.dist in its output folder; pyside6-deploy may move it to exec_directory.
    # (Run here only as far as compiling C: see README's table.)
    built = next(p for folder in (work, dist) for p in folder.glob("*.dist"))
    target = dist / "dissuade-nuitka"
    shutil.rmtree(target, ignore_errors=True)
    shutil.move(str(built), target)
    main = target / ("dissuade_main.exe" if sys.platform == "win32" else "dissuade_main.bin")
    if main.exists():
        main.rename(target / EXE)
    return target


def archive(folder: Path) -> Path:
    """A .zip on Windows (Explorer opens it), a .tar.gz elsewhere (it keeps the executable bit)."""
    from dissuade import __version__

    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    name = folder.parent / f"dissuade-{__version__}-{system}-{platform.machine().lower()}"
    fmt = "zip" if sys.platform == "win32" else "gztar"
    return Path(shutil.make_archive(str(name), fmt, root_dir=folder.parent, base_dir=folder.name))


def clean_env(home: Path) -> dict[str, str]:
    """What a workstation's session has, and nothing of this machine's Python."""
    env = {"HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
           "DISSUADE_DATA_DIR": str(home / "data")}
    if sys.platform == "win32":
        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP", "LOCALAPPDATA")
                    if k in os.environ})
        env["PATH"] = os.environ.get("SYSTEMROOT", r"C:\Windows") + r"\System32"
    else:
        env["PATH"] = "/usr/bin:/bin"
    return env


def check(folder: Path) -> dict[str, object]:
    """Run the bundle away from everything: its resources, a demo database, a screenshot."""
    exe = folder / EXE
    with tempfile.TemporaryDirectory(prefix="dissuade-bundle-check-") as tmp:
        home = Path(tmp)
        env = clean_env(home)

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            done = subprocess.run([str(exe), *args], cwd=home, env=env, capture_output=True,
                                  text=True, encoding="utf-8", timeout=300)
            if done.returncode != 0:
                raise SystemExit(f"{exe.name} {' '.join(args)} failed ({done.returncode}):\n"
                                 f"{done.stdout}{done.stderr}")
            return done

        report = json.loads(run("resources", "--json").stdout)
        run("demo", "--db", str(home / "demo.db"), "--warnings", "200", "--seed", "1")
        times = []
        for n in range(3):
            started = time.monotonic()
            run("--db", str(home / "demo.db"), "--screenshot", str(home / f"shot{n}.png"))
            times.append(time.monotonic() - started)
        shutil.copyfile(home / "shot0.png", folder.parent / "bundle-screenshot.png")
    return {"resources": report, "startup_seconds": sorted(times)[1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tool", choices=["pyinstaller", "nuitka"], default="pyinstaller")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the folder goes")
    parser.add_argument("--work", type=Path, default=None, help="build files (default build/TOOL)")
    parser.add_argument("--archive", action="store_true", help="also pack the folder")
    parser.add_argument("--check", action="store_true", help="run the built folder's checks")
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    work = (args.work or ROOT / "build" / args.tool).resolve()
    started = time.monotonic()
    folder = (build_pyinstaller if args.tool == "pyinstaller" else build_nuitka)(dist, work)
    took = time.monotonic() - started
    facts: dict[str, object] = {"tool": args.tool, "folder": str(folder),
                                "build_seconds": round(took, 1),
                                "size_mb": round(folder_size(folder) / 1e6, 1)}
    if args.archive:
        packed = archive(folder)
        facts.update(archive=str(packed), archive_mb=round(packed.stat().st_size / 1e6, 1))
    if args.check:
        checked = check(folder)
        report = checked["resources"]
        assert isinstance(report, dict)
        missing = [i["name"] for i in report["items"] if not i["ok"]]
        if missing:
            raise SystemExit(f"missing from the bundle: {', '.join(missing)}")
        facts["startup_seconds"] = round(float(checked["startup_seconds"]), 2)  # type: ignore[arg-type]
    print(json.dumps(facts, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
