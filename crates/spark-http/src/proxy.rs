//! Proxy settings, as corporate networks need them: where they come from, which proxy a request
//! goes through, and what a proxy failure is called.
//!
//! By default the settings are read from the process environment when the client is built, as
//! curl reads them: `https_proxy`, `http_proxy`, `all_proxy` and `no_proxy`, each in lower case
//! first, then in upper case; an empty value counts as unset. hyper-util's `Matcher` reads the
//! values (proxy URLs, `no_proxy` lists); this module picks the variables, checks that the proxies
//! are ones the transport can speak to, and keeps their passwords out of every message.
//! The connector that goes through the proxies lives in `connect`.

use std::fmt;
use std::sync::Arc;

use http::header::{HeaderValue, PROXY_AUTHORIZATION};
use http::uri::Scheme;
use http::{Request, StatusCode, Uri};
use hyper_util::client::proxy::matcher::Matcher;

use crate::body::Body;
use crate::error::{Error, Result};

pub(crate) mod connect;

/// The proxy variables, each as (lower case, upper case) name, in curl's order of preference.
const HTTPS_PROXY: [&str; 2] = ["https_proxy", "HTTPS_PROXY"];
const HTTP_PROXY: [&str; 2] = ["http_proxy", "HTTP_PROXY"];
const ALL_PROXY: [&str; 2] = ["all_proxy", "ALL_PROXY"];
const NO_PROXY: [&str; 2] = ["no_proxy", "NO_PROXY"];

/// Set when a program runs as a CGI script: then `HTTP_PROXY` may come from a request's
/// `Proxy:` header ("httpoxy"), so the environment's proxies are ignored, as hyper-util does.
const CGI_MARKER: &str = "REQUEST_METHOD";

/// Why a proxy stood between the client and the origin.
///
/// Found in [`Error::Proxy`]. Nothing reached the origin in any of these cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProxyFailure {
    /// No connection to the proxy could be made (refused, unresolvable), or the proxy did not
    /// open the tunnel within the connect timeout ([`Error::is_timeout`] tells).
    #[error("could not be reached")]
    Unreachable,
    /// The proxy answered `407 Proxy Authentication Required`: the credentials in the proxy URL
    /// are missing or wrong. A configuration error, never retried.
    #[error(
        "answered 407 Proxy Authentication Required: the proxy credentials are missing or wrong"
    )]
    AuthenticationRequired,
    /// The proxy answered the `CONNECT` request with a status other than 200 and 407: it may
    /// not let this origin through, or could not reach it itself (hyper-util does not report
    /// the status).
    #[error("refused to open a tunnel to the origin")]
    TunnelRefused,
    /// The proxy closed the connection or answered something that is not HTTP while the tunnel
    /// was being opened.
    #[error("failed while opening a tunnel to the origin")]
    Handshake,
}

impl ProxyFailure {
    /// The status the proxy answered with, when it is known (407 for
    /// [`ProxyFailure::AuthenticationRequired`]).
    pub fn status(self) -> Option<StatusCode> {
        match self {
            ProxyFailure::AuthenticationRequired => Some(StatusCode::PROXY_AUTHENTICATION_REQUIRED),
            _ => None,
        }
    }

    /// True when a retry may help and is safe: nothing reached the origin and the failure is not
    /// the proxy refusing the credentials.
    pub(crate) fn is_retryable(self) -> bool {
        !matches!(self, ProxyFailure::AuthenticationRequired)
    }
}

/// Where the transport's proxy settings come from.
#[derive(Clone, Default)]
pub(crate) enum ProxyConfig {
    /// The process environment, read when the client is built (the default).
    #[default]
    Environment,
    /// Settings already read and checked: the proxies, or none at all.
    Resolved(Option<Arc<Proxies>>),
}

impl ProxyConfig {
    /// One proxy for every origin, whatever the environment says.
    pub(crate) fn fixed(url: &str) -> Result<Self> {
        let proxy = Proxy::parse(url).map_err(|reason| Error::InvalidProxy {
            proxy: redact_text(url),
            reason,
        })?;
        let matcher = Matcher::builder().all(url).build();
        Ok(Self::Resolved(Some(Arc::new(Proxies {
            matcher,
            http: Some(proxy.clone()),
            https: Some(proxy),
            no_proxy: String::new(),
        }))))
    }

