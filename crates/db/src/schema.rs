//! The diesel schema, matching `migrations/`.

diesel::table! {
    workers (id) {
        id -> Uuid,
        name -> Text,
        hostname -> Text,
        pid -> Int4,
        version -> Text,
        started_at -> Timestamptz,
        heartbeat_at -> Timestamptz,
        stopped_at -> Nullable<Timestamptz>,
    }
}
