//! The TLS configuration of the socket: rustls with the ring provider and the webpki roots, the
//! same choice as the client's HTTP stack (no second TLS stack, no native TLS).

use std::sync::Arc;

use rustls::ClientConfig;

use crate::error::{Error, Result};

/// A rustls client configuration with the ring provider and the Mozilla roots of
/// `webpki-roots`.
///
/// # Errors
///
/// [`Error::Config`] if the provider supports none of the safe protocol versions (it does).
pub fn default_tls_config() -> Result<Arc<ClientConfig>> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|error| Error::Config(format!("TLS: {error}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok(Arc::new(config))
}
