//! Login throttling against a real Redis: per account, per address, reset and window expiry.

use crate::support::{prefix, redis};
use berth_auth::throttle::{LoginThrottle, ThrottleConfig, ThrottleError, Throttled};
use std::net::IpAddr;
use std::time::Duration;

async fn throttle(account_limit: u32, ip_limit: u32, window: Duration) -> LoginThrottle {
    let config = ThrottleConfig {
        prefix: prefix(),
        account_limit,
        account_window: window,
        ip_limit,
        ip_window: window,
    };
    LoginThrottle::new(redis().await, config)
}

fn ip(n: u8) -> IpAddr {
    IpAddr::from([198, 51, 100, n])
}

fn throttled(result: Result<(), ThrottleError>) -> Option<Throttled> {
    match result {
        Ok(()) => None,
        Err(ThrottleError::Throttled(t)) => Some(t),
        Err(other) => panic!("redis failed: {other}"),
    }
}

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test]
async fn an_account_is_throttled_after_its_limit_from_any_address() {
    let throttle = throttle(3, 100, MINUTE).await;
    for n in 1..=2 {
        throttle.record_failure("alice", ip(n)).await.unwrap();
        assert_eq!(
            throttled(throttle.check("alice", ip(9)).await),
            None,
            "after {n}"
        );
    }
    throttle.record_failure("alice", ip(3)).await.unwrap();
    let refused = throttled(throttle.check("alice", ip(9)).await).expect("throttled");
    assert!(refused.retry_after > Duration::from_secs(55) && refused.retry_after <= MINUTE);
    // Other accounts from the same addresses are unaffected.
    assert_eq!(throttled(throttle.check("bob", ip(1)).await), None);
}

#[tokio::test]
async fn case_and_spacing_variants_of_an_account_share_one_counter() {
    let throttle = throttle(3, 100, MINUTE).await;
    throttle.record_failure("Alice", ip(1)).await.unwrap();
    throttle.record_failure(" ALICE ", ip(2)).await.unwrap();
    throttle.record_failure("alice", ip(3)).await.unwrap();
    assert!(throttled(throttle.check("aLiCe", ip(4)).await).is_some());
}

#[tokio::test]
async fn an_address_is_throttled_after_its_limit_across_accounts() {
    let throttle = throttle(100, 3, MINUTE).await;
    for account in ["alice", "bob", "carol"] {
        throttle.record_failure(account, ip(1)).await.unwrap();
    }
    assert!(
        throttled(throttle.check("dave", ip(1)).await).is_some(),
        "same address, new account"
    );
    assert_eq!(
        throttled(throttle.check("dave", ip(2)).await),
        None,
        "another address"
    );
}

#[tokio::test]
async fn ipv6_addresses_in_one_64_share_a_counter() {
    let throttle = throttle(100, 2, MINUTE).await;
    throttle
        .record_failure("alice", "2001:db8:1:2::1".parse().unwrap())
        .await
        .unwrap();
    throttle
        .record_failure("bob", "2001:db8:1:2::ffff".parse().unwrap())
        .await
        .unwrap();
    let same_block: IpAddr = "2001:db8:1:2:abcd::9".parse().unwrap();
    let other_block: IpAddr = "2001:db8:1:3::1".parse().unwrap();
    assert!(throttled(throttle.check("carol", same_block).await).is_some());
    assert_eq!(throttled(throttle.check("carol", other_block).await), None);
}

#[tokio::test]
async fn success_resets_the_account_counter_but_not_the_address_counter() {
    let throttle = throttle(3, 5, MINUTE).await;
    throttle.record_failure("alice", ip(1)).await.unwrap();
    throttle.record_failure("alice", ip(1)).await.unwrap();
    throttle.record_success("ALICE").await.unwrap();
    throttle.record_failure("alice", ip(1)).await.unwrap();
    throttle.record_failure("alice", ip(1)).await.unwrap();
    // Four failures in all, but only two since the success: under the account limit of 3.
    assert_eq!(throttled(throttle.check("alice", ip(2)).await), None);
    // The address saw all four; one more reaches its limit of 5, success or not.
    throttle.record_failure("bob", ip(1)).await.unwrap();
    throttle.record_success("alice").await.unwrap();
    assert!(throttled(throttle.check("alice", ip(1)).await).is_some());
}

#[tokio::test]
async fn the_window_expires() {
    let throttle = throttle(2, 100, Duration::from_secs(1)).await;
    throttle.record_failure("alice", ip(1)).await.unwrap();
    throttle.record_failure("alice", ip(1)).await.unwrap();
    let refused = throttled(throttle.check("alice", ip(1)).await).expect("throttled");
    assert!(refused.retry_after <= Duration::from_secs(1));
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(throttled(throttle.check("alice", ip(1)).await), None);
}

#[tokio::test]
async fn the_wait_is_the_longer_one_when_both_limits_are_hit() {
    let config = ThrottleConfig {
        prefix: prefix(),
        account_limit: 1,
        account_window: Duration::from_secs(10),
        ip_limit: 1,
        ip_window: Duration::from_secs(100),
    };
    let throttle = LoginThrottle::new(redis().await, config);
    throttle.record_failure("alice", ip(1)).await.unwrap();
    let refused = throttled(throttle.check("alice", ip(1)).await).expect("throttled");
    assert!(refused.retry_after > Duration::from_secs(95), "{refused:?}");
    let only_account = throttled(throttle.check("alice", ip(2)).await).expect("throttled");
    assert!(
        only_account.retry_after <= Duration::from_secs(10),
        "{only_account:?}"
    );
}
