"""The hub's subcommands: `dissuade serve` and `dissuade user add|passwd|list|revoke`."""

from __future__ import annotations

import argparse
import logging
import sys

DEFAULT_PORT = 8470


def add_parsers(sub: argparse._SubParsersAction) -> None:
    serve = sub.add_parser("serve", help="run the hub over a database for several workstations")
    serve.add_argument("--db", required=True, metavar="PATH")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--certfile", metavar="PEM", help="serve HTTPS with this certificate")
    serve.add_argument("--keyfile", metavar="PEM", help="the certificate's private key")
    bank = serve.add_mutually_exclusive_group()
    bank.add_argument("--bank-outbox", metavar="DIR",
                      help="approved stop-payment requests go here as PDF and JSON "
                      "(default: bank-outbox in the data folder)")
    bank.add_argument("--bank-webhook", metavar="URL",
                      help="post approved stop-payment requests (PDF and JSON) to this URL")
    dial = serve.add_mutually_exclusive_group()
    dial.add_argument("--dialer-command", metavar="CMD",
                      help="make chase calls by running CMD ({phone}, {wav}, {warning_id} filled "
                      "in; no shell)")
    dial.add_argument("--dialer-webhook", metavar="URL",
                      help="make chase calls by posting the phone and the WAV to this URL")
    dial.add_argument("--dialer-sip", metavar="HOST:PORT[,HOST:PORT...]",
                      help="make the robot's calls through baresip softphones, one control port "
                      "(ctrl_tcp) per robot line")
    text = serve.add_mutually_exclusive_group()
    text.add_argument("--sms-command", metavar="CMD",
                      help="send the SMS at arrival by running CMD ({phone}, {text}, "
                      "{warning_id} filled in; no shell)")
    text.add_argument("--sms-webhook", metavar="URL",
                      help="send the SMS at arrival by posting {warning_id, phone, text} to URL")
    serve.set_defaults(handler=_serve)

    user = sub.add_parser("user", help="hub users and their tokens")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="add a user and print their token (shown once)")
    add.add_argument("name")
    add.add_argument("--role", required=True,
                     choices=["officer", "lead", "trainer", "admin", "feed", "metrics"])
    add.add_argument("--db", required=True, metavar="PATH")
    add.add_argument("--centre", metavar="CODE",
                     help="the centre they work in (a province hub with several centres)")
    add.add_argument("--rotate", action="store_true",
                     help="the user exists: give them a new token (the old one stops working)")
    add.add_argument("--password-stdin", action="store_true",
                     help="also set their password, read from the first line of stdin")
    add.set_defaults(handler=_user_add)
    passwd = user_sub.add_parser("passwd", help="set a person's password for signing in",
                                 description="asks twice without echoing; their open sessions "
                                 "end")
    passwd.add_argument("name")
    passwd.add_argument("--db", required=True, metavar="PATH")
    passwd.add_argument("--password-stdin", action="store_true",
                        help="read the password from the first line of stdin (for scripts)")
    passwd.set_defaults(handler=_user_passwd)
    listing = user_sub.add_parser("list", help="list users, their roles and whether active")
    listing.add_argument("--db", required=True, metavar="PATH")
    listing.set_defaults(handler=_user_list)
    revoke = user_sub.add_parser("revoke", help="stop a user's token working")
    revoke.add_argument("name")
    revoke.add_argument("--db", required=True, metavar="PATH")
    revoke.set_defaults(handler=_user_revoke)


