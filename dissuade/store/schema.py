"""The database schema as numbered migrations, recorded in the database by sqlite-utils."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlite_utils import Database, Migrations

from dissuade.domain import settings as spec
from dissuade.domain.policy import DEFAULT_LEVELS

MIGRATION_SET = "dissuade"
migrations = Migrations(MIGRATION_SET)

# Open warnings: the first part of the queue's one definition (queue.QUEUE_WHERE; see
# docs/architecture.md, "The queue").
OPEN = "status IN ('new', 'retry', 'claimed')"


@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    db.executescript(
        f"""
        CREATE TABLE warnings (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            external_id TEXT,
            phone TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            scam_type TEXT NOT NULL,
            risk_level TEXT NOT NULL,
            level_rank INTEGER NOT NULL,
            reported_at REAL,
            arrived_at REAL NOT NULL,
            deadline REAL NOT NULL,
            district TEXT NOT NULL DEFAULT '',
            fraud_contact TEXT NOT NULL DEFAULT '',
            amount_at_risk REAL,
            cards TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '',
            synthetic INTEGER NOT NULL DEFAULT 0,
            repeat_victim INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'claimed', 'retry', 'escalated', 'closed')),
            fresh INTEGER NOT NULL DEFAULT 1,        -- 0 once any attempt was made
            available_at REAL NOT NULL,              -- new: arrival; retry: due; claimed: lease end
            claimed_by TEXT,
            lease_until REAL,
            reserved_for TEXT,                       -- a callback only its officer may take
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            last_outcome TEXT,
            last_outcome_at REAL,
            first_attempt_at REAL,
            closed_at REAL,
            closed_by TEXT,
            UNIQUE (source, external_id)
        );
        -- Queue order: level, then due retries before fresh, then deadline, then arrival.
        CREATE INDEX warnings_queue ON warnings (level_rank, fresh, deadline, arrived_at, id)
            WHERE {OPEN};
        CREATE INDEX warnings_available ON warnings (available_at) WHERE {OPEN};
        CREATE INDEX warnings_phone ON warnings (phone, arrived_at);
        CREATE INDEX warnings_arrived ON warnings (arrived_at);

        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL UNIQUE,
            warning_id INTEGER NOT NULL REFERENCES warnings (id),
            officer TEXT NOT NULL,
            outcome TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            started_at REAL,
            ended_at REAL,
            recorded_at REAL NOT NULL,
            amount_lost REAL,
            callback_at REAL,
            callback_scope TEXT
        );
        CREATE INDEX attempts_warning ON attempts (warning_id, recorded_at);
        CREATE INDEX attempts_recorded ON attempts (recorded_at);

        CREATE TABLE escalations (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL UNIQUE,
            warning_id INTEGER NOT NULL REFERENCES warnings (id),
            kind TEXT NOT NULL CHECK (kind IN ('card_lock', 'door_visit', 'chase_call')),
            status TEXT NOT NULL DEFAULT 'proposed',
            reason TEXT NOT NULL DEFAULT '',
            cards TEXT NOT NULL DEFAULT '[]',
            amount REAL,
            proposed_by TEXT NOT NULL,
            proposed_at REAL NOT NULL,
            automatic INTEGER NOT NULL DEFAULT 0,
            decided_by TEXT,
            decided_at REAL,
            decision_note TEXT
        );
        CREATE INDEX escalations_warning ON escalations (warning_id);
        CREATE INDEX escalations_status ON escalations (status);

        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at REAL NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id INTEGER,
            detail TEXT NOT NULL DEFAULT '{{}}'
        );
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('officer', 'lead', 'trainer', 'admin', 'feed')),
            token_hash TEXT,
            created_at REAL NOT NULL,
            revoked_at REAL
        );

        CREATE TABLE policy_levels (
            level TEXT PRIMARY KEY,
            rank INTEGER NOT NULL,
            first_contact_minutes REAL NOT NULL,
            retry_no_answer_minutes REAL NOT NULL,
            retry_busy_minutes REAL NOT NULL,
            retry_powered_off_minutes REAL NOT NULL,
            max_failed_attempts INTEGER NOT NULL,
            after_max TEXT NOT NULL,
            lease_minutes REAL NOT NULL
        );
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
    )
    for rank, level in enumerate(DEFAULT_LEVELS):
        db.table("policy_levels").insert({"rank": rank, **level.as_dict()})
    _store_defaults(db, spec.TIMEZONE, spec.GRADING)


