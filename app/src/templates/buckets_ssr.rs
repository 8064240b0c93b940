//! The server side of the package bucket server functions.

use super::api_ssr::{author, catalog_error, entry};
use crate::AppError;
use crate::auth::require;
use crate::state::app_state;
use berth_auth::policy::Action;
use berth_db::catalog::buckets;
use berth_domain::template::{BucketSummary, PackageBucket};

pub async fn list() -> Result<Vec<BucketSummary>, AppError> {
    require(Action::ViewBuckets)?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    buckets::list(&mut conn).await.map_err(catalog_error)
}

/// Returns the templates that got a new version because the bucket changed.
pub async fn save(bucket: PackageBucket, existing: bool) -> Result<Vec<String>, AppError> {
    let principal = require(Action::ManageBuckets)?;
    bucket.validate().map_err(AppError::Problems)?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    if existing {
        let name = bucket.name.clone();
        buckets::update(
            &mut conn,
            &name,
            &bucket,
            author(&principal),
            &entry(&principal, "bucket.update"),
        )
        .await
        .map_err(catalog_error)
    } else {
        buckets::create(
            &mut conn,
            &bucket,
            false,
            &entry(&principal, "bucket.create"),
        )
        .await
        .map_err(catalog_error)?;
        Ok(Vec::new())
    }
}

pub async fn delete(name: String) -> Result<(), AppError> {
    let principal = require(Action::ManageBuckets)?;
    let mut conn = app_state()?.db().get().await.map_err(AppError::internal)?;
    buckets::delete(&mut conn, &name, &entry(&principal, "bucket.delete"))
        .await
        .map_err(catalog_error)
}
