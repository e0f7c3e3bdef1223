//! Proxies on loopback: a small proxy written here (CONNECT tunnels and absolute-form
//! forwarding, counting what it is sent) in front of an HTTPS origin with a private root and a
//! plain-HTTP origin. Settings come from `.proxy(url)`, `.no_proxy()` and `proxy_from_lookup`,
//! never from the process environment.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use spark_http::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use spark_http::{Error, HttpClient, HttpClientBuilder, ProxyFailure, RetryPolicy, rustls};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// base64("alice:s3cret")
const ALICE: &str = "Basic YWxpY2U6czNjcmV0";

async fn loopback_listener() -> (TcpListener, u16) {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

// ---- origins ----------------------------------------------------------------------------------

/// Answers every request with what it saw: version, path, and the two authorization headers.
async fn describe(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .map_or("-", |value| value.to_str().unwrap())
            .to_owned()
    };
    let text = format!(
        "{:?} {} authorization={} proxy-authorization={}",
        request.version(),
        request.uri().path_and_query().unwrap(),
        header("authorization"),
        header("proxy-authorization"),
    );
    Ok(Response::new(Full::new(Bytes::from(text))))
}

/// An HTTPS origin for `localhost` with a certificate of its own; its port and the root to trust.
async fn https_origin() -> (u16, CertificateDer<'static>) {
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    let certificate = params.self_signed(&key).unwrap();
    let certificate_der = certificate.der().clone();
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certificate_der.clone()], key_der)
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

    let (listener, port) = loopback_listener().await;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let _ = auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), service_fn(describe))
                    .await;
            });
        }
    });
    (port, certificate_der)
}

/// A plain-HTTP origin on loopback; its port.
async fn http_origin() -> u16 {
    let (listener, port) = loopback_listener().await;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let _ = auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), service_fn(describe))
                    .await;
            });
        }
    });
    port
}

fn trusting(certificate: CertificateDer<'static>) -> rustls::ClientConfig {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(certificate).unwrap();
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth()
}

// ---- the proxy --------------------------------------------------------------------------------

/// What the proxy answers to `CONNECT`, by the tunnel's number (from 0).
type ConnectAnswer = Arc<dyn Fn(usize) -> Option<&'static str> + Send + Sync>;

/// What the proxy saw.
#[derive(Default)]
struct ProxyLog {
    connections: AtomicUsize,
    tunnels: AtomicUsize,
    /// Every request head, as sent in the clear.
    heads: Mutex<Vec<String>>,
}

impl ProxyLog {
    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    fn tunnels(&self) -> usize {
        self.tunnels.load(Ordering::SeqCst)
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

/// A proxy that opens every tunnel and forwards every plain request.
async fn proxy() -> (u16, Arc<ProxyLog>) {
    proxy_answering(Arc::new(|_| None)).await
}

/// A proxy answering `CONNECT` number n with `answer(n)` (a whole response head) instead of
/// opening the tunnel, when that is `Some`; plain requests are answered with `answer(usize::MAX)`
/// when that is `Some`, and forwarded otherwise.
async fn proxy_answering(answer: ConnectAnswer) -> (u16, Arc<ProxyLog>) {
    let log = Arc::new(ProxyLog::default());
    let (listener, port) = loopback_listener().await;
    let proxy_log = log.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            proxy_log.connections.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(serve(client, proxy_log.clone(), answer.clone()));
        }
    });
    (port, log)
}

async fn serve(mut client: TcpStream, log: Arc<ProxyLog>, answer: ConnectAnswer) {
    let Some((head, rest)) = read_head(&mut client).await else {
        return;
    };
    log.heads.lock().unwrap().push(head.clone());
    let request_line = head.lines().next().unwrap_or_default().to_owned();
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));

    if method == "CONNECT" {
        let n = log.tunnels.fetch_add(1, Ordering::SeqCst);
        if let Some(refusal) = answer(n) {
            let _ = client.write_all(refusal.as_bytes()).await;
            return;
        }
        let Ok(mut origin) = TcpStream::connect(target).await else {
            let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
            return;
        };
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await
            .unwrap();
        origin.write_all(&rest).await.unwrap();
        let _ = tokio::io::copy_bidirectional(&mut client, &mut origin).await;
        return;
    }

    // Absolute form: `GET http://host:port/path HTTP/1.1`.
    if let Some(refusal) = answer(usize::MAX) {
        let _ = client.write_all(refusal.as_bytes()).await;
        return;
    }
    let authority = target
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .expect("an absolute-form target");
    let mut origin = TcpStream::connect(authority).await.unwrap();
    // Forwarded as it came; the origin's server reads absolute form too.
    origin.write_all(head.as_bytes()).await.unwrap();
    origin.write_all(&rest).await.unwrap();
    let _ = tokio::io::copy_bidirectional(&mut client, &mut origin).await;
}

