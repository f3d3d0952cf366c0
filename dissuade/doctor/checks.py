"""The doctor's checks, each answering one `Finding`: what was looked at, what was found, and when
it is a problem, how to fix it (Chinese / English, as every message of dissuade).

- the CJK font the PDFs embed (`dissuade.fonts`);
- the speech engine and its Mandarin voice (pyttsx3, asked in a child process as
  `dissuade.playbooks.speech` does, so a hung engine cannot hang the doctor);
- a database file: its integrity, its audit chain, pending migrations or a newer version's
  schema (read only, never migrated), and free disk beside it;
- a hub: reachable, its version against this one, the clock difference between this machine and
  the hub (from `/api/v1/health`), and the token when one is given;
- the gateways: the dial gateway of the room (`DISSUADE_DIAL_*`) or the workstation's, and the
  SMS, bank and chase-call gateways given: commands runnable, webhooks answering, folders
  writable. Nothing is ever sent through a gateway.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx

import dissuade
from dissuade.domain.errors import DissuadeError, InvalidInput

CLOCK_SKEW_SECONDS = 30.0  # more than this between this machine and the hub is a problem
MIN_FREE_BYTES = 1_000_000_000  # and at least twice the database, for the backup before upgrades
HUB_TIMEOUT = 5.0
SPEECH_TIMEOUT = 30.0
CONNECT_TIMEOUT = 2.0

CLOCK_FIX = {
    "linux": "开启网络对时：timedatectl set-ntp true（或配置 chrony 指向中心的时间服务器）/ turn on "
             "network time: timedatectl set-ntp true (or point chrony at the centre's time server)",
    "win32": "以管理员身份运行：w32tm /resync；或在 设置 › 时间和语言 中开启“自动设置时间” / as an "
             "administrator run w32tm /resync, or turn on 'Set time automatically' in Settings › "
             "Time & language",
    "darwin": "在 系统设置 › 通用 › 日期与时间 中开启自动设置 / turn on 'Set time and date "
              "automatically' in System Settings › General › Date & Time",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's answer. `what` is (zh, en); `detail` and `fix` are "中文 / English"."""

    key: str
    what: tuple[str, str]
    ok: bool
    detail: str
    fix: str = ""

    def title(self, lang: str = "zh") -> str:
        return self.what[1] if lang.startswith("en") else self.what[0]


@dataclass
class Setup:
    """What to check. Left None, a part is not checked (the font and speech always are)."""

    db: str | None = None
    server: str | None = None
    token: str | None = None
    fonts: Sequence[str | Path] | None = None  # font files or folders; None: the usual places
    speech_driver: str | None = None  # pyttsx3's driver; None: the platform's
    voice: str | None = None  # a voice id that must exist; None: the best Mandarin voice
    environ: Mapping[str, str] | None = None  # for DISSUADE_DIAL_*; None: os.environ
    telephony: Any = None  # the workstation's own dial gateway (gateways.telephony.Telephony)
    sms: Any = None  # gateways.sms.Gateway
    bank: Any = None  # gateways.bank.BankGateway
    dialer: Any = None  # gateways.dialer.Dialer
    clock: Callable[[], float] = field(default=time.time)
    max_clock_skew: float = CLOCK_SKEW_SECONDS
    min_free_bytes: int = MIN_FREE_BYTES


def run(setup: Setup) -> list[Finding]:
    """Every check `setup` asks for, in the order they are shown."""
    found = [check_font(setup.fonts), check_speech(driver=setup.speech_driver, voice=setup.voice)]
    if setup.db:
        found += check_database(setup.db, min_free_bytes=setup.min_free_bytes)
    if setup.server:
        found += check_hub(setup.server, token=setup.token, clock=setup.clock,
                           max_skew=setup.max_clock_skew)
    found += check_gateways(setup)
    return found


# -- the font ---------------------------------------------------------------------------------

FONT = ("中文字体", "CJK font")


