//! A TCP cable between Berth and the Proxmox simulator that a test can cut and mend. While cut,
//! nothing listens on its port (connecting is refused) and every open connection is dropped:
//! what a Proxmox host that went down looks like from Berth. Bytes pass through untouched, so
//! TLS still ends at the simulator.

use berth_jobs::CancellationToken;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};

pub struct Cable {
    pub addr: SocketAddr,
    target: SocketAddr,
    /// Cancelled by `cut`: the accept loop and every connection of that span end with it.
    span: Arc<Mutex<CancellationToken>>,
}

impl Cable {
    pub async fn to(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let cable = Self {
            addr: listener.local_addr().unwrap(),
            target,
            span: Arc::new(Mutex::new(CancellationToken::new())),
        };
        cable.carry(listener);
        cable
    }

    /// `https://127.0.0.1:<port>`, for `BERTH_PVE_URL`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    pub fn cut(&self) {
        self.span.lock().unwrap().cancel();
    }

    /// Listens on the same port again.
    pub async fn mend(&self) {
        *self.span.lock().unwrap() = CancellationToken::new();
        let listener = TcpListener::bind(self.addr).await.unwrap();
        self.carry(listener);
    }

    fn carry(&self, listener: TcpListener) {
        let span = self.span.lock().unwrap().clone();
        let target = self.target;
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    () = span.cancelled() => return,
                    accepted = listener.accept() => accepted,
                };
                let Ok((mut client, _)) = accepted else {
                    continue;
                };
                let span = span.clone();
                tokio::spawn(async move {
                    let Ok(mut server) = TcpStream::connect(target).await else {
                        return;
                    };
                    tokio::select! {
                        () = span.cancelled() => {}
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                    }
                });
            }
        });
    }
}