/// Reads up to the end of a request head; returns it and any bytes read past it.
async fn read_head(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0; 1024];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buffer.split_off(end + 4);
            return Some((String::from_utf8(buffer).unwrap(), rest));
        }
    }
}

/// The value of header `name` in a request head, if there.
fn header_in<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn vars(pairs: Vec<(&'static str, String)>) -> impl Fn(&str) -> Option<String> {
    move |name| {
        pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }
}

fn https_client(origin: u16, certificate: CertificateDer<'static>) -> HttpClientBuilder {
    HttpClient::builder()
        .base_url(&format!("https://localhost:{origin}/v1"))
        .unwrap()
        .access_token("T")
        .tls_config(trusting(certificate))
}

fn http_client(origin: u16) -> HttpClientBuilder {
    HttpClient::builder()
        .base_url(&format!("http://127.0.0.1:{origin}/v1"))
        .unwrap()
        .access_token("T")
}

async fn text(client: &HttpClient, path: &str) -> String {
    let response = client.get(path).await.unwrap();
    assert_eq!(response.status(), 200);
    let body = response.into_body().collect_limited(1024).await.unwrap();
    String::from_utf8(body.to_vec()).unwrap()
}

// ---- tests ------------------------------------------------------------------------------------

#[tokio::test]
async fn an_https_origin_is_reached_through_one_tunnel_with_the_token_inside_it() {
    let (origin, certificate) = https_origin().await;
    let (proxy_port, log) = proxy().await;
    let client = https_client(origin, certificate)
        .proxy(&format!("http://alice:s3cret@127.0.0.1:{proxy_port}"))
        .unwrap()
        .build()
        .unwrap();

    let first = text(&client, "/people/me").await;
    let second = text(&client, "/rooms").await;

    // TLS to the origin inside the tunnel, HTTP/2 by ALPN, the token there and only there.
    assert_eq!(
        first,
        "HTTP/2.0 /v1/people/me authorization=Bearer T proxy-authorization=-"
    );
    assert!(second.starts_with("HTTP/2.0 /v1/rooms authorization=Bearer T"));
    assert_eq!(log.tunnels(), 1, "one pooled tunnel for both calls");
    assert_eq!(log.connections(), 1);
    let heads = log.heads();
    assert_eq!(heads.len(), 1, "{heads:?}");
    let head = &heads[0];
    assert!(
        head.starts_with(&format!("CONNECT localhost:{origin} HTTP/1.1\r\n")),
        "{head}"
    );
    assert_eq!(header_in(head, "proxy-authorization"), Some(ALICE));
    assert_eq!(header_in(head, "authorization"), None, "{head}");
    assert!(!head.contains("Bearer"), "{head}");
}

#[tokio::test]
async fn a_plain_http_origin_is_sent_to_the_proxy_in_absolute_form() {
    let origin = http_origin().await;
    let (proxy_port, log) = proxy().await;
    let client = http_client(origin)
        .proxy_from_lookup(vars(vec![(
            "HTTP_PROXY",
            format!("http://alice:s3cret@127.0.0.1:{proxy_port}"),
        )]))
        .unwrap()
        .build()
        .unwrap();

    let answer = text(&client, "/people/me?max=1").await;

    assert_eq!(log.tunnels(), 0);
    let heads = log.heads();
    assert_eq!(heads.len(), 1, "{heads:?}");
    let head = &heads[0];
    assert!(
        head.starts_with(&format!(
            "GET http://127.0.0.1:{origin}/v1/people/me?max=1 HTTP/1.1\r\n"
        )),
        "{head}"
    );
    assert_eq!(header_in(head, "proxy-authorization"), Some(ALICE));
    // Plain HTTP: the proxy sees the token, as it sees everything.
    assert_eq!(header_in(head, "authorization"), Some("Bearer T"));
    assert!(
        answer.starts_with("HTTP/1.1 /v1/people/me?max=1 authorization=Bearer T"),
        "{answer}"
    );
}

#[tokio::test]
async fn the_https_proxy_variable_leaves_plain_http_origins_alone() {
    let origin = http_origin().await;
    let (proxy_port, log) = proxy().await;
    let client = http_client(origin)
        .proxy_from_lookup(vars(vec![(
            "https_proxy",
            format!("127.0.0.1:{proxy_port}"),
        )]))
        .unwrap()
        .build()
        .unwrap();

    let answer = text(&client, "/people/me").await;

    assert!(answer.starts_with("HTTP/1.1 /v1/people/me authorization=Bearer T"));
    assert_eq!(log.connections(), 0);
}

#[tokio::test]
async fn no_proxy_lets_listed_origins_bypass_the_proxy() {
    let (tls_origin, certificate) = https_origin().await;
    let plain_origin = http_origin().await;
    let (proxy_port, log) = proxy().await;
    let proxy_url = format!("http://127.0.0.1:{proxy_port}");
    for (no_proxy, https_origin_bypasses) in
        [("127.0.0.1", false), ("localhost, 127.0.0.0/8", true)]
    {
        let env = vars(vec![
            ("ALL_PROXY", proxy_url.clone()),
            ("no_proxy", no_proxy.to_owned()),
        ]);
        let before = log.connections();
        let plain = http_client(plain_origin)
            .proxy_from_lookup(&env)
            .unwrap()
            .build()
            .unwrap();
        assert!(
            text(&plain, "/people/me")
                .await
                .starts_with("HTTP/1.1 /v1/")
        );
        assert_eq!(log.connections(), before, "{no_proxy}");

        let tls = https_client(tls_origin, certificate.clone())
            .proxy_from_lookup(&env)
            .unwrap()
            .build()
            .unwrap();
        assert!(text(&tls, "/people/me").await.starts_with("HTTP/2.0 /v1/"));
        // `127.0.0.1` does not cover `localhost`: names are not resolved.
        let tunnels = log.connections() - before;
        assert_eq!(tunnels, usize::from(!https_origin_bypasses), "{no_proxy}");
    }
    assert_eq!(log.heads().len(), 1, "only the localhost origin, once");
}

#[tokio::test]
async fn no_proxy_wins_over_the_environment() {
    let origin = http_origin().await;
    let (proxy_port, log) = proxy().await;
    let client = http_client(origin)
        .proxy_from_lookup(vars(vec![
            ("HTTP_PROXY", format!("http://127.0.0.1:{proxy_port}")),
            ("HTTPS_PROXY", format!("http://127.0.0.1:{proxy_port}")),
        ]))
        .unwrap()
        .no_proxy()
        .build()
        .unwrap();

    assert!(
        text(&client, "/people/me")
            .await
            .starts_with("HTTP/1.1 /v1/")
    );
    assert_eq!(log.connections(), 0);
}

#[tokio::test]
async fn a_407_to_connect_is_a_proxy_error_that_hides_the_password_and_is_not_retried() {
    let (origin, certificate) = https_origin().await;
    let (proxy_port, log) = proxy_answering(Arc::new(|_| {
        Some(
            "HTTP/1.1 407 Proxy Authentication Required\r\n\
             Proxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\n\r\n",
        )
    }))
    .await;
    let client = https_client(origin, certificate)
        .proxy(&format!("http://alice:s3cret@127.0.0.1:{proxy_port}"))
        .unwrap()
        // Retries would be tried at once: a retried 407 would show as a second tunnel.
        .retry(RetryPolicy::default().backoff(Duration::ZERO, Duration::ZERO))
        .build()
        .unwrap();

    let error = client.post_json("/messages", &"hello").await.unwrap_err();

    let Error::Proxy { proxy, failure, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(failure, &ProxyFailure::AuthenticationRequired);
    assert_eq!(*proxy, format!("http://alice:***@127.0.0.1:{proxy_port}"));
    assert!(!error.is_connect());
    assert_eq!(
        error.status(),
        Some(http::StatusCode::PROXY_AUTHENTICATION_REQUIRED)
    );
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("407"), "{shown}");
    assert_eq!(log.tunnels(), 1);
}

#[tokio::test]
async fn a_407_to_a_plain_http_request_is_the_same_proxy_error() {
    let origin = http_origin().await;
    let (proxy_port, _log) = proxy_answering(Arc::new(|_| {
        Some("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
    }))
    .await;
    let client = http_client(origin)
        .proxy(&format!("http://127.0.0.1:{proxy_port}"))
        .unwrap()
        .retry(RetryPolicy::never())
        .build()
        .unwrap();

    let error = client.get("/people/me").await.unwrap_err();

    assert!(
        matches!(
            &error,
            Error::Proxy { proxy, failure: ProxyFailure::AuthenticationRequired, source: None }
                if *proxy == format!("http://127.0.0.1:{proxy_port}")
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_refused_tunnel_is_retried_even_for_a_post() {
    let (origin, certificate) = https_origin().await;
    let (proxy_port, log) = proxy_answering(Arc::new(|n| {
        (n == 0).then_some("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
    }))
    .await;
    let client = https_client(origin, certificate)
        .proxy(&format!("http://127.0.0.1:{proxy_port}"))
        .unwrap()
        .retry(RetryPolicy::default().backoff(Duration::ZERO, Duration::ZERO))
        .build()
        .unwrap();

    let response = client.post_json("/messages", &"hello").await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(log.tunnels(), 2);
}

#[tokio::test]
async fn a_tunnel_refusal_names_the_proxy_and_counts_as_a_connect_error() {
    let (origin, certificate) = https_origin().await;
    let (proxy_port, _log) = proxy_answering(Arc::new(|_| {
        Some("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
    }))
    .await;
    let client = https_client(origin, certificate)
        .proxy(&format!("http://127.0.0.1:{proxy_port}"))
        .unwrap()
        .retry(RetryPolicy::never())
        .build()
        .unwrap();

    let error = client.get("/people/me").await.unwrap_err();

    assert!(
        matches!(
            &error,
            Error::Proxy {
                failure: ProxyFailure::TunnelRefused,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_connect());
    assert!(
        error
            .to_string()
            .starts_with(&format!("proxy http://127.0.0.1:{proxy_port} refused")),
        "{error}"
    );
}

#[tokio::test]
async fn an_unreachable_proxy_is_a_connect_error_naming_it() {
    let (origin, certificate) = https_origin().await;
    let plain_origin = http_origin().await;
    // A port nobody listens on any more.
    let (listener, dead_port) = loopback_listener().await;
    drop(listener);
    let dead_proxy = format!("http://bob:hunter2@127.0.0.1:{dead_port}");

    let tls = https_client(origin, certificate)
        .proxy(&dead_proxy)
        .unwrap()
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let plain = http_client(plain_origin)
        .proxy(&dead_proxy)
        .unwrap()
        .retry(RetryPolicy::never())
        .build()
        .unwrap();

    for error in [
        tls.get("/people/me").await.unwrap_err(),
        plain.get("/people/me").await.unwrap_err(),
    ] {
        let Error::Proxy { proxy, failure, .. } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(failure, &ProxyFailure::Unreachable);
        assert_eq!(*proxy, format!("http://bob:***@127.0.0.1:{dead_port}"));
        assert!(error.is_connect());
        assert!(!error.is_timeout());
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_proxy_that_never_answers_connect_times_out_as_unreachable() {
    let (listener, port) = loopback_listener().await;
    tokio::spawn(async move {
        let (mut client, _) = listener.accept().await.unwrap();
        let _head = read_head(&mut client).await;
        // Keeps the connection open, silent, for ever.
        std::future::pending::<()>().await;
    });
    let client = HttpClient::builder()
        .base_url("https://localhost:1/v1")
        .unwrap()
        .proxy(&format!("http://127.0.0.1:{port}"))
        .unwrap()
        .connect_timeout(Some(Duration::from_secs(10)))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();

    // The paused clock jumps to the connect timeout once everything waits.
    let error = client.get("/people/me").await.unwrap_err();

    assert!(
        matches!(
            &error,
            Error::Proxy {
                failure: ProxyFailure::Unreachable,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_timeout(), "{error:?}");
    assert!(error.is_connect());
}

#[test]
fn debug_output_never_shows_a_proxy_password() {
    let builder = HttpClient::builder()
        .proxy("http://alice:s3cret@proxy.corp.example:3128")
        .unwrap();
    let shown = format!("{builder:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(
        shown.contains("alice:***@proxy.corp.example:3128"),
        "{shown}"
    );
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("s3cret"), "{shown}");

    let builder = HttpClient::builder()
        .proxy_from_lookup(|name| {
            (name == "HTTPS_PROXY").then(|| "http://alice:s3cret@proxy:3128".to_owned())
        })
        .unwrap();
    let shown = format!("{builder:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
}

#[test]
fn an_unusable_proxy_variable_fails_the_build_naming_the_variable() {
    let error = HttpClient::builder()
        .proxy_from_lookup(|name| {
            (name == "https_proxy").then(|| "socks5://alice:s3cret@proxy:1080".to_owned())
        })
        .unwrap_err();
    assert!(matches!(error, Error::InvalidProxy { .. }), "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains("https_proxy=socks5://***@proxy:1080"),
        "{shown}"
    );
    assert!(!shown.contains("s3cret"), "{shown}");
}
