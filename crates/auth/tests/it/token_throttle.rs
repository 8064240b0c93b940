//! API-token throttling against a real Redis: the limit per address, its key and window, and
//! that it is separate from the sign-in counters.

use crate::support::{exists, prefix, pttl, redis};
use berth_auth::throttle::{
    LoginThrottle, ThrottleConfig, ThrottleError, Throttled, TokenThrottle, TokenThrottleConfig,
};
use std::net::IpAddr;
use std::time::Duration;

fn ip(n: u8) -> IpAddr {
    IpAddr::from([203, 0, 113, n])
}

fn throttled(result: Result<(), ThrottleError>) -> Option<Throttled> {
    match result {
        Ok(()) => None,
        Err(ThrottleError::Throttled(t)) => Some(t),
        Err(other) => panic!("redis failed: {other}"),
    }
}

async fn throttle(prefix: &str, limit: u32, window: Duration) -> TokenThrottle {
    let config = TokenThrottleConfig {
        prefix: prefix.to_string(),
        ip_limit: limit,
        ip_window: window,
    };
    TokenThrottle::new(redis().await, config)
}

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test]
async fn an_address_is_refused_from_its_limit_on_and_says_so_once() {
    let prefix = prefix();
    let throttle = throttle(&prefix, 3, MINUTE).await;
    let mut reached = Vec::new();
    for n in 1..=4 {
        if n <= 3 {
            assert_eq!(throttled(throttle.check(ip(1)).await), None, "before {n}");
        }
        reached.push(throttle.record_failure(ip(1)).await.unwrap());
    }
    assert_eq!(
        reached,
        [false, false, true, false],
        "true once, at the limit"
    );
    let refused = throttled(throttle.check(ip(1)).await).expect("throttled");
    assert!(refused.retry_after > Duration::from_secs(55) && refused.retry_after <= MINUTE);
    assert_eq!(
        throttled(throttle.check(ip(2)).await),
        None,
        "another address"
    );

    // One key per address under the prefix, expiring with the window.
    let client = redis().await;
    let key = format!("{prefix}token-failures:ip:203.0.113.1");
    assert!(exists(&client, &key).await, "{key}");
    let ttl = pttl(&client, &key).await;
    assert!(ttl > 55_000 && ttl <= 60_000, "{ttl}");
}

#[tokio::test]
async fn token_failures_and_sign_in_failures_do_not_add_up() {
    let prefix = prefix();
    let tokens = throttle(&prefix, 2, MINUTE).await;
    let config = ThrottleConfig {
        prefix: prefix.clone(),
        account_limit: 100,
        ip_limit: 2,
        ..ThrottleConfig::default()
    };
    let logins = LoginThrottle::new(redis().await, config);
    tokens.record_failure(ip(1)).await.unwrap();
    logins.record_failure("alice", ip(1)).await.unwrap();
    assert_eq!(throttled(tokens.check(ip(1)).await), None);
    assert_eq!(throttled(logins.check("alice", ip(1)).await), None);
    tokens.record_failure(ip(1)).await.unwrap();
    assert!(throttled(tokens.check(ip(1)).await).is_some());
    assert_eq!(
        throttled(logins.check("bob", ip(1)).await),
        None,
        "sign-in from the address still works"
    );
}

#[tokio::test]
async fn ipv6_addresses_in_one_64_share_a_counter() {
    let throttle = throttle(&prefix(), 2, MINUTE).await;
    for address in ["2001:db8:5:6::1", "2001:db8:5:6:ffff::2"] {
        throttle
            .record_failure(address.parse().unwrap())
            .await
            .unwrap();
    }
    let same_block: IpAddr = "2001:db8:5:6::abcd".parse().unwrap();
    let other_block: IpAddr = "2001:db8:5:7::1".parse().unwrap();
    assert!(throttled(throttle.check(same_block).await).is_some());
    assert_eq!(throttled(throttle.check(other_block).await), None);
}

#[tokio::test]
async fn the_window_expires_and_with_limit_keeps_the_prefix() {
    let prefix = prefix();
    let throttle = throttle(&prefix, 30, MINUTE)
        .await
        .with_limit(1, Duration::from_secs(1));
    assert_eq!(throttle.config().prefix, prefix);
    assert!(throttle.record_failure(ip(1)).await.unwrap());
    let refused = throttled(throttle.check(ip(1)).await).expect("throttled");
    assert!(refused.retry_after <= Duration::from_secs(1));
    assert_eq!(refused.retry_after_secs(), 1);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(throttled(throttle.check(ip(1)).await), None);
}
