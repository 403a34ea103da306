namespace AmvScreening.Server.Data;

/// <summary>The ordered schema scripts. Never edit a script that has shipped: add the next one.</summary>
public static class Migrations
{
    public static IReadOnlyList<string> Scripts { get; } =
    [
        // 1: contest, categories, finalists, awards, room codes, secrets, show state.
        """
        CREATE TABLE contest (
            id                  INTEGER PRIMARY KEY CHECK (id = 1),
            uid                 TEXT    NOT NULL,
            name                TEXT    NOT NULL CHECK (length(trim(name)) > 0),
            year                INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
            public_base_url     TEXT,
            score_min           INTEGER NOT NULL DEFAULT 1 CHECK (score_min >= 0),
            score_max           INTEGER NOT NULL DEFAULT 5 CHECK (score_max > score_min AND score_max <= 10),
            best_in_show_method TEXT    NOT NULL DEFAULT 'ballot' CHECK (best_in_show_method IN ('ballot', 'top-score')),
            best_in_show_keeps_category_prize INTEGER NOT NULL DEFAULT 1 CHECK (best_in_show_keeps_category_prize IN (0, 1)),
            auto_close_minutes  INTEGER CHECK (auto_close_minutes IS NULL OR auto_close_minutes > 0),
            max_file_megabytes  INTEGER NOT NULL DEFAULT 330 CHECK (max_file_megabytes > 0),
            max_duration_seconds INTEGER NOT NULL DEFAULT 330 CHECK (max_duration_seconds > 0)
        ) STRICT;

        INSERT INTO contest (id, uid, name, year) VALUES (1, lower(hex(randomblob(16))), 'AMV Contest', CAST(strftime('%Y', 'now') AS INTEGER));

        CREATE TABLE categories (
            id       INTEGER PRIMARY KEY,
            position INTEGER NOT NULL UNIQUE CHECK (position > 0),
            name     TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0)
        ) STRICT;

        CREATE TABLE entries (
            id            INTEGER PRIMARY KEY,
            category_id   INTEGER NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
            position      INTEGER NOT NULL CHECK (position > 0),
            title         TEXT    NOT NULL CHECK (length(trim(title)) > 0),
            editors       TEXT    NOT NULL CHECK (json_valid(editors) AND json_type(editors) = 'array' AND json_array_length(editors) > 0),
            music_artist  TEXT    NOT NULL,
            music_title   TEXT    NOT NULL,
            sources       TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(sources) AND json_type(sources) = 'array'),
            video_path    TEXT,
            content_note  TEXT,
            disqualified  INTEGER NOT NULL DEFAULT 0 CHECK (disqualified IN (0, 1)),
            UNIQUE (category_id, position)
        ) STRICT;

        CREATE TABLE awards (
            id       INTEGER PRIMARY KEY,
            name     TEXT    NOT NULL CHECK (length(trim(name)) > 0),
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            note     TEXT
        ) STRICT;

        CREATE TABLE room_codes (
            code       TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            retired_at TEXT
        ) STRICT;
        CREATE UNIQUE INDEX room_codes_one_current ON room_codes ((retired_at IS NULL)) WHERE retired_at IS NULL;

        CREATE TABLE secrets (
            name  TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;

        CREATE TABLE show_state (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            sequence    INTEGER NOT NULL,
            phase       TEXT    NOT NULL,
            entry_id    INTEGER REFERENCES entries (id) ON DELETE SET NULL,
            category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
            started_at  TEXT,
            duration_seconds REAL,
            position_seconds REAL NOT NULL,
            reported_at TEXT
        ) STRICT;
        """,

        // 2: voting — windows, votes, Best In Show picks, paper ballots, tie decisions, reveals.
        """
        CREATE TABLE entry_windows (
            entry_id  INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
            opened_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE category_voting (
            category_id INTEGER PRIMARY KEY REFERENCES categories (id) ON DELETE CASCADE,
            mode        TEXT NOT NULL CHECK (mode IN ('auto', 'open', 'closed')),
            closes_at   TEXT,
            changed_at  TEXT NOT NULL
        ) STRICT;

        CREATE TABLE best_in_show_ballot (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            state      TEXT NOT NULL CHECK (state IN ('not-open', 'open', 'closed')),
            changed_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE votes (
            voter    TEXT    NOT NULL,
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            score    INTEGER NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0,
            voted_at TEXT    NOT NULL,
            PRIMARY KEY (voter, entry_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX votes_by_entry ON votes (entry_id, score);

        CREATE TRIGGER votes_score_in_scale_insert BEFORE INSERT ON votes
        WHEN NEW.score NOT BETWEEN (SELECT score_min FROM contest) AND (SELECT score_max FROM contest)
        BEGIN SELECT RAISE(ABORT, 'score outside the contest scale'); END;
        CREATE TRIGGER votes_score_in_scale_update BEFORE UPDATE OF score ON votes
        WHEN NEW.score NOT BETWEEN (SELECT score_min FROM contest) AND (SELECT score_max FROM contest)
        BEGIN SELECT RAISE(ABORT, 'score outside the contest scale'); END;

        CREATE TABLE best_in_show_picks (
            voter     TEXT    PRIMARY KEY,
            entry_id  INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            sequence  INTEGER NOT NULL DEFAULT 0,
            picked_at TEXT    NOT NULL
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE paper_counts (
            entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            score    INTEGER NOT NULL,
            count    INTEGER NOT NULL CHECK (count >= 0),
            PRIMARY KEY (entry_id, score)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE tie_decisions (
            scope      TEXT    PRIMARY KEY,
            entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            decided_at TEXT    NOT NULL,
            note       TEXT
        ) STRICT;

        CREATE TABLE reveals (
            scope       TEXT PRIMARY KEY,
            revealed_at TEXT NOT NULL
        ) STRICT;
        """,

        // 3: ballot integrity — poster codes, ballot cards, and how each voter joined (docs/ballot-integrity.md).
        """
        ALTER TABLE contest ADD COLUMN require_cards INTEGER NOT NULL DEFAULT 0 CHECK (require_cards IN (0, 1));
        -- When the screen code rotates by itself (docs/room-codes-and-cards.md).
        ALTER TABLE contest ADD COLUMN rotate_code_at_category_card INTEGER NOT NULL DEFAULT 0 CHECK (rotate_code_at_category_card IN (0, 1));
        ALTER TABLE contest ADD COLUMN rotate_code_minutes INTEGER CHECK (rotate_code_minutes IS NULL OR rotate_code_minutes BETWEEN 1 AND 1440);

        CREATE TABLE poster_codes (
            id         INTEGER PRIMARY KEY,
            code       TEXT    NOT NULL UNIQUE,
            label      TEXT    NOT NULL CHECK (length(trim(label)) > 0),
            created_at TEXT    NOT NULL,
            revoked_at TEXT
        ) STRICT;

        CREATE TABLE card_batches (
            id         INTEGER PRIMARY KEY,
            label      TEXT    NOT NULL CHECK (length(trim(label)) > 0),
            size       INTEGER NOT NULL CHECK (size BETWEEN 1 AND 10000),
            created_at TEXT    NOT NULL,
            revoked_at TEXT
        ) STRICT;

        -- A card's key is never stored in clear: key_hash is a keyed hash of it. voter is the card's one ballot
        -- identity, whichever phone holds it; device a keyed hash of the phone that holds it (released_at set: staff
        -- released it from that phone, and the next other phone takes it).
        CREATE TABLE ballot_cards (
            id          INTEGER PRIMARY KEY,
            batch_id    INTEGER NOT NULL REFERENCES card_batches (id) ON DELETE CASCADE,
            number      INTEGER NOT NULL CHECK (number > 0),
            key_hash    TEXT    NOT NULL UNIQUE,
            voter       TEXT    NOT NULL UNIQUE,
            device      TEXT,
            claimed_at  TEXT,
            released_at TEXT,
            UNIQUE (batch_id, number),
            CHECK ((device IS NULL) = (claimed_at IS NULL)),
            CHECK (released_at IS NULL OR device IS NOT NULL)
        ) STRICT;

        -- One row per voter token minted: when and how it joined, and when it first opened the live connection.
        -- address is a keyed hash of the client address (never the address itself).
        CREATE TABLE voters (
            voter        TEXT    PRIMARY KEY,
            joined_at    TEXT    NOT NULL,
            via          TEXT    NOT NULL CHECK (via IN ('screen', 'poster', 'card')),
            poster_id    INTEGER REFERENCES poster_codes (id),
            card_id      INTEGER REFERENCES ballot_cards (id),
            address      TEXT,
            connected_at TEXT,
            CHECK ((via = 'poster') = (poster_id IS NOT NULL)),
            CHECK ((via = 'card') = (card_id IS NOT NULL))
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX voters_by_joined_at ON voters (joined_at);

        -- The ballots that count. A revoked batch's cards' ballots leave every result that was not yet revealed when
        -- the batch was revoked; a result already revealed stays as it was announced.
        CREATE VIEW counted_votes AS
        SELECT v.* FROM votes v JOIN entries e ON e.id = v.entry_id
        WHERE NOT EXISTS (
            SELECT 1 FROM ballot_cards c JOIN card_batches b ON b.id = c.batch_id
            WHERE c.voter = v.voter AND b.revoked_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM reveals r WHERE r.scope = 'category:' || e.category_id AND r.revealed_at <= b.revoked_at));

        CREATE VIEW counted_picks AS
        SELECT p.* FROM best_in_show_picks p
        WHERE NOT EXISTS (
            SELECT 1 FROM ballot_cards c JOIN card_batches b ON b.id = c.batch_id
            WHERE c.voter = p.voter AND b.revoked_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM reveals r WHERE r.scope = 'best-in-show' AND r.revealed_at <= b.revoked_at));
        """,

        // 4: flagged ballots — when each ballot was first cast (a re-vote keeps it), and the coordinator's decisions
        // to exclude a flagged cluster of voters or to count it again (docs/ballot-integrity.md).
        """
        ALTER TABLE votes ADD COLUMN first_at TEXT;
        ALTER TABLE best_in_show_picks ADD COLUMN first_at TEXT;

        CREATE TABLE flag_decisions (
            id         INTEGER PRIMARY KEY,
            cluster    TEXT    NOT NULL CHECK (length(cluster) > 0),
            action     TEXT    NOT NULL CHECK (action IN ('exclude', 'include')),
            reason     TEXT    NOT NULL CHECK (reason IN ('burst', 'drip')),
            summary    TEXT    NOT NULL,
            note       TEXT    NOT NULL CHECK (length(trim(note)) > 0),
            decided_by TEXT    NOT NULL,
            decided_at TEXT    NOT NULL
        ) STRICT;
        CREATE INDEX flag_decisions_by_cluster ON flag_decisions (cluster, id);

        -- The voters an exclusion took out, as they were when it was decided.
        CREATE TABLE flag_decision_voters (
            decision_id INTEGER NOT NULL REFERENCES flag_decisions (id) ON DELETE CASCADE,
            voter       TEXT    NOT NULL,
            PRIMARY KEY (decision_id, voter)
        ) STRICT, WITHOUT ROWID;

        -- The voters whose ballots are left out of the tally: those of an exclusion that is its cluster's latest decision.
        CREATE VIEW excluded_voters AS
        SELECT v.voter, MAX(v.decision_id) AS decision_id
        FROM flag_decision_voters v JOIN flag_decisions d ON d.id = v.decision_id
        WHERE d.action = 'exclude' AND d.id = (SELECT MAX(id) FROM flag_decisions l WHERE l.cluster = d.cluster)
        GROUP BY v.voter;
        """,

        // 5: the integrated loudness every finalist plays at (docs/loudness.md).
        """
        ALTER TABLE contest ADD COLUMN loudness_target_lufs INTEGER NOT NULL DEFAULT -23 CHECK (loudness_target_lufs BETWEEN -31 AND -14);
        """,

        // 6: whether the public screen view shows the join QR (docs/screen.md); off until the coordinator allows it.
        """
        ALTER TABLE contest ADD COLUMN screen_view_qr INTEGER NOT NULL DEFAULT 0 CHECK (screen_view_qr IN (0, 1));
        """,

        // 7: what the prizegiving shows per category: the winner alone, or the full placings (docs/prizegiving.md).
        """
        ALTER TABLE contest ADD COLUMN prizegiving TEXT NOT NULL DEFAULT 'winners' CHECK (prizegiving IN ('winners', 'placings'));
        """,

        // 8: the weeks before the show (docs/entries.md): the entry rules, the entries and their uploads, the judges
        // and their scores. An entry that is promoted becomes a finalist (entries) and keeps a link to it.
        """
        ALTER TABLE contest ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64);
        ALTER TABLE contest ADD COLUMN entries_open_at TEXT;
        ALTER TABLE contest ADD COLUMN entry_deadline TEXT;
        ALTER TABLE contest ADD COLUMN premiered_after TEXT;
        ALTER TABLE contest ADD COLUMN max_entries_per_person INTEGER NOT NULL DEFAULT 3 CHECK (max_entries_per_person BETWEEN 1 AND 100);
        ALTER TABLE contest ADD COLUMN max_entries_per_person_per_category INTEGER NOT NULL DEFAULT 1
            CHECK (max_entries_per_person_per_category BETWEEN 1 AND 100);
        ALTER TABLE contest ADD COLUMN judging_min INTEGER NOT NULL DEFAULT 1 CHECK (judging_min BETWEEN -100 AND 100);
        ALTER TABLE contest ADD COLUMN judging_max INTEGER NOT NULL DEFAULT 10 CHECK (judging_max BETWEEN -100 AND 100 AND judging_max > judging_min);
        ALTER TABLE contest ADD COLUMN blind_judging INTEGER NOT NULL DEFAULT 0 CHECK (blind_judging IN (0, 1));
        ALTER TABLE contest ADD COLUMN outcomes_published_at TEXT;

        ALTER TABLE categories ADD COLUMN description TEXT NOT NULL DEFAULT '';
        ALTER TABLE categories ADD COLUMN finalist_limit INTEGER NOT NULL DEFAULT 6 CHECK (finalist_limit BETWEEN 1 AND 100);

        -- One entry as its editor submitted it. The private entry page's link carries a secret; only its SHA-256 is kept.
        CREATE TABLE submissions (
            id               INTEGER PRIMARY KEY,
            secret_hash      TEXT    NOT NULL UNIQUE,
            category_id      INTEGER NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
            title            TEXT    NOT NULL CHECK (length(trim(title)) > 0),
            editors          TEXT    NOT NULL CHECK (json_valid(editors) AND json_type(editors) = 'array' AND json_array_length(editors) > 0),
            contact_email    TEXT    NOT NULL,
            person           TEXT    NOT NULL,            -- the normalised contact email: the per-person limits count this
            music_artist     TEXT    NOT NULL,
            music_title      TEXT    NOT NULL,
            sources          TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(sources) AND json_type(sources) = 'array'),
            premiered_on     TEXT    NOT NULL,            -- yyyy-MM-dd, attested by the editor
            content_note     TEXT,
            permission_at    TEXT    NOT NULL,            -- when the editor granted the permission to show it
            submitted_at     TEXT    NOT NULL,
            withdrawn_at     TEXT,
            -- The current file (null until an upload completes), relative to the data folder.
            file_path        TEXT,
            file_bytes       INTEGER,
            file_sha256      TEXT,
            file_name        TEXT,                        -- the name the editor's file had, for display only
            -- The background pre-flight of the current file.
            check_state      TEXT    NOT NULL DEFAULT 'none' CHECK (check_state IN ('none', 'queued', 'running', 'passed', 'failed')),
            check_progress   REAL,
            check_report     TEXT    CHECK (check_report IS NULL OR json_valid(check_report)),
            check_message    TEXT,                        -- the first problem, as the entrant reads it
            proxy_path       TEXT,                        -- a web-playable copy for the judges, when the file is not one
            -- Previous finalists: a likely repeat, for the coordinator to review.
            repeat_of        TEXT,
            repeat_cleared   INTEGER NOT NULL DEFAULT 0 CHECK (repeat_cleared IN (0, 1)),
            -- Selection.
            outcome          TEXT    NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'finalist', 'not-selected', 'disqualified')),
            outcome_reason   TEXT,
            finalist_position INTEGER CHECK (finalist_position IS NULL OR finalist_position > 0),
            promoted_entry_id INTEGER REFERENCES entries (id) ON DELETE SET NULL
        ) STRICT;
        CREATE INDEX submissions_person ON submissions (person);
        CREATE INDEX submissions_category ON submissions (category_id);

        -- A resumable upload (the tus protocol, docs/entries.md): the bytes go to a file in the data folder.
        CREATE TABLE uploads (
            id            TEXT    PRIMARY KEY,
            submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
            length        INTEGER NOT NULL CHECK (length >= 0),
            received      INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= length),
            file_name     TEXT,
            created_at    TEXT    NOT NULL,
            completed_at  TEXT,
            expires_at    TEXT    NOT NULL
        ) STRICT;

        -- Earlier contests' finalists, imported by the coordinator.
        CREATE TABLE previous_finalists (
            id      INTEGER PRIMARY KEY,
            title   TEXT    NOT NULL,
            editors TEXT    NOT NULL,
            year    INTEGER
        ) STRICT;

        CREATE TABLE judges (
            id            INTEGER PRIMARY KEY,
            name          TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
            password_hash TEXT,                           -- null until the judge sets it through the invite link
            invite_hash   TEXT    UNIQUE,                 -- SHA-256 of the invite link's secret, null once used or revoked
            session_stamp TEXT    NOT NULL,
            created_at    TEXT    NOT NULL,
            disabled_at   TEXT
        ) STRICT;

        CREATE TABLE judge_categories (
            judge_id    INTEGER NOT NULL REFERENCES judges (id) ON DELETE CASCADE,
            category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
            PRIMARY KEY (judge_id, category_id)
        ) STRICT;

        CREATE TABLE judge_scores (
            judge_id      INTEGER NOT NULL REFERENCES judges (id) ON DELETE CASCADE,
            submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
            score         INTEGER,
            note          TEXT,
            rule_flag     TEXT,                           -- the rule the judge thinks it breaks, if any
            updated_at    TEXT    NOT NULL,
            PRIMARY KEY (judge_id, submission_id)
        ) STRICT;
        """,

        // 9: the entry rules checked again at the deadline (docs/entries.md): the rule an entry breaks then and why, for
        // the coordinator; null while it breaks none.
        """
        ALTER TABLE submissions ADD COLUMN deadline_rule TEXT;
        ALTER TABLE submissions ADD COLUMN deadline_problem TEXT;
        """,

        // 10: each award is revealed on its own (reveals.scope 'award:{id}', docs/prizegiving.md); an award that goes
        // (taken back, or with its finalist) takes its reveal with it, so an award given later under the same id is
        // not revealed by it.
        """
        CREATE TRIGGER awards_take_their_reveal AFTER DELETE ON awards
        BEGIN
            DELETE FROM reveals WHERE scope = 'award:' || OLD.id;
        END;
        """,
    ];
}