@migrations(name="m002_covering_queue_index")
def m002_covering_queue_index(db: Database) -> None:
    """The queue index also holds availability, so a claim skips waiting retries and live claims
    at the front of the queue without reading their rows, and counting the queue reads the index
    alone; the separate availability index has no query left and only slowed inserts."""
    db.executescript(
        f"""
        DROP INDEX warnings_queue;
        DROP INDEX warnings_available;  -- the covering index answers its queries now
        CREATE INDEX warnings_queue ON warnings
            (level_rank, fresh, deadline, arrived_at, id, available_at, reserved_for)
            WHERE {OPEN};
        """
    )


@migrations(name="m003_messages_and_rehearsals")
def m003_messages_and_rehearsals(db: Database) -> None:
    """Warning texts sent to victims (SMS), and trainees' rehearsal results."""
    db.executescript(
        """
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL UNIQUE,
            warning_id INTEGER NOT NULL REFERENCES warnings (id),
            channel TEXT NOT NULL CHECK (channel IN ('sms')),
            via TEXT NOT NULL,                -- clipboard, command, webhook
            text TEXT NOT NULL,
            result TEXT NOT NULL DEFAULT '',  -- what the gateway answered
            sent_by TEXT NOT NULL,
            sent_at REAL NOT NULL
        );
        CREATE INDEX messages_warning ON messages (warning_id, sent_at);

        CREATE TABLE rehearsals (
            id INTEGER PRIMARY KEY,
            trainee TEXT NOT NULL,
            scam_type TEXT NOT NULL,
            lang TEXT NOT NULL,
            finished_at REAL NOT NULL,
            score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
            points_made INTEGER NOT NULL,
            points_total INTEGER NOT NULL,
            detail TEXT NOT NULL DEFAULT '[]'  -- per turn: answer, points made and missed
        );
        CREATE INDEX rehearsals_trainee ON rehearsals (trainee, finished_at);
        """
    )


@migrations(name="m004_escalation_steps_holds_and_chase_calls")
def m004_escalation_steps_holds_and_chase_calls(db: Database) -> None:
    """Each escalation step with who and when, the 48-hour stop-payment hold, the station a door
    visit goes to, and the chase calls' schedule and results."""
    db.executescript(
        """
        ALTER TABLE escalations ADD COLUMN hold_until REAL;
        ALTER TABLE escalations ADD COLUMN hold_extended INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE escalations ADD COLUMN station TEXT NOT NULL DEFAULT '';
        CREATE TABLE escalation_steps (
            id INTEGER PRIMARY KEY,
            escalation_id INTEGER NOT NULL REFERENCES escalations (id),
            status TEXT NOT NULL,
            actor TEXT NOT NULL,
            at REAL NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX escalation_steps_escalation ON escalation_steps (escalation_id, at);
        INSERT INTO escalation_steps (escalation_id, status, actor, at, note)
            SELECT id, 'proposed', proposed_by, proposed_at, reason FROM escalations;
        CREATE TABLE chase_calls (
            id INTEGER PRIMARY KEY,
            escalation_id INTEGER NOT NULL REFERENCES escalations (id),
            warning_id INTEGER NOT NULL REFERENCES warnings (id),
            number INTEGER NOT NULL,           -- 1, 2, ... of the schedule
            due_at REAL NOT NULL,
            called_at REAL,
            ok INTEGER,                        -- the dialer reached the phone
            result TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX chase_calls_due ON chase_calls (due_at) WHERE called_at IS NULL;
        """
    )
    _store_defaults(db, spec.HOLD_HOURS, spec.CHASE_CALLS, spec.CHASE_INTERVAL_MINUTES,
                    spec.STATIONS)


