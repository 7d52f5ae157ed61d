import Foundation

// Plain SQL text: available in every build, so that `supportsim db setup-roles` can print it even
// where PostgreSQL support is not built in.

/// The tables of the PostgreSQL store, as migrations in code, and the roles that guard them.
///
/// The tables mirror the SQLite store (same columns, same meaning), with `owner`: the database role
/// that stored the attempt, which row-level security compares with `current_user`. The hash chain
/// of the SQLite file has no counterpart here: on a server, roles and row-level security decide who
/// may write what.
public enum PostgresSchema {
    /// The schema this version writes, kept in `supportsim_schema` so that an older SupportSim can tell
    /// a newer database and leave it alone.
    public static var version: Int { migrations.count }

    /// Taken (per transaction) while migrating, so that many sessions starting at once migrate once.
    static let migrationLock: Int64 = 0x5355_5050_5349_4D00  // "SUPPSIM\0"

    /// One list of statements per version (the server takes one statement at a time).
    static let migrations: [[String]] = [
        // 1: attempts, turns, evidence, scenario facts, overrides and rescorings (SQLite schema 7).
        [
            """
            CREATE TABLE attempt (
                id BIGSERIAL PRIMARY KEY,
                owner TEXT NOT NULL DEFAULT current_user,
                trainee TEXT NOT NULL,
                scenario_id TEXT NOT NULL,
                scenario_title TEXT NOT NULL,
                scenario_version INTEGER NOT NULL,
                language TEXT NOT NULL,
                interface_language TEXT,
                mode TEXT NOT NULL,
                seed BIGINT NOT NULL,
                started_at TIMESTAMPTZ NOT NULL,
                ended_at TIMESTAMPTZ,
                status TEXT NOT NULL,
                ending TEXT,
                correctness INTEGER, politeness INTEGER, escalation INTEGER, spelling INTEGER, total INTEGER,
                pass_mark INTEGER,
                passed BOOLEAN,
                critical_count INTEGER NOT NULL DEFAULT 0,
                retries INTEGER NOT NULL DEFAULT 0,
                final_node TEXT,
                line TEXT,
                scenario_hash TEXT,
                scorer_version INTEGER
            )
            """,
            """
            CREATE INDEX attempt_on_trainee ON attempt (trainee, started_at)
            """,
            """
            CREATE INDEX attempt_on_scenario ON attempt (scenario_id, started_at)
            """,
            """
            CREATE INDEX attempt_on_started_at ON attempt (started_at)
            """,
            """
            CREATE INDEX attempt_on_owner ON attempt (owner)
            """,
            """
            CREATE TABLE attempt_tag (
                attempt_id BIGINT NOT NULL REFERENCES attempt (id) ON DELETE CASCADE,
                tag TEXT NOT NULL,
                PRIMARY KEY (attempt_id, tag)
            )
            """,
            """
            CREATE INDEX attempt_tag_on_tag ON attempt_tag (tag, attempt_id)
            """,
            """
            CREATE TABLE turn (
                attempt_id BIGINT NOT NULL REFERENCES attempt (id) ON DELETE CASCADE,
                turn_index INTEGER NOT NULL,
                number INTEGER,
                retracted BOOLEAN NOT NULL DEFAULT false,
                input TEXT NOT NULL,
                text TEXT NOT NULL,
                node TEXT NOT NULL,
                mood_before TEXT NOT NULL,
                events TEXT NOT NULL,
                elapsed DOUBLE PRECISION NOT NULL,
                recorded_at TIMESTAMPTZ NOT NULL,
                node_after TEXT,
                arrivals TEXT,
                PRIMARY KEY (attempt_id, turn_index)
            )
            """,
            """
            CREATE TABLE evidence (
                attempt_id BIGINT NOT NULL REFERENCES attempt (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                category TEXT,
                kind TEXT NOT NULL,
                points INTEGER NOT NULL,
                turn INTEGER,
                quote TEXT,
                rule TEXT NOT NULL,
                message TEXT NOT NULL,
                model_answer TEXT,
                scale_written INTEGER,
                scale_possible INTEGER,
                PRIMARY KEY (attempt_id, position)
            )
            """,
            """
            CREATE TABLE score_override (
                id BIGSERIAL PRIMARY KEY,
                attempt_id BIGINT NOT NULL REFERENCES attempt (id) ON DELETE CASCADE,
                category TEXT NOT NULL,
                score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
                reason TEXT NOT NULL,
                overridden_by TEXT NOT NULL,
                db_user TEXT NOT NULL DEFAULT current_user,
                created_at TIMESTAMPTZ NOT NULL
            )
            """,
            """
            CREATE INDEX score_override_on_attempt ON score_override (attempt_id, id)
            """,
            """
            CREATE TABLE scoring (
                id BIGSERIAL PRIMARY KEY,
                attempt_id BIGINT NOT NULL REFERENCES attempt (id) ON DELETE CASCADE,
                created_at TIMESTAMPTZ NOT NULL,
                scorer_version INTEGER NOT NULL,
                scenario_version INTEGER NOT NULL,
                scenario_hash TEXT,
                correctness INTEGER, politeness INTEGER, escalation INTEGER, spelling INTEGER, total INTEGER,
                passed BOOLEAN,
                critical_count INTEGER NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE INDEX scoring_on_attempt ON scoring (attempt_id, id)
            """,
        ],
    ]

