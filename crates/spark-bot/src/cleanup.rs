//! Deleting a device registered for a stream whose `connect` was abandoned (the caller's
//! future dropped while the socket was being opened or authorized): a guard armed between the
//! registration and the stream's start, whose drop deletes the device in a spawned task,
//! within the cleanup timeout.

use std::time::Duration;

use crate::device::DeviceApi;

/// Deletes the device at `url` when dropped armed.
pub(crate) struct DeleteOnDrop {
    armed: Option<(DeviceApi, String)>,
    timeout: Duration,
}

impl DeleteOnDrop {
    pub(crate) fn new(api: DeviceApi, url: String, timeout: Duration) -> Self {
        Self {
            armed: Some((api, url)),
            timeout,
        }
    }

    /// The device is in other hands now: dropping the guard leaves it alone.
    pub(crate) fn disarm(mut self) {
        self.armed = None;
    }
}

impl Drop for DeleteOnDrop {
    fn drop(&mut self) {
        let Some((api, url)) = self.armed.take() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!("connect abandoned outside a runtime: the device is left registered");
            return;
        };
        let timeout = self.timeout;
        runtime.spawn(async move {
            match tokio::time::timeout(timeout, api.delete(&url)).await {
                Ok(Ok(())) => tracing::debug!("connect abandoned: its device deleted"),
                Ok(Err(error)) => tracing::warn!(%error, "connect abandoned: the device could not be deleted"),
                Err(_) => tracing::warn!(limit = ?timeout, "connect abandoned: deleting the device timed out"),
            }
        });
    }
}