def _store_defaults(db: Database, *settings: spec.Setting[Any], new: bool = True) -> None:
    """Rows holding these settings' defaults (dissuade.domain.settings); with `new` false, the
    value a database made before a setting existed takes (`Setting.upgraded`)."""
    values = {s.name: s.default if new or s.upgraded is None else s.upgraded for s in settings}
    rows = spec.rows_for(values, {})
    db.table("settings").insert_all(
        [{"key": k, "value": json.dumps(v, ensure_ascii=False)} for k, v in rows.items()],
        replace=True)


def audit_hash(prev: str, row: tuple[object, ...]) -> str:
    """The hash that chains an audit row to the one before it: (id, at, actor, action, entity,
    entity_id, detail) with the previous row's hash, so an edited, removed or inserted row breaks
    every hash after it."""
    return hashlib.sha256(_CANONICAL.encode([prev, *row]).encode("utf-8")).hexdigest()


_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


AUDIT_GENESIS = "0" * 64  # the "previous hash" of the first audit row


@migrations(name="m005_privacy_audit_chain_reviews")
def m005_privacy_audit_chain_reviews(db: Database) -> None:
    """ID numbers on warnings (masked unless revealed), the audit table chained by hashes,
    quality reviews of handled calls, chase calls claimed before they are dialled (so that two
    dialers never ring the same call), and the indexes the shift figures read."""
    db.executescript(
        """
        ALTER TABLE warnings ADD COLUMN id_number TEXT NOT NULL DEFAULT '';
        ALTER TABLE audit ADD COLUMN hash TEXT;
        ALTER TABLE chase_calls ADD COLUMN claimed_by TEXT;
        ALTER TABLE chase_calls ADD COLUMN claimed_at REAL;
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            attempt_id INTEGER NOT NULL REFERENCES attempts (id),
            warning_id INTEGER NOT NULL REFERENCES warnings (id),
            reviewer TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail')),
            comment TEXT NOT NULL DEFAULT '',
            reviewed_at REAL NOT NULL
        );
        CREATE INDEX reviews_attempt ON reviews (attempt_id, reviewed_at);
        CREATE INDEX attempts_officer ON attempts (officer, recorded_at);
        CREATE INDEX warnings_last_outcome ON warnings (last_outcome_at)
            WHERE last_outcome IN ('dissuaded', 'already_lost');
        CREATE INDEX escalations_proposed ON escalations (proposed_at);
        CREATE INDEX audit_entity ON audit (entity, entity_id);
        CREATE INDEX audit_at ON audit (at);
        DROP TRIGGER audit_no_update;
        """
    )
    prev = AUDIT_GENESIS
    rows = db.conn.execute(
        "SELECT id, at, actor, action, entity, entity_id, detail FROM audit ORDER BY id")
    updates = []
    for row in rows:
        prev = audit_hash(prev, tuple(row))
        updates.append((prev, row[0]))
    db.conn.executemany("UPDATE audit SET hash = ? WHERE id = ?", updates)
    db.executescript(
        """
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        """
    )


