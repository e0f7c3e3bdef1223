//! Response hooks: the application's handlers for final answers, by status or by predicate
//! (run by [`HooksLayer`](crate::HooksLayer)).
//!
//! A hook sees the request's method and URI and the response's status and headers, after all
//! retries, and answers [`HookAction::Continue`] or [`HookAction::Replay`]. A replay sends the
//! whole call again (through retry and auth), at most [`ResponseHooks::max_replays`] times per
//! call, and only when the request body can be sent again.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use futures_util::future::BoxFuture as PlainBoxFuture;
use http::{HeaderMap, Method, StatusCode, Uri};

/// What a hook wants done with the answer it saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookAction {
    /// Hand the answer to the caller.
    Continue,
    /// Send the request again (bounded; ignored when the body cannot be replayed).
    Replay,
}

/// What a hook sees of a call's final answer.
#[derive(Debug, Clone)]
pub struct HookContext {
    /// The request's method.
    pub method: Method,
    /// The request's absolute URI.
    pub uri: Uri,
    /// The response's status.
    pub status: StatusCode,
    /// The response's headers.
    pub headers: HeaderMap,
}

type Matcher = Arc<dyn Fn(StatusCode, &HeaderMap) -> bool + Send + Sync>;
type Handler = Arc<dyn Fn(HookContext) -> PlainBoxFuture<'static, HookAction> + Send + Sync>;

#[derive(Clone)]
struct Hook {
    matcher: Matcher,
    handler: Handler,
}

/// The application's response hooks, in registration order.
///
/// ```
/// use http::StatusCode;
/// use spark_http::{HookAction, ResponseHooks};
///
/// let hooks = ResponseHooks::new()
///     .on_status(StatusCode::NOT_FOUND, |ctx| {
///         eprintln!("{} {} is gone", ctx.method, ctx.uri);
///         HookAction::Continue
///     })
///     .on_status_async(StatusCode::SERVICE_UNAVAILABLE, |_ctx| async {
///         // e.g. wait for a maintenance window to end, then try once more
///         HookAction::Replay
///     })
///     .on_match(|status, _headers| status.is_server_error(), |_ctx| HookAction::Continue);
/// assert_eq!(hooks.len(), 3);
/// ```
#[derive(Clone)]
pub struct ResponseHooks {
    hooks: Vec<Hook>,
    max_replays: u32,
}

impl Default for ResponseHooks {
    fn default() -> Self {
        Self {
            hooks: Vec::new(),
            max_replays: 1,
        }
    }
}

impl fmt::Debug for ResponseHooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseHooks")
            .field("hooks", &self.hooks.len())
            .field("max_replays", &self.max_replays)
            .finish()
    }
}

impl ResponseHooks {
    /// No hooks; at most one replay per call.
    pub fn new() -> Self {
        Self::default()
    }

    /// Calls `handler` for answers with `status`.
    pub fn on_status<F>(self, status: StatusCode, handler: F) -> Self
    where
        F: Fn(HookContext) -> HookAction + Send + Sync + 'static,
    {
        self.on_match(move |seen, _| seen == status, handler)
    }

    /// Calls the async `handler` for answers with `status`.
    pub fn on_status_async<F, Fut>(self, status: StatusCode, handler: F) -> Self
    where
        F: Fn(HookContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HookAction> + Send + 'static,
    {
        self.on_match_async(move |seen, _| seen == status, handler)
    }

    /// Calls `handler` for answers whose status and headers satisfy `predicate`.
    pub fn on_match<P, F>(self, predicate: P, handler: F) -> Self
    where
        P: Fn(StatusCode, &HeaderMap) -> bool + Send + Sync + 'static,
        F: Fn(HookContext) -> HookAction + Send + Sync + 'static,
    {
        self.on_match_async(predicate, move |ctx| std::future::ready(handler(ctx)))
    }

    /// Calls the async `handler` for answers whose status and headers satisfy `predicate`.
    pub fn on_match_async<P, F, Fut>(mut self, predicate: P, handler: F) -> Self
    where
        P: Fn(StatusCode, &HeaderMap) -> bool + Send + Sync + 'static,
        F: Fn(HookContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HookAction> + Send + 'static,
    {
        self.hooks.push(Hook {
            matcher: Arc::new(predicate),
            handler: Arc::new(move |ctx| Box::pin(handler(ctx))),
        });
        self
    }

    /// The most replays hooks may ask for in one call (1 by default).
    pub fn max_replays(mut self, replays: u32) -> Self {
        self.max_replays = replays;
        self
    }

    pub(crate) fn max_replays_allowed(&self) -> u32 {
        self.max_replays
    }

    /// The number of registered hooks.
    pub fn len(&self) -> usize {
        self.hooks.len()
    }

    /// True when no hook is registered.
    pub fn is_empty(&self) -> bool {
        self.hooks.is_empty()
    }

    /// Runs every matching hook in order; any `Replay` asks for a replay.
    pub(crate) async fn run(
        &self,
        method: &Method,
        uri: &Uri,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> HookAction {
        let mut action = HookAction::Continue;
        for hook in &self.hooks {
            if !(hook.matcher)(status, headers) {
                continue;
            }
            let context = HookContext {
                method: method.clone(),
                uri: uri.clone(),
                status,
                headers: headers.clone(),
            };
            if (hook.handler)(context).await == HookAction::Replay {
                action = HookAction::Replay;
            }
        }
        action
    }
}
