//! The transport at the bottom of the stack: hyper-util's pooled client over rustls.
//!
//! HTTP/1.1 and HTTP/2 (negotiated by ALPN; feature `http2`), `https` with the webpki or the
//! native roots (features `webpki-roots`, `native-roots`) and plain `http` (for
//! loopback and emulators), directly or through a proxy (see `proxy`). The rustls crypto provider
//! the application installed is used when there is one; otherwise ring, without installing
//! anything process-wide.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::StatusCode;
use http::uri::{Authority, Scheme};
use http::{Request, Response};
use hyper_util::client::legacy::connect::{HttpConnector, capture_connection};
use hyper_util::client::legacy::{Client, ResponseFuture};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tower::Service;

use crate::base_url::Origin;
use crate::body::Body;
use crate::cut_connection::CutOnDrop;
use crate::error::{Error, Result};
use crate::proxy::connect::{Connector, proxy_failure};
use crate::proxy::{Proxies, ProxyConfig, ProxyFailure};
use crate::request_body::RequestBody;
use crate::response::ResponseBody;

/// Settings of the transport.
#[derive(Clone, Debug)]
pub(crate) struct TransportConfig {
    /// TLS settings of the application's own (private roots, say); the defaults when `None`.
    pub(crate) tls: Option<rustls::ClientConfig>,
    pub(crate) connect_timeout: Option<Duration>,
    pub(crate) pool_idle_timeout: Option<Duration>,
    pub(crate) pool_max_idle_per_host: usize,
    /// Where the proxy settings come from (the environment by default).
    pub(crate) proxy: ProxyConfig,
}

/// hyper-util's pooled client, answering with [`ResponseBody`] and the stack's errors.
#[derive(Clone, Debug)]
pub(crate) struct HyperTransport {
    /// Shared: the client's own clone touches half a dozen reference counts.
    client: Arc<Client<Connector, Body>>,
    /// The proxies, if any: requests to plain-`http` origins behind one need its credentials.
    proxies: Option<Arc<Proxies>>,
}

impl HyperTransport {
    /// Builds the client; no runtime is needed until the first request.
    pub(crate) fn new(config: &TransportConfig) -> Result<Self> {
        let tls = match &config.tls {
            Some(tls) => tls.clone(),
            None => default_tls()?,
        };

        let proxies = config.proxy.resolve()?;

        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(config.connect_timeout);
        let connector = Connector::new(tls, http, proxies.clone(), config.connect_timeout);

        let mut builder = Client::builder(TokioExecutor::new());
        builder
            .pool_max_idle_per_host(config.pool_max_idle_per_host)
            .pool_idle_timeout(config.pool_idle_timeout);
        if config.pool_idle_timeout.is_some() {
            builder.pool_timer(TokioTimer::new());
        }
        Ok(Self {
            client: Arc::new(builder.build(connector)),
            proxies,
        })
    }
}

/// The default TLS settings: the root certificates of the features turned on (`webpki-roots`,
/// `native-roots`, both, or none), and the crypto provider the application installed, else ring
/// (without installing it for the whole process).
fn default_tls() -> Result<rustls::ClientConfig> {
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    #[allow(unused_mut)] // with neither root feature: an empty store
    let mut roots = rustls::RootCertStore::empty();
    #[cfg(feature = "webpki-roots")]
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    #[cfg(feature = "native-roots")]
    {
        let found = rustls_native_certs::load_native_certs();
        roots.add_parsable_certificates(found.certs);
        // Certificates that could not be read are skipped; only finding none at all is an error.
        if roots.is_empty()
            && let Some(err) = found.errors.into_iter().next()
        {
            return Err(Error::Tls(Box::new(err)));
        }
    }
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| Error::Tls(Box::new(err)))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

impl Service<Request<Body>> for HyperTransport {
    type Response = Response<ResponseBody>;
    type Error = Error;
    type Future = TransportFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: Request<Body>) -> Self::Future {
        // Kept to name the origin in a connect error: clones of parts of the URI, not a parse.
        let origin = (
            request.uri().scheme().cloned(),
            request.uri().authority().cloned(),
        );
        let proxy = match &self.proxies {
            Some(proxies) => proxies.prepare(&mut request),
            None => None,
        };
        // A body that takes a while to send: should the call be given up meanwhile, its
        // connection is closed at once (see `cut_connection`).
        let cut = (!request.body().is_sent_at_once())
            .then(|| CutOnDrop::new(capture_connection(&mut request)));
        TransportFuture {
            cut,
            call: self.client.request(request),
            origin,
            proxy,
        }
    }
}

pin_project_lite::pin_project! {
    /// hyper-util's answer, with its errors sorted into "nothing was sent" and the rest.
    pub(crate) struct TransportFuture {
        // Before `call`: the switch is thrown before hyper learns the call was given up.
        cut: Option<CutOnDrop>,
        #[pin]
        call: ResponseFuture,
        origin: (Option<Scheme>, Option<Authority>),
        // The proxy a plain-`http` request went to in absolute form, if any.
        proxy: Option<Arc<str>>,
    }
}

impl Future for TransportFuture {
    type Output = Result<Response<ResponseBody>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let outcome = std::task::ready!(this.call.poll(cx));
        if let Some(cut) = this.cut.as_mut() {
            cut.answered();
        }
        Poll::Ready(match outcome {
            Ok(response) => match this.proxy.take() {
                // Only a proxy answers 407: its credentials are missing or wrong.
                Some(proxy) if response.status() == StatusCode::PROXY_AUTHENTICATION_REQUIRED => {
                    Err(Error::Proxy {
                        proxy: proxy.to_string(),
                        failure: ProxyFailure::AuthenticationRequired,
                        source: None,
                    })
                }
                _ => Ok(response.map(ResponseBody::from_incoming)),
            },
            Err(error) if error.is_connect() => Err(match proxy_failure(&error) {
                Some((proxy, failure)) => Error::Proxy {
                    proxy: proxy.to_owned(),
                    failure,
                    source: Some(Box::new(error)),
                },
                None => Error::Connect {
                    origin: describe_origin(this.origin),
                    source: Box::new(error),
                },
            }),
            Err(error) => Err(Error::Transport(Box::new(error))),
        })
    }
}

/// `scheme://host:port` of a request, for an error message.
fn describe_origin((scheme, authority): &(Option<Scheme>, Option<Authority>)) -> String {
    let uri = scheme
        .clone()
        .zip(authority.clone())
        .and_then(|(scheme, authority)| {
            http::Uri::builder()
                .scheme(scheme)
                .authority(authority)
                .path_and_query("/")
                .build()
                .ok()
        });
    uri.as_ref()
        .and_then(Origin::of)
        .map_or_else(|| "(no origin)".to_owned(), |origin| origin.to_string())
}