@migrations(name="m006_covering_indexes_for_the_shift")
def m006_covering_indexes_for_the_shift(db: Database) -> None:
    """The shift's figures read only indexes: the period's arrivals, calls and latest outcomes
    each come from one index holding every column they count, and late first calls from a small
    one. A claim touches none of these columns, so claiming costs the same. And a feed's number
    finds its warning without reading the table."""
    db.executescript(
        """
        DROP INDEX warnings_arrived;
        CREATE INDEX warnings_arrived ON warnings
            (arrived_at, risk_level, scam_type, first_attempt_at, deadline, amount_at_risk,
             repeat_victim);
        DROP INDEX attempts_recorded;
        CREATE INDEX attempts_recorded ON attempts
            (recorded_at, warning_id, officer, outcome, started_at, ended_at, amount_lost);
        DROP INDEX warnings_last_outcome;
        CREATE INDEX warnings_last_outcome ON warnings
            (last_outcome_at, last_outcome, scam_type, amount_at_risk, closed_by)
            WHERE last_outcome IN ('dissuaded', 'already_lost');
        CREATE INDEX warnings_first_attempt ON warnings (first_attempt_at, deadline)
            WHERE first_attempt_at IS NOT NULL;
        -- A lead finds a warning by the feed's number alone, whatever the source.
        CREATE INDEX warnings_external ON warnings (external_id) WHERE external_id IS NOT NULL;
        """
    )


@migrations(name="m007_one_case_per_person_and_trust")
def m007_one_case_per_person_and_trust(db: Database) -> None:
    """What trusting the records needs (see docs/architecture.md, "One victim, one case"):

    - a warning keeps a phone's extension visibly, and the problems found in a feed's secondary
      fields (imported anyway, with those fields empty);
    - a reservation (an agreed callback, a follow-up after an escalation) has an end; a callback
      (`reserve_sticky`) still binds after it while its officer has a live session;
    - an escalation belongs to a person (`phone`) and lists every warning under it, so a later
      linked warning joins it instead of opening a second one of the same kind;
    - every attempt row a call settles points at the call's own row (`linked_to`);
    - a claim-next's client_id remembers the warning it claimed (idempotent retries);
    - sessions (signing in) exist before anyone signs in, so the queue's one definition can
      already ask whether a callback's officer is on shift;
    - repeat_victim means what README says ("One victim, one case"): an earlier warning of the
      phone closed with an outcome other than wrong_person or invalid_number.
    """
    db.executescript(
        f"""
        ALTER TABLE warnings ADD COLUMN phone_extension TEXT NOT NULL DEFAULT '';
        ALTER TABLE warnings ADD COLUMN problems TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE warnings ADD COLUMN reserved_until REAL;
        ALTER TABLE warnings ADD COLUMN reserve_sticky INTEGER NOT NULL DEFAULT 0;
        UPDATE warnings SET reserved_until = available_at, reserve_sticky = 1
            WHERE reserved_for IS NOT NULL;

        ALTER TABLE escalations ADD COLUMN phone TEXT NOT NULL DEFAULT '';
        UPDATE escalations SET phone = (SELECT w.phone FROM warnings w
                                        WHERE w.id = escalations.warning_id);
        CREATE INDEX escalations_phone ON escalations (phone, kind);
        CREATE TABLE escalation_warnings (
            escalation_id INTEGER NOT NULL REFERENCES escalations (id),
            warning_id INTEGER NOT NULL REFERENCES warnings (id),
            PRIMARY KEY (escalation_id, warning_id)
        );
        CREATE INDEX escalation_warnings_warning ON escalation_warnings (warning_id);
        -- A proposal that joined the person's live escalation keeps its client_id here, so a
        -- replay of it answers that escalation instead of proposing again.
        CREATE TABLE escalation_joins (
            client_id TEXT PRIMARY KEY,
            escalation_id INTEGER NOT NULL REFERENCES escalations (id),
            warning_id INTEGER NOT NULL REFERENCES warnings (id),
            at REAL NOT NULL
        );
        INSERT INTO escalation_warnings (escalation_id, warning_id)
            SELECT id, warning_id FROM escalations;

        ALTER TABLE attempts ADD COLUMN linked_to INTEGER REFERENCES attempts (id);
        -- Rows a call settled for a person's other warnings: calls = attempts - these.
        CREATE INDEX attempts_linked ON attempts (recorded_at) WHERE linked_to IS NOT NULL;

        CREATE TABLE claim_requests (
            client_id TEXT NOT NULL,
            user TEXT NOT NULL,
            warning_id INTEGER NOT NULL REFERENCES warnings (id),
            at REAL NOT NULL,
            PRIMARY KEY (client_id)
        );
        CREATE INDEX claim_requests_at ON claim_requests (at);

        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user TEXT NOT NULL,
            created_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            ended_at REAL
        );
        CREATE INDEX sessions_user ON sessions (user, expires_at);

        -- Failed sign-ins and wrong tokens, by name or address: each failure slows the next
        -- attempt (never a lock-out). In the database, so every hub process counts the same.
        CREATE TABLE throttle (
            key TEXT PRIMARY KEY,
            failures INTEGER NOT NULL,
            last_at REAL NOT NULL
        );

        -- The queue index also holds what decides whether a reservation still binds, and the
        -- phone that ties a person's warnings together, so the queue is still read from it alone.
        DROP INDEX warnings_queue;
        CREATE INDEX warnings_queue ON warnings
            (level_rank, fresh, deadline, arrived_at, id, available_at, reserved_for,
             reserved_until, reserve_sticky, phone)
            WHERE {OPEN};

        UPDATE warnings SET repeat_victim = EXISTS (
            SELECT 1 FROM warnings e WHERE e.phone = warnings.phone AND e.id != warnings.id
            AND e.status = 'closed' AND e.closed_at < warnings.arrived_at
            AND e.last_outcome NOT IN ('wrong_person', 'invalid_number'));
        """
    )


