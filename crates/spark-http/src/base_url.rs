//! The base URL every relative request path resolves against, and the origins trusted with the
//! token.

use std::fmt;

use http::Uri;
use http::uri::{PathAndQuery, Scheme};

use crate::error::{Error, Result};

/// The default base URL of the Webex REST API.
pub const DEFAULT_BASE_URL: &str = "https://webexapis.com/v1";

/// The two public hosts of the Webex API; a base URL on one trusts the other.
const WEBEX_HOSTS: [&str; 2] = ["webexapis.com", "api.ciscospark.com"];

/// A scheme, host and port: the unit the token is scoped to.
///
/// ```
/// use spark_http::Origin;
///
/// let origin = Origin::parse("https://webexapis.com/v1/people").unwrap();
/// assert_eq!(origin.to_string(), "https://webexapis.com:443");
/// assert!(origin.matches(&"https://WEBEXAPIS.com:443/v1/rooms".parse().unwrap()));
/// assert!(!origin.matches(&"http://webexapis.com/v1/rooms".parse().unwrap()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    scheme: Scheme,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of an absolute URI, or `None` when it has no scheme or host.
    pub fn of(uri: &Uri) -> Option<Origin> {
        let scheme = uri.scheme()?.clone();
        let host = uri.host()?.to_ascii_lowercase();
        let port = uri.port_u16().or_else(|| default_port(&scheme))?;
        Some(Origin { scheme, host, port })
    }

    /// Parses the origin of an absolute URL.
    pub fn parse(url: &str) -> Result<Origin> {
        let uri: Uri = url.parse().map_err(|_| Error::InvalidUri {
            uri: url.to_owned(),
        })?;
        Origin::of(&uri).ok_or_else(|| Error::InvalidUri {
            uri: url.to_owned(),
        })
    }

    /// True when `uri` is absolute and has this scheme, host and port.
    pub fn matches(&self, uri: &Uri) -> bool {
        let (Some(scheme), Some(host)) = (uri.scheme(), uri.host()) else {
            return false;
        };
        // The port is parsed last, only for a URI on this scheme and host.
        *scheme == self.scheme
            && host.eq_ignore_ascii_case(&self.host)
            && uri.port_u16().or_else(|| default_port(scheme)) == Some(self.port)
    }

    /// The host name, in lower case.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, explicit or implied by the scheme.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The scheme.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
    }
}

/// Parses an absolute URL (scheme and host required).
pub(crate) fn parse_absolute(url: &str) -> Result<Uri> {
    let invalid = || Error::InvalidUri {
        uri: url.to_owned(),
    };
    let uri: Uri = url.parse().map_err(|_| invalid())?;
    Origin::of(&uri).ok_or_else(invalid)?;
    Ok(uri)
}

/// True when `text` starts with a URI scheme and `://` (`https://..`), not when `://` only
/// appears later (in a query, say).
pub fn is_absolute_url(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(colon) = bytes.iter().position(|&byte| byte == b':') else {
        return false;
    };
    let scheme = &bytes[..colon];
    bytes[colon..].starts_with(b"://")
        && scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|&byte| byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'-' | b'.'))
}

fn default_port(scheme: &Scheme) -> Option<u16> {
    if *scheme == Scheme::HTTPS {
        Some(443)
    } else if *scheme == Scheme::HTTP {
        Some(80)
    } else {
        None
    }
}

/// The base URL of the API: relative request paths are appended to it.
///
/// ```
/// use spark_http::BaseUrl;
///
/// let base = BaseUrl::parse("http://127.0.0.1:8080/v1/").unwrap();
/// assert_eq!(base.join("/people/me?x=1").unwrap(), "http://127.0.0.1:8080/v1/people/me?x=1");
/// assert_eq!(base.join("rooms").unwrap(), "http://127.0.0.1:8080/v1/rooms");
/// // Absolute URLs are kept as they are.
/// assert_eq!(base.join("https://example.com/a").unwrap(), "https://example.com/a");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl {
    uri: Uri,
    /// The path without a trailing slash (empty for a base at the root).
    path: String,
    origin: Origin,
}

impl BaseUrl {
    /// Parses an absolute `http` or `https` URL without query or fragment.
    pub fn parse(url: &str) -> Result<BaseUrl> {
        let invalid = |reason| Error::InvalidBaseUrl {
            url: url.to_owned(),
            reason,
        };
        let uri: Uri = url.parse().map_err(|_| invalid("not a valid URL"))?;
        let origin = Origin::of(&uri).ok_or_else(|| invalid("must be an absolute http(s) URL"))?;
        if uri.query().is_some() {
            return Err(invalid("must not have a query"));
        }
        let path = uri.path().trim_end_matches('/').to_owned();
        if path.is_empty() && WEBEX_HOSTS.contains(&origin.host.as_str()) {
            return Err(invalid(
                "the Webex API lives under a version path: add /v1 (https://webexapis.com/v1)",
            ));
        }
        Ok(BaseUrl { uri, path, origin })
    }

    /// The base URL as a URI.
    pub fn as_uri(&self) -> &Uri {
        &self.uri
    }

