//! A run's events, numbered from 1 without gaps: the counter lives on the run row, so numbering
//! and insert happen in one statement and concurrent writers cannot collide.

use super::RunError;
use crate::Connection;
use crate::schema::run_events;
use berth_domain::run::{RunEvent, SequencedEvent};
use chrono::{DateTime, SecondsFormat, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

#[derive(QueryableByName)]
struct Inserted {
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Timestamptz)]
    at: DateTime<Utc>,
}

fn at_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Appends an event. With a claim token, only while that claim holds (a worker's events); the
/// server writes without one (e.g. "cancel requested").
pub async fn append_event(
    conn: &mut Connection,
    run: Uuid,
    token: Option<Uuid>,
    event: &RunEvent,
) -> Result<SequencedEvent, RunError> {
    let json = serde_json::to_value(event).map_err(|e| RunError::Corrupt(e.to_string()))?;
    let inserted: Option<Inserted> = diesel::sql_query(
        "WITH next AS (
             UPDATE runs SET event_seq = event_seq + 1
             WHERE id = $1 AND ($2::uuid IS NULL OR claim_token = $2)
             RETURNING event_seq
         )
         INSERT INTO run_events (run_id, seq, event)
         SELECT $1, event_seq, $3 FROM next
         RETURNING seq, at",
    )
    .bind::<SqlUuid, _>(run)
    .bind::<diesel::sql_types::Nullable<SqlUuid>, _>(token)
    .bind::<Jsonb, _>(&json)
    .get_result(conn)
    .await
    .optional()?;
    let Some(inserted) = inserted else {
        return Err(if token.is_some() {
            RunError::ClaimLost
        } else {
            RunError::NotFound
        });
    };
    Ok(SequencedEvent {
        run_id: run.to_string(),
        seq: inserted.seq,
        at: at_text(inserted.at),
        event: event.clone(),
    })
}

/// Events after `after` (0 for all), in order, at most `limit`.
pub async fn events_after(
    conn: &mut Connection,
    run: Uuid,
    after: i64,
    limit: i64,
) -> Result<Vec<SequencedEvent>, RunError> {
    let rows: Vec<(i64, DateTime<Utc>, serde_json::Value)> = run_events::table
        .filter(run_events::run_id.eq(run))
        .filter(run_events::seq.gt(after))
        .order(run_events::seq.asc())
        .limit(limit.clamp(1, 10_000))
        .select((run_events::seq, run_events::at, run_events::event))
        .load(conn)
        .await?;
    rows.into_iter()
        .map(|(seq, at, json)| {
            let event =
                serde_json::from_value(json).map_err(|e| RunError::Corrupt(e.to_string()))?;
            Ok(SequencedEvent {
                run_id: run.to_string(),
                seq,
                at: at_text(at),
                event,
            })
        })
        .collect()
}
