"""The officer's telephony gateway: placeholders, the room's environment, the command's answer."""

from __future__ import annotations

import pytest

from dissuade.domain.errors import InvalidInput
from dissuade.gateways import baresip, telephony
from dissuade.gateways.telephony import Telephony


def test_national_digits_are_what_a_phone_in_china_dials() -> None:
    assert telephony.national_digits("+8613800138000") == "13800138000"
    assert telephony.national_digits("+861012345678") == "01012345678"  # trunk prefix kept
    assert telephony.national_digits("+85291234567") == "0085291234567"  # abroad: 00 first


def test_the_room_wins_and_two_gateways_at_once_are_refused() -> None:
    saved = Telephony("uri", "tel:{national}")
    assert telephony.chosen(saved, {}) == saved
    room = telephony.chosen(saved, {"DISSUADE_DIAL_COMMAND": "pbx-dial {phone}"})
    assert (room.kind, room.target, room.variable) == ("command", "pbx-dial {phone}",
                                                        "DISSUADE_DIAL_COMMAND")
    with pytest.raises(InvalidInput, match="只能保留一个.*keep one"):
        telephony.from_environment({"DISSUADE_DIAL_URI": "tel:{national}",
                                    "DISSUADE_DIAL_SIP": "127.0.0.1:4444"})


@pytest.mark.parametrize(("gateway", "says"), [
    (Telephony("uri", "{national}"), "needs a scheme"),
    (Telephony("uri", "tel:{nationl}"), "unknown placeholders {nationl}"),
    (Telephony("command", "dial {wav}"), "unknown placeholders {wav}"),
    (Telephony("command", "sh -c 'dial {phone}'"), "inline code"),
    (Telephony("sip", "localhost"), "HOST:PORT"),
    (Telephony("fax", "x"), "unknown telephony gateway"),
])
def test_a_gateway_set_wrongly_says_what_is_wrong(gateway: Telephony, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        gateway.check()


def test_the_robots_answer_on_a_commands_last_line() -> None:
    assert telephony.answer_of('{"answered": true, "keys": "1", "seconds": 42}') == (True, 42.0)
    assert telephony.answer_of('{"answered": false}') == (False, 0.0)
    assert telephony.answer_of("call-id 77") is None
    assert telephony.answer_of('{"answered": "yes"}') is None


def test_a_control_port_speaks_netstrings() -> None:
    assert baresip.encode({"command": "dial", "params": "13800138000", "token": "t"}) == (
        b'58:{"command": "dial", "params": "13800138000", "token": "t"},')
    assert baresip.parse_address("[::1]:4444") == ("::1", 4444)
