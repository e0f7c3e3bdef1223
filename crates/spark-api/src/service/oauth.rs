//! OAuth: exchanging an authorization code for tokens, and refreshing on demand.

use std::future::Future;

use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use http::{Method, Request};
use spark_http::{Body, WithoutToken};
use spark_model::{TokenAnswer, TokenRequest};

use crate::client::Client;
use crate::error::{Error, Result};

/// The OAuth endpoints: `POST /access_token`.
#[derive(Clone, Debug)]
pub struct OAuth {
    client: Client,
}

impl OAuth {
    pub(crate) fn new(client: Client) -> Self {
        Self { client }
    }

    /// Exchanges the `code` an integration received on its redirect URI for a token pair:
    /// `POST /access_token` with the form (`application/x-www-form-urlencoded`)
    /// `grant_type=authorization_code&client_id=..&client_secret=..&code=..&redirect_uri=..`,
    /// sent without the client's access token.
    ///
    /// Returns the [`TokenAnswer`]: `access_token`, `expires_in` (seconds), `refresh_token` and
    /// `refresh_token_expires_in`. The client goes on using its own token; build a client with
    /// the new pair to act for the user who granted it.
    ///
    #[doc = super::owned_future_doc!()]
    ///
    #[doc = super::errors_doc!(json)]
    pub fn exchange_code(
        &self,
        client_id: &str,
        client_secret: &str,
        code: &str,
        redirect_uri: &str,
    ) -> impl Future<Output = Result<TokenAnswer>> + Send + 'static + use<> {
        let form = TokenRequest::authorization_code(client_id, client_secret, code, redirect_uri);
        let request = self.token_request(&form);
        let http = self.client.http().clone();
        async move { crate::answer::json(http.send(request?).await?).await }
    }

    /// Refreshes the client's access token now, whatever its expiry: `POST /access_token` with
    /// the form `grant_type=refresh_token&client_id=..&client_secret=..&refresh_token=..` from
    /// the client's refresh credentials. Concurrent refreshes (this one, and those after a 401)
    /// make one call between them.
    ///
    /// Returns `()` once the new pair is in use; the callback given to
    /// [`ClientBuilder::on_token_refresh`](crate::ClientBuilder::on_token_refresh) is told the
    /// pair, to store it.
    ///
    #[doc = super::owned_future_doc!()]
    ///
    /// # Errors
    ///
    /// [`Error::Http`] with the refresh error: the client has no refresh credentials (nothing is
    /// sent), the token endpoint refused them or answered something unreadable, or the call
    /// failed. The old token stays in use.
    pub fn refresh_now(&self) -> impl Future<Output = Result<()>> + Send + 'static + use<> {
        let http = self.client.http().clone();
        async move { Ok(http.refresh_token().await?) }
    }

    /// The token request for `form`, sent without the client's token.
    fn token_request(&self, form: &TokenRequest) -> Result<Request<Body>> {
        let encoded = serde_urlencoded::to_string(form).map_err(Error::Query)?;
        let mut request =
            self.client
                .http()
                .request(Method::POST, "access_token", Body::from(encoded))?;
        request.extensions_mut().insert(WithoutToken);
        let headers = request.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static(spark_http::FORM_CONTENT_TYPE),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        Ok(request)
    }
}
