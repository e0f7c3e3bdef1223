//! Rate-limit-aware retry: the layer, its policy, the `Retry-After` reader and the retry budget.
//!
//! The layer sits above authentication, so each attempt carries the current token, and below the
//! response hooks, so hooks see only the final answer. A request is retried only when its body
//! can be sent again (see [`RequestBody::try_clone_body`]); a streamed body is sent once.
//!
//! [`RequestBody::try_clone_body`]: crate::RequestBody::try_clone_body

mod budget;
mod layer;
mod policy;
mod retry_after;

pub use budget::RetryBudget;
pub use layer::{Attempt, Retry, RetryFuture, RetryLayer};
pub use policy::RetryPolicy;
pub use retry_after::parse_retry_after;
