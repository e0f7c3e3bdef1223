//! [`RetryLayer`] and its service and future: each attempt sent on the inner service, the answer
//! judged by the [`RetryPolicy`], the next attempt made after the wait it asks for.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{Method, Request, Response};
use tower::{Layer, Service};

use super::policy::{Decision, RetryPolicy};
use crate::error::{BoxError, Error};
use crate::request_body::{RequestBody, try_clone_request};
use crate::response::drain;

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
///
/// ```
/// use spark_http::{RetryLayer, RetryPolicy};
/// use tower::ServiceBuilder;
///
/// let service = ServiceBuilder::new()
///     .layer(RetryLayer::new(RetryPolicy::default().max_attempts(3)))
///     .service(tower::service_fn(|_request: http::Request<String>| async {
///         Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
///     }));
/// # let _ = service;
/// ```
#[derive(Clone, Debug, Default)]
pub struct RetryLayer {
    policy: Arc<RetryPolicy>,
}

impl RetryLayer {
    /// A layer retrying by `policy`.
    pub fn new(policy: RetryPolicy) -> Self {
        Self::shared(Arc::new(policy))
    }

    pub(crate) fn shared(policy: Arc<RetryPolicy>) -> Self {
        Self { policy }
    }
}

impl<S> Layer<S> for RetryLayer {
    type Service = Retry<S>;

    fn layer(&self, inner: S) -> Retry<S> {
        Retry::shared(inner, self.policy.clone())
    }
}

/// Retries calls on the inner service by a [`RetryPolicy`] (see [`crate::retry`]).
///
/// A request is replayed only when its body can be copied ([`RequestBody::try_clone_body`]); one
/// that cannot is sent once and its answer handed back as it came. The answer of an attempt that
/// is retried is read to its end when small (so the connection is reused) and dropped otherwise.
/// The final response carries the number of attempts ([`Attempt::of_response`]).
///
/// # Errors
///
/// The last attempt's error, converted with [`Error::from_service_error`]. A final 429 or 423 is
/// handed back as a response, not an error.
#[derive(Clone, Debug)]
pub struct Retry<S> {
    inner: S,
    policy: Arc<RetryPolicy>,
}

impl<S> Retry<S> {
    /// Retries calls on `inner` by `policy`.
    pub fn new(inner: S, policy: RetryPolicy) -> Self {
        Self::shared(inner, Arc::new(policy))
    }

    pub(crate) fn shared(inner: S, policy: Arc<RetryPolicy>) -> Self {
        Self { inner, policy }
    }

    /// The policy.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

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

impl<S, ReqB, ResB> Service<Request<ReqB>> for Retry<S>
where
    S: Service<Request<ReqB>, Response = Response<ResB>> + Clone,
    S::Error: Into<BoxError>,
    ReqB: RequestBody,
    ResB: http_body::Body + Send + 'static,
{
    type Response = Response<ResB>;
    type Error = Error;
    type Future = RetryFuture<S, ReqB>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(Error::from_service_error)
    }

    fn call(&mut self, request: Request<ReqB>) -> Self::Future {
        // The service made ready by `poll_ready` takes the first attempt and keeps the later
        // ones; a clone takes its place here.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let spare = if self.policy.attempts() > 1 {
            try_clone_request(&request)
        } else {
            None
        };
        let method = request.method().clone();
        let call = inner.call(request);
        RetryFuture {
            state: State::Calling { call },
            inner,
            policy: self.policy.clone(),
            method,
            spare,
            attempt: 1,
        }
    }
}

