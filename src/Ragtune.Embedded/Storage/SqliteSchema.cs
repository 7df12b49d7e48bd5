using Microsoft.Extensions.Logging;

namespace Ragtune.Embedded.Storage;

/// <summary>One step of the database schema: applied once, in order, in a transaction that also records its version.</summary>
/// <param name="Version">The schema version after this step (<c>PRAGMA user_version</c>); 1, 2, 3, ... without gaps.</param>
/// <param name="Description">What the step adds, for the log.</param>
/// <param name="Sql">The statements of the step.</param>
internal sealed record SqliteMigration(int Version, string Description, string Sql)
{
    /// <summary>
    /// Work in another file, done inside this file's migration transaction (its write lock held) before the steps' SQL, and
    /// committed on its own: it is done again if this file's transaction does not commit, so it must be idempotent.
    /// </summary>
    public Func<SqliteStorageOptions, string, ILogger<SqliteDatabase>, CancellationToken, Task>? Before { get; init; }
}

/// <summary>
/// Every table of the embedded default's index file, ragtune.db (what can be rebuilt from the documents; up to version 6
/// it also held the answers, ratings and tuning runs, which version 7 moves to ratings.db, <see cref="RatingsSchema"/>).
/// To add tables, append a migration with the next version; never edit one that has shipped, since files in the field
/// have already applied it.
/// </summary>
internal static class SqliteSchema
{
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, "document catalog, chunks, full-text index", """
            CREATE TABLE documents (
                document_id  TEXT PRIMARY KEY NOT NULL,
                source       TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                status       TEXT NOT NULL CHECK (status IN ('indexed', 'failed')),
                chunks       INTEGER NOT NULL,
                indexed_at   TEXT NOT NULL,
                groups       TEXT NOT NULL,
                error        TEXT
            );
            CREATE INDEX documents_by_source ON documents (source, document_id);

            -- id is the row's identity for the full-text index and the in-memory vectors: rows are never updated, a
            -- new version of a document gets new ids (AUTOINCREMENT never reuses one).
            -- groups is the canonical JSON array of the document's groups ('[]' for a public document).
            -- vector is float32 little-endian, unit length.
            CREATE TABLE chunks (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                chunk_id     TEXT NOT NULL UNIQUE,
                document_id  TEXT NOT NULL,
                ordinal      INTEGER NOT NULL,
                source       TEXT NOT NULL,
                page         INTEGER NOT NULL,
                groups       TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                text         TEXT NOT NULL,
                vector       BLOB NOT NULL
            );
            CREATE INDEX chunks_by_document ON chunks (document_id, ordinal);

            CREATE VIRTUAL TABLE chunks_fts USING fts5 (
                text, content = 'chunks', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2');
            CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
                INSERT INTO chunks_fts (rowid, text) VALUES (new.id, new.text);
            END;
            CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
                INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
            END;
            CREATE TRIGGER chunks_fts_update AFTER UPDATE OF text ON chunks BEGIN
                INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
                INSERT INTO chunks_fts (rowid, text) VALUES (new.id, new.text);
            END;

            -- version is bumped by every change to chunks, so a search can tell whether its in-memory vectors are
            -- current; chunks counts the rows of chunks.
            CREATE TABLE chunk_index_state (
                id      INTEGER PRIMARY KEY CHECK (id = 1),
                version INTEGER NOT NULL,
                chunks  INTEGER NOT NULL
            );
            INSERT INTO chunk_index_state (id, version, chunks) VALUES (1, 0, 0);
            """),
        new(2, "interactions", """
            -- One row per answer given. record is the Interaction as JSON (question, chunks as given, prompt as sent,
            -- answer, usage); created_at (ISO 8601 UTC) orders and ages them.
            CREATE TABLE interactions (
                answer_id  TEXT PRIMARY KEY NOT NULL,
                created_at TEXT NOT NULL,
                record     TEXT NOT NULL
            );
            CREATE INDEX interactions_by_time ON interactions (created_at);
            """),
        new(3, "feedback", """
            -- The current rating of an answer: one row per answer, replaced by a new rating (last write wins).
            -- rated_at (UTC, 'yyyy-MM-ddTHH:mm:ss.fffffffZ', so text order is time order) is the fine-tune export's
            -- watermark: each save stamps a time later than every earlier one, inside its write transaction, so ratings
            -- become visible in rated_at order.
            CREATE TABLE feedback (
                answer_id  TEXT PRIMARY KEY NOT NULL REFERENCES interactions (answer_id) ON DELETE CASCADE,
                rating     TEXT NOT NULL CHECK (rating IN ('up', 'down')),
                correction TEXT,
                comment    TEXT,
                rated_at   TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX feedback_by_time ON feedback (rated_at);
            """),
        new(4, "document source versions", """
            -- The source's version token (a blob's ETag) of the content last ingested: a listing whose version is
            -- unchanged needs no read. NULL for sources without one (files are hashed every time).
            ALTER TABLE documents ADD COLUMN source_version TEXT;
            """),
        new(5, "tuning runs and the active model's history", """
            -- One row per tuning run (id: export and method). record is the TuningRun as JSON; revision rises with every
            -- save, and a save that finds another revision is refused (two hosts never both advance a run).
            CREATE TABLE tuning_runs (
                run_id     TEXT PRIMARY KEY NOT NULL,
                created_at TEXT NOT NULL,
                revision   INTEGER NOT NULL,
                record     TEXT NOT NULL
            );
            CREATE INDEX tuning_runs_by_time ON tuning_runs (created_at);

            -- Every change of the active chat model, append-only; sequence 1, 2, 3, ... (a sequence taken twice is refused).
            CREATE TABLE model_changes (
                sequence INTEGER PRIMARY KEY NOT NULL,
                record   TEXT NOT NULL
            );
            """),
        new(6, "document origins", """
            -- Where the document was last ingested from (DocumentOrigin's text: 'watched:/srv/docs', 'ingested:/home/me/papers'):
            -- serve's synchronisation removes only documents of its own folder. Records written before origins become
            -- 'unknown': the file does not say whether serve or ingest wrote them, and guessing serve's folder is what
            -- removed ingested documents. Serve adopts every one still in its folder at its next start; the others stay
            -- until `ragtune remove`.
            ALTER TABLE documents ADD COLUMN origin TEXT NOT NULL DEFAULT 'unknown';
            """),
        new(7, "answers, ratings, tuning runs and model changes moved to ratings.db", """
            -- What cannot be rebuilt from the documents lives in ratings.db (RatingsSchema), where a damaged index cannot
            -- take it along and `ragtune reindex` does not set it aside: the answers and their ratings, the tuning runs
            -- and the history of the active model. Before copied them there in a committed transaction of that file.
            DROP TABLE feedback;
            DROP TABLE interactions;
            DROP TABLE model_changes;
            DROP TABLE tuning_runs;
            """)
        {
            Before = RatingsSchema.CopyFromIndexAsync,
        },
        new(8, "chunk sections and the chunking documents were cut with", """
            -- How a document's content was cut into chunks (TextChunker.Fingerprint); NULL for documents ingested before it
            -- was recorded, which are therefore ingested again once.
            ALTER TABLE documents ADD COLUMN chunking TEXT;

            -- The headings a chunk stands under ("Plan > Costs"), '' when none: returned with it and keyword-indexed in a
            -- column of its own, so that keyword search can weigh it apart from the text.
            ALTER TABLE chunks ADD COLUMN section TEXT NOT NULL DEFAULT '';

            DROP TRIGGER chunks_fts_insert;
            DROP TRIGGER chunks_fts_delete;
            DROP TRIGGER chunks_fts_update;
            DROP TABLE chunks_fts;
            CREATE VIRTUAL TABLE chunks_fts USING fts5 (
                section, text, content = 'chunks', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2');
            CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
                INSERT INTO chunks_fts (rowid, section, text) VALUES (new.id, new.section, new.text);
            END;
            CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
                INSERT INTO chunks_fts (chunks_fts, rowid, section, text) VALUES ('delete', old.id, old.section, old.text);
            END;
            CREATE TRIGGER chunks_fts_update AFTER UPDATE OF section, text ON chunks BEGIN
                INSERT INTO chunks_fts (chunks_fts, rowid, section, text) VALUES ('delete', old.id, old.section, old.text);
                INSERT INTO chunks_fts (rowid, section, text) VALUES (new.id, new.section, new.text);
            END;
            INSERT INTO chunks_fts (chunks_fts) VALUES ('rebuild');
            """),
        new(9, "sentence vectors", """
            -- The vectors of the sentences the extractive answerer may quote, per document, by a hash of the embedding model
            -- and the sentence (hex); vector is float32 little-endian as the model gave it. generation is the stamp of the
            -- replacement that computed or kept it at ingestion (0: computed for an answer); a commit removes the
            -- document's rows of other generations, a document's removal all of them. A rowid table, not WITHOUT ROWID:
            -- a row (1.5 KB for MiniLM) is more than a WITHOUT ROWID b-tree keeps in a page, and each would spill into a
            -- 4 KB overflow page of its own.
            CREATE TABLE sentence_vectors (
                document_id TEXT NOT NULL,
                hash        TEXT NOT NULL,
                vector      BLOB NOT NULL,
                generation  INTEGER NOT NULL,
                UNIQUE (document_id, hash)
            );
            """),
        new(10, "the page each chunk ends on", """
            -- The page where a chunk's own text ends (TextChunk.LastPage): a chunk that runs on across a page break is cited
            -- with both pages. 0 for chunks written before it was recorded, which read as ending on the page they start on.
            ALTER TABLE chunks ADD COLUMN last_page INTEGER NOT NULL DEFAULT 0;
            """),
    ];

    /// <summary>The version of a database with every migration applied.</summary>
    public static int LatestVersion => Migrations[^1].Version;
}
