//! A valid template and bucket to start each catalog test from.

use berth_db::Connection;
use berth_db::audit::{NewAuditEntry, Outcome};
use berth_db::catalog::{Author, CatalogError, buckets, templates};
use berth_domain::template::*;

pub fn bucket(name: &str, packages: &[&str]) -> PackageBucket {
    PackageBucket {
        name: name.into(),
        description: format!("{name} packages"),
        manager: PackageManager::Apt,
        packages: packages.iter().map(|p| p.to_string()).collect(),
        install_command: None,
    }
}

pub fn template(name: &str, buckets: &[&str]) -> TemplateSpec {
    TemplateSpec {
        name: name.into(),
        title: format!("{name} title"),
        category: "base".into(),
        tags: vec!["debian".into()],
        buckets: buckets.iter().map(|b| b.to_string()).collect(),
        scripts: vec![TemplateScript {
            name: "hello".into(),
            interpreter: Interpreter::Bash,
            run_as: "root".into(),
            timeout_secs: 60,
            content: "echo hello\n".into(),
        }],
        ..TemplateSpec::blank()
    }
}

pub fn entry(action: &str) -> NewAuditEntry {
    NewAuditEntry::new("Tess Admin", action, Outcome::Success)
}

pub const TESS: Author<'static> = Author {
    user_id: None,
    name: "Tess Admin",
};

pub async fn add_bucket(conn: &mut Connection, name: &str, packages: &[&str]) {
    buckets::create(
        conn,
        &bucket(name, packages),
        false,
        &entry("bucket.create"),
    )
    .await
    .unwrap();
}

/// A save by Tess (not built-in), audited as `action`.
pub async fn save(
    conn: &mut Connection,
    spec: &TemplateSpec,
    existing: templates::Existing,
    note: &str,
    action: &str,
) -> Result<i32, CatalogError> {
    templates::save(conn, spec, existing, false, TESS, note, &entry(action)).await
}

pub async fn add_template(conn: &mut Connection, spec: &TemplateSpec) -> i32 {
    save(
        conn,
        spec,
        templates::Existing::Refuse,
        "created",
        "template.create",
    )
    .await
    .unwrap()
}