    /// No proxy at all.
    pub(crate) fn off() -> Self {
        Self::Resolved(None)
    }

    /// The proxy variables, read through `lookup`.
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        Proxies::from_lookup(lookup).map(|proxies| Self::Resolved(proxies.map(Arc::new)))
    }

    /// The proxies to use, reading the process environment when that is where they come from.
    pub(crate) fn resolve(&self) -> Result<Option<Arc<Proxies>>> {
        match self {
            ProxyConfig::Environment => {
                Proxies::from_lookup(|name| std::env::var(name).ok()).map(|p| p.map(Arc::new))
            }
            ProxyConfig::Resolved(proxies) => Ok(proxies.clone()),
        }
    }
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyConfig::Environment => f.write_str("Environment"),
            ProxyConfig::Resolved(None) => f.write_str("None"),
            ProxyConfig::Resolved(Some(proxies)) => proxies.fmt(f),
        }
    }
}

/// The proxies of a client and the rule (`no_proxy`) for the origins that bypass them.
pub(crate) struct Proxies {
    /// hyper-util's matcher, asked only whether an origin bypasses the proxy.
    matcher: Matcher,
    /// The proxy for `http` origins (requests in absolute form), if any.
    http: Option<Proxy>,
    /// The proxy for `https` origins (a `CONNECT` tunnel), if any.
    https: Option<Proxy>,
    /// The `no_proxy` list as read, for `Debug`.
    no_proxy: String,
}