def check_font(candidates: Sequence[str | Path] | None = None) -> Finding:
    from dissuade import fonts

    try:
        font = fonts.find_cjk_font(candidates)
    except fonts.FontMissing:
        return Finding("font", FONT, False, "找不到可显示中文的字体，无法生成 PDF（止付申请、交班报告）"
                       " / no font that draws Chinese was found: no PDF (stop-payment request, "
                       "shift report) can be made",
                       fonts.FONT_FIX.get(sys.platform, fonts.FONT_FIX["linux"]))
    face = f" (face {font.face})" if font.face else ""
    return Finding("font", FONT, True, f"{font.path}{face}")


# -- speech -----------------------------------------------------------------------------------

SPEECH = ("语音引擎与普通话语音", "speech engine and Mandarin voice")
# The child: start pyttsx3 (with the driver named in argv[1], if any) and list its voices as JSON.
_PROBE = r"""
import json, sys
try:
    import pyttsx3
    engine = pyttsx3.init(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] else pyttsx3.init()
    voices = [{"id": str(v.id), "name": str(v.name or ""),
               "languages": [x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x)
                             for x in (v.languages or [])]}
              for v in engine.getProperty("voices")]
except Exception as exc:
    print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
else:
    print(json.dumps({"voices": voices}))
"""


