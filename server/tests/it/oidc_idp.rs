//! The test OpenID provider (end2end/harness/oidc-provider.mjs, `oidc-provider` on Node) run per
//! test, and a minimal browser for its side of the flow: cookies and redirects by hand.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Idp {
    pub issuer: String,
    child: Child,
    /// Kept open: the provider may still write to its stdout.
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How long the provider may take to listen, and any one request to it.
const STARTUP: Duration = Duration::from_secs(20);
const REQUEST: Duration = Duration::from_secs(15);

/// One client: `(client_id, secret, redirect_uri, wrong_audience)`.
pub fn start(clients: &[(&str, &str, &str, bool)]) -> Idp {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../end2end/harness/oidc-provider.mjs"
    );
    let clients: Vec<_> = clients
        .iter()
        .map(|(id, secret, redirect, wrong)| {
            serde_json::json!({
                "client_id": id, "client_secret": secret,
                "redirect_uris": [redirect], "wrong_audience": wrong,
            })
        })
        .collect();
    let mut child = Command::new("node")
        .arg(script)
        .env("OIDC_CLIENTS", serde_json::Value::Array(clients).to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node runs end2end/harness/oidc-provider.mjs (is Node installed, `npm ci` done in end2end/?)");
    // The first line is read on a thread so that a provider which never starts fails the test
    // within a bound instead of blocking it (and the run) for good.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let (sent, received) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut line = String::new();
        let read = stdout.read_line(&mut line);
        let _ = sent.send(read.map(|_| line));
        stdout
    });
    let line = match received.recv_timeout(STARTUP) {
        Ok(line) => line.unwrap(),
        Err(_) => {
            let _ = child.kill();
            panic!("the test provider printed nothing within {STARTUP:?}");
        }
    };
    let stdout = reader.join().unwrap();
    let ready: serde_json::Value = serde_json::from_str(&line).unwrap_or_else(|_| {
        panic!("the test provider did not start (run `npm ci` in end2end/): {line:?}")
    });
    Idp {
        issuer: ready["issuer"].as_str().unwrap().to_string(),
        child,
        _stdout: stdout,
    }
}

/// A browser at the provider: keeps its cookies, follows its redirects, signs in as `login`.
#[derive(Default)]
pub struct IdpBrowser {
    cookies: HashMap<String, String>,
}

impl IdpBrowser {
    /// From the authorization URL to the redirect back to Berth (returned, not followed).
    pub async fn sign_in(&mut self, authorize_url: &str, login: &str) -> String {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST)
            .build()
            .unwrap();
        let origin = url::Url::parse(authorize_url)
            .unwrap()
            .origin()
            .ascii_serialization();
        let mut url = authorize_url.to_string();
        for _ in 0..10 {
            let is_form = url.contains("/interaction/");
            let request = if is_form {
                http.post(format!("{url}/login")).form(&[("login", login)])
            } else {
                http.get(&url)
            };
            let response = request
                .header("cookie", self.cookie_header())
                .send()
                .await
                .unwrap_or_else(|e| panic!("the test provider did not answer at {url}: {e}"));
            for value in response.headers().get_all("set-cookie") {
                let pair = value.to_str().unwrap().split(';').next().unwrap();
                if let Some((name, value)) = pair.split_once('=') {
                    self.cookies.insert(name.to_string(), value.to_string());
                }
            }
            let status = response.status();
            let location = response
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_string())
                .unwrap_or_else(|| panic!("{status} without Location at {url}"));
            let next = url::Url::parse(&origin)
                .unwrap()
                .join(&location)
                .unwrap()
                .to_string();
            if !next.starts_with(&origin) {
                return next;
            }
            url = next;
        }
        panic!("the provider never redirected back");
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}