impl Proxies {
    /// Reads the proxy variables through `lookup`; `None` when no proxy is set.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidProxy`] when a variable holds something that is not an `http://` proxy.
    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Self>> {
        if lookup(CGI_MARKER).is_some() {
            return Ok(None);
        }
        let read = |names: [&'static str; 2]| {
            names.into_iter().find_map(|name| {
                lookup(name)
                    .filter(|value| !value.trim().is_empty())
                    .map(|value| (name, value))
            })
        };
        let all = read(ALL_PROXY);
        let http = read(HTTP_PROXY);
        let https = read(HTTPS_PROXY);
        let no_proxy = read(NO_PROXY).map(|(_, value)| value).unwrap_or_default();

        let checked = |setting: &Option<(&'static str, String)>| {
            setting
                .as_ref()
                .map(|(name, value)| {
                    Proxy::parse(value).map_err(|reason| Error::InvalidProxy {
                        proxy: format!("{name}={}", redact_text(value)),
                        reason,
                    })
                })
                .transpose()
        };
        let all_proxy = checked(&all)?;
        let http_proxy = checked(&http)?.or_else(|| all_proxy.clone());
        let https_proxy = checked(&https)?.or(all_proxy);
        if http_proxy.is_none() && https_proxy.is_none() {
            return Ok(None);
        }

        let text = |setting: Option<(&'static str, String)>| setting.map(|(_, v)| v);
        let matcher = Matcher::builder()
            .all(text(all).unwrap_or_default())
            .http(text(http).unwrap_or_default())
            .https(text(https).unwrap_or_default())
            .no(no_proxy.as_str())
            .build();
        Ok(Some(Self {
            matcher,
            http: http_proxy,
            https: https_proxy,
            no_proxy,
        }))
    }

    /// The proxy a connection to `origin` goes through, or `None` to go directly.
    pub(crate) fn for_origin(&self, origin: &Uri) -> Option<&Proxy> {
        let proxy = match origin.scheme_str() {
            Some("https") => self.https.as_ref(),
            Some("http") => self.http.as_ref(),
            _ => None,
        }?;
        self.matcher.intercept(origin).map(|_| proxy)
    }

    /// Readies a request for a plain-`http` origin reached through a proxy: adds the proxy's
    /// credentials, and returns the proxy's name. Requests to `https` origins and to origins that
    /// bypass the proxy are left alone (`None`).
    pub(crate) fn prepare(&self, request: &mut Request<Body>) -> Option<Arc<str>> {
        let proxy = self.http.as_ref()?;
        if request.uri().scheme() != Some(&Scheme::HTTP) {
            return None;
        }
        self.matcher.intercept(request.uri())?;
        if let Some(auth) = &proxy.auth {
            request
                .headers_mut()
                .insert(PROXY_AUTHORIZATION, auth.clone());
        }
        Some(proxy.name.clone())
    }
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxies")
            .field("http", &self.http)
            .field("https", &self.https)
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// One proxy: where it is, the credentials to send it, and a name to report it by.
#[derive(Clone)]
pub(crate) struct Proxy {
    /// `http://host:port/`, without credentials.
    pub(crate) uri: Uri,
    /// `Basic ...` for `Proxy-Authorization`, marked sensitive.
    pub(crate) auth: Option<HeaderValue>,
    /// `http://host:port`, or `http://user:***@host:port` with credentials: never a password.
    pub(crate) name: Arc<str>,
}

impl Proxy {
    /// Reads a proxy URL the way hyper-util does (a missing scheme means `http`), and checks that
    /// it is an `http` proxy.
    fn parse(url: &str) -> Result<Self, &'static str> {
        let probe = Uri::from_static("http://proxy.probe.invalid/");
        let intercept = Matcher::builder()
            .all(url)
            .build()
            .intercept(&probe)
            .ok_or("not a proxy URL (expected http://[user:password@]host:port)")?;
        let uri = intercept.uri().clone();
        if uri.scheme() != Some(&Scheme::HTTP) {
            return Err("only http:// proxies are supported (not https:// or socks)");
        }
        let host_port = uri.authority().map_or("", |a| a.as_str());
        // `http` reads `proxy:31 28` or `proxy:99999` as a host without a port (so port 80).
        if uri.port_u16().is_none() && uri.host().is_some_and(|host| host.len() < host_port.len()) {
            return Err("the port is not a number from 0 to 65535");
        }
        let auth = intercept.basic_auth().cloned();
        let name = match (&auth, user_of(url)) {
            (Some(_), Some(user)) if !user.is_empty() => format!("http://{user}:***@{host_port}"),
            (Some(_), _) => format!("http://***@{host_port}"),
            (None, _) => format!("http://{host_port}"),
        };
        Ok(Self {
            uri,
            auth,
            name: name.into(),
        })
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// The user name in a proxy URL (never its password: that follows the first `:`).
fn user_of(url: &str) -> Option<&str> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme.split(['/', '?', '#']).next()?;
    let (userinfo, _) = authority.split_once('@')?;
    Some(userinfo.split_once(':').map_or(userinfo, |(user, _)| user))
}

/// A proxy URL as text, with anything before an `@` in its authority masked: safe to print
/// even when the URL could not be read.
fn redact_text(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority
        .rsplit_once('@')
        .map_or_else(|| authority.to_owned(), |(_, host)| format!("***@{host}"));
    match scheme {
        Some(scheme) => format!("{scheme}://{host}"),
        None => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn proxies(vars: &'static [(&'static str, &'static str)]) -> Option<Proxies> {
        Proxies::from_lookup(lookup(vars)).unwrap()
    }

    fn via<'a>(proxies: &'a Proxies, origin: &str) -> Option<&'a str> {
        proxies
            .for_origin(&origin.parse().unwrap())
            .map(|p| &*p.name)
    }

    #[test]
    fn nothing_set_means_no_proxy() {
        assert!(proxies(&[]).is_none());
        assert!(proxies(&[("HTTPS_PROXY", ""), ("no_proxy", "*")]).is_none());
    }

    #[test]
    fn lower_case_wins_over_upper_case() {
        let p = proxies(&[
            ("https_proxy", "http://lower:1"),
            ("HTTPS_PROXY", "http://upper:1"),
            ("HTTP_PROXY", "http://upper:2"),
        ])
        .unwrap();
        assert_eq!(via(&p, "https://webexapis.com"), Some("http://lower:1"));
        assert_eq!(via(&p, "http://example.com"), Some("http://upper:2"));
    }

    #[test]
    fn an_empty_lower_case_value_falls_through_to_upper_case() {
        let p = proxies(&[("https_proxy", ""), ("HTTPS_PROXY", "http://upper:1")]).unwrap();
        assert_eq!(via(&p, "https://webexapis.com"), Some("http://upper:1"));
    }

    #[test]
    fn all_proxy_covers_the_scheme_without_a_proxy_of_its_own() {
        let p = proxies(&[("ALL_PROXY", "all:3128"), ("http_proxy", "http://plain:80")]).unwrap();
        assert_eq!(via(&p, "https://webexapis.com"), Some("http://all:3128"));
        assert_eq!(via(&p, "http://example.com"), Some("http://plain:80"));
    }

    #[test]
    fn no_proxy_lists_hosts_domains_and_networks() {
        let p = proxies(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("NO_PROXY", "localhost, .corp.example, 10.0.0.0/8, ::1"),
        ])
        .unwrap();
        assert_eq!(via(&p, "https://localhost:8443"), None);
        assert_eq!(via(&p, "https://api.corp.example"), None);
        assert_eq!(via(&p, "https://10.1.2.3"), None);
        assert_eq!(via(&p, "https://[::1]:8443"), None);
        assert_eq!(via(&p, "https://127.0.0.1"), Some("http://proxy:3128"));
        assert_eq!(via(&p, "https://webexapis.com"), Some("http://proxy:3128"));
        // Only https has a proxy here.
        assert_eq!(via(&p, "http://webexapis.com"), None);
    }

