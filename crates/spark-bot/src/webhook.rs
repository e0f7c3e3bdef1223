//! [`WebhookReceiver`]: a tower `Service` that takes Webex webhook deliveries, checks them and
//! hands the typed event to an [`EventHandler`].
//!
//! Each delivery is checked before anything else is done with it: a request without
//! `X-Spark-Signature` is refused (403) before its body is read; a body announced (or found,
//! while reading) larger than the limit is refused (413) without being read whole; the
//! signature (lowercase hex HMAC-SHA1 of the raw body keyed by the webhook's secret,
//! [`spark_api::webhook::verify`]) must match (403 otherwise). A good delivery is answered at
//! once: 204 when handed on or of a kind bots do not handle, 400 when it is not a delivery,
//! 503 when the handler's queue is full. The handler is never called for a refused delivery.
//! The body must arrive within the read timeout (default 10 s; 408 otherwise).
//!
//! Mount it in axum with `Router::route_service("/webhook", receiver)`, or serve it with hyper
//! through `hyper_util::service::TowerToHyperService`.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body::Body;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use spark_http::SecretString;
use spark_model::{WebhookEvent, WebhookResource};

use crate::error::{Error, Result};
use crate::event::{Event, EventKind, Source};
use crate::handler::EventHandler;

/// The largest delivery body taken unless set otherwise: 1 MiB (deliveries are a few KB).
pub const DEFAULT_WEBHOOK_BODY_LIMIT: usize = 1 << 20;

/// A webhook receiver. Clones share the handler.
///
/// A tower `Service` that takes Webex webhook deliveries, checks them and
/// hands the typed event to an [`EventHandler`].
///
/// Each delivery is checked before anything else is done with it: a request without
/// `X-Spark-Signature` is refused (403) before its body is read; a body announced (or found,
/// while reading) larger than the limit is refused (413) without being read whole; the
/// signature (lowercase hex HMAC-SHA1 of the raw body keyed by the webhook's secret,
/// [`spark_api::webhook::verify`]) must match (403 otherwise). A good delivery is answered at
/// once: 204 when handed on or of a kind bots do not handle, 400 when it is not a delivery,
/// 503 when the handler's queue is full. The handler is never called for a refused delivery.
/// The body must arrive within the read timeout (default 10 s; 408 otherwise).
///
/// Mount it in axum with `Router::route_service("/webhook", receiver)`, or serve it with hyper
/// through `hyper_util::service::TowerToHyperService`.
///
#[derive(Clone)]
pub struct WebhookReceiver {
    secret: SecretString,
    handler: Arc<dyn EventHandler>,
    limit: usize,
    read_timeout: Duration,
}

impl std::fmt::Debug for WebhookReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookReceiver")
            .field("secret", &self.secret)
            .field("limit", &self.limit)
            .field("read_timeout", &self.read_timeout)
            .finish_non_exhaustive()
    }
}

impl WebhookReceiver {
    /// A receiver checking deliveries with `secret` (the webhook's) and handing them to
    /// `handler`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the secret is empty or only whitespace: anyone could sign with it.
    pub fn new(secret: &str, handler: Arc<dyn EventHandler>) -> Result<Self> {
        if secret.trim().is_empty() {
            return Err(Error::Config(
                "the webhook secret is empty or only whitespace".to_owned(),
            ));
        }
        Ok(Self {
            secret: SecretString::new(secret),
            handler,
            limit: DEFAULT_WEBHOOK_BODY_LIMIT,
            read_timeout: Duration::from_secs(10),
        })
    }

    /// Refuses bodies larger than this many bytes (default [`DEFAULT_WEBHOOK_BODY_LIMIT`]).
    #[must_use]
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.limit = bytes;
        self
    }

    /// Bounds the wait for the whole body (default 10 s).
    #[must_use]
    pub fn read_timeout(mut self, limit: Duration) -> Self {
        self.read_timeout = limit;
        self
    }

    async fn receive<B>(self, request: Request<B>) -> Response<Full<Bytes>>
    where
        B: Body + Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        if request.method() != Method::POST {
            return answer(StatusCode::METHOD_NOT_ALLOWED);
        }
        let Some(signature) = request
            .headers()
            .get(spark_api::webhook::SIGNATURE_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
        else {
            tracing::warn!("webhook delivery without a signature: refused");
            return answer(StatusCode::FORBIDDEN);
        };
        let declared = request
            .headers()
            .get(http::header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if declared.is_some_and(|length| length > self.limit as u64) {
            return answer(StatusCode::PAYLOAD_TOO_LARGE);
        }
        let read = Limited::new(request.into_body(), self.limit).collect();
        let body = match tokio::time::timeout(self.read_timeout, read).await {
            Err(_) => return answer(StatusCode::REQUEST_TIMEOUT),
            Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => {
                return answer(StatusCode::PAYLOAD_TOO_LARGE);
            }
            Ok(Err(_)) => return answer(StatusCode::BAD_REQUEST),
            Ok(Ok(collected)) => collected.to_bytes(),
        };
        let secret = self.secret.expose_secret().as_bytes();
        let delivery = match spark_api::webhook::verify_and_parse(secret, &body, &signature) {
            Ok(delivery) => delivery,
            Err(spark_api::webhook::WebhookError::Malformed(_)) => {
                return answer(StatusCode::BAD_REQUEST);
            }
            Err(error) => {
                tracing::warn!(%error, "webhook delivery refused");
                return answer(StatusCode::FORBIDDEN);
            }
        };
        let kind = match (delivery.resource.as_ref(), delivery.event.as_ref()) {
            (Some(WebhookResource::Messages), Some(WebhookEvent::Created)) => {
                EventKind::MessageCreated
            }
            (Some(WebhookResource::Messages), Some(WebhookEvent::Deleted)) => {
                EventKind::MessageDeleted
            }
            (Some(WebhookResource::AttachmentActions), Some(WebhookEvent::Created)) => {
                EventKind::CardSubmitted
            }
            (Some(WebhookResource::Memberships), Some(WebhookEvent::Created)) => {
                EventKind::MembershipAdded
            }
            (Some(WebhookResource::Memberships), Some(WebhookEvent::Deleted)) => {
                EventKind::MembershipRemoved
            }
            (Some(WebhookResource::Rooms), Some(WebhookEvent::Created)) => EventKind::RoomCreated,
            _ => return answer(StatusCode::NO_CONTENT),
        };
        let mut event = Event::new(kind, delivery.data, Source::Webhook);
        event.actor_id = delivery.actor_id;
        match self.handler.handle(event) {
            Ok(()) => answer(StatusCode::NO_CONTENT),
            Err(rejected) => {
                tracing::warn!(%rejected, "webhook delivery not handled");
                answer(StatusCode::SERVICE_UNAVAILABLE)
            }
        }
    }
}

fn answer(status: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = status;
    response
}

impl<B> tower::Service<Request<B>> for WebhookReceiver
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut TaskContext<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let receiver = self.clone();
        Box::pin(async move { Ok(receiver.receive(request).await) })
    }
}