def check_speech(*, driver: str | None = None, voice: str | None = None,
                 timeout: float = SPEECH_TIMEOUT) -> Finding:
    """The engine starts and has the Mandarin voice (`voice`, or the one the voice warnings
    would choose). Asked in a child process: pyttsx3 may hang or crash its process."""
    from dissuade.playbooks import speech

    fix = speech.FIXES.get(sys.platform, speech.FIXES["linux"])
    try:
        done = subprocess.run([sys.executable, "-c", _PROBE, driver or ""], capture_output=True,
                              timeout=timeout, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                              creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    except subprocess.TimeoutExpired:
        return Finding("speech", SPEECH, False, f"语音引擎 {timeout:g} 秒内没有响应 / the speech "
                       f"engine did not answer within {timeout:g} s", fix)
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    try:
        answer = json.loads(lines[-1]) if lines else {}
    except ValueError:
        answer = {}
    if "voices" not in answer:
        reason = answer.get("error") or done.stderr.decode("utf-8", "replace").strip()[-300:]
        return Finding("speech", SPEECH, False, f"语音引擎无法启动 / the speech engine cannot "
                       f"start: {reason or 'no answer'}", fix)
    voices = [SimpleNamespace(**v) for v in answer["voices"]]
    if voice is not None:
        chosen = next((str(v.id) for v in voices if str(v.id).lower() == voice.lower()), None)
    else:
        chosen = speech.choose_voice(voices, "zh")
    if chosen is None:
        wanted = voice or speech.ESPEAK_VOICES["zh"][0]
        return Finding("speech", SPEECH, False, f"语音引擎可用（{len(voices)} 个语音），但没有普通话语音 "
                       f"{wanted} / the engine works ({len(voices)} voices) but has no Mandarin "
                       f"voice {wanted}", fix)
    return Finding("speech", SPEECH, True, f"{chosen}（共 {len(voices)} 个语音 / of {len(voices)} "
                   "voices）")


# -- the database -----------------------------------------------------------------------------

DATABASE = ("数据库", "database")
DISK = ("磁盘空间", "free disk")


def check_database(path: str | Path, *, min_free_bytes: int = MIN_FREE_BYTES) -> list[Finding]:
    """Integrity, the audit chain and the schema of a database file, read only; free disk."""
    from dissuade.store import audit, dialect, upgrade

    if dialect.is_url(path):
        return [_postgres(str(path))]
    db = Path(path)
    if not db.is_file():
        return [Finding("database", DATABASE, False, f"数据库不存在 / no such database: {db}",
                        "检查路径；新中心用 dissuade serve --db 或 dissuade demo 创建 / check the "
                        "path; a new centre's database is made by dissuade serve --db or dissuade demo")]
    found: list[Finding] = []
    try:
        schema = upgrade.schema(db)
    except DissuadeError as exc:
        return [Finding("database", DATABASE, False, str(exc),
                        "确认这是中心的数据库文件；损坏时用 dissuade restore 从备份恢复 / make sure it "
                        "is the centre's database file; if damaged, restore a backup with "
                        "dissuade restore")]
    problem = ""
    fix = ""
    audit_rows = 0
    try:
        # A plain connection that only reads: SQLite removes the WAL it needed when it closes
        # (a read-only one cannot, and would leave -wal and -shm files beside the database).
        conn = sqlite3.connect(str(db), isolation_level=None)
        try:
            checks = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
            if checks != ["ok"]:
                problem = "数据库文件已损坏 / the database file is damaged: " + "; ".join(checks)
                fix = ("停止中心服务器，用 dissuade restore 从最近的备份恢复 / stop the hub and restore "
                       "the latest backup with dissuade restore")
            elif {r[1] for r in conn.execute("PRAGMA table_info(audit)")} >= {"hash"}:
                verdict = audit.verify(conn)
                if not verdict.ok:
                    problem = (f"审计日志在第 {verdict.broken_at} 行断开 / the audit chain breaks at "
                               f"row {verdict.broken_at}: {verdict.problem}")
                    fix = ("保留此文件作证据，报告主管；用 dissuade audit verify 查看详情 / keep the file "
                           "as evidence and report it; dissuade audit verify shows the details")
                audit_rows = verdict.rows
        finally:
            conn.close()
    except sqlite3.Error as exc:
        problem = f"无法读取数据库 / cannot read the database: {exc}"
        fix = "检查文件权限 / check the file's permissions"
    if not problem and schema.newer:
        problem = (f"数据库来自更新版本的 dissuade（{schema.newer[-1]}），此版本不能打开 / written by a "
                   f"newer version of dissuade ({schema.newer[-1]}): this version refuses it")
        fix = "安装与中心服务器相同或更新的版本 / install the hub's version (or newer) here"
    elif not problem and schema.pending:
        names = ", ".join(m.name for m in schema.pending)
        problem = (f"有 {len(schema.pending)} 个迁移待执行 / {len(schema.pending)} migrations "
                   f"pending: {names}")
        fix = ("启动中心服务器（dissuade serve）：它先在数据库旁备份再升级；dissuade migrate --check "
               "列出详情 / start the hub (dissuade serve): it backs the file up beside it, then "
               "upgrades it; dissuade migrate --check lists them")
    if problem:
        found.append(Finding("database", DATABASE, False, problem, fix))
    else:
        found.append(Finding("database", DATABASE, True,
                             f"{db}: 完整，结构 {schema.current}，审计 {audit_rows:,} 行 / intact, "
                             f"schema {schema.current}, audit chain of {audit_rows:,} rows"))
    size = sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())
    free = shutil.disk_usage(db.parent).free
    need = max(min_free_bytes, 2 * size)
    detail = (f"{db.parent}: 可用 {free / 1e9:.1f} GB，数据库 {size / 1e6:.1f} MB / {free / 1e9:.1f} GB "
              f"free, the database is {size / 1e6:.1f} MB")
    if free < need:
        found.append(Finding("disk", DISK, False, detail,
                             f"腾出至少 {need / 1e9:.1f} GB（升级前的备份需要数据库两倍的空间）/ free at "
                             f"least {need / 1e9:.1f} GB (the backup before an upgrade needs twice "
                             "the database)"))
    else:
        found.append(Finding("disk", DISK, True, detail))
    return found