@migrations(name="m008_a_request_is_sent_once")
def m008_a_request_is_sent_once(db: Database) -> None:
    """Who is sending an approved request to its bank now, since when, under which token (see
    store/sending.py): set and cleared in short transactions, so that no lock is held through
    the bank's minute and still two workstations or two hub processes never both send it."""
    db.executescript(
        """
        ALTER TABLE escalations ADD COLUMN sending_by TEXT;
        ALTER TABLE escalations ADD COLUMN sending_at REAL;
        ALTER TABLE escalations ADD COLUMN sending_token TEXT;
        """
    )


# Set by dissuade.store.connection on the Database it migrates: True when the file had no schema
# before (a new database), so a migration can tell a new database from one upgraded.
NEW_DATABASE = "dissuade_new_database"


@migrations(name="m009_robot_and_sms_first_off_when_upgraded")
def m009_robot_and_sms_first_off_when_upgraded(db: Database) -> None:
    """The robot's first pass and the SMS at arrival (settled, issue 11): a new database starts
    with their levels' defaults; a database upgraded from before them starts with none (off)
    until a lead turns them on, so that nobody is called or sent a message without a lead's
    decision. The other settings added with them need no row: their defaults apply."""
    _store_defaults(db, spec.ROBOT_FIRST_LEVELS, spec.SMS_FIRST_LEVELS,
                    new=bool(getattr(db, NEW_DATABASE, False)))


@migrations(name="m010_due_index")
def m010_due_index(db: Database) -> None:
    """The warnings waiting for a time (a retry coming due, a claim's lease), few beside the
    backlog, indexed by that time: the live answer says when the queue next changes by time
    alone (`Store.next_change`) with one seek, so clients wait for it instead of polling."""
    db.executescript(
        """
        CREATE INDEX warnings_due ON warnings (available_at)
            WHERE status IN ('retry', 'claimed');
        """
    )


@migrations(name="m011_waiting_and_held")
def m011_waiting_and_held(db: Database) -> None:
    """The queue read in two parts (store/queue.py): the warnings waiting for a call, in queue
    order from an index of their own, and the held ones by their lease's end. A claim or a
    page never steps over the warnings held now, however many (the warnings_queue index keeps
    them in their place, for the count and the breaches)."""
    db.executescript(
        """
        CREATE INDEX warnings_waiting ON warnings
            (level_rank, fresh, deadline, arrived_at, id, available_at, reserved_for,
             reserved_until, reserve_sticky, phone)
            WHERE status IN ('new', 'retry');
        CREATE INDEX warnings_held ON warnings (available_at) WHERE status = 'claimed';
        """
    )


