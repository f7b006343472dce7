"""The tables of a conflictlens database, as SQLAlchemy Core metadata (schema version 1).

Records are stored whole as JSON text (``data``), which is the source of truth read back with
``from_dict``; the other columns are copies kept for filtering, sorting and joins. Types are chosen to mean
the same on SQLite and PostgreSQL: text for ISO dates and timestamps, BigInteger for counts.
SQLite's FTS5 table and PostgreSQL's tsvector index are created by the migration, not declared here.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("article_id", String(128), primary_key=True),
    Column("source_id", Text),
    Column("url", Text),
    Column("title", Text),
    Column("published", String(64)),
    Column("source", Text),
    Column("language", String(32)),
    Column("origin", Text),
    Column("text", Text, nullable=False),
    Column("n_words", Integer, nullable=False),
    Column("ingested_at", String(32), nullable=False),
)

mentions = Table(
    "mentions",
    metadata,
    Column("mention_id", String(128), primary_key=True),
    Column("article_id", String(128), ForeignKey("articles.article_id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),  # order of the mention within its article
    Column("data", Text, nullable=False),
    Index("ix_mentions_article", "article_id", "position"),
)

events = Table(
    "events",
    metadata,
    Column("event_id", String(128), primary_key=True),
    Column("event_type", String(64)),
    Column("sub_event_type", String(128)),
    Column("status", String(32)),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("date_precision", String(16)),
    Column("country", String(8)),  # upper-cased ISO2 copy, so the filter can use the index
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("killed_best", BigInteger),
    Column("killed_low", BigInteger),
    Column("killed_high", BigInteger),
    Column("wounded_best", BigInteger),
    Column("confidence", Float),
    Column("summary", Text),
    Column("data", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Index("ix_events_date_start", "date_start"),
    Index("ix_events_date_end", "date_end"),
    Index("ix_events_country", "country"),
    Index("ix_events_event_type", "event_type"),
    Index("ix_events_sub_event_type", "sub_event_type"),
    Index("ix_events_killed_best", "killed_best"),
    Index("ix_events_lat_lon", "lat", "lon"),
)

event_mentions = Table(
    "event_mentions",
    metadata,
    Column("event_id", String(128), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("mention_id", String(128), primary_key=True),
    Index("ix_event_mentions_mention", "mention_id"),
)

event_articles = Table(
    "event_articles",
    metadata,
    Column("event_id", String(128), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(128), primary_key=True),
    Index("ix_event_articles_article", "article_id"),
)

# role is "perpetrator" | "claimant" | "target"; actor_key is actor_id if set, else the lower-cased name.
event_actors = Table(
    "event_actors",
    metadata,
    Column("event_id", String(128), ForeignKey("events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(16), primary_key=True),
    Column("actor_key", Text, primary_key=True),
    Column("name", Text, primary_key=True),
    Column("actor_id", Text),
    Column("name_lower", Text, nullable=False),  # Python-lower-cased: SQLite's lower() is ASCII-only
    Index("ix_event_actors_key", "actor_key"),
    Index("ix_event_actors_name", "name_lower"),
)

ROLE_PERPETRATOR = "perpetrator"
ROLE_CLAIMANT = "claimant"
ROLE_TARGET = "target"

# --- review (schema version 2) ---------------------------------------------------------------------------
# Declared on their own MetaData so that migration 1, which creates ``metadata``'s tables, stays as released.
review_metadata = MetaData()

# One row per correction an analyst made, in the order made (``id``). ``previous`` and ``value`` are JSON.
# action: "correct" (field), "reject" (not an incident), "restore", "merge" (absorbed event in value),
# "merged_into" (this event was absorbed), "split" (mentions moved out), "split_from" (created by a split).
corrections = Table(
    "corrections",
    review_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("field", String(64)),
    Column("previous", Text),
    Column("value", Text),
    Column("author", Text, nullable=False),
    Column("reason", Text),
    Column("created_at", String(32), nullable=False),
    Index("ix_corrections_event", "event_id", "id"),
)

# The machine-made record of every event that has corrections: corrections are re-applied to it whenever
# the pipeline writes the event again, so they survive re-processing and re-fusion.
event_base = Table(
    "event_base",
    review_metadata,
    Column("event_id", String(128), primary_key=True),
    Column("data", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

# Events taken out of ``events`` by review: state "not_incident" or "merged" (into ``merged_into``).
# ``data`` is the corrected record as it was when hidden, so the API can still show it and its history.
hidden_events = Table(
    "hidden_events",
    review_metadata,
    Column("event_id", String(128), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("merged_into", String(128)),
    Column("data", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Index("ix_hidden_events_merged_into", "merged_into"),
)

# --- fusion (schema version 3) ---------------------------------------------------------------------------
# Own MetaData, like review's: migration 1 must keep creating exactly the tables it did when released.
fusion_metadata = MetaData()

# The order in which reports were fused: one row per mention, ``seq`` increasing. ``conflictlens fuse
# --rebuild`` replays mentions in this order, so it gives the same events as incremental ingest did. A row
# whose mention was never stored (the article write failed) is ignored.
mention_order = Table(
    "mention_order",
    fusion_metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("mention_id", String(128), nullable=False, unique=True),
    Column("article_id", String(128), nullable=False),
)

# --- actors (schema version 5) ---------------------------------------------------------------------------
# Own MetaData, like review's and fusion's. What the actor stage found, written with the article that said it.
actors_metadata = MetaData()

# The actors articles named: the KB's record at the time (``data``: the Actor record with its KB aliases and
# links), or an actor learned from a text (source "learned"). Rewritten when a later article names it again.
actors = Table(
    "actors",
    actors_metadata,
    Column("actor_id", String(128), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(64)),
    Column("country", String(8)),
    Column("source", String(16)),  # "kb" | "generated" | "user" | "learned"
    Column("data", Text, nullable=False),
)

# Every name of an actor: source "kb" or "user" (article_id ""), or "text" with the article and the span
# (start, end, text) that defined it. ``alias_key`` is the resolver's lookup key, for finding an actor by name.
actor_aliases = Table(
    "actor_aliases",
    actors_metadata,
    Column("actor_id", String(128), primary_key=True),
    Column("alias", Text, primary_key=True),
    Column("source", String(8), primary_key=True),
    Column("article_id", String(128), primary_key=True),
    Column("alias_key", Text, nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("text", Text),
    Index("ix_actor_aliases_key", "alias_key"),
)

# subject --type--> object as one article states it; the span [start, end) is the evidence. A leader (a
# person) has no subject_id; an object the KB does not know has no object_id.
actor_relations = Table(
    "actor_relations",
    actors_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(128), nullable=False),
    Column("subject_id", String(128)),
    Column("subject_name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    Column("object_id", String(128)),
    Column("object_name", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("date", String(10)),
    Index("ix_actor_relations_subject", "subject_id"),
    Index("ix_actor_relations_object", "object_id"),
    Index("ix_actor_relations_article", "article_id"),
)

# Sentences in which a report states an actor's aims or ideology.
actor_aims = Table(
    "actor_aims",
    actors_metadata,
    Column("actor_id", String(128), primary_key=True),
    Column("article_id", String(128), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)
