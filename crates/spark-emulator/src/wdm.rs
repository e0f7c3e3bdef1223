//! Device registrations (Webex's WDM service) and the websockets connected to them: the
//! registry every route and socket shares, and the socket faults.
//!
//! A device belongs to the person whose token registered it; each person may hold at most
//! [`SocketFaults::device_limit`] devices, past which registration is refused as live Webex
//! refuses it (`User has excessive device registrations`). The registry lives in the emulator's
//! state, under its lock.

use std::collections::HashMap;
use std::time::Duration;

use spark_model::Timestamp;
use tokio::sync::mpsc;

/// What a socket task is told to do.
#[derive(Debug)]
pub(crate) enum Push {
    /// Send this frame (JSON text) with this id.
    Frame { id: String, json: String },
    /// Cut the connection without a close frame, as a network failure; the last frame sent
    /// counts as not acknowledged and is sent again on the device's next socket.
    Drop,
    /// Close with this code and reason.
    Close(u16, String),
}

/// Frames a socket may have queued before it counts as stuck and is dropped.
pub(crate) const SOCKET_QUEUE: usize = 4096;

/// One registered device.
#[derive(Debug, Clone)]
pub(crate) struct Device {
    pub(crate) id: String,
    /// The person (REST id) whose token registered it.
    pub(crate) owner: String,
    /// The body it was registered (or last updated) with.
    pub(crate) body: serde_json::Map<String, serde_json::Value>,
    pub(crate) created: Timestamp,
    pub(crate) modified: Timestamp,
    /// Frames sent but not acknowledged when its last socket ended: sent again first on its
    /// next socket.
    pub(crate) replay: Vec<(String, String)>,
}

impl Device {
    /// The name it was registered with.
    pub(crate) fn name(&self) -> &str {
        self.body
            .get("name")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
    }
}

/// A socket authorized for a device.
#[derive(Debug)]
pub(crate) struct Socket {
    pub(crate) device_id: String,
    pub(crate) owner: String,
    pub(crate) tx: mpsc::Sender<Push>,
}

/// Fault switches and limits of device registration and the event sockets. Off by default;
/// the device limit is 100 per person, about what live Webex allows.
///
/// ```
/// use std::time::Duration;
/// use spark_emulator::SocketFaults;
///
/// // Registration answers 503; every event frame waits 50 ms before it is sent.
/// let faults = SocketFaults::none().refuse_registration(true).frame_delay(Duration::from_millis(50));
/// assert!(faults.refuse_registration);
/// assert_eq!(faults.device_limit, 100);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SocketFaults {
    /// Answer `POST /wdm/api/v1/devices` with 503 (a registration service that is down).
    pub refuse_registration: bool,
    /// Wait this long before sending each event frame.
    pub frame_delay: Duration,
    /// Devices one person may hold; one more is refused with 403 and the live message
    /// `User has excessive device registrations`.
    pub device_limit: usize,
}

/// The device limit unless set otherwise: 100 per person, as live Webex.
pub const DEFAULT_DEVICE_LIMIT: usize = 100;

impl Default for SocketFaults {
    fn default() -> Self {
        Self {
            refuse_registration: false,
            frame_delay: Duration::ZERO,
            device_limit: DEFAULT_DEVICE_LIMIT,
        }
    }
}

impl SocketFaults {
    /// No fault, the default device limit.
    pub fn none() -> Self {
        Self::default()
    }

    /// Answers device registrations with 503 (or stops).
    #[must_use]
    pub fn refuse_registration(mut self, refuse: bool) -> Self {
        self.refuse_registration = refuse;
        self
    }

    /// Waits this long before sending each event frame.
    #[must_use]
    pub fn frame_delay(mut self, delay: Duration) -> Self {
        self.frame_delay = delay;
        self
    }

    /// Lets one person hold at most this many devices.
    #[must_use]
    pub fn device_limit(mut self, limit: usize) -> Self {
        self.device_limit = limit;
        self
    }
}

/// The registry: devices, their sockets, the socket faults.
#[derive(Debug, Default)]
pub(crate) struct Wdm {
    pub(crate) devices: Vec<Device>,
    pub(crate) sockets: HashMap<u64, Socket>,
    next_socket: u64,
    pub(crate) faults: SocketFaults,
    /// `http://host:port` as clients reach the emulator (learned from their requests).
    pub(crate) origin: Option<String>,
    /// Frames pushed so far (their `sequenceNumber`).
    pub(crate) sequence: u64,
    /// Frames acknowledged by clients.
    pub(crate) acks: u64,
}

impl Wdm {
    pub(crate) fn device(&self, id: &str) -> Option<&Device> {
        self.devices.iter().find(|device| device.id == id)
    }

    pub(crate) fn device_mut(&mut self, id: &str) -> Option<&mut Device> {
        self.devices.iter_mut().find(|device| device.id == id)
    }

    /// Removes a device and closes its sockets.
    pub(crate) fn remove_device(&mut self, id: &str) -> bool {
        let before = self.devices.len();
        self.devices.retain(|device| device.id != id);
        let closing: Vec<u64> = self
            .sockets
            .iter()
            .filter(|(_, socket)| socket.device_id == id)
            .map(|(key, _)| *key)
            .collect();
        for key in closing {
            if let Some(socket) = self.sockets.remove(&key) {
                let _ = socket
                    .tx
                    .try_send(Push::Close(1000, "device deleted".to_owned()));
            }
        }
        before != self.devices.len()
    }

    /// Registers a socket; its key, to unregister it.
    pub(crate) fn add_socket(&mut self, socket: Socket) -> u64 {
        self.next_socket += 1;
        self.sockets.insert(self.next_socket, socket);
        self.next_socket
    }

    /// Tells every socket to do `push()`, and forgets them; how many there were.
    pub(crate) fn all_sockets(&mut self, push: impl Fn() -> Push) -> usize {
        let sockets = std::mem::take(&mut self.sockets);
        for socket in sockets.values() {
            let _ = socket.tx.try_send(push());
        }
        sockets.len()
    }
}
