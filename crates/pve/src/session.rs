//! Authentication on the wire: the token header, or a ticket obtained by password login,
//! renewed in its last 30 minutes and replaced once expired (PVE-API.md §2).

use crate::auth::{Credentials, Ticket, TicketAction, TicketPolicy, TicketResponse, ticket_action};
use crate::client::PveClient;
use crate::endpoints::ACCESS_TICKET;
use crate::error::{ApiErrorKind, Error};
use crate::form::Params;
use crate::response::decode;
use crate::secret::Secret;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::HeaderValue;
use std::time::Instant;
use tokio::sync::Mutex;

/// Headers that authenticate one request; marked sensitive so they are never logged.
#[derive(Debug, Clone)]
pub(crate) enum AuthHeaders {
    Token(HeaderValue),
    Ticket {
        cookie: HeaderValue,
        csrf: HeaderValue,
    },
}

#[derive(Debug)]
pub(crate) enum AuthState {
    None,
    Token(HeaderValue),
    Ticket {
        username: String,
        password: Secret,
        policy: TicketPolicy,
        /// Held across a login so that concurrent calls wait for one login, not start many.
        current: Mutex<Option<Ticket>>,
    },
}

fn sensitive(text: &str) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(text).map_err(|_| {
        Error::Config("credential contains characters not allowed in a header".into())
    })?;
    v.set_sensitive(true);
    Ok(v)
}

impl AuthState {
    pub(crate) fn new(
        credentials: Option<Credentials>,
        policy: TicketPolicy,
    ) -> Result<Self, Error> {
        Ok(match credentials {
            None => AuthState::None,
            Some(Credentials::Token { token_id, secret }) => AuthState::Token(sensitive(
                &format!("PVEAPIToken={token_id}={}", secret.expose()),
            )?),
            Some(Credentials::Password { username, password }) => AuthState::Ticket {
                username,
                password,
                policy,
                current: Mutex::new(None),
            },
        })
    }
}

impl PveClient {
    /// Logs in now (password credentials) so that bad credentials or a TFA requirement show
    /// up at start rather than on the first call. A no-op for tokens.
    pub async fn authenticate(&self) -> Result<(), Error> {
        self.auth_headers().await.map(|_| ())
    }

    pub(crate) async fn auth_headers(&self) -> Result<Option<AuthHeaders>, Error> {
        let (username, password, policy, current) = match &self.inner.auth {
            AuthState::None => return Ok(None),
            AuthState::Token(value) => return Ok(Some(AuthHeaders::Token(value.clone()))),
            AuthState::Ticket {
                username,
                password,
                policy,
                current,
            } => (username, password, *policy, current),
        };
        let mut guard = current.lock().await;
        match ticket_action(guard.as_ref(), policy, Instant::now()) {
            TicketAction::Use => {}
            TicketAction::Login => *guard = Some(self.login(username, password).await?),
            TicketAction::Renew => {
                let old = guard.as_ref().map(|t| t.ticket.clone());
                let renewed = match &old {
                    Some(ticket) => self.login(username, ticket).await,
                    None => self.login(username, password).await,
                };
                match renewed {
                    Ok(t) => *guard = Some(t),
                    // The server no longer takes the ticket: fall back to the password.
                    Err(Error::Api(e)) if e.kind() == ApiErrorKind::Unauthorized => {
                        *guard = Some(self.login(username, password).await?);
                    }
                    Err(Error::NeedTfa { username }) => return Err(Error::NeedTfa { username }),
                    // Still valid for a while: keep it and try again on the next call.
                    Err(e) => tracing::warn!(error = %e, "PVE ticket renewal failed"),
                }
            }
        }
        let Some(ticket) = guard.as_ref() else {
            return Err(Error::Config("no ticket after login".into()));
        };
        let cookie = format!(
            "PVEAuthCookie={}",
            utf8_percent_encode(ticket.ticket.expose(), NON_ALPHANUMERIC)
        );
        Ok(Some(AuthHeaders::Ticket {
            cookie: sensitive(&cookie)?,
            csrf: sensitive(ticket.csrf.expose())?,
        }))
    }

    pub(crate) async fn forget_ticket(&self) {
        if let AuthState::Ticket { current, .. } = &self.inner.auth {
            *current.lock().await = None;
        }
    }

    /// `POST /access/ticket` with a password, or with the current ticket to renew it.
    async fn login(&self, username: &str, password: &Secret) -> Result<Ticket, Error> {
        let params = Params::new()
            .str("username", username)
            .secret("password", password);
        let obtained = Instant::now();
        let raw = self.send(&ACCESS_TICKET, &[], &params, None).await?;
        let (data, _): (TicketResponse, _) = decode(ACCESS_TICKET.method, ACCESS_TICKET.path, raw)
            .map_err(|e| match e {
                // The body of a login reply holds a ticket: never keep it in an error.
                Error::Decode {
                    method,
                    path,
                    source,
                    ..
                } => Error::Decode {
                    method,
                    path,
                    body: "(login reply withheld)".into(),
                    source,
                },
                other => other,
            })?;
        if data.need_tfa {
            return Err(Error::NeedTfa {
                username: username.to_owned(),
            });
        }
        match (data.ticket, data.csrf) {
            (Some(ticket), Some(csrf)) => {
                tracing::debug!(username, "PVE ticket obtained");
                Ok(Ticket {
                    ticket: Secret::new(ticket),
                    csrf: Secret::new(csrf),
                    obtained,
                })
            }
            _ => Err(Error::Decode {
                method: ACCESS_TICKET.method,
                path: ACCESS_TICKET.path.to_owned(),
                body: "(ticket reply without ticket or CSRFPreventionToken)".into(),
                source: <serde_json::Error as serde::de::Error>::custom(
                    "missing ticket or CSRFPreventionToken",
                ),
            }),
        }
    }
}