@migrations(name="m012_passwords")
def m012_passwords(db: Database) -> None:
    """Signing in with a password (README, "Signing in (登录)"): a person's password is kept
    only as a slow, salted scrypt hash with its parameters beside it
    (`passwords.hash_password`), so that they can be raised later without anyone's password
    changing. The sessions it opens live in the `sessions` table made by m007."""
    db.executescript(
        """
        ALTER TABLE users ADD COLUMN password_hash TEXT;
        ALTER TABLE users ADD COLUMN password_set_at REAL;
        """
    )


@migrations(name="m013_call_times")
def m013_call_times(db: Database) -> None:
    """When the officer's call was dialled from the screen (F3, the workstation's telephony
    gateway). Where the gateway reports them, `started_at` and `ended_at` are the moments the
    person answered and hung up, so a call's length is the conversation's."""
    db.executescript("ALTER TABLE attempts ADD COLUMN dialled_at REAL;")


@migrations(name="m014_drafts_and_reopen")
def m014_drafts_and_reopen(db: Database) -> None:
    """An outcome can be undone for a few seconds, a closed warning reopened, and notes survive
    (docs/architecture.md, "Undo, reopen and draft notes"):

    - each attempt row keeps the warning's state just before it (`before`, JSON), so an undo
      puts the warning back as it was; an undone row is voided (`voided_at`, `voided_by`), never
      deleted, and no figure counts it (`attempts_counted` is the shift's covering index over
      the rows that count);
    - draft notes, one per warning and author, saved as the officer types.
    """
    db.executescript(
        """
        ALTER TABLE attempts ADD COLUMN before TEXT;
        ALTER TABLE attempts ADD COLUMN voided_at REAL;
        ALTER TABLE attempts ADD COLUMN voided_by TEXT;
        CREATE INDEX attempts_counted ON attempts
            (recorded_at, warning_id, officer, outcome, started_at, ended_at, amount_lost)
            WHERE voided_at IS NULL;
        CREATE TABLE drafts (
            warning_id INTEGER NOT NULL REFERENCES warnings (id),
            author TEXT NOT NULL,
            notes TEXT NOT NULL,
            saved_at REAL NOT NULL,
            PRIMARY KEY (warning_id, author)
        );
        """
    )


@migrations(name="m015_officer_states")
def m015_officer_states(db: Database) -> None:
    """Where everyone is (store/presence.py): each officer's states as spans, a change ending
    the open one, so the time in each state over a shift is a sum of overlaps; and the open
    warnings reserved for an officer, by when they are due, for the officer's callbacks."""
    db.executescript(
        """
        CREATE TABLE officer_states (
            id INTEGER PRIMARY KEY,
            officer TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('ready', 'break', 'training', 'off')),
            reason TEXT NOT NULL DEFAULT '',
            since REAL NOT NULL,
            until REAL
        );
        CREATE INDEX officer_states_open ON officer_states (officer) WHERE until IS NULL;
        CREATE INDEX officer_states_until ON officer_states (until);
        CREATE INDEX warnings_reserved ON warnings (reserved_for, available_at)
            WHERE reserved_for IS NOT NULL AND status != 'closed';
        """
    )