type Drain = Pin<Box<dyn Future<Output = ()> + Send>>;

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<F> {
        /// An attempt in flight.
        Calling { #[pin] call: F },
        /// Reading the end of an answer that is retried, then waiting `wait`.
        Draining { drain: Drain, wait: Duration },
        /// Waiting before the next attempt (`None`: a zero wait, after one yield).
        Waiting { #[pin] sleep: Option<tokio::time::Sleep>, yielded: bool },
        /// Waiting for the inner service to take the next attempt.
        Readying,
    }
}

pin_project_lite::pin_project! {
    /// The future of a [`Retry`] call.
    pub struct RetryFuture<S, ReqB>
    where
        S: Service<Request<ReqB>>,
    {
        #[pin]
        state: State<S::Future>,
        inner: S,
        policy: Arc<RetryPolicy>,
        method: Method,
        // While an attempt is in flight, a copy of its request kept for the next one; while
        // waiting to retry, the request of the next attempt.
        spare: Option<Request<ReqB>>,
        attempt: u32,
    }
}

impl<S, ReqB> std::fmt::Debug for RetryFuture<S, ReqB>
where
    S: Service<Request<ReqB>>,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryFuture")
            .field("method", &self.method)
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

impl<S, ReqB, ResB> Future for RetryFuture<S, ReqB>
where
    S: Service<Request<ReqB>, Response = Response<ResB>>,
    S::Error: Into<BoxError>,
    ReqB: RequestBody,
    ResB: http_body::Body + Send + 'static,
{
    type Output = Result<Response<ResB>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        loop {
            let next_state = match this.state.as_mut().project() {
                StateProj::Calling { call } => {
                    let outcome =
                        std::task::ready!(call.poll(cx)).map_err(Error::from_service_error);
                    let attempt = *this.attempt;
                    let policy = &**this.policy;
                    let decision = match &outcome {
                        Ok(response) => policy.after_response(
                            this.method,
                            response.status(),
                            response.headers(),
                            attempt,
                        ),
                        Err(error) => policy.after_error(this.method, error, attempt),
                    };
                    let retry = match (this.spare.take(), decision) {
                        (Some(next), Decision::Retry { wait, budgeted }) => {
                            let spent = !budgeted
                                || policy
                                    .retry_budget()
                                    .is_none_or(|budget| budget.try_spend());
                            if !spent {
                                tracing::debug!(
                                    attempt,
                                    "retry budget exhausted; returning the failure"
                                );
                            }
                            spent.then_some((next, wait))
                        }
                        _ => None,
                    };
                    let Some((next, wait)) = retry else {
                        if let (Some(budget), Ok(response)) = (policy.retry_budget(), &outcome)
                            && attempt == 1
                            && !response.status().is_server_error()
                        {
                            budget.deposit();
                        }
                        return Poll::Ready(with_attempts(outcome, attempt));
                    };
                    tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
                    *this.spare = Some(next);
                    match outcome {
                        Ok(response) => State::Draining {
                            drain: Box::pin(drain(response.into_body())),
                            wait,
                        },
                        Err(_) => waiting(wait),
                    }
                }
                StateProj::Draining { drain, wait } => {
                    std::task::ready!(drain.as_mut().poll(cx));
                    waiting(*wait)
                }
                StateProj::Waiting { sleep, yielded } => {
                    match sleep.as_pin_mut() {
                        Some(sleep) => std::task::ready!(sleep.poll(cx)),
                        // The timer's 1 ms resolution would turn "retry now" into a 1 ms pause.
                        None if !*yielded => {
                            *yielded = true;
                            cx.waker().wake_by_ref();
                            return Poll::Pending;
                        }
                        None => {}
                    }
                    State::Readying
                }
                StateProj::Readying => {
                    std::task::ready!(this.inner.poll_ready(cx))
                        .map_err(Error::from_service_error)?;
                    *this.attempt += 1;
                    let Some(mut request) = this.spare.take() else {
                        unreachable!("the next request is set before waiting");
                    };
                    request.extensions_mut().insert(Attempt(*this.attempt));
                    if *this.attempt < this.policy.attempts() {
                        *this.spare = try_clone_request(&request);
                    }
                    State::Calling {
                        call: this.inner.call(request),
                    }
                }
            };
            this.state.set(next_state);
        }
    }
}

fn waiting<F>(wait: Duration) -> State<F> {
    State::Waiting {
        sleep: (!wait.is_zero()).then(|| tokio::time::sleep(wait)),
        yielded: false,
    }
}

/// Notes on the final response how many attempts were made.
fn with_attempts<B>(
    outcome: Result<Response<B>, Error>,
    attempts: u32,
) -> Result<Response<B>, Error> {
    outcome.map(|mut response| {
        if attempts > 1 {
            response.extensions_mut().insert(Attempt(attempts));
        }
        response
    })
}
