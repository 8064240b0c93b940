//! A connected Redis client and a key prefix no other test shares.

use fred::prelude::{Builder, Client, ClientLike, Config, KeysInterface};

pub async fn redis() -> Client {
    let url = berth_testkit::redis_url();
    let client = Builder::from_config(Config::from_url(&url).expect("valid redis url"))
        .build()
        .expect("redis client");
    client.init().await.expect("redis connects");
    client
}

pub fn prefix() -> String {
    format!("berth-auth-test:{}:", uuid::Uuid::new_v4())
}

/// Milliseconds Redis will keep `key` (-2: no such key, -1: no expiry).
pub async fn pttl(client: &Client, key: &str) -> i64 {
    client.pttl(key).await.unwrap()
}

pub async fn exists(client: &Client, key: &str) -> bool {
    client.exists::<i64, _>(key).await.unwrap() == 1
}