@migrations(name="m016_centres_and_usernames")
def m016_centres_and_usernames(db: Database) -> None:
    """A province's hub serves several centres: a warning's centre (from its district or the
    feed's field) and a user's (an officer's queue is their centre's). And the columns named
    `user` become `username`: PostgreSQL reserves `user` (it reads as the session's role), and
    the store's SQL is written once for both engines."""
    db.executescript(
        """
        ALTER TABLE warnings ADD COLUMN centre TEXT NOT NULL DEFAULT '';
        ALTER TABLE users ADD COLUMN centre TEXT NOT NULL DEFAULT '';
        CREATE INDEX warnings_centre ON warnings (centre, status);
        ALTER TABLE sessions RENAME COLUMN user TO username;
        ALTER TABLE claim_requests RENAME COLUMN user TO username;
        """
    )


# The users' role check as m001 wrote it, and as m019 rewrites it (README, "Metrics (监控指标)").
@migrations(name="m017_robot_calls")
def m017_robot_calls(db: Database) -> None:
    """The robot's first pass (store/robot.py), in the database so that several hub processes
    share it: the robot lines each hub runs (a row per line, seen every few seconds: the robot
    is on while one is), and the robot's calls, one row per call, due, in progress on a line
    (with a lease), done or cancelled. At most one live call row per person (the partial unique
    index), so nobody is robot-called twice at once; the last row of a person's calls says
    why the robot handed them to people (`handed`), if it did."""
    db.executescript(
        """
        CREATE TABLE robot_lines (
            id INTEGER PRIMARY KEY,
            hub TEXT NOT NULL,
            line INTEGER NOT NULL,
            seen_at REAL NOT NULL,
            call_id INTEGER,
            UNIQUE (hub, line)
        );
        CREATE TABLE robot_calls (
            id INTEGER PRIMARY KEY,
            warning_id INTEGER NOT NULL REFERENCES warnings (id),
            phone TEXT NOT NULL,
            number INTEGER NOT NULL,
            due_at REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'due'
                CHECK (state IN ('due', 'calling', 'done', 'cancelled')),
            line TEXT,
            taken_at REAL,
            lease_until REAL,
            hand_over TEXT,
            ended_at REAL,
            answered INTEGER,
            keys TEXT,
            seconds REAL,
            result TEXT,
            handed TEXT,
            detail TEXT NOT NULL DEFAULT '',
            attempt_id INTEGER,
            settles TEXT NOT NULL DEFAULT '[]'
        );
        CREATE UNIQUE INDEX robot_calls_live ON robot_calls (phone)
            WHERE state IN ('due', 'calling');
        CREATE INDEX robot_calls_due ON robot_calls (due_at, id) WHERE state = 'due';
        CREATE INDEX robot_calls_ended ON robot_calls (ended_at);
        """
    )


ROLE_CHECK_BEFORE_METRICS = "CHECK (role IN ('officer', 'lead', 'trainer', 'admin', 'feed'))"
ROLE_CHECK = "CHECK (role IN ('officer', 'lead', 'trainer', 'admin', 'feed', 'metrics'))"


