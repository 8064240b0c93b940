//! The PVE API methods the simulator serves: the route table, and what a handler gets.

mod access;
mod cluster;
mod lxc_config;
mod lxc_create;
mod lxc_create_task;
mod lxc_destroy;
mod lxc_info;
mod lxc_mounts;
mod lxc_options;
pub mod lxc_schema;
mod lxc_snapshot;
mod lxc_status;
mod nodes;
mod served;
mod storage;
mod tasks;

pub use served::{ServedMethod, ServedParam, served};

use std::sync::{Arc, LazyLock};

use futures::future::BoxFuture;
use http::Method;

pub use crate::http::reply::{ApiError, Reply};
use crate::schema::{Named, Params, Prop};
use crate::sim::Sim;
use crate::state::perms::{self, AuthId};

/// What a handler receives: the simulator, the caller and the validated parameters.
#[derive(Debug)]
pub struct Call {
    pub sim: Arc<Sim>,
    /// `None` only for the few unauthenticated calls (`/access/ticket`).
    pub who: Option<AuthId>,
    pub params: Params,
}

impl Call {
    pub fn p(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }

    pub fn flag(&self, key: &str) -> bool {
        self.p(key) == Some("1")
    }

    pub fn node(&self) -> String {
        self.p("node").unwrap_or_default().to_string()
    }

    pub fn vmid(&self) -> u32 {
        self.p("vmid").and_then(|v| v.parse().ok()).unwrap_or(0)
    }

    pub fn who(&self) -> Result<&AuthId, ApiError> {
        self.who.as_ref().ok_or(ApiError::Unauthorized("No ticket"))
    }

    /// Raises `Permission check failed (<path>, <priv>)` unless every privilege is held.
    pub fn check(&self, path: &str, privs: &[&str]) -> Result<(), ApiError> {
        let who = self.who()?;
        self.sim.read(
            |s| match privs.iter().find(|p| !perms::has(s, who, path, p)) {
                Some(missing) => Err(ApiError::perm(format!("{path}, {missing}"))),
                None => Ok(()),
            },
        )
    }

    /// Raises `Permission check failed (<path>, A|B)` unless one of the privileges is held.
    pub fn check_any(&self, path: &str, privs: &[&str]) -> Result<(), ApiError> {
        let who = self.who()?;
        self.sim.read(|s| {
            if privs.iter().any(|p| perms::has(s, who, path, p)) {
                Ok(())
            } else {
                Err(ApiError::perm(format!("{path}, {}", privs.join("|"))))
            }
        })
    }

    pub fn can(&self, path: &str, privilege: &str) -> bool {
        self.who
            .as_ref()
            .is_some_and(|who| self.sim.read(|s| perms::has(s, who, path, privilege)))
    }
}

pub type Handler = fn(Call) -> BoxFuture<'static, Result<Reply, ApiError>>;

/// One API method.
#[derive(Debug)]
pub struct Route {
    pub method: Method,
    /// The path template as the API dump writes it (`/nodes/{node}/lxc/{vmid}`).
    pub path: &'static str,
    /// Every parameter the method accepts, path placeholders included.
    pub params: Vec<Prop>,
    pub handler: Handler,
}

/// Wraps an `async fn(Call)` as a route handler.
macro_rules! h {
    ($f:path) => {
        |c| Box::pin($f(c))
    };
}
pub(crate) use h;

fn node() -> Prop {
    Prop::str("node").required().fmt(Named::NodeName)
}

pub(crate) fn vmid() -> Prop {
    Prop::int("vmid")
        .required()
        .fmt(Named::VmId)
        .range(Some(100.0), Some(999_999_999.0))
}

fn route(method: Method, path: &'static str, params: Vec<Prop>, handler: Handler) -> Route {
    Route {
        method,
        path,
        params,
        handler,
    }
}

pub(crate) static ROUTES: LazyLock<Vec<Route>> = LazyLock::new(|| {
    let mut r = vec![
        route(Method::GET, "/version", vec![], h!(access::version)),
        route(
            Method::POST,
            "/access/ticket",
            access::ticket_params(),
            h!(access::create_ticket),
        ),
        route(Method::GET, "/nodes", vec![], h!(nodes::list)),
        route(
            Method::GET,
            "/nodes/{node}/status",
            vec![node()],
            h!(nodes::status),
        ),
        route(
            Method::GET,
            "/cluster/resources",
            cluster::resources_params(),
            h!(cluster::resources),
        ),
        route(
            Method::GET,
            "/cluster/nextid",
            cluster::nextid_params(),
            h!(cluster::nextid),
        ),
    ];
    r.extend(storage::routes(node()));
    r.extend(tasks::routes(node()));
    r.extend(lxc_routes());
    r
});