def _postgres(url: str) -> Finding:
    """A PostgreSQL database: reachable and its schema up to date (its integrity is the
    server's business: pg_amcheck)."""
    from dissuade.store import pg

    where = pg.redact(url)
    try:
        pending = pg.pending_migrations(url)
    except (DissuadeError, sqlite3.Error) as exc:
        return Finding("database", DATABASE, False, f"无法连接 PostgreSQL / cannot reach PostgreSQL "
                       f"{where}: {pg.redact(str(exc))}",
                       "检查服务器（pg_isready）、用户名与密码（PGPASSWORD 或 ~/.pgpass）/ check the "
                       "server (pg_isready), the user and the password (PGPASSWORD or ~/.pgpass)")
    if pending:
        return Finding("database", DATABASE, False, f"有 {len(pending)} 个迁移待执行 / "
                       f"{len(pending)} migrations pending: {', '.join(pending)}",
                       "先用 pg_dump 备份，再启动中心服务器升级 / back it up with pg_dump, then start "
                       "the hub to upgrade it")
    return Finding("database", DATABASE, True, f"{where}: 结构最新 / schema up to date")


# -- the hub ----------------------------------------------------------------------------------

HUB = ("中心服务器", "hub")
CLOCK = ("时钟（本机与中心服务器）", "clock (this machine against the hub)")
TOKEN = ("令牌", "token")


def check_hub(url: str, *, token: str | None = None, clock: Callable[[], float] = time.time,
              max_skew: float = CLOCK_SKEW_SECONDS, timeout: float = HUB_TIMEOUT) -> list[Finding]:
    base = url.rstrip("/")
    try:
        before = clock()
        answer = httpx.get(f"{base}/api/v1/health", timeout=timeout)
        after = clock()
    except (httpx.HTTPError, ValueError) as exc:
        return [Finding("hub", HUB, False, f"无法连接中心服务器 / cannot reach the hub {base}: "
                        f"{type(exc).__name__}",
                        "检查地址与端口（默认 8470）、中心服务器是否在运行（systemctl status dissuade）、"
                        "防火墙是否放行 / check the address and port (8470 by default), that the hub "
                        "runs (systemctl status dissuade) and that the firewall lets it through")]
    try:
        health = answer.json()
    except ValueError:
        health = None
    if answer.status_code != 200 or not isinstance(health, dict) or health.get("status") != "ok":
        return [Finding("hub", HUB, False, f"{base} 不是 dissuade 中心服务器（HTTP {answer.status_code}）"
                        f" / {base} is not a dissuade hub (HTTP {answer.status_code})",
                        "检查地址：应为 dissuade serve 的地址，如 http://hub:8470 / check the address: "
                        "it is dissuade serve's, e.g. http://hub:8470")]
    found: list[Finding] = []
    version = str(health.get("version") or "")
    if not version:
        found.append(Finding("hub", HUB, False, f"{base} 的版本太旧，不报告版本与时钟 / the hub at "
                             f"{base} is too old to report its version and clock",
                             f"把中心服务器升级到 {dissuade.__version__} / upgrade the hub to "
                             f"{dissuade.__version__}"))
        return found
    if version != dissuade.__version__:
        found.append(Finding("hub", HUB, False, f"中心服务器版本 {version}，本机 {dissuade.__version__}"
                             f" / the hub runs {version}, this machine {dissuade.__version__}",
                             "中心服务器与各工作站安装同一版本（先升级中心服务器）/ install the same "
                             "version on the hub and every workstation (the hub first)"))
    else:
        found.append(Finding("hub", HUB, True, f"{base}，版本 / version {version}"))
    found.append(_clock(health.get("time"), (before + after) / 2, max_skew))
    if token:
        found.append(_token(base, token, timeout))
    return found