def _serve(args: argparse.Namespace) -> int:
    from dissuade.domain.errors import DissuadeError
    from dissuade.hub import create_app, server

    if bool(args.certfile) != bool(args.keyfile):
        raise DissuadeError("--certfile 与 --keyfile 需同时提供 / give both --certfile and --keyfile")
    from pathlib import Path

    from dissuade.gateways.bank import BankGateway
    from dissuade.gateways.dialer import Dialer

    bank = BankGateway("webhook", webhook=args.bank_webhook) if args.bank_webhook else \
        BankGateway(folder=Path(args.bank_outbox) if args.bank_outbox else None)
    dialer = Dialer("command", command=args.dialer_command) if args.dialer_command else \
        Dialer("webhook", webhook=args.dialer_webhook) if args.dialer_webhook else None
    from dissuade.gateways import sms
    from dissuade.gateways.robot_dialer import RobotDialer

    # The robot's first pass runs with any dialer (it calls only while the policy's
    # robot_first_levels is not empty); a command or a webhook makes the chase calls too.
    robot = RobotDialer("command", command=args.dialer_command) if args.dialer_command else \
        RobotDialer("webhook", webhook=args.dialer_webhook) if args.dialer_webhook else \
        RobotDialer.from_sip(args.dialer_sip) if args.dialer_sip else None
    texts = sms.Gateway("command", command=args.sms_command) if args.sms_command else \
        sms.Gateway("webhook", webhook=args.sms_webhook) if args.sms_webhook else None
    app = create_app(args.db, bank=bank, dialer=dialer, sms=texts, robot=robot)
    scheme = "https" if args.certfile else "http"
    from dissuade.store.pg import redact

    print(f"dissuade hub: {scheme}://{args.host}:{args.port} over {redact(str(args.db))}",
          file=sys.stderr)
    # Access logs would print request lines only (never headers, so never tokens).
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    # server.options: request heads must arrive within 15 s (slowloris), long keep-alive.
    # HubServer: a stop (SIGTERM, Ctrl+C) answers the long polls at once and exits with 0.
    server.serve(app, host=args.host, port=args.port, ssl_certfile=args.certfile,
                 ssl_keyfile=args.keyfile, log_level="info")
    return 0


def _user_add(args: argparse.Namespace) -> int:
    from dissuade.store import Store

    password = _read_password(args) if args.password_stdin else None
    store = Store(args.db)
    try:
        token = store.add_user(args.name, role=args.role, rotate=args.rotate, actor="cli",
                               centre=args.centre)
        if password is not None:
            store.set_password(args.name, password, actor="cli")
    finally:
        store.close()
    print(f"用户 / user {args.name} ({args.role}) 的令牌（只显示这一次）/ token, shown only once:",
          file=sys.stderr)
    print(token)
    return 0


def _user_list(args: argparse.Namespace) -> int:
    from dissuade.domain import timeutil
    from dissuade.store import Store

    store = Store(args.db, create=False)
    try:
        for u in store.list_users():
            state = "revoked " + timeutil.local_text(u.revoked_at) if u.revoked_at else "active"
            print(f"{u.name}\t{u.role}\t{state}\tcreated {timeutil.local_text(u.created_at)}")
    finally:
        store.close()
    return 0


def _user_revoke(args: argparse.Namespace) -> int:
    from dissuade.store import Store

    store = Store(args.db, create=False)
    try:
        store.revoke_user(args.name, actor="cli")
    finally:
        store.close()
    print(f"已停用 / revoked: {args.name}")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    """The new password: the first line of stdin with --password-stdin, else asked twice at a
    prompt that does not echo it."""
    from dissuade.domain.errors import DissuadeError

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise DissuadeError("没有终端可输入密码：请用 --password-stdin / no terminal to type the "
                            "password at: use --password-stdin")
    import getpass

    first = getpass.getpass(f"{args.name} 的新密码 / new password: ")
    second = getpass.getpass("再输入一次 / once more: ")
    if first != second:
        raise DissuadeError("两次输入的密码不一致，未修改 / the two passwords differ: nothing "
                            "changed")
    return first


def _user_passwd(args: argparse.Namespace) -> int:
    from dissuade.store import Store

    password = _read_password(args)
    store = Store(args.db, create=False)
    try:
        store.set_password(args.name, password, actor="cli")
    finally:
        store.close()
    print(f"已设置密码 / password set: {args.name}（其登录会话已结束 / their sessions ended）")
    return 0
