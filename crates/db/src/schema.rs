//! The diesel schema, matching `migrations/` (written by hand in `diesel print-schema` style).

pub mod sql_types {
    /// The Postgres enum `berth_role` (`viewer < operator < admin`); see [`crate::role::DbRole`].
    #[derive(Debug, diesel::query_builder::QueryId, diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "berth_role"))]
    pub struct BerthRole;
}

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

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::BerthRole;

    users (id) {
        id -> Uuid,
        username -> Text,
        display_name -> Text,
        email -> Nullable<Text>,
        role -> BerthRole,
        password_hash -> Nullable<Text>,
        disabled_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        last_login_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    user_identities (id) {
        id -> Uuid,
        user_id -> Uuid,
        issuer -> Text,
        subject -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::BerthRole;

    api_tokens (id) {
        id -> Uuid,
        user_id -> Uuid,
        name -> Text,
        lookup -> Text,
        secret_hash -> Bytea,
        role -> BerthRole,
        created_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        at -> Timestamptz,
        actor_user_id -> Nullable<Uuid>,
        actor_name -> Text,
        action -> Text,
        target_type -> Nullable<Text>,
        target_id -> Nullable<Text>,
        source_ip -> Nullable<Inet>,
        outcome -> Text,
        correlation_id -> Nullable<Text>,
        details -> Jsonb,
    }
}

diesel::table! {
    package_buckets (id) {
        id -> Uuid,
        name -> Text,
        spec -> Jsonb,
        builtin -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    templates (id) {
        id -> Uuid,
        name -> Text,
        builtin -> Bool,
        current_version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    template_versions (id) {
        id -> Uuid,
        template_id -> Uuid,
        version -> Int4,
        spec -> Jsonb,
        buckets -> Jsonb,
        note -> Text,
        created_by -> Nullable<Uuid>,
        created_by_name -> Text,
        created_at -> Timestamptz,
        /// Generated from `spec`: what the catalog shows.
        summary -> Jsonb,
    }
}

diesel::table! {
    template_buckets (template_id, bucket_id) {
        template_id -> Uuid,
        bucket_id -> Uuid,
        position -> Int4,
    }
}

diesel::table! {
    builtin_seeds (name) {
        name -> Text,
        seeded_at -> Timestamptz,
    }
}

diesel::table! {
    runs (id) {
        id -> Uuid,
        template_version_id -> Uuid,
        template_name -> Text,
        template_version -> Int4,
        hostname -> Text,
        spec -> Jsonb,
        secrets -> Jsonb,
        state -> Text,
        stage -> Nullable<Text>,
        attempt -> Int4,
        checkpoint -> Jsonb,
        vmid -> Nullable<Int4>,
        node -> Nullable<Text>,
        error -> Nullable<Text>,
        cancel_requested -> Bool,
        claim_token -> Nullable<Uuid>,
        claimed_by -> Nullable<Text>,
        event_seq -> Int8,
        requested_by -> Nullable<Uuid>,
        requested_by_name -> Text,
        created_at -> Timestamptz,
        started_at -> Nullable<Timestamptz>,
        finished_at -> Nullable<Timestamptz>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    run_events (run_id, seq) {
        run_id -> Uuid,
        seq -> Int8,
        at -> Timestamptz,
        event -> Jsonb,
    }
}

diesel::table! {
    container_actions (id) {
        id -> Uuid,
        vmid -> Int4,
        node -> Text,
        name -> Text,
        kind -> Text,
        snapshot -> Nullable<Text>,
        description -> Nullable<Text>,
        state -> Text,
        upid -> Nullable<Text>,
        error -> Nullable<Text>,
        attempt -> Int4,
        claim_token -> Nullable<Uuid>,
        requested_by -> Nullable<Uuid>,
        requested_by_name -> Text,
        created_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(user_identities -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(audit_log -> users (actor_user_id));
diesel::joinable!(template_versions -> templates (template_id));
diesel::joinable!(template_buckets -> templates (template_id));
diesel::joinable!(template_buckets -> package_buckets (bucket_id));
diesel::joinable!(runs -> template_versions (template_version_id));
diesel::joinable!(run_events -> runs (run_id));

diesel::allow_tables_to_appear_in_same_query!(
    workers,
    users,
    user_identities,
    api_tokens,
    audit_log,
    package_buckets,
    templates,
    template_versions,
    template_buckets,
    builtin_seeds,
    runs,
    run_events,
    container_actions
);