def _clock(hub_time: object, here: float, max_skew: float) -> Finding:
    try:
        there = datetime.fromisoformat(str(hub_time)).timestamp()
    except ValueError:
        return Finding("clock", CLOCK, False, "中心服务器没有报告时间 / the hub did not give its time",
                       "升级中心服务器 / upgrade the hub")
    skew = here - there
    ahead = "快" if skew > 0 else "慢"
    detail = (f"本机比中心服务器{ahead} {abs(skew):.1f} 秒 / this machine is {abs(skew):.1f} s "
              f"{'ahead of' if skew > 0 else 'behind'} the hub")
    if abs(skew) > max_skew:
        return Finding("clock", CLOCK, False, detail + f"（允许 {max_skew:g} 秒 / at most "
                       f"{max_skew:g} s）", CLOCK_FIX.get(sys.platform, CLOCK_FIX["linux"]))
    return Finding("clock", CLOCK, True, detail)


def _token(base: str, token: str, timeout: float) -> Finding:
    try:
        me = httpx.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"},
                       timeout=timeout)
    except httpx.HTTPError as exc:
        return Finding("token", TOKEN, False, f"无法检查令牌 / the token could not be checked: "
                       f"{type(exc).__name__}", "稍后重试 / try again shortly")
    if me.status_code == 200:
        who = me.json()
        return Finding("token", TOKEN, True, f"{who.get('name')}（{who.get('role')}）")
    return Finding("token", TOKEN, False, f"中心服务器不接受此令牌（HTTP {me.status_code}）/ the hub "
                   f"refuses this token (HTTP {me.status_code})",
                   "请管理员重新发放：dissuade user add NAME --role ROLE --rotate / ask an "
                   "administrator for a new one: dissuade user add NAME --role ROLE --rotate")


# -- gateways ---------------------------------------------------------------------------------

DIAL = ("拨号网关", "dial gateway")
SMS = ("短信网关", "SMS gateway")
BANK = ("银行网关", "bank gateway")
DIALER = ("外呼网关", "chase-call dialer")


def check_gateways(setup: Setup) -> list[Finding]:
    found = [_dial(setup)]
    if setup.sms is not None:
        found.append(_sms(setup.sms))
    if setup.bank is not None:
        found.append(_bank(setup.bank))
    if setup.dialer is not None:
        found.append(_dialer(setup.dialer))
    return found


def _dial(setup: Setup) -> Finding:
    from dissuade.gateways import baresip, delivery, telephony

    try:
        gateway = telephony.from_environment(setup.environ) or setup.telephony
    except InvalidInput as exc:
        return Finding("dial", DIAL, False, exc.message, "只保留一个 DISSUADE_DIAL_* 变量 / keep one "
                       "DISSUADE_DIAL_* variable")
    if gateway is None or gateway.kind == "none":
        return Finding("dial", DIAL, True, "未设置：用座机拨号 / not set: calls are dialled on the "
                       "desk phone")
    where = f"{gateway.variable}: " if gateway.variable else ""
    try:
        gateway.check()
    except InvalidInput as exc:
        return Finding("dial", DIAL, False, f"{where}{exc.message}", _fix_setting(gateway.variable))
    if gateway.kind == "command":
        return _command(DIAL, "dial", gateway.target, delivery.TELEPHONY, where,
                        _fix_setting(gateway.variable))
    if gateway.kind == "sip":
        host, port = baresip.parse_address(gateway.target)
        try:
            with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
                pass
        except OSError as exc:
            return Finding("dial", DIAL, False, f"{where}软电话控制端口 {host}:{port} 无法连接 / the "
                           f"softphone's control port {host}:{port} does not answer: "
                           f"{type(exc).__name__}",
                           "启动软电话（baresip -d），并在其配置中加载 ctrl_tcp 模块 / start the "
                           "softphone (baresip -d) with the ctrl_tcp module in its config")
        return Finding("dial", DIAL, True, f"{where}softphone {host}:{port}")
    return Finding("dial", DIAL, True, f"{where}{gateway.target}")


def _fix_setting(variable: str) -> str:
    if variable:
        return f"改正环境变量 {variable} / correct the environment variable {variable}"
    return "在 文件 → 电话网关 中改正 / correct it under File → Telephony gateway"


