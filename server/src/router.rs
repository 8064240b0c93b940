//! The whole HTTP surface in one `Router`, built apart from serving so tests can call it directly.

use crate::api;
use crate::auth::{self, AuthServices, authenticate};
use crate::security::{AllowedOrigins, reject_cross_site, security_headers};
use app::state::AppState;
use app::{App, SiteAssets, shell};
use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::middleware;
use axum::routing::get;
use leptos_axum::{LeptosRoutes, file_and_error_handler, generate_route_list};
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(
    state: AppState,
    assets: SiteAssets,
    origins: AllowedOrigins,
    auth: AuthServices,
) -> Router {
    router_with_sso(state, assets, origins, auth, None)
}

/// [`router`] with OpenID Connect single sign-on (`None`: no providers).
pub fn router_with_sso(
    state: AppState,
    assets: SiteAssets,
    origins: AllowedOrigins,
    auth: AuthServices,
    sso: Option<crate::oidc::Oidc>,
) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    // Every build's bundle sits in its own `pkg/<hash>` folder below this one.
    let pkg_dir = std::path::Path::new(options.site_root.as_ref()).join("pkg");

    // Bundles are content-hashed by `cargo xtask`: a name never changes meaning, cache forever.
    let pkg = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .service(ServeDir::new(pkg_dir));

    let page_cache = crate::page_cache::PageCache::new(&state);
    let api_state = state.clone();
    let backup_state = state.clone();
    let shell_assets = assets.clone();
    let fallback_assets = assets;
    Router::new()
        .route("/api/health", get(api::health))
        .route("/api/ready", get(api::ready))
        .route("/ws", get(crate::ws::follow_run))
        .nest_service("/pkg", pkg)
        .leptos_routes(&state, routes, move || {
            shell(options.clone(), shell_assets.clone())
        })
        .fallback(file_and_error_handler::<AppState, _>(move |options| {
            shell(options, fallback_assets.clone())
        }))
        .with_state(state)
        .merge(auth::routes(auth.clone()))
        .merge(
            sso.as_ref()
                .map(|o| crate::oidc::routes(o.clone()))
                .unwrap_or_default(),
        )
        .layer(axum::Extension(
            sso.map_or_else(Default::default, |o| o.login_providers()),
        ))
        .merge(crate::api_v1::routes(auth.clone(), api_state))
        .merge(crate::audit_export::routes(auth.clone()))
        .merge(crate::backup_download::routes(backup_state))
        .merge(crate::template_export::routes(auth.clone()))
        .layer(axum::Extension(app::account::SessionServices {
            sessions: auth.sessions.clone(),
            cookie: auth.cookie,
        }))
        .layer(middleware::from_fn(
            crate::server_fn_status::refused_arguments_are_400,
        ))
        // Inside authentication: a kept page is only ever served to the session it was made for.
        .layer(middleware::from_fn_with_state(
            page_cache,
            crate::page_cache::serve,
        ))
        .layer(middleware::from_fn_with_state(auth, authenticate))
        .layer(middleware::from_fn_with_state(origins, reject_cross_site))
        .layer(middleware::from_fn(security_headers))
        // Outside the checks, so refusals (401, 403) are counted too; routes still name their
        // pattern, which the router sets before any route layer runs.
        .layer(middleware::from_fn(crate::metrics::track))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        // One access-log line per request; a 5xx (e.g. a degraded /api/ready)
                        // is a warning, not an error of the server itself.
                        .on_response(DefaultOnResponse::new().level(Level::INFO))
                        .on_failure(DefaultOnFailure::new().level(Level::WARN))
                        .make_span_with(|request: &Request<_>| {
                            let request_id = request
                                .headers()
                                .get(&REQUEST_ID)
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default();
                            tracing::info_span!(
                                "http",
                                method = %request.method(),
                                path = %request.uri().path(),
                                request_id,
                            )
                        }),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID)),
        )
}