    /// The scheme, host and port of the base URL.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// Resolves a path (with an optional query) against the base; absolute URLs are kept.
    pub fn join(&self, path_or_url: &str) -> Result<Uri> {
        if is_absolute_url(path_or_url) {
            return path_or_url.parse().map_err(|_| Error::InvalidUri {
                uri: path_or_url.to_owned(),
            });
        }
        let relative = path_or_url.trim_start_matches('/');
        let mut joined = String::with_capacity(self.path.len() + 1 + relative.len());
        joined.push_str(&self.path);
        joined.push('/');
        joined.push_str(relative);
        self.with_path_and_query(joined)
            .ok_or_else(|| Error::InvalidUri {
                uri: path_or_url.to_owned(),
            })
    }

    /// Resolves a request URI: an absolute one is kept; a relative one is appended to the base.
    pub fn resolve(&self, uri: &Uri) -> Result<Uri> {
        if uri.scheme().is_some() {
            return Ok(uri.clone());
        }
        let relative = uri.path_and_query().map_or("", PathAndQuery::as_str);
        self.join(relative)
    }

    /// The origins the token may be sent to by default: the base's own, plus the other public
    /// Webex host when the base is on one of them.
    pub fn default_trusted_origins(&self) -> Vec<Origin> {
        let mut origins = vec![self.origin.clone()];
        let on_webex_host = self.origin.scheme == Scheme::HTTPS
            && self.origin.port == 443
            && WEBEX_HOSTS.contains(&self.origin.host.as_str());
        if on_webex_host {
            for host in WEBEX_HOSTS.iter().filter(|host| **host != self.origin.host) {
                origins.push(Origin {
                    scheme: Scheme::HTTPS,
                    host: (*host).to_owned(),
                    port: 443,
                });
            }
        }
        origins
    }

    fn with_path_and_query(&self, path_and_query: String) -> Option<Uri> {
        // Taken without a copy, and shared at once: a copy of the URI kept for a retry then
        // costs a reference count instead of an allocation.
        let bytes = bytes::Bytes::from(path_and_query);
        let shared = bytes.clone();
        drop(bytes);
        let mut parts = self.uri.clone().into_parts();
        parts.path_and_query = Some(PathAndQuery::from_maybe_shared(shared).ok()?);
        Uri::from_parts(parts).ok()
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl::parse(DEFAULT_BASE_URL).expect("the default base URL is valid")
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.uri)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseUrl({})", self.uri)
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = Error;

    fn from_str(url: &str) -> Result<Self> {
        BaseUrl::parse(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_on_either_webex_host_trusts_the_other() {
        let base = BaseUrl::default();
        let trusted: Vec<String> = base
            .default_trusted_origins()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            trusted,
            [
                "https://webexapis.com:443",
                "https://api.ciscospark.com:443"
            ]
        );
        let legacy = BaseUrl::parse("https://api.ciscospark.com/v1").unwrap();
        assert_eq!(legacy.default_trusted_origins().len(), 2);
    }

    #[test]
    fn a_webex_base_without_version_says_to_add_it() {
        let error = BaseUrl::parse("https://webexapis.com").unwrap_err();
        assert!(error.to_string().contains("add /v1"), "{error}");
        // Other hosts may serve the API at their root.
        assert!(BaseUrl::parse("http://127.0.0.1:9000").is_ok());
    }

    #[test]
    fn a_local_base_trusts_only_itself() {
        let base = BaseUrl::parse("http://127.0.0.1:9000/v1").unwrap();
        assert_eq!(base.default_trusted_origins(), vec![base.origin().clone()]);
    }

    #[test]
    fn origins_differ_by_scheme_host_and_port() {
        let origin = Origin::parse("https://webexapis.com").unwrap();
        for other in [
            "http://webexapis.com/v1",
            "https://webexapis.com:8443/v1",
            "https://evil.example/v1",
            "/v1/relative",
        ] {
            assert!(!origin.matches(&other.parse().unwrap()), "{other}");
        }
    }

    #[test]
    fn bad_base_urls_are_typed_errors() {
        for url in [
            "",
            "webexapis.com/v1",
            "https://webexapis.com/v1?x=1",
            "ftp://x/",
            "https://webexapis.com",
            "https://webexapis.com/",
            "https://api.ciscospark.com",
        ] {
            assert!(
                matches!(BaseUrl::parse(url), Err(Error::InvalidBaseUrl { .. })),
                "{url}"
            );
        }
    }

    #[test]
    fn a_url_in_a_query_does_not_make_a_path_absolute() {
        let base = BaseUrl::parse("https://webexapis.com/v1").unwrap();
        let joined = base
            .join("webhooks?targetUrl=https://bot.example/hook")
            .unwrap();
        assert_eq!(joined.path(), "/v1/webhooks");
        assert!(is_absolute_url("https://x/y"));
        assert!(!is_absolute_url("rooms/a://b"));
        assert!(!is_absolute_url("://x"));
    }

    #[test]
    fn relative_uris_resolve_under_the_base_path() {
        let base = BaseUrl::parse("https://webexapis.com/v1").unwrap();
        let resolved = base
            .resolve(&"/messages?roomId=abc".parse().unwrap())
            .unwrap();
        assert_eq!(resolved, "https://webexapis.com/v1/messages?roomId=abc");
    }
}
