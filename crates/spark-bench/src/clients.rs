//! The three contenders, each able to fetch `GET /people/me` into the same `spark_model::Person`
//! with `serde_json` (as our client does): our client, bare hyper-util with serde, and reqwest
//! with serde. On the retry path, bare hyper reads a 429's body and drops it undecoded, as our
//! retry layer does.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, HeaderValue, USER_AGENT};
use http::{Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use spark_bench::fixtures::TOKEN;
use spark_model::Person;

/// Any error of any contender.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Which client a measurement is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClientKind {
    /// `spark_api::Client` with default settings.
    Spark,
    /// `hyper_util::client::legacy::Client` with serde decoding by hand.
    BareHyper,
    /// `reqwest::Client` with `.json::<Person>()`.
    Reqwest,
}

impl ClientKind {
    /// The three, ours first.
    pub(crate) const ALL: [ClientKind; 3] = [
        ClientKind::Spark,
        ClientKind::BareHyper,
        ClientKind::Reqwest,
    ];

    /// The name in the table and on the command line.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ClientKind::Spark => "spark",
            ClientKind::BareHyper => "bare-hyper",
            ClientKind::Reqwest => "reqwest",
        }
    }

    /// The kind named `name`.
    pub(crate) fn from_name(name: &str) -> Option<ClientKind> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }
}

impl fmt::Display for ClientKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A client of one kind, fetching the person the token belongs to. Clones share connections.
#[derive(Clone)]
#[allow(
    clippy::large_enum_variant,
    reason = "a few values, made once; boxing would add an indirection to one contender only"
)]
pub(crate) enum MeClient {
    Spark(spark_api::Client),
    BareHyper(BareHyper),
    Reqwest {
        client: reqwest::Client,
        url: String,
    },
}

impl MeClient {
    /// A client of `kind` for the API at `base_url`.
    pub(crate) fn new(kind: ClientKind, base_url: &str) -> Result<MeClient, BoxError> {
        Ok(match kind {
            ClientKind::Spark => MeClient::Spark(spark_client(base_url)?),
            ClientKind::BareHyper => MeClient::BareHyper(BareHyper::new(base_url)?),
            ClientKind::Reqwest => MeClient::Reqwest {
                client: reqwest::Client::builder().no_proxy().build()?,
                url: format!("{base_url}/people/me"),
            },
        })
    }

    /// `GET /people/me`, decoded.
    pub(crate) async fn me(&self) -> Result<Person, BoxError> {
        match self {
            MeClient::Spark(client) => Ok(client.people().me().await?),
            MeClient::BareHyper(client) => client.me().await,
            MeClient::Reqwest { client, url } => Ok(client
                .get(url)
                .bearer_auth(TOKEN)
                .header(ACCEPT, "application/json")
                .send()
                .await?
                .error_for_status()?
                .json::<Person>()
                .await?),
        }
    }
}

/// Our client as an application would build it: default retry, no hooks, tracing without a
/// subscriber.
pub(crate) fn spark_client(base_url: &str) -> Result<spark_api::Client, BoxError> {
    Ok(spark_api::Client::builder()
        .base_url(base_url)?
        .access_token(TOKEN)
        .build()?)
}

/// hyper-util's pooled client over plain TCP, configured like our transport (keep-alive, 90 s
/// idle timeout, `TCP_NODELAY`), sending the same headers as our client.
#[derive(Clone)]
pub(crate) struct BareHyper {
    client: HyperClient<HttpConnector, Empty<Bytes>>,
    me: Uri,
    authorization: HeaderValue,
}

impl BareHyper {
    /// A client for the API at `base_url`.
    pub(crate) fn new(base_url: &str) -> Result<BareHyper, BoxError> {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = HyperClient::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_timer(TokioTimer::new())
            .build(connector);
        Ok(BareHyper {
            client,
            me: format!("{base_url}/people/me").parse()?,
            authorization: HeaderValue::from_str(&format!("Bearer {TOKEN}"))?,
        })
    }

    /// `GET uri` with the token, `Accept` and `User-Agent`; the body is left to the caller.
    pub(crate) async fn get(&self, uri: Uri) -> Result<Response<Incoming>, BoxError> {
        let mut request = Request::new(Empty::new());
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, HeaderValue::from_static("bare-hyper/1"));
        Ok(self.client.request(request).await?)
    }

    /// `GET /people/me`, decoded; a 429 is retried at once (its body read first), by hand.
    pub(crate) async fn me(&self) -> Result<Person, BoxError> {
        loop {
            let response = self.get(self.me.clone()).await?;
            let status = response.status();
            let body = response.into_body().collect().await?.to_bytes();
            match status {
                StatusCode::OK => return Ok(serde_json::from_slice(&body)?),
                StatusCode::TOO_MANY_REQUESTS => continue,
                other => return Err(format!("GET /people/me answered {other}").into()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use spark_bench::fixtures::PERSON_JSON;

    use super::*;
    use crate::server::FixedServer;

    #[test]
    fn every_contender_decodes_the_same_person() {
        let server = FixedServer::start(1, 0).expect("server");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let expected: Person = serde_json::from_str(PERSON_JSON).expect("the fixed person");
        // All 200 for the three; the retry path (429, then 200) for the two that retry.
        let mut cases: Vec<(ClientKind, String)> = ClientKind::ALL
            .iter()
            .map(|kind| (*kind, server.base_url()))
            .collect();
        cases.push((ClientKind::Spark, server.flaky_base_url()));
        cases.push((ClientKind::BareHyper, server.flaky_base_url()));
        runtime.block_on(async {
            for (kind, base_url) in cases {
                let client = MeClient::new(kind, &base_url).expect("client");
                for _ in 0..3 {
                    let person = client.me().await.expect("me");
                    assert!(
                        person == expected,
                        "{kind} at {base_url} decoded another person"
                    );
                }
            }
        });
    }
}
