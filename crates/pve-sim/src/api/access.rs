//! `GET /version` and `POST /access/ticket` (pve-manager `API2.pm`, pve-access-control
//! `API2/AccessControl.pm`).

use serde_json::{Map, Value, json};

use super::{ApiError, Call, Reply};
use crate::http::auth;
use crate::schema::Prop;
use crate::sim::now;
use crate::state::perms::{self, AuthId};

pub const VERSION: &str = "9.2.11";
pub const RELEASE: &str = "9.2";
pub const REPOID: &str = "14a22df35955d97d";

pub async fn version(_c: Call) -> Result<Reply, ApiError> {
    Ok(Reply::data(
        json!({ "version": VERSION, "release": RELEASE, "repoid": REPOID }),
    ))
}

pub fn ticket_params() -> Vec<Prop> {
    vec![
        Prop::str("username").required().max_len(64),
        Prop::str("password").required(),
        Prop::str("realm").max_len(32),
        Prop::str("otp"),
        Prop::str("path").max_len(64),
        Prop::str("privs").max_len(64),
        Prop::bool("new-format"),
        Prop::str("tfa-challenge"),
    ]
}

/// Login and renewal: every failure is the same `401 authentication failure`.
pub async fn create_ticket(c: Call) -> Result<Reply, ApiError> {
    let username = c.p("username").unwrap_or_default();
    let password = c.p("password").unwrap_or_default();
    let userid = match (username.contains('@'), c.p("realm")) {
        (true, _) => username.to_string(),
        (false, Some(realm)) => format!("{username}@{realm}"),
        (false, None) => return Err(ApiError::LoginFailed),
    };
    let ok = c.sim.read(|s| {
        let Some(user) = s.user(&userid).filter(|u| u.enabled) else {
            return false;
        };
        if user.password.as_deref().is_some_and(|p| p == password) {
            return true;
        }
        // Renewal: a still-valid ticket of the same user (root may renew anyone's) works as password.
        auth::verify_ticket(&s.auth_key, password)
            .is_some_and(|owner| owner == userid || owner == "root@pam")
    });
    if !ok {
        return Err(ApiError::LoginFailed);
    }
    let who = AuthId {
        user: userid.clone(),
        token: None,
    };
    let at = now();
    let data = c.sim.read(|s| {
        let mut d = Map::new();
        d.insert("username".into(), json!(userid));
        d.insert(
            "ticket".into(),
            json!(auth::make_ticket(&s.auth_key, &userid, at)),
        );
        d.insert(
            "CSRFPreventionToken".into(),
            json!(auth::make_csrf(&s.auth_key, &userid, at)),
        );
        d.insert("cap".into(), cap(s, &who));
        if s.nodes.len() > 1 && perms::has(s, &who, "/", "Sys.Audit") {
            d.insert("clustername".into(), json!(s.cluster));
        }
        Value::Object(d)
    });
    Ok(Reply::data(data))
}

/// The `cap` object: the privileges a user holds per area (`compute_api_permission`).
fn cap(s: &crate::state::SimState, who: &AuthId) -> Value {
    let groups: [(&str, &str, &[&str]); 7] = [
        ("vms", "/vms", &["VM."]),
        ("storage", "/storage", &["Datastore."]),
        (
            "access",
            "/access",
            &["User.", "Group.", "Realm.", "Permissions."],
        ),
        ("nodes", "/nodes", &["Sys."]),
        ("sdn", "/sdn", &["SDN."]),
        ("dc", "/", &["Sys.Audit", "Sys.Modify", "SDN."]),
        ("mapping", "/mapping", &["Mapping."]),
    ];
    let mut out = Map::new();
    for (name, path, prefixes) in groups {
        let privs: Map<String, Value> = perms::any_below(s, who, path)
            .into_iter()
            .filter(|p| prefixes.iter().any(|x| p.starts_with(x)))
            .map(|p| (p, json!(1)))
            .collect();
        out.insert(name.into(), Value::Object(privs));
    }
    Value::Object(out)
}
