//! `/rooms`: Rooms (spaces), and their meeting info.

use spark_model::{CreateRoom, ListRooms, Room, UpdateRoom};

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
    /// `GET /rooms/{id}/meetingInfo`: how to join the room's meeting.
    pub async fn meeting_info(&self, id: &str) -> crate::Result<spark_model::RoomMeetingInfo> {
        let path = format!("{}/meetingInfo", super::resource_path("rooms", Some(id)));
        self.client.get_json(&path).await
    }
}
