"""The officer's telephony: dialling the open warning's person from the screen (F3).

Three gateways, chosen per workstation (文件 → 电话网关) or for a whole room by environment
variable, which wins:

- a command (`DISSUADE_DIAL_COMMAND`), run without a shell through `delivery.run`, with
  `{phone}` (E.164), `{national}` (the digits dialled in China) and `{warning_id}` filled in;
  when it prints the robot's answer on its last line (`{"answered": true, "seconds": 42}`)
  the call's answer and length are recorded;
- a URI (`DISSUADE_DIAL_URI`, e.g. `tel:{national}` or `sip:{national}@pbx`) the desktop's
  handler opens (the client does that: this module only fills it in);
- a softphone's control port (`DISSUADE_DIAL_SIP=HOST:PORT`, baresip's `ctrl_tcp`), which
  reports when the call rang, was answered and was hung up.

Synthetic warnings are never dialled: demo numbers look valid and may belong to real people.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import phonenumbers

from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Warning
from dissuade.gateways import baresip, delivery
from dissuade.gateways.delivery import GatewayRefused

PLACEHOLDERS = ("phone", "national", "warning_id")
KINDS = ("none", "command", "uri", "sip")
ENVIRONMENT = {"command": "DISSUADE_DIAL_COMMAND", "uri": "DISSUADE_DIAL_URI",
               "sip": "DISSUADE_DIAL_SIP"}
COMMAND_SECONDS = 4 * 3600.0  # a command may last the whole call
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

Report = Callable[[str, float], None]  # ("dialled" | "ringing" | "answered" | "hung_up", epoch)


@dataclass(frozen=True, slots=True)
class Telephony:
    """`kind` is none, command, uri or sip; `target` the command, the URI template or the
    control port's HOST:PORT. `variable` names the environment variable it came from, if any."""

    kind: str = "none"
    target: str = ""
    variable: str = ""

    def check(self) -> None:
        """InvalidInput with a bilingual message when this gateway cannot dial."""
        if self.kind not in KINDS:
            raise InvalidInput(f"未知电话网关 / unknown telephony gateway: {self.kind!r}",
                               field="kind")
        if self.kind == "command":
            delivery.check_command(self.target, kind=delivery.TELEPHONY, placeholders=PLACEHOLDERS)
        elif self.kind == "uri":
            check_uri(self.target)
        elif self.kind == "sip":
            baresip.parse_address(self.target)

    @property
    def reports(self) -> bool:
        """Whether the gateway tells when the call was answered and hung up (a command may
        too, by printing its answer)."""
        return self.kind == "sip"


def from_environment(environ: Mapping[str, str] | None = None) -> Telephony | None:
    """The gateway an administrator set for the room, or None. Two set at once is a mistake:
    InvalidInput naming them."""
    environ = os.environ if environ is None else environ
    found = [(kind, name, environ[name].strip()) for kind, name in ENVIRONMENT.items()
             if environ.get(name, "").strip()]
    if len(found) > 1:
        names = " / ".join(name for _kind, name, _value in found)
        raise InvalidInput(f"同时设置了 {names}，只能保留一个 / {names} are all set: keep one",
                           field="telephony")
    if not found:
        return None
    kind, name, value = found[0]
    return Telephony(kind, value, variable=name)


def chosen(saved: Telephony, environ: Mapping[str, str] | None = None) -> Telephony:
    """The gateway this workstation dials through: the environment's when set, else `saved`."""
    return from_environment(environ) or saved


def national_digits(e164: str) -> str:
    """The digits dialled from a phone in China: 13912345678, 01012345678 (with the trunk
    prefix); a number abroad gets the international prefix, 00 and its country code."""
    number = phonenumbers.parse(e164, None)
    if number.country_code == 86:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        return re.sub(r"\D", "", national)
    return "00" + e164.lstrip("+")


def values(warning: Warning) -> dict[str, str]:
    """What the placeholders stand for."""
    return {"phone": warning.phone, "national": national_digits(warning.phone),
            "warning_id": str(warning.id)}


def check_uri(template: str) -> None:
    """A URI template must have a scheme, name only known placeholders and hold no spaces."""
    template = template.strip()
    if not _URI_SCHEME.match(template) or any(ch.isspace() for ch in template):
        raise InvalidInput(f"电话网关 URI 应以协议开头，例如 tel:{{national}} / the telephony URI "
                           f"needs a scheme, e.g. tel:{{national}}: {template!r}", field="uri")
    unknown = sorted({n for n in _PLACEHOLDER.findall(template) if n not in PLACEHOLDERS})
    if unknown:
        named = ", ".join(f"{{{n}}}" for n in unknown)
        known = ", ".join(f"{{{n}}}" for n in PLACEHOLDERS)
        raise InvalidInput(f"电话网关 URI 中有未知占位符 {named}（可用：{known}） / the telephony "
                           f"URI names unknown placeholders {named} (known: {known})", field="uri")


def refuse_synthetic(warning: Warning) -> None:
    if warning.synthetic:
        raise GatewayRefused("演示/演练数据不拨号 / a synthetic (demo or rehearsal) warning is "
                             "never dialled")


def uri(telephony: Telephony, warning: Warning) -> str:
    """The URI to hand the desktop's handler, its placeholders filled in (percent-encoded)."""
    refuse_synthetic(warning)
    check_uri(telephony.target)
    filled = values(warning)
    text = _PLACEHOLDER.sub(lambda m: quote(filled[m.group(1)], safe="+"), telephony.target.strip())
    urlsplit(text)  # a malformed result raises ValueError here rather than in the handler
    return text


def answer_of(last_line: str) -> tuple[bool, float] | None:
    """The robot's answer a dial command may print on its last line: (answered, seconds), or
    None when the line is not one."""
    try:
        answer = json.loads(last_line)
    except ValueError:
        return None
    if not isinstance(answer, dict) or not isinstance(answer.get("answered"), bool):
        return None
    seconds = answer.get("seconds", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
        seconds = 0
    return answer["answered"], float(seconds)


def dial(telephony: Telephony, warning: Warning, report: Report, *,
         stop: Callable[[], bool] = lambda: False) -> str:
    """Dial the warning's person through a command or a softphone's control port, reporting
    each moment known ("dialled", then "ringing", "answered", "hung_up" where the gateway says);
    what the gateway answered. Blocks for as long as the gateway does (a command or a call).

    GatewayRefused for a synthetic warning or a gateway that fails; InvalidInput for a gateway
    set wrongly. A URI is opened by the client, not here.
    """
    refuse_synthetic(warning)
    telephony.check()
    about = f"warning {warning.id}"
    if telephony.kind == "command":
        report("dialled", time.time())
        done = delivery.run(telephony.target, values(warning), kind=delivery.TELEPHONY,
                            timeout=COMMAND_SECONDS, about=about)
        ended = time.time()
        answer = answer_of(done.last_line)
        if answer is not None:
            answered, seconds = answer
            if answered:
                report("answered", ended - min(seconds, done.seconds))
            report("hung_up", ended)
        return done.answer
    if telephony.kind == "sip":
        return baresip.dial(telephony.target, values(warning)["national"], report, stop=stop)
    raise InvalidInput(f"电话网关 {telephony.kind} 不由此处拨号 / the {telephony.kind} gateway "
                       "does not dial here", field="kind")
