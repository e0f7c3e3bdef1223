//! File scanning, as live Webex does it after an upload: the content URL answers 423 Locked with
//! `Retry-After` while the scan lasts, then 428 for a file that could not be scanned (unless the
//! download asks `?allow=unscannable`), 410 Gone for an infected one, the file for a clean one.
//!
//! Sources: DESIGN.md §1 (423 "file still being scanned; may carry `Retry-After`", 428 "file
//! unscannable; download with `?allow=unscannable`"); webex/webex-js-sdk#1401 (files being
//! scanned answer 423, infected ones 410).

use std::time::Duration;

use http::StatusCode;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::errors::{Failure, Outcome};

/// What the scan of an uploaded file finds, once it is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ScanVerdict {
    /// The file is served.
    #[default]
    Clean,
    /// 428 Precondition Required, unless the download asks `?allow=unscannable`.
    Unscannable,
    /// 410 Gone.
    Infected,
}

/// The scan of one file: when it ends and what it finds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scan {
    pub(crate) ends_at: Instant,
    pub(crate) verdict: ScanVerdict,
}

impl Scan {
    /// A scan that starts now and lasts `scan_time`.
    pub(crate) fn starting_now(scan_time: Duration) -> Self {
        let now = Instant::now();
        Self {
            ends_at: now.checked_add(scan_time).unwrap_or(now),
            verdict: ScanVerdict::Clean,
        }
    }

    /// A scan that is over, with this verdict.
    pub(crate) fn done(verdict: ScanVerdict) -> Self {
        Self {
            ends_at: Instant::now(),
            verdict,
        }
    }

    /// Whether the file may be served now; the refusal in the live shape if not.
    pub(crate) fn check(&self, allow_unscannable: bool) -> Outcome<()> {
        let left = self.ends_at.saturating_duration_since(Instant::now());
        if !left.is_zero() {
            // Whole seconds, rounded up, and at least 1: the header takes integers.
            let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            return Err(Failure::new(
                StatusCode::LOCKED,
                "The file is being scanned for malware; try again after the time given in Retry-After.",
            )
            .header("retry-after", secs.max(1).to_string()));
        }
        match self.verdict {
            ScanVerdict::Clean => Ok(()),
            ScanVerdict::Unscannable if allow_unscannable => Ok(()),
            ScanVerdict::Unscannable => Err(Failure::new(
                StatusCode::PRECONDITION_REQUIRED,
                "The file could not be scanned for malware; download it with ?allow=unscannable.",
            )),
            ScanVerdict::Infected => Err(Failure::new(
                StatusCode::GONE,
                "The file was found to be infected and is no longer available.",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn locked_while_scanning_then_the_verdict() {
        let mut scan = Scan::starting_now(Duration::from_millis(1500));
        let locked = scan.check(false).unwrap_err();
        assert_eq!(locked.status, StatusCode::LOCKED);
        assert_eq!(locked.headers, vec![("retry-after", "2".to_owned())]);
        tokio::time::advance(Duration::from_millis(1500)).await;
        assert!(scan.check(false).is_ok());
        scan.verdict = ScanVerdict::Unscannable;
        assert_eq!(
            scan.check(false).unwrap_err().status,
            StatusCode::PRECONDITION_REQUIRED
        );
        assert!(scan.check(true).is_ok());
        scan.verdict = ScanVerdict::Infected;
        assert_eq!(scan.check(true).unwrap_err().status, StatusCode::GONE);
    }
}