    /// The group roles and row-level security of a shared store.
    ///
    /// - `supportsim_trainee`: adds its own attempts, turns and evidence and reads only its own
    ///   (rows whose `owner` is the login role), including the overrides of its own attempts.
    /// - `supportsim_manager`: reads everything and adds overrides; it does not play or change attempts.
    ///
    /// Login roles are made members: `GRANT supportsim_trainee TO alice`. The tables' owner (who
    /// migrated them) is not subject to the policies.
    public static func rolesSQL(trainees: [String] = [], managers: [String] = []) -> String {
        "-- SupportSim: roles and row-level security for a shared PostgreSQL store (schema \(version)).\n"
            + "-- Run as the owner of the tables (the role that ran `supportsim db migrate`). Safe to run again.\n\n"
            + rolesStatements(trainees: trainees, managers: managers).map { $0 + ";\n" }.joined()
    }

    /// The statements of `rolesSQL`, one at a time.
    public static func rolesStatements(trainees: [String] = [], managers: [String] = []) -> [String] {
        // Roles belong to the whole server: another database of the same server may have made them already.
        var statements = ["supportsim_trainee", "supportsim_manager"].map { role in
            "DO $$ BEGIN CREATE ROLE \(role) NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        }
        statements += [
            "GRANT SELECT ON supportsim_schema TO supportsim_trainee, supportsim_manager",
            "GRANT SELECT ON attempt, attempt_tag, turn, evidence, score_override, scoring TO supportsim_manager",
            "GRANT INSERT ON score_override TO supportsim_manager",
            "GRANT USAGE ON SEQUENCE score_override_id_seq TO supportsim_manager",
            "GRANT SELECT, INSERT, UPDATE ON attempt, turn TO supportsim_trainee",
            "GRANT SELECT, INSERT, DELETE ON evidence TO supportsim_trainee",
            "GRANT SELECT, INSERT ON attempt_tag TO supportsim_trainee",
            "GRANT SELECT ON score_override, scoring TO supportsim_trainee",
            "GRANT USAGE ON SEQUENCE attempt_id_seq TO supportsim_trainee",
        ]
        let tables = ["attempt", "attempt_tag", "turn", "evidence", "score_override", "scoring"]
        statements += tables.map { "ALTER TABLE \($0) ENABLE ROW LEVEL SECURITY" }
        statements += [
            "DROP POLICY IF EXISTS trainee_own ON attempt",
            "CREATE POLICY trainee_own ON attempt TO supportsim_trainee USING (owner = current_user) WITH CHECK (owner = current_user)",
            "DROP POLICY IF EXISTS manager_reads ON attempt",
            "CREATE POLICY manager_reads ON attempt FOR SELECT TO supportsim_manager USING (true)",
        ]
        let ownAttempt = "EXISTS (SELECT 1 FROM attempt a WHERE a.id = attempt_id AND a.owner = current_user)"
        for table in tables.dropFirst() {
            // Trainees read the overrides and rescorings of their own attempts and write neither.
            let readOnly = ["score_override", "scoring"].contains(table)
            statements += [
                "DROP POLICY IF EXISTS trainee_own ON \(table)",
                "CREATE POLICY trainee_own ON \(table)\(readOnly ? " FOR SELECT" : "") TO supportsim_trainee USING (\(ownAttempt))"
                    + (readOnly ? "" : " WITH CHECK (\(ownAttempt))"),
                "DROP POLICY IF EXISTS manager_reads ON \(table)",
                "CREATE POLICY manager_reads ON \(table) FOR SELECT TO supportsim_manager USING (true)",
            ]
        }
        statements += [
            "DROP POLICY IF EXISTS manager_overrides ON score_override",
            "CREATE POLICY manager_overrides ON score_override FOR INSERT TO supportsim_manager WITH CHECK (db_user = current_user)",
        ]
        statements += trainees.map { "GRANT supportsim_trainee TO \(quoteIdentifier($0))" }
        statements += managers.map { "GRANT supportsim_manager TO \(quoteIdentifier($0))" }
        return statements
    }

    /// A role name as an SQL identifier, always quoted (names come from the command line).
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
