-- DROP TABLE fires no row or TRUNCATE trigger: the append-only guard does not block a rollback.
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
