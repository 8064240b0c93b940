//! The two stores every process opens the same way: the Postgres pool and the Redis client.
//! Neither connects here: the pool connects on first use and Redis keeps retrying in the
//! background, so a process starts while its dependencies are still away.

use crate::config::CommonConfig;
use anyhow::Context as _;
use berth_db::{Pool, PoolSettings};
use fred::prelude::Client;

pub fn open(common: &CommonConfig) -> anyhow::Result<(Pool, Client)> {
    let db = berth_db::build_pool(
        common.database.url.expose(),
        PoolSettings {
            max_size: common.database.pool_size,
            ..PoolSettings::default()
        },
    )
    .context("invalid database settings")?;
    let redis = crate::redis::connect(&common.redis.url).context("invalid Redis settings")?;
    Ok((db, redis))
}
