//! The transport's connector: straight to the origin, or through its proxy.
//!
//! - `https` origins: a `CONNECT` tunnel through the proxy (hyper-util's `Tunnel`, with the
//!   proxy's credentials as `Proxy-Authorization`), then TLS to the origin inside it with the
//!   client's TLS settings. The proxy sees the origin's host and port, nothing of the requests.
//! - `http` origins: a plain connection to the proxy, marked so that hyper sends requests in
//!   absolute form (`GET http://host/path`); the proxy sees the whole request.
//!
//! Opening a tunnel (connecting to the proxy and its answer to `CONNECT`) is bounded by the
//! connect timeout. A failure is told apart from the origin's own failures ([`ProxyError`]), so
//! the transport can report it as [`Error::Proxy`](crate::Error::Proxy).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use http::uri::Scheme;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower::Service;

use super::{Proxies, Proxy, ProxyFailure};
use crate::cut_connection::ConnectionCut;
use crate::error::BoxError;

/// A connection as the connector makes it.
type Io = TokioIo<TcpStream>;

/// hyper-util's tunnel error: public, but not exported under a name of its own.
type TunnelError = <Tunnel<HttpConnector> as Service<Uri>>::Error;

type Connecting<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

/// Connects to origins directly or through their proxy.
#[derive(Clone)]
pub(crate) struct Connector {
    direct: HttpsConnector<HttpConnector>,
    /// `None` when no proxy is configured: then every connection is direct, at no cost.
    proxied: Option<Arc<Proxied>>,
}

/// The connectors for origins behind a proxy.
struct Proxied {
    proxies: Arc<Proxies>,
    /// Plain connections to the proxy of `http` origins.
    plain: HttpConnector,
    /// Tunnels through the proxy of `https` origins, with TLS inside.
    tunnel: Option<HttpsConnector<OpenTunnel>>,
}

impl Connector {
    /// A connector with `tls` for `https` origins, making TCP connections with `tcp`, through
    /// `proxies` when there are any; opening a tunnel may take up to `connect_timeout`.
    pub(crate) fn new(
        tls: rustls::ClientConfig,
        tcp: HttpConnector,
        proxies: Option<Arc<Proxies>>,
        connect_timeout: Option<Duration>,
    ) -> Self {
        let proxied = proxies.map(|proxies| {
            let tunnel = proxies.https.as_ref().map(|proxy| {
                with_tls(
                    tls.clone(),
                    OpenTunnel::new(proxy, tcp.clone(), connect_timeout),
                )
            });
            Arc::new(Proxied {
                proxies,
                plain: tcp.clone(),
                tunnel,
            })
        });
        Self {
            direct: with_tls(tls, tcp),
            proxied,
        }
    }
}

/// `inner` with TLS on top for `https` origins, HTTP/2 (feature `http2`) and HTTP/1.1 offered by
/// ALPN.
fn with_tls<C>(tls: rustls::ClientConfig, inner: C) -> HttpsConnector<C> {
    let builder = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1();
    #[cfg(feature = "http2")]
    let builder = builder.enable_http2();
    builder.wrap_connector(inner)
}

impl Service<Uri> for Connector {
    type Response = Stream;
    type Error = BoxError;
    type Future = Connecting<Stream, BoxError>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // Every inner connector is always ready.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, origin: Uri) -> Self::Future {
        if let Some(proxied) = &self.proxied
            && let Some(proxy) = proxied.proxies.for_origin(&origin)
        {
            if origin.scheme() == Some(&Scheme::HTTPS)
                && let Some(tunnel) = &proxied.tunnel
            {
                let opening = tunnel.clone().call(origin);
                return Box::pin(async move { Ok(Stream::new(opening.await?, false)) });
            }
            let name = proxy.name.clone();
            let connecting = proxied.plain.clone().call(proxy.uri.clone());
            return Box::pin(async move {
                let io = connecting.await.map_err(|error| ProxyError {
                    proxy: name,
                    failure: ProxyFailure::Unreachable,
                    source: Box::new(error),
                })?;
                Ok(Stream::new(MaybeHttpsStream::Http(io), true))
            });
        }
        let connecting = self.direct.call(origin);
        Box::pin(async move { Ok(Stream::new(connecting.await?, false)) })
    }
}

