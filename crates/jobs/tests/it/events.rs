//! Pub/sub of run events.

use crate::support::{events, eventually, prefix, redis};
use berth_jobs::{Queue, Received, Subscription};
use fred::prelude::{Builder, Client, ClientLike, Config};
use fred::types::{ClusterHash, CustomCommand, Value};
use std::time::Duration;
use uuid::Uuid;

async fn next(subscription: &mut Subscription) -> Received {
    tokio::time::timeout(Duration::from_secs(2), subscription.recv())
        .await
        .expect("delivered in time")
        .expect("open")
}

#[tokio::test]
async fn a_subscriber_receives_the_runs_events_in_order() {
    let events = events().await;
    let (run, other) = (Uuid::new_v4(), Uuid::new_v4());
    let containers = events.containers_channel("lab");
    let mut subscription = events
        .subscribe(&[events.run_channel(run), containers.clone()])
        .await
        .unwrap();

    assert!(events.run_channel(run).ends_with(&format!("run:{run}")));
    assert_eq!(events.publish(run, "stage started").await.unwrap(), 1);
    assert_eq!(events.publish(other, "not for us").await.unwrap(), 0);
    events.publish(run, "stage finished").await.unwrap();
    events.publish_to(&containers, "101 running").await.unwrap();

    let mut received = Vec::new();
    for _ in 0..3 {
        match next(&mut subscription).await {
            Received::Message(message) => received.push((message.channel, message.payload)),
            Received::Gap => panic!("no gap expected"),
        }
    }
    assert_eq!(
        received,
        [
            (events.run_channel(run), "stage started".to_owned()),
            (events.run_channel(run), "stage finished".to_owned()),
            (containers, "101 running".to_owned()),
        ]
    );

    subscription
        .unsubscribe(&[events.run_channel(run)])
        .await
        .unwrap();
    assert_eq!(events.publish(run, "after").await.unwrap(), 0);
}

#[tokio::test]
async fn a_dropped_connection_is_reported_as_a_gap_and_the_subscription_restored() {
    // Tests run in parallel on one Redis: the connection to kill is told apart by its own ACL
    // user, never by "whatever pub/sub connection appeared meanwhile".
    let admin = redis().await;
    let user = format!("berth-jobs-gap-{}", Uuid::new_v4().simple());
    acl(
        &admin,
        &["SETUSER", &user, "on", ">gap-test", "~*", "&*", "+@all"],
    )
    .await;
    let events = Queue::with_prefix(client_as(&user, "gap-test").await, &prefix()).events();
    let run = Uuid::new_v4();
    let mut subscription = events.subscribe(&[events.run_channel(run)]).await.unwrap();
    let kill = CustomCommand::new_static("CLIENT", ClusterHash::FirstKey, false);
    let killed: Value = admin
        .custom(kill, vec!["KILL", "USER", user.as_str(), "TYPE", "pubsub"])
        .await
        .unwrap();
    assert_ne!(
        killed,
        Value::Integer(0),
        "our subscriber connection was open"
    );

    assert_eq!(next(&mut subscription).await, Received::Gap);
    eventually(Duration::from_secs(3), "resubscribed", || async {
        events.publish(run, "after the gap").await.unwrap() == 1
    })
    .await;
    match next(&mut subscription).await {
        Received::Message(message) => assert_eq!(message.payload, "after the gap"),
        Received::Gap => panic!("one gap only"),
    }
    acl(&admin, &["DELUSER", &user]).await;
}

#[tokio::test]
async fn followers_share_one_redis_subscription_until_the_last_one_leaves() {
    let events = events().await;
    let admin = redis().await;
    let run = Uuid::new_v4();
    let channel = events.run_channel(run);
    let mut followers = Vec::new();
    for _ in 0..50 {
        followers.push(
            events
                .subscribe(std::slice::from_ref(&channel))
                .await
                .unwrap(),
        );
    }
    // One connection is subscribed, whatever the number of followers.
    assert_eq!(subscribers(&admin, &channel).await, 1);
    assert_eq!(events.publish(run, "to all").await.unwrap(), 1);
    for follower in &mut followers {
        match next(follower).await {
            Received::Message(message) => assert_eq!(message.payload, "to all"),
            Received::Gap => panic!("no gap expected"),
        }
    }

    // Followers that leave do not take the channel from those that stay.
    let mut last = followers.pop().unwrap();
    drop(followers);
    events.publish(run, "to the last").await.unwrap();
    match next(&mut last).await {
        Received::Message(message) => assert_eq!(message.payload, "to the last"),
        Received::Gap => panic!("no gap expected"),
    }
    assert_eq!(subscribers(&admin, &channel).await, 1);
    drop(last);
    eventually(Duration::from_secs(3), "unsubscribed", || async {
        subscribers(&admin, &channel).await == 0
    })
    .await;
}

/// How many connections Redis has subscribed to `channel`.
async fn subscribers(admin: &Client, channel: &str) -> i64 {
    let numsub = CustomCommand::new_static("PUBSUB", ClusterHash::FirstKey, false);
    let answer: Vec<Value> = admin.custom(numsub, vec!["NUMSUB", channel]).await.unwrap();
    match answer.as_slice() {
        [_, Value::Integer(count)] => *count,
        other => panic!("PUBSUB NUMSUB answered {other:?}"),
    }
}

async fn acl(admin: &Client, args: &[&str]) {
    let acl = CustomCommand::new_static("ACL", ClusterHash::FirstKey, false);
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let _: Value = admin.custom(acl, args).await.unwrap();
}

/// A client that signs in as `user`.
async fn client_as(user: &str, password: &str) -> Client {
    let url = std::env::var("BERTH_TEST_REDIS_URL")
        .unwrap_or_else(|_| "redis://127.0.0.1:6379/".to_owned());
    let mut config = Config::from_url(&url).expect("valid redis url");
    config.username = Some(user.to_owned());
    config.password = Some(password.to_owned());
    let client = Builder::from_config(config).build().expect("redis client");
    client
        .init()
        .await
        .expect("redis connects as the test user");
    client
}