    #[test]
    fn a_cgi_script_ignores_the_environment() {
        assert!(
            proxies(&[
                ("REQUEST_METHOD", "GET"),
                ("HTTP_PROXY", "http://attacker:80")
            ])
            .is_none()
        );
    }

    #[test]
    fn names_never_hold_the_password() {
        let p = proxies(&[("https_proxy", "http://alice:s3cret@proxy:3128/path")]).unwrap();
        assert_eq!(
            via(&p, "https://webexapis.com"),
            Some("http://alice:***@proxy:3128")
        );
        let debug = format!("{:?}", ProxyConfig::Resolved(Some(Arc::new(p))));
        assert!(!debug.contains("s3cret"), "{debug}");
        assert!(debug.contains("alice:***@proxy:3128"), "{debug}");
    }

    #[test]
    fn credentials_become_a_sensitive_basic_header() {
        let proxy = Proxy::parse("http://Aladdin:open%20sesame@proxy:3128").unwrap();
        let auth = proxy.auth.unwrap();
        assert!(auth.is_sensitive());
        // base64("Aladdin:open sesame")
        assert_eq!(auth, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(&*proxy.name, "http://Aladdin:***@proxy:3128");
    }

    #[test]
    fn unusable_proxies_are_refused_without_their_password() {
        for (url, reason) in [
            ("socks5://u:pw@proxy:1080", "only http://"),
            ("https://u:pw@proxy:443", "only http://"),
            ("http://u:pw@proxy:port", "port"),
            ("http://u:pw@proxy:99999", "port"),
            ("http://u:pw@proxy/ x", "not a proxy URL"),
        ] {
            let Err(Error::InvalidProxy {
                proxy,
                reason: said,
            }) = ProxyConfig::fixed(url)
            else {
                panic!("{url} accepted");
            };
            assert!(said.contains(reason), "{url}: {said}");
            assert!(!proxy.contains("pw"), "{proxy}");
        }
        let error = Proxies::from_lookup(lookup(&[("HTTPS_PROXY", "socks5h://u:pw@p:1")]))
            .err()
            .unwrap();
        let text = error.to_string();
        assert!(text.contains("HTTPS_PROXY=socks5h://***@p:1"), "{text}");
    }

    #[test]
    fn redaction_of_text_that_is_not_a_url() {
        assert_eq!(redact_text("a:b@c d/e"), "***@c d");
        assert_eq!(redact_text("http://x:y@z@h:1/p"), "http://***@h:1");
        assert_eq!(redact_text("proxy:3128"), "proxy:3128");
    }
}
