//! Loopback networking: free ports, reachability probes and a raw HTTP/1.1 readiness check.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::{Context, Result};

/// A port that was free a moment ago (the kernel picks it; the listener is dropped at once).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot bind a loopback port")?;
    Ok(listener.local_addr()?.port())
}

/// `preferred` if it can be bound on 127.0.0.1, else any free port.
pub fn port_preferring(preferred: u16) -> Result<u16> {
    match TcpListener::bind(("127.0.0.1", preferred)) {
        Ok(_) => Ok(preferred),
        Err(_) => free_port(),
    }
}

/// Whether a TCP connection to `address` (`host:port`) succeeds within `timeout`.
pub fn reachable(address: &str, timeout: Duration) -> bool {
    let Ok(addrs) = address.to_socket_addrs() else {
        return false;
    };
    addrs
        .into_iter()
        .any(|addr| TcpStream::connect_timeout(&addr, timeout).is_ok())
}

/// Whether `GET path` on 127.0.0.1:port gets any HTTP response (any status counts as alive).
pub fn http_answers(port: u16, path: &str) -> bool {
    let timeout = Duration::from_secs(2);
    let Ok(mut stream) = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), timeout) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    let mut read = 0;
    while read < head.len() {
        match stream.read(&mut head[read..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => read += n,
        }
    }
    is_http_status_line(&head[..read])
}

fn is_http_status_line(head: &[u8]) -> bool {
    head.len() >= 12 && head.starts_with(b"HTTP/1.") && head[9..12].iter().all(u8::is_ascii_digit)
}

/// Sends `PING` in Redis' inline protocol and expects `+PONG`.
pub fn redis_pings(address: &str) -> bool {
    let timeout = Duration::from_secs(2);
    let Some(addr) = address.to_socket_addrs().ok().and_then(|mut a| a.next()) else {
        return false;
    };
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, timeout) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(timeout));
    let mut reply = [0u8; 5];
    stream.write_all(b"PING\r\n").is_ok()
        && stream.read_exact(&mut reply).is_ok()
        && &reply == b"+PONG"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        assert!(is_http_status_line(b"HTTP/1.1 503 Service Unavailable"));
        assert!(is_http_status_line(b"HTTP/1.0 200"));
        assert!(!is_http_status_line(b"SSH-2.0-Open"));
        assert!(!is_http_status_line(b"HTTP/1.1"));
    }

    #[test]
    fn answers_from_a_tiny_server() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().unwrap();
            let mut buf = [0u8; 256];
            let _ = conn.read(&mut buf).unwrap();
            conn.write_all(b"HTTP/1.1 503 Service Unavailable\r\n\r\n")
                .unwrap();
        });
        assert!(http_answers(port, "/api/ready"));
        server.join().unwrap();
        let closed = format!("127.0.0.1:{}", free_port().unwrap());
        assert!(!reachable(&closed, Duration::from_millis(200)));
    }
}