fn lxc_routes() -> Vec<Route> {
    let ct = || vec![node(), vmid()];
    let with = |extra: Vec<Prop>| {
        let mut v = ct();
        v.extend(extra);
        v
    };
    let snapname = || {
        Prop::str("snapname")
            .required()
            .fmt(Named::ConfigId)
            .max_len(40)
    };
    vec![
        route(
            Method::GET,
            "/nodes/{node}/lxc",
            vec![node()],
            h!(lxc_info::list),
        ),
        route(
            Method::POST,
            "/nodes/{node}/lxc",
            lxc_schema::create_params(node(), vmid()),
            h!(lxc_create::create),
        ),
        route(
            Method::DELETE,
            "/nodes/{node}/lxc/{vmid}",
            with(lxc_destroy::params()),
            h!(lxc_destroy::destroy),
        ),
        route(
            Method::GET,
            "/nodes/{node}/lxc/{vmid}/config",
            with(lxc_config::get_params()),
            h!(lxc_config::get),
        ),
        route(
            Method::PUT,
            "/nodes/{node}/lxc/{vmid}/config",
            lxc_schema::update_params(node(), vmid()),
            h!(lxc_config::update),
        ),
        route(
            Method::GET,
            "/nodes/{node}/lxc/{vmid}/pending",
            ct(),
            h!(lxc_config::pending),
        ),
        route(
            Method::GET,
            "/nodes/{node}/lxc/{vmid}/status/current",
            ct(),
            h!(lxc_info::current),
        ),
        route(
            Method::POST,
            "/nodes/{node}/lxc/{vmid}/status/start",
            with(vec![Prop::bool("skiplock"), Prop::bool("debug")]),
            h!(lxc_status::start),
        ),
        route(
            Method::POST,
            "/nodes/{node}/lxc/{vmid}/status/stop",
            with(vec![
                Prop::bool("skiplock"),
                Prop::bool("overrule-shutdown"),
            ]),
            h!(lxc_status::stop),
        ),
        route(
            Method::POST,
            "/nodes/{node}/lxc/{vmid}/status/shutdown",
            with(vec![
                Prop::int("timeout").range(Some(0.0), None),
                Prop::bool("forceStop"),
            ]),
            h!(lxc_status::shutdown),
        ),
        route(
            Method::POST,
            "/nodes/{node}/lxc/{vmid}/status/reboot",
            with(vec![Prop::int("timeout").range(Some(0.0), None)]),
            h!(lxc_status::reboot),
        ),
        route(
            Method::GET,
            "/nodes/{node}/lxc/{vmid}/interfaces",
            ct(),
            h!(lxc_info::interfaces),
        ),
        route(
            Method::GET,
            "/nodes/{node}/lxc/{vmid}/rrddata",
            with(lxc_info::rrd_params()),
            h!(lxc_info::rrddata),
        ),
        route(
            Method::GET,
            "/nodes/{node}/lxc/{vmid}/snapshot",
            ct(),
            h!(lxc_snapshot::list),
        ),
        route(
            Method::POST,
            "/nodes/{node}/lxc/{vmid}/snapshot",
            with(vec![snapname(), Prop::str("description")]),
            h!(lxc_snapshot::create),
        ),
        route(
            Method::DELETE,
            "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}",
            with(vec![snapname(), Prop::bool("force")]),
            h!(lxc_snapshot::delete),
        ),
        route(
            Method::POST,
            "/nodes/{node}/lxc/{vmid}/snapshot/{snapname}/rollback",
            with(vec![snapname(), Prop::bool("start")]),
            h!(lxc_snapshot::rollback),
        ),
    ]
}

/// Finds the route for a method and a path below `/api2/json`, with the placeholder values.
pub fn find(method: &Method, path: &str) -> Option<(&'static Route, Params)> {
    let segs: Vec<&str> = path.split('/').collect();
    ROUTES.iter().filter(|r| r.method == *method).find_map(|r| {
        let tmpl: Vec<&str> = r.path.split('/').collect();
        if tmpl.len() != segs.len() {
            return None;
        }
        let mut vars = Params::new();
        for (t, s) in tmpl.iter().zip(&segs) {
            if let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                if s.is_empty() {
                    return None;
                }
                let decoded = url::form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default();
                vars.insert(name.to_string(), decoded);
            } else if t != s {
                return None;
            }
        }
        Some((r, vars))
    })
}
