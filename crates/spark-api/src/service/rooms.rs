//! `/rooms`: Rooms (spaces), and their meeting info.

use std::future::Future;

use spark_model::{CreateRoom, ListRooms, Room, RoomMeetingInfo, UpdateRoom};

use super::{create_op, delete_op, get_op, list_op, service, update_op};

service!(
    /// Rooms (spaces), and their meeting info.
    Rooms,
    "rooms"
);
list_op!(Rooms, "rooms", ListRooms, Room);
get_op!(Rooms, "rooms", Room);
create_op!(Rooms, "rooms", CreateRoom, Room);
update_op!(Rooms, "rooms", UpdateRoom, Room);
delete_op!(Rooms, "rooms");

impl Rooms {
    /// Gets how to join a room's meeting: `GET /rooms/{id}/meetingInfo`, no body; `id` is
    /// percent-encoded as one path segment.
    ///
    /// Returns the [`RoomMeetingInfo`] (meeting link, SIP address, numbers), decoded from the
    /// answer's JSON.
    ///
    #[doc = super::owned_future_doc!()]
    ///
    #[doc = super::errors_doc!(json)]
    pub fn meeting_info(
        &self,
        id: &str,
    ) -> impl Future<Output = crate::Result<RoomMeetingInfo>> + Send + 'static + use<> {
        let path = format!("{}/meetingInfo", super::resource_path("rooms", Some(id)));
        self.client.get_json(&path)
    }
}
