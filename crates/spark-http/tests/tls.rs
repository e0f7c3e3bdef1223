//! HTTPS end to end on loopback: a server with a certificate of its own, the client trusting it
//! through `tls_config`, HTTP/2 chosen by ALPN; and the default roots refusing that certificate.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use spark_http::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use spark_http::{HttpClient, RetryPolicy, rustls};
use tokio::net::TcpListener;

/// Starts an HTTPS server for `localhost` that answers the HTTP version it speaks; returns its
/// port and the certificate to trust.
async fn https_server() -> (u16, CertificateDer<'static>) {
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

    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let answer = service_fn(|request: Request<Incoming>| async move {
                    let version = format!("{:?}", request.version());
                    Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(version))))
                });
                let _ = auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), answer)
                    .await;
            });
        }
    });
    (port, certificate_der)
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

#[tokio::test]
async fn https_with_a_trusted_private_root_speaks_http2() {
    let (port, certificate) = https_server().await;
    let client = HttpClient::builder()
        .base_url(&format!("https://localhost:{port}/v1"))
        .unwrap()
        .access_token("T")
        .tls_config(trusting(certificate))
        .build()
        .unwrap();
    let response = client.get("/people/me").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.version(), http::Version::HTTP_2);
    let body = response.into_body().collect_limited(64).await.unwrap();
    assert_eq!(body, "HTTP/2.0");
}

#[tokio::test]
async fn the_default_roots_refuse_a_certificate_nobody_vouches_for() {
    let (port, _) = https_server().await;
    let client = HttpClient::builder()
        .base_url(&format!("https://localhost:{port}/v1"))
        .unwrap()
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let error = client.get("/people/me").await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
}
