//! The stack embedded in other people's code, both ways round.
//!
//! - Our layers in their stack: `SetBaseUrlLayer`, `RetryLayer`, `RefreshLayer` and `AuthLayer`
//!   put together with `tower::ServiceBuilder` over a bare hyper-util client with `Full<Bytes>`
//!   request bodies retry a 429 exactly once, refresh a rejected token exactly once and replay
//!   with the new one, replay a POST body unchanged, and keep the token to its origin.
//! - Our whole client in their service: an axum app whose `GET /me` fetches the caller from the
//!   Webex API (the emulator) through `HttpClient` and hands the upstream body on as it streams
//!   in, without buffering it.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Empty, Full};
use httpmock::{HttpMockResponse, MockServer};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use spark_emulator::Emulator;
use spark_http::{
    Auth, AuthLayer, BaseUrl, BoxError, Credentials, HttpClient, Refresh, RefreshLayer, Retry,
    RetryLayer, RetryPolicy, SetBaseUrl, SetBaseUrlLayer, TokenCache,
};
use spark_model::Person;
use tower::{ServiceBuilder, ServiceExt};

type TestResult = Result<(), BoxError>;

/// The most any step of a test may take: nothing here waits on purpose for more than 200 ms, so
/// reaching this means the step hangs.
const HANG: Duration = Duration::from_secs(10);