/// Opens a `CONNECT` tunnel through one proxy, within the connect timeout, and sorts its failures.
#[derive(Clone)]
struct OpenTunnel {
    tunnel: Tunnel<HttpConnector>,
    proxy: Arc<str>,
    timeout: Option<Duration>,
}

impl OpenTunnel {
    fn new(proxy: &Proxy, tcp: HttpConnector, timeout: Option<Duration>) -> Self {
        let mut tunnel = Tunnel::new(proxy.uri.clone(), tcp);
        if let Some(auth) = &proxy.auth {
            tunnel = tunnel.with_auth(auth.clone());
        }
        Self {
            tunnel,
            proxy: proxy.name.clone(),
            timeout,
        }
    }
}

impl Service<Uri> for OpenTunnel {
    type Response = Io;
    type Error = ProxyError;
    type Future = Connecting<Io, ProxyError>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), ProxyError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, origin: Uri) -> Self::Future {
        let opening = self.tunnel.call(origin);
        let proxy = self.proxy.clone();
        let timeout = self.timeout;
        Box::pin(async move {
            let opened = match timeout {
                Some(limit) => {
                    tokio::time::timeout(limit, opening)
                        .await
                        .map_err(|_| ProxyError {
                            proxy: proxy.clone(),
                            failure: ProxyFailure::Unreachable,
                            source: Box::new(io::Error::new(
                                io::ErrorKind::TimedOut,
                                "the proxy did not open the tunnel within the connect timeout",
                            )),
                        })?
                }
                None => opening.await,
            };
            opened.map_err(|error| ProxyError {
                proxy,
                failure: failure_of(&error),
                source: Box::new(error),
            })
        })
    }
}

fn failure_of(error: &TunnelError) -> ProxyFailure {
    match error {
        TunnelError::ConnectFailed(_) => ProxyFailure::Unreachable,
        TunnelError::ProxyAuthRequired => ProxyFailure::AuthenticationRequired,
        TunnelError::TunnelUnsuccessful => ProxyFailure::TunnelRefused,
        _ => ProxyFailure::Handshake,
    }
}

/// A connection failed because of the proxy; nothing reached the origin.
#[derive(Debug, thiserror::Error)]
#[error("connecting through a proxy failed")]
pub(crate) struct ProxyError {
    /// The proxy's name, without its password.
    proxy: Arc<str>,
    failure: ProxyFailure,
    #[source]
    source: BoxError,
}

/// The proxy and what went wrong with it, when a proxy is why `error` happened.
pub(crate) fn proxy_failure<'a>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<(&'a str, ProxyFailure)> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(proxy) = error.downcast_ref::<ProxyError>() {
            return Some((&proxy.proxy, proxy.failure));
        }
        current = error.source();
    }
    None
}

/// A connection, to the origin or to a proxy, with what hyper must know of it.
pub(crate) struct Stream {
    inner: MaybeHttpsStream<Io>,
    /// A plain connection to a proxy: requests go in absolute form.
    absolute_form: bool,
    /// Thrown when a request is given up while its body is being sent (HTTP/1 only).
    cut: ConnectionCut,
}

impl Stream {
    fn new(inner: MaybeHttpsStream<Io>, absolute_form: bool) -> Self {
        Self {
            inner,
            absolute_form,
            cut: ConnectionCut::default(),
        }
    }
}

impl Connection for Stream {
    fn connected(&self) -> Connected {
        self.inner
            .connected()
            .proxy(self.absolute_form)
            .extra(self.cut.clone())
    }
}

impl Read for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.cut
            .0
            .io(cx, |cx| Pin::new(&mut this.inner).poll_read(cx, buf))
    }
}

impl Write for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.cut
            .0
            .io(cx, |cx| Pin::new(&mut this.inner).poll_write(cx, buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.cut
            .0
            .io(cx, |cx| Pin::new(&mut this.inner).poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.cut
            .0
            .io(cx, |cx| Pin::new(&mut this.inner).poll_shutdown(cx))
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.cut.0.io(cx, |cx| {
            Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
        })
    }
}
