//! A `Service` that answers every request at once with the fixed person, without any network:
//! what remains of a call through the stack over it is the stack's own cost. With it, the call
//! loops that the binary's table and the criterion bench both time.

use std::convert::Infallible;
use std::future::{Ready, ready};
use std::hint::black_box;
use std::sync::LazyLock;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use spark_model::Person;
use tower::ServiceExt;

use crate::fixtures::{TOKEN, TRACKING_ID, person_bytes};

/// Answers any request with `200 OK` and [`crate::fixtures::PERSON_JSON`], synchronously.
#[derive(Debug, Clone, Copy, Default)]
pub struct InMemoryPeople;

impl<B> tower::Service<Request<B>> for InMemoryPeople {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Ready<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _request: Request<B>) -> Self::Future {
        let mut response = Response::new(Full::new(person_bytes()));
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert("trackingid", HeaderValue::from_static(TRACKING_ID));
        ready(Ok(response))
    }
}

/// The `spark-http` stack over [`InMemoryPeople`], with the benchmark token and defaults.
pub fn http_client() -> spark_http::HttpClient {
    spark_http::HttpClient::builder()
        .access_token(TOKEN)
        .build_with_service(InMemoryPeople)
}

/// The `spark-api` client over [`InMemoryPeople`], with the benchmark token and defaults.
pub fn api_client() -> spark_api::Client {
    spark_api::Client::builder()
        .access_token(TOKEN)
        .build_with_service(InMemoryPeople)
}

/// The request `HttpClient::get("/people/me")` builds: the default base URL joined with the path,
/// `Accept: application/json`. The baselines send it too, so that what the stack's calls cost
/// beyond them is the stack's own work, not the building of a request every caller needs.
pub fn me_request() -> Request<spark_http::Body> {
    static BASE: LazyLock<spark_http::BaseUrl> = LazyLock::new(spark_http::BaseUrl::default);
    let mut request = Request::new(spark_http::Body::empty());
    if let Ok(uri) = BASE.join("people/me") {
        *request.uri_mut() = uri;
    }
    request
        .headers_mut()
        .insert(ACCEPT, HeaderValue::from_static("application/json"));
    request
}

/// `calls` calls of the service alone, with `tower::ServiceExt::oneshot`, each sent the request
/// [`me_request`] builds.
pub async fn service_alone(calls: u64) {
    for _ in 0..calls {
        let request = me_request();
        black_box(InMemoryPeople.oneshot(request).await.ok());
    }
}

/// `calls` calls of the service alone (sent [`me_request`]), each answer's body read and decoded
/// into a [`Person`]: what the stack adds to when it decodes.
pub async fn service_and_decode(calls: u64) {
    for _ in 0..calls {
        let request = me_request();
        let Ok(response) = InMemoryPeople.oneshot(request).await;
        let Ok(body) = response.into_body().collect().await;
        black_box(serde_json::from_slice::<Person>(&body.to_bytes()).ok());
    }
}

/// `calls` calls of `GET /people/me` through the whole `spark-http` stack (body left unread).
pub async fn http_get(http: &spark_http::HttpClient, calls: u64) {
    for _ in 0..calls {
        black_box(http.get("/people/me").await.ok());
    }
}

/// `calls` calls of `people().me()` through the `spark-api` client: the stack and decoding.
pub async fn api_me(api: &spark_api::Client, calls: u64) {
    for _ in 0..calls {
        black_box(api.people().me().await.ok());
    }
}
