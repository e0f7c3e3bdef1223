//! Rate-limit-aware retry: the layer, its policy, the `Retry-After` reader and the retry budget.
//!
//! The layer sits above authentication, so each attempt carries the current token, and below the
//! response hooks, so hooks see only the final answer. A request is retried only when its body
//! can be sent again (see [`Body::try_clone`]); a streamed body is sent once.
//!
//! [`Body::try_clone`]: crate::Body::try_clone

mod budget;
mod policy;
mod retry_after;

use std::sync::Arc;
use std::task::{Context, Poll};

use http::{Request, Response};
use tower::{Layer, Service, ServiceExt};

pub use budget::RetryBudget;
pub(crate) use policy::Decision;
pub use policy::RetryPolicy;
pub use retry_after::parse_retry_after;

use crate::body::{Body, try_clone_request};
use crate::error::Error;
use crate::response::ResponseBody;
use crate::service::BoxFuture;

/// The number of an attempt, counting from 1.
///
/// On a request it says which attempt this is (tracing and user layers can read it); on the
/// final response it says how many attempts were made. It is set from the second attempt on:
/// absent means the first, which keeps the common path free of allocations. Read it with
/// [`Attempt::of_request`] and [`Attempt::of_response`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt(pub u32);

impl Attempt {
    /// The attempt a request is (1 when not marked).
    pub fn of_request<B>(request: &http::Request<B>) -> u32 {
        request
            .extensions()
            .get::<Attempt>()
            .map_or(1, |attempt| attempt.0)
    }

    /// How many attempts a response took (1 when not marked).
    pub fn of_response<B>(response: &http::Response<B>) -> u32 {
        response
            .extensions()
            .get::<Attempt>()
            .map_or(1, |attempt| attempt.0)
    }
}

/// A [`Layer`] that retries calls by a [`RetryPolicy`].
#[derive(Clone, Debug, Default)]
pub struct RetryLayer {
    policy: Arc<RetryPolicy>,
}

impl RetryLayer {
    /// A layer retrying by `policy`.
    pub fn new(policy: RetryPolicy) -> Self {
        Self {
            policy: Arc::new(policy),
        }
    }
}

impl<S> Layer<S> for RetryLayer {
    type Service = Retry<S>;

    fn layer(&self, inner: S) -> Retry<S> {
        Retry {
            inner,
            policy: self.policy.clone(),
        }
    }
}

/// The service made by [`RetryLayer`].
#[derive(Clone, Debug)]
pub struct Retry<S> {
    inner: S,
    policy: Arc<RetryPolicy>,
}

impl<S> Retry<S> {
    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The wrapped service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Unwraps the service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S> Service<Request<Body>> for Retry<S>
where
    S: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response<ResponseBody>;
    type Error = Error;
    type Future = BoxFuture<Response<ResponseBody>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        // Readiness is awaited per attempt, inside the call.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let inner = self.inner.clone();
        let policy = self.policy.clone();
        Box::pin(retry_loop(inner, policy, request))
    }
}

async fn retry_loop<S>(
    mut inner: S,
    policy: Arc<RetryPolicy>,
    mut request: Request<Body>,
) -> Result<Response<ResponseBody>, Error>
where
    S: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>,
{
    let method = request.method().clone();
    let mut attempt = 1;
    loop {
        let spare = if attempt < policy.attempts() {
            try_clone_request(&request)
        } else {
            None
        };
        if attempt > 1 {
            request.extensions_mut().insert(Attempt(attempt));
        }
        let outcome = inner.ready().await?.call(request).await;
        let decision = match &outcome {
            Ok(response) => {
                policy.after_response(&method, response.status(), response.headers(), attempt)
            }
            Err(error) => policy.after_error(&method, error, attempt),
        };
        let (Some(next), Decision::Retry { wait, budgeted }) = (spare, decision) else {
            if let (Some(budget), Ok(response)) = (policy.retry_budget(), &outcome)
                && attempt == 1
                && !response.status().is_server_error()
            {
                budget.deposit();
            }
            return with_attempts(outcome, attempt);
        };
        if budgeted
            && let Some(budget) = policy.retry_budget()
            && !budget.try_spend()
        {
            tracing::debug!(attempt, "retry budget exhausted; returning the failure");
            return with_attempts(outcome, attempt);
        }
        tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
        if let Ok(response) = outcome {
            response.into_body().drain().await;
        }
        if wait.is_zero() {
            // The timer's 1 ms resolution would turn "retry now" into a 1 ms pause.
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(wait).await;
        }
        request = next;
        attempt += 1;
    }
}

/// Notes on the final response how many attempts were made.
fn with_attempts(
    outcome: Result<Response<ResponseBody>, Error>,
    attempts: u32,
) -> Result<Response<ResponseBody>, Error> {
    outcome.map(|mut response| {
        if attempts > 1 {
            response.extensions_mut().insert(Attempt(attempts));
        }
        response
    })
}