/// Awaits `future`, failing the test if it does not finish within [`HANG`].
#[track_caller]
fn bounded<F: Future>(future: F) -> impl Future<Output = F::Output> {
    let step = std::panic::Location::caller();
    async move {
        match tokio::time::timeout(HANG, future).await {
            Ok(output) => output,
            Err(_) => panic!("the step at {step} did not finish within {:?}", HANG),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Our layers over a bare hyper client.

/// hyper-util's pooled client for plain HTTP, with `Full<Bytes>` request bodies.
type Hyper = HyperClient<HttpConnector, Full<Bytes>>;

/// Our layers over it, as a user assembles them.
type Stack = SetBaseUrl<Retry<Refresh<Auth<Hyper>>>>;

/// The user's stack for the API at `{server}/v1`, with the token cache it reads and refreshes.
fn stack_for(server: &MockServer, tokens: &TokenCache) -> Result<Stack, BoxError> {
    let base = BaseUrl::parse(&server.url("/v1"))?;
    let hyper: Hyper = HyperClient::builder(TokioExecutor::new()).build_http();
    Ok(ServiceBuilder::new()
        .layer(SetBaseUrlLayer::new(base.clone()))
        .layer(RetryLayer::new(RetryPolicy::default()))
        .layer(RefreshLayer::new(tokens.clone()))
        .layer(AuthLayer::for_base_url(tokens.clone(), &base))
        .service(hyper))
}

/// A token cache holding `OLD`, refreshable with client `C1`/`S1` and refresh token `R1` at
/// `{server}/v1/access_token`.
fn tokens_for(server: &MockServer) -> Result<TokenCache, BoxError> {
    Ok(
        TokenCache::builder(Credentials::new("OLD").refresh("C1", "S1", "R1"))
            .token_url(&server.url("/v1/access_token"))?
            .build(),
    )
}

/// A request with a `Full<Bytes>` body.
fn request(method: Method, uri: &str, body: &'static str) -> Request<Full<Bytes>> {
    Request::builder()
        .method(method)
        .uri(uri)
        .body(Full::new(Bytes::from_static(body.as_bytes())))
        .expect("a valid request")
}

/// Sends `request` through a clone of `stack`; the status and the whole body.
async fn send(
    stack: &Stack,
    request: Request<Full<Bytes>>,
) -> Result<(StatusCode, Bytes), BoxError> {
    let response = bounded(stack.clone().oneshot(request)).await?;
    let status = response.status();
    let body = bounded(response.into_body().collect()).await?.to_bytes();
    Ok((status, body))
}

/// One request as a scripted server received it.
#[derive(Clone, Debug)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
}

/// The requests a scripted server received, in order.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<Received>>>);

impl Log {
    fn all(&self) -> Vec<Received> {
        self.0.lock().unwrap().clone()
    }

    /// The `Authorization` header of each request (`None` where there was none).
    fn authorizations(&self) -> Vec<Option<String>> {
        self.all()
            .iter()
            .map(|seen| {
                seen.headers
                    .get(AUTHORIZATION)
                    .map(|value| value.to_str().unwrap().to_owned())
            })
            .collect()
    }
}

/// An httpmock server answering every request on `path` with `answers[n]` for the n-th request
/// (from 0; the last answer for any later one), recording each request.
async fn scripted_server(path: &str, answers: Vec<HttpMockResponse>) -> (MockServer, Log) {
    assert!(!answers.is_empty());
    let server = MockServer::start_async().await;
    let log = Log::default();
    let record = log.clone();
    let path = path.to_owned();
    server
        .mock_async(move |when, then| {
            when.path(path);
            then.respond_with(move |request| {
                let n = {
                    let mut all = record.0.lock().unwrap();
                    all.push(Received {
                        headers: request.headers(),
                        body: request.body_bytes(),
                    });
                    all.len() - 1
                };
                answers[n.min(answers.len() - 1)].clone()
            });
        })
        .await;
    (server, log)
}

fn rate_limited() -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(429)
        .header("retry-after", "0")
        .header("content-type", "application/json")
        .body(r#"{"message":"Too many requests"}"#)
        .build()
}

fn ok(body: &'static str) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(body)
        .build()
}

#[tokio::test]
async fn over_a_bare_hyper_client_a_429_is_retried_once() -> TestResult {
    let (server, log) =
        scripted_server("/v1/people/me", vec![rate_limited(), ok(r#"{"id":"P1"}"#)]).await;
    let stack = stack_for(&server, &tokens_for(&server)?)?;

    let (status, body) = send(&stack, request(Method::GET, "/people/me", "")).await?;
    assert_eq!(status, 200);
    assert_eq!(body, r#"{"id":"P1"}"#);
    assert_eq!(log.all().len(), 2, "exactly two requests");
    assert_eq!(
        log.authorizations(),
        [Some("Bearer OLD".into()), Some("Bearer OLD".into())]
    );
    Ok(())
}

#[tokio::test]
async fn over_a_bare_hyper_client_a_401_refreshes_once_and_replays_with_the_new_token() -> TestResult
{
    let server = MockServer::start_async().await;
    let rejected = server
        .mock_async(|when, then| {
            when.path("/v1/people/me")
                .header("authorization", "Bearer OLD");
            then.status(401).body(r#"{"message":"token expired"}"#);
        })
        .await;
    let accepted = server
        .mock_async(|when, then| {
            when.path("/v1/people/me")
                .header("authorization", "Bearer NEW");
            then.status(200).body(r#"{"id":"P1"}"#);
        })
        .await;
    let token_endpoint = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/v1/access_token")
                .header("content-type", "application/x-www-form-urlencoded")
                .header_missing("authorization")
                .body("grant_type=refresh_token&client_id=C1&client_secret=S1&refresh_token=R1");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"access_token":"NEW","expires_in":1209599,"refresh_token":"R2"}"#);
        })
        .await;
    let tokens = tokens_for(&server)?;
    let stack = stack_for(&server, &tokens)?;

    let (status, body) = send(&stack, request(Method::GET, "/people/me", "")).await?;
    assert_eq!(status, 200);
    assert_eq!(body, r#"{"id":"P1"}"#);
    assert_eq!(token_endpoint.calls_async().await, 1, "one token request");
    assert_eq!(
        rejected.calls_async().await,
        1,
        "the first try had the old token"
    );
    assert_eq!(
        accepted.calls_async().await,
        1,
        "the replay had the new one"
    );
    assert_eq!(tokens.generation(), 1);

    // The next call goes out with the new token at once.
    let (status, _) = send(&stack, request(Method::GET, "/people/me", "")).await?;
    assert_eq!(status, 200);
    assert_eq!(accepted.calls_async().await, 2);
    assert_eq!(rejected.calls_async().await, 1);
    assert_eq!(token_endpoint.calls_async().await, 1);
    Ok(())
}

#[tokio::test]
async fn over_a_bare_hyper_client_a_post_is_replayed_with_the_same_body() -> TestResult {
    let (server, log) =
        scripted_server("/v1/messages", vec![rate_limited(), ok(r#"{"id":"M1"}"#)]).await;
    let stack = stack_for(&server, &tokens_for(&server)?)?;

    let mut post = request(Method::POST, "/messages", r#"{"roomId":"R1","text":"hi"}"#);
    post.headers_mut()
        .insert(CONTENT_TYPE, "application/json".parse()?);
    let (status, body) = send(&stack, post).await?;
    assert_eq!(status, 200);
    assert_eq!(body, r#"{"id":"M1"}"#);
    let seen = log.all();
    assert_eq!(seen.len(), 2, "exactly two requests");
    for received in &seen {
        assert_eq!(received.body, r#"{"roomId":"R1","text":"hi"}"#);
        assert_eq!(received.headers[CONTENT_TYPE], "application/json");
        assert_eq!(received.headers[AUTHORIZATION], "Bearer OLD");
    }
    Ok(())
}

#[tokio::test]
async fn over_a_bare_hyper_client_the_token_stays_on_its_origin() -> TestResult {
    let (server, log) = scripted_server("/v1/people/me", vec![ok("{}")]).await;
    let (elsewhere, elsewhere_log) = scripted_server("/v1/people/me", vec![ok("{}")]).await;
    let stack = stack_for(&server, &tokens_for(&server)?)?;

    let (status, _) = send(&stack, request(Method::GET, "/people/me", "")).await?;
    assert_eq!(status, 200);
    let other_origin = elsewhere.url("/v1/people/me");
    let (status, _) = send(&stack, request(Method::GET, &other_origin, "")).await?;
    assert_eq!(status, 200);
    assert_eq!(log.authorizations(), [Some("Bearer OLD".into())]);
    assert_eq!(elsewhere_log.authorizations(), [None]);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Our whole client inside an axum app.

/// A service of the user's own: `GET /me` answers with the Webex caller, fetched through
/// `webex` and streamed on as it comes.
fn app(webex: HttpClient) -> Router {
    Router::new().route("/me", get(me)).with_state(webex)
}

async fn me(State(webex): State<HttpClient>) -> Result<axum::response::Response, StatusCode> {
    let upstream = webex
        .get("/people/me")
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;
    let (parts, body) = upstream.into_parts();
    let mut response = axum::response::Response::new(axum::body::Body::new(body));
    *response.status_mut() = parts.status;
    if let Some(content_type) = parts.headers.get(CONTENT_TYPE) {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, content_type.clone());
    }
    Ok(response)
}

/// Serves `router` on a free loopback port until the test ends.
async fn serve(router: Router) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(addr)
}

/// `GET http://{addr}{path}` with a plain hyper client; the response, its body unread.
async fn get_from(
    addr: SocketAddr,
    path: &str,
) -> Result<Response<hyper::body::Incoming>, BoxError> {
    let client: HyperClient<HttpConnector, Empty<Bytes>> =
        HyperClient::builder(TokioExecutor::new()).build_http();
    let uri = format!("http://{addr}{path}");
    Ok(bounded(client.get(uri.parse()?)).await?)
}

#[tokio::test]
async fn an_axum_app_serves_the_webex_caller_through_the_whole_stack() -> TestResult {
    let emulator = bounded(Emulator::start()).await?;
    let webex = HttpClient::builder()
        .base_url(emulator.base_url())?
        .access_token(emulator.access_token())
        .build()?;
    let addr = bounded(serve(app(webex))).await?;

    let before = emulator.request_count();
    let response = get_from(addr, "/me").await?;
    assert_eq!(response.status(), 200);
    let content_type = response.headers()[CONTENT_TYPE].to_str()?;
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let body = bounded(response.into_body().collect()).await?.to_bytes();
    let person: Person = serde_json::from_slice(&body)?;
    assert_eq!(person, emulator.me());
    assert_eq!(emulator.request_count() - before, 1);
    Ok(())
}

/// An upstream API whose `GET /v1/people/me` answers at once and then sends its body in the
/// chunks the test feeds it, ending when the sender is dropped.
async fn streaming_upstream() -> std::io::Result<(SocketAddr, tokio::sync::mpsc::Sender<Bytes>)> {
    let (chunks, receiver) = tokio::sync::mpsc::channel::<Bytes>(4);
    let receiver = Arc::new(Mutex::new(Some(receiver)));
    let router = Router::new().route(
        "/v1/people/me",
        get(move || {
            let receiver = receiver.lock().unwrap().take();
            async move {
                let Some(receiver) = receiver else {
                    return Err(StatusCode::GONE);
                };
                let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
                    let chunk = receiver.recv().await?;
                    Some((Ok::<_, Infallible>(chunk), receiver))
                });
                let mut response =
                    axum::response::Response::new(axum::body::Body::from_stream(stream));
                response
                    .headers_mut()
                    .insert(CONTENT_TYPE, "application/json".parse().unwrap());
                Ok(response)
            }
        }),
    );
    Ok((serve(router).await?, chunks))
}

#[tokio::test]
async fn an_axum_app_streams_the_upstream_body_as_it_comes() -> TestResult {
    let (upstream, chunks) = bounded(streaming_upstream()).await?;
    let webex = HttpClient::builder()
        .base_url(&format!("http://{upstream}/v1"))?
        .access_token("t")
        .build()?;
    let addr = bounded(serve(app(webex))).await?;

    let first = Bytes::from_static(br#"{"id":"P1","#);
    let rest = Bytes::from_static(br#""displayName":"Ada Lovelace"}"#);
    chunks.send(first.clone()).await?;
    let response = get_from(addr, "/me").await?;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
    let mut body = response.into_body();

    // The first chunk comes through while the upstream body is still open: nothing waits for
    // its end.
    let mut received = Vec::new();
    while received.len() < first.len() {
        let frame = bounded(body.frame())
            .await
            .expect("the first chunk, before the upstream body ends")?;
        if let Ok(data) = frame.into_data() {
            received.extend_from_slice(&data);
        }
    }
    assert_eq!(received, first);

    chunks.send(rest.clone()).await?;
    drop(chunks);
    received.extend_from_slice(&bounded(body.collect()).await?.to_bytes());
    let person: Person = serde_json::from_slice(&received)?;
    assert_eq!(person.id, "P1");
    assert_eq!(person.display_name.as_deref(), Some("Ada Lovelace"));
    Ok(())
}
