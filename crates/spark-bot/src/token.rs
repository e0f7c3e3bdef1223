//! The client's token, for what its HTTP stack does not carry: the socket's authorization frame
//! and the device services' requests.

use http::HeaderValue;
use spark_api::Client;

use crate::error::{Error, Result};

/// The `Authorization` value (`Bearer <token>`, marked sensitive) of the client's current
/// token; refreshes first when the cache holds none but can refresh.
pub(crate) async fn authorization(client: &Client) -> Result<HeaderValue> {
    let tokens = client.http().tokens().ok_or(Error::NoToken)?;
    if let Some(header) = tokens.authorization() {
        return Ok(header);
    }
    if tokens.can_refresh() {
        client.http().refresh_token().await?;
    }
    tokens.authorization().ok_or(Error::NoToken)
}

/// Refreshes the client's token (after a 4401 or a 401), or says it cannot.
pub(crate) async fn refresh(client: &Client) -> Result<()> {
    let tokens = client.http().tokens().ok_or(Error::NoToken)?;
    if !tokens.can_refresh() {
        return Err(Error::Closed {
            code: 4401,
            reason: "the token was refused and the client has no refresh credentials".to_owned(),
        });
    }
    client.http().refresh_token().await?;
    Ok(())
}
