//! Progress on stderr for people at a terminal: a bar with bytes, rate and time left for
//! uploads and downloads, a spinner with pages and items for long listings, and a countdown
//! while a 429 is waited out. Nothing is drawn when stderr is not a terminal or with
//! `--no-progress`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether progress is drawn, and the factories of its bars.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Progress {
    enabled: bool,
}

impl Progress {
    /// Drawn only when stderr is a terminal and `--no-progress` was not given.
    pub(crate) fn new(no_progress: bool) -> Self {
        Self {
            enabled: !no_progress && std::io::stderr().is_terminal(),
        }
    }

    /// Whether anything is drawn.
    pub(crate) fn enabled(&self) -> bool {
        self.enabled
    }

    fn bar(&self, style: ProgressStyle, length: Option<u64>) -> ProgressBar {
        if !self.enabled {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr());
        bar.set_style(style);
        bar
    }

    /// A transfer's bar: bytes, rate and time left (`label` before it).
    pub(crate) fn bytes(&self, label: &str) -> ProgressBar {
        let style = ProgressStyle::with_template(
            "{msg} [{bar:30.cyan/blue}] {bytes}/{total_bytes} {bytes_per_sec} {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        let bar = self.bar(style, None);
        bar.set_message(label.to_owned());
        bar
    }

    /// A download's bar (`label` before it) and the callback for
    /// [`DownloadOptions::on_progress`](spark_api::DownloadOptions::on_progress) that moves it.
    pub(crate) fn download(
        &self,
        label: &str,
    ) -> (
        ProgressBar,
        impl Fn(spark_api::Progress) + Send + Sync + 'static,
    ) {
        let bar = self.bytes(label);
        let shown = bar.clone();
        let follow = move |progress: spark_api::Progress| {
            if let Some(total) = progress.total {
                shown.set_length(total);
            }
            shown.set_position(progress.done);
        };
        (bar, follow)
    }

    /// A listing's spinner: pages and items fetched.
    pub(crate) fn pages(&self) -> ProgressBar {
        let style = ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bar = self.bar(style, None);
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    /// Counts down `wait` while a rate limit (`status`) is waited out, then clears itself.
    pub(crate) fn countdown(&self, status: u16, wait: Duration) {
        if !self.enabled || wait.is_zero() {
            return;
        }
        let style = ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bar = self.bar(style, None);
        let reason = if status == 423 {
            "the file is still being scanned"
        } else {
            "rate limited"
        };
        tokio::spawn(async move {
            let end = tokio::time::Instant::now() + wait;
            loop {
                let left = end.saturating_duration_since(tokio::time::Instant::now());
                if left.is_zero() {
                    break;
                }
                bar.set_message(format!(
                    "{reason} ({status}): retrying in {} s",
                    left.as_secs() + 1
                ));
                bar.tick();
                tokio::time::sleep(left.min(Duration::from_millis(250))).await;
            }
            bar.finish_and_clear();
        });
    }
}