@migrations(name="m019_metrics_role")
def m019_metrics_role(db: Database) -> None:
    """A `metrics` role for Prometheus scrapers (GET /metrics and nothing else). SQLite cannot
    change a CHECK constraint in place, so the users table is rebuilt from its own definition
    (whatever columns later migrations added) with the wider check, its rows copied whole, its
    indexes and triggers made again; nothing refers to it by a foreign key.

    PostgreSQL changes the constraint in place (its form in POSTGRES, below).
    """
    conn = db.conn
    (table_sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'").fetchone()
    if ROLE_CHECK in table_sql:
        return
    if ROLE_CHECK_BEFORE_METRICS not in table_sql:
        raise ValueError(f"users table has an unexpected role check: {table_sql}")
    rebuilt = table_sql.replace(ROLE_CHECK_BEFORE_METRICS, ROLE_CHECK).replace(
        "CREATE TABLE users", "CREATE TABLE users_rebuilt", 1)
    companions = [sql for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'users' AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL ORDER BY name")]
    conn.execute(rebuilt)
    conn.execute("INSERT INTO users_rebuilt SELECT * FROM users")
    conn.execute("DROP TABLE users")
    conn.execute("ALTER TABLE users_rebuilt RENAME TO users")
    for sql in companions:
        conn.execute(sql)


@migrations(name="m020_sms_at_arrival")
def m020_sms_at_arrival(db: Database) -> None:
    """The SMS at arrival (store/arrival_sms.py): one row per person per case, taken before the
    gateway is called, so that several hub processes never send a person two. A case is the
    unbroken run of the person's open warnings; `case_start` is the arrival of its first, so the
    unique key (phone, case_start) is what makes the take atomic on SQLite and PostgreSQL alike.
    `state`: sending (taken, the gateway not yet answered), sent or failed (never retried)."""
    db.executescript(
        """
        CREATE TABLE arrival_sms (
            id INTEGER PRIMARY KEY,
            phone TEXT NOT NULL,
            case_start REAL NOT NULL,
            warning_id INTEGER NOT NULL REFERENCES warnings (id),
            state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
            taken_by TEXT NOT NULL,
            taken_at REAL NOT NULL,
            message_id INTEGER REFERENCES messages (id),
            UNIQUE (phone, case_start)
        );
        CREATE INDEX arrival_sms_warning ON arrival_sms (warning_id);
        """
    )


# The PostgreSQL form of each migration after pg_schema.BASELINE_UPTO (PostgreSQL's first
# migration is the whole schema up to there, in its own DDL): the same name, statements in
# order. A migration added above adds its form here; tests/dissuade/test_pg_schema.py checks
# that both engines end with the same tables and columns.
POSTGRES: dict[str, list[str]] = {
    "m017_robot_calls": [
        """CREATE TABLE robot_lines (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            hub TEXT NOT NULL,
            line BIGINT NOT NULL,
            seen_at DOUBLE PRECISION NOT NULL,
            call_id BIGINT,
            UNIQUE (hub, line)
        )""",
        """CREATE TABLE robot_calls (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            warning_id BIGINT NOT NULL REFERENCES warnings (id),
            phone TEXT NOT NULL,
            number BIGINT NOT NULL,
            due_at DOUBLE PRECISION NOT NULL,
            state TEXT NOT NULL DEFAULT 'due'
                CHECK (state IN ('due', 'calling', 'done', 'cancelled')),
            line TEXT,
            taken_at DOUBLE PRECISION,
            lease_until DOUBLE PRECISION,
            hand_over TEXT,
            ended_at DOUBLE PRECISION,
            answered BIGINT,
            keys TEXT,
            seconds DOUBLE PRECISION,
            result TEXT,
            handed TEXT,
            detail TEXT NOT NULL DEFAULT '',
            attempt_id BIGINT,
            settles TEXT NOT NULL DEFAULT '[]'
        )""",
        "CREATE UNIQUE INDEX robot_calls_live ON robot_calls (phone) "
        "WHERE state IN ('due', 'calling')",
        "CREATE INDEX robot_calls_due ON robot_calls (due_at, id) WHERE state = 'due'",
        "CREATE INDEX robot_calls_ended ON robot_calls (ended_at)",
    ],
    # PostgreSQL names an unnamed column check <table>_<column>_check.
    "m019_metrics_role": [
        "ALTER TABLE users DROP CONSTRAINT users_role_check",
        "ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('officer', 'lead', "
        "'trainer', 'admin', 'feed', 'metrics'))",
    ],
    "m020_sms_at_arrival": [
        """CREATE TABLE arrival_sms (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            phone TEXT NOT NULL,
            case_start DOUBLE PRECISION NOT NULL,
            warning_id BIGINT NOT NULL REFERENCES warnings (id),
            state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
            taken_by TEXT NOT NULL,
            taken_at DOUBLE PRECISION NOT NULL,
            message_id BIGINT REFERENCES messages (id),
            UNIQUE (phone, case_start)
        )""",
        "CREATE INDEX arrival_sms_warning ON arrival_sms (warning_id)",
    ],
}
