//! Closing at once an HTTP/1 connection whose request was given up while its body was still
//! being sent.
//!
//! hyper notices a request given up and closes its connection, but it first flushes what it
//! holds of the request body; a server that stopped reading never lets that flush end, so the
//! connection task, its socket and the body (an open file) would stay for good. Every
//! connection the transport makes carries a [`CutSwitch`] (handed to hyper-util as extra
//! connection data); a request with a streamed body captures its connection, and when its
//! future is dropped before the answer came, [`CutOnDrop`] throws the switch: the connection's
//! reads and writes fail from then on, so hyper drops it, and the body with it, at once.
//! HTTP/2 connections are left alone: there a request given up is reset on its own stream.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures_util::task::AtomicWaker;
use hyper_util::client::legacy::connect::CaptureConnection;

/// Shared by a connection and the requests that capture it.
#[derive(Debug, Default)]
pub(crate) struct CutSwitch {
    cut: AtomicBool,
    /// The connection's task, last seen waiting on its socket.
    connection: AtomicWaker,
}

/// A connection's switch as hyper-util keeps it beside the connection.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConnectionCut(pub(crate) Arc<CutSwitch>);

impl CutSwitch {
    /// Cuts the connection: its next read or write fails; its task is woken to see it.
    fn cut(&self) {
        self.cut.store(true, Ordering::Release);
        self.connection.wake();
    }

    /// An I/O call of the connection, unless it has been cut; a call that has to wait leaves the
    /// task's waker here, so that a cut wakes it.
    pub(crate) fn io<T>(
        &self,
        cx: &mut Context<'_>,
        call: impl FnOnce(&mut Context<'_>) -> Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if self.cut.load(Ordering::Acquire) {
            return Poll::Ready(Err(given_up()));
        }
        let polled = call(cx);
        if polled.is_pending() {
            self.connection.register(cx.waker());
            // A cut between the check and the registration would find no waker to wake.
            if self.cut.load(Ordering::Acquire) {
                return Poll::Ready(Err(given_up()));
            }
        }
        polled
    }
}

fn given_up() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "the request on this connection was given up while its body was being sent",
    )
}

/// Throws the switch of the captured connection when dropped before [`CutOnDrop::answered`].
#[derive(Debug)]
pub(crate) struct CutOnDrop {
    capture: Option<CaptureConnection>,
}

impl CutOnDrop {
    /// Watches the connection `capture` will see the request go out on.
    pub(crate) fn new(capture: CaptureConnection) -> Self {
        Self {
            capture: Some(capture),
        }
    }

    /// The answer came: the connection is left to hyper.
    pub(crate) fn answered(&mut self) {
        self.capture = None;
    }
}

impl Drop for CutOnDrop {
    fn drop(&mut self) {
        let Some(capture) = self.capture.take() else {
            return;
        };
        let connected = capture.connection_metadata();
        let Some(connected) = connected.as_ref() else {
            return; // no connection yet: nothing was sent
        };
        if connected.is_negotiated_h2() {
            return;
        }
        let mut extras = http::Extensions::new();
        connected.get_extras(&mut extras);
        if let Some(ConnectionCut(switch)) = extras.get::<ConnectionCut>() {
            switch.cut();
        }
    }
}
