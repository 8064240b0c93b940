//! The built-in templates: each file is valid, survives the YAML round trip, carries its scripts
//! byte-for-byte as the shell files in infra/ (their maintained source), and seeds once.

use berth_catalog::{TemplateDocument, builtin};
use berth_db::catalog::{TemplateFilter, templates};
use berth_db::testing::TestDatabase;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_built_in_file_is_valid_and_round_trips() {
    for (file, text) in builtin::FILES {
        let document = TemplateDocument::parse(text)
            .unwrap_or_else(|problems| panic!("{file}: {problems:#?}"));
        let written = document.to_yaml();
        let again = TemplateDocument::parse(&written).unwrap();
        assert_eq!(again, document, "{file}: parse → write → parse changed it");
        assert_eq!(
            again.to_yaml(),
            written,
            "{file}: the written form is not stable"
        );
        assert_eq!(format!("{}.yaml", document.template.name), file);
    }
}

#[test]
fn the_directory_holds_exactly_the_compiled_in_files() {
    let mut on_disk: Vec<String> = std::fs::read_dir(repo().join("infra/templates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    on_disk.sort();
    let mut compiled: Vec<String> = builtin::FILES.iter().map(|(f, _)| f.to_string()).collect();
    compiled.sort();
    assert_eq!(on_disk, compiled, "add new files to builtin::FILES");
}

/// Each script names its source with `# berth-template-script: <template>/<script>`.
#[test]
fn scripts_match_their_shell_files() {
    let mut sources = std::collections::HashMap::new();
    for entry in walk(&repo().join("infra")) {
        if entry.extension().is_some_and(|e| e == "sh") {
            let text = std::fs::read_to_string(&entry).unwrap();
            if let Some(tag) = text
                .lines()
                .find_map(|l| l.strip_prefix("# berth-template-script: "))
            {
                sources.insert(tag.trim().to_string(), (entry.clone(), text.clone()));
            }
        }
    }
    let mut checked = 0;
    for (file, text) in builtin::FILES {
        let document = TemplateDocument::parse(text).unwrap();
        for script in &document.template.scripts {
            let key = format!("{}/{}", document.template.name, script.name);
            let (path, source) = sources
                .get(&key)
                .unwrap_or_else(|| panic!("{file}: no shell file tagged {key}"));
            assert_eq!(
                &script.content,
                source,
                "{file}: script {:?} differs from {}; copy the shell file into the YAML",
                script.name,
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} scripts checked");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[tokio::test]
async fn seeding_adds_the_catalog_once_and_keeps_edits() {
    let db = TestDatabase::create().await.unwrap();
    let mut conn = db.pool().unwrap().get().await.unwrap();
    let first = builtin::seed(&mut conn).await.unwrap();
    assert_eq!(first.templates.len(), builtin::FILES.len());
    assert!(first.buckets.contains(&"base-tools".to_string()));
    let listed = templates::list(&mut conn, &TemplateFilter::default())
        .await
        .unwrap();
    assert!(listed.iter().all(|t| t.builtin && t.version == 1));

    // An admin deletes one: it stays deleted on the next start (each built-in is seeded once).
    let entry = berth_db::audit::NewAuditEntry::new(
        "Tess",
        "template.delete",
        berth_db::audit::Outcome::Success,
    );
    templates::delete(&mut conn, "dokploy", &entry)
        .await
        .unwrap();
    assert_eq!(builtin::seed(&mut conn).await.unwrap(), Default::default());
    assert!(matches!(
        templates::detail(&mut conn, "dokploy").await,
        Err(berth_db::catalog::CatalogError::NotFound)
    ));
    // A built-in never seeded before (new in this version) is added.
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("DELETE FROM builtin_seeds WHERE name = 'dokploy'"),
        &mut conn,
    )
    .await
    .unwrap();
    assert_eq!(
        builtin::seed(&mut conn).await.unwrap().templates,
        ["dokploy"]
    );
}
