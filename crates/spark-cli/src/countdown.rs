//! What a layer under the retry does with each attempt's answer: a 429 (or 423) with
//! `Retry-After` starts a countdown on stderr for the wait the retry is about to make.

use std::time::SystemTime;

use http::Response;
use spark_api::http::ResponseBody;

use crate::progress::Progress;

/// The function for tower's `MapResponseLayer`: passes every answer on unchanged, starting a
/// countdown for those that ask to wait.
pub(crate) fn announce(
    progress: Progress,
) -> impl Fn(Response<ResponseBody>) -> Response<ResponseBody> + Clone + Send + Sync + 'static {
    move |response| {
        let status = response.status().as_u16();
        if progress.enabled()
            && matches!(status, 429 | 423)
            && let Some(wait) =
                spark_api::http::retry::parse_retry_after(response.headers(), SystemTime::now())
        {
            progress.countdown(status, wait);
        }
        response
    }
}