def _command(what: tuple[str, str], key: str, command: str, kind: Any, where: str,
             fix: str) -> Finding:
    """A gateway command must split, name known placeholders (checked by the caller's gateway)
    and start: its program found on PATH or at its path, executable."""
    from dissuade.gateways import delivery

    words = delivery.split(command, kind=kind)
    program = shutil.which(words[0])
    if program is None:
        return Finding(key, what, False, f"{where}找不到程序 / program not found: {words[0]}",
                       "安装该程序，或写出它的完整路径 / install it, or give its full path"
                       + (f"; {fix}" if fix else ""))
    return Finding(key, what, True, f"{where}{program}")


def _webhook(what: tuple[str, str], key: str, url: str) -> Finding:
    """A webhook answers (any HTTP answer: nothing is sent to it)."""
    try:
        answer = httpx.head(url, timeout=HUB_TIMEOUT)
    except (httpx.HTTPError, ValueError) as exc:
        return Finding(key, what, False, f"{url} 无法连接 / does not answer: {type(exc).__name__}",
                       "检查地址、对方服务是否运行、网络与防火墙 / check the address, that the "
                       "service runs, the network and the firewall")
    return Finding(key, what, True, f"{url}（HTTP {answer.status_code}）")


def _sms(gateway: Any) -> Finding:
    from dissuade.gateways import delivery

    try:
        gateway.check()
    except InvalidInput as exc:
        return Finding("sms", SMS, False, exc.message, "在 文件 → 短信网关 中改正 / correct it under "
                       "File → SMS gateway")
    if gateway.kind == "command":
        return _command(SMS, "sms", gateway.command, delivery.SMS, "", "")
    if gateway.kind == "webhook":
        return _webhook(SMS, "sms", gateway.webhook)
    return Finding("sms", SMS, True, "复制到剪贴板 / copied to the clipboard")


def _bank(gateway: Any) -> Finding:
    from dissuade import paths

    try:
        gateway.check()
    except InvalidInput as exc:
        return Finding("bank", BANK, False, exc.message, "改正银行网关设置 / correct the bank gateway")
    if gateway.kind == "webhook":
        return _webhook(BANK, "bank", gateway.webhook)
    folder = Path(gateway.folder or paths.data_dir() / "bank-outbox")
    probe = folder if folder.exists() else next((p for p in folder.parents if p.exists()), folder)
    if not os.access(probe, os.W_OK):
        return Finding("bank", BANK, False, f"文件夹不可写 / the folder cannot be written: {folder}",
                       "给运行 dissuade 的用户写权限，或换一个文件夹 / give the user running "
                       "dissuade write access, or choose another folder")
    return Finding("bank", BANK, True, f"{folder}")


def _dialer(gateway: Any) -> Finding:
    from dissuade.gateways import delivery

    try:
        gateway.check()
    except InvalidInput as exc:
        return Finding("dialer", DIALER, False, exc.message, "改正外呼网关设置 / correct the dialer")
    if gateway.kind == "command":
        return _command(DIALER, "dialer", gateway.command, delivery.DIALER, "", "")
    return _webhook(DIALER, "dialer", gateway.webhook)


def report(findings: Sequence[Finding]) -> str:
    """The findings as the command line prints them, bilingual."""
    lines = [f"dissuade doctor {dissuade.__version__}"]
    for f in findings:
        mark = "[正常 ok]     " if f.ok else "[问题 PROBLEM]"
        lines.append(f"{mark} {f.what[0]} / {f.what[1]}: {f.detail}")
        if not f.ok and f.fix:
            lines.append(f"               解决 / fix: {f.fix}")
    problems = sum(not f.ok for f in findings)
    lines.append("全部正常 / all well" if not problems else
                 f"发现 {problems} 个问题 / {problems} problem{'s' if problems > 1 else ''} found")
    return "\n".join(lines)
