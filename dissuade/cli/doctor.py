"""`dissuade doctor`: check this workstation or hub and name each problem with its fix
(README, "Doctor (诊断)"); exit 0 when all is well, 1 otherwise."""

from __future__ import annotations

import argparse
import os

ALL_WELL, PROBLEMS = 0, 1


def add_parsers(sub: argparse._SubParsersAction) -> None:
    doctor = sub.add_parser(
        "doctor", help="诊断 / check this workstation or hub: font, speech, database, hub, gateways",
        description="Checks the CJK font, the speech engine and its Mandarin voice, the dial "
        "gateway (DISSUADE_DIAL_*), and with --db a database file (integrity, audit chain, "
        "migrations, free disk) or with --server a hub (reachable, version, clock difference, "
        "the token in DISSUADE_TOKEN). On the hub, give it the gateways dissuade serve is given. "
        "Prints each as ok or a problem with its fix; exit 0 when all is well, 1 otherwise. "
        "Nothing is sent through any gateway.")
    where = doctor.add_mutually_exclusive_group()
    where.add_argument("--db", metavar="PATH", help="check this database file (never changed)")
    where.add_argument("--server", metavar="URL", help="check this hub")
    doctor.add_argument("--token", help="hub token to check; better given in DISSUADE_TOKEN")
    sms = doctor.add_mutually_exclusive_group()
    sms.add_argument("--sms-command", metavar="CMD", help="an SMS gateway command to check")
    sms.add_argument("--sms-webhook", metavar="URL", help="an SMS webhook to check")
    bank = doctor.add_mutually_exclusive_group()
    bank.add_argument("--bank-outbox", metavar="DIR", help="a bank outbox folder to check")
    bank.add_argument("--bank-webhook", metavar="URL", help="a bank webhook to check")
    dial = doctor.add_mutually_exclusive_group()
    dial.add_argument("--dialer-command", metavar="CMD", help="a chase-call dialer command to check")
    dial.add_argument("--dialer-webhook", metavar="URL", help="a chase-call dialer webhook to check")
    doctor.set_defaults(handler=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dissuade.doctor import Setup, run
    from dissuade.doctor.checks import report
    from dissuade.gateways import sms
    from dissuade.gateways.bank import BankGateway
    from dissuade.gateways.dialer import Dialer

    setup = Setup(db=args.db, server=args.server,
                  token=(args.token or os.environ.get("DISSUADE_TOKEN")) if args.server else None)
    if args.sms_command or args.sms_webhook:
        setup.sms = sms.Gateway("command" if args.sms_command else "webhook",
                                command=args.sms_command or "", webhook=args.sms_webhook or "")
    if args.bank_webhook:
        setup.bank = BankGateway("webhook", webhook=args.bank_webhook)
    elif args.bank_outbox:
        setup.bank = BankGateway(folder=Path(args.bank_outbox))
    if args.dialer_command or args.dialer_webhook:
        setup.dialer = Dialer("command" if args.dialer_command else "webhook",
                              command=args.dialer_command or "", webhook=args.dialer_webhook or "")
    findings = run(setup)
    print(report(findings))
    return ALL_WELL if all(f.ok for f in findings) else PROBLEMS
