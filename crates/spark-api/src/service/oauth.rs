//! OAuth: exchanging an authorization code for tokens, and refreshing on demand.

use http::Method;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
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

    /// Exchanges the `code` an integration received on its redirect URI for a token pair.
    pub async fn exchange_code(
        &self,
        client_id: &str,
        client_secret: &str,
        code: &str,
        redirect_uri: &str,
    ) -> Result<TokenAnswer> {
        let form = TokenRequest::authorization_code(client_id, client_secret, code, redirect_uri);
        self.token_request(&form).await
    }

    /// Refreshes the client's access token now (the refresh callback is told the new pair).
    pub async fn refresh_now(&self) -> Result<()> {
        Ok(self.client.http().refresh_token().await?)
    }

    async fn token_request(&self, form: &TokenRequest) -> Result<TokenAnswer> {
        let encoded = serde_urlencoded::to_string(form).map_err(Error::Query)?;
        let http = self.client.http();
        let mut request = http.request(Method::POST, "access_token", Body::from(encoded))?;
        request.extensions_mut().insert(WithoutToken);
        let headers = request.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static(spark_http::FORM_CONTENT_TYPE),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        crate::answer::json(http.send(request).await?).await
    }
}
