//! `/room/tabs`: Room tabs.

use spark_model::{CreateRoomTab, ListRoomTabs, RoomTab, UpdateRoomTab};

use super::{create_op, delete_op, get_op, list_op, service, update_op};

service!(
    /// Room tabs.
    RoomTabs,
    "room/tabs"
);
list_op!(RoomTabs, "room/tabs", ListRoomTabs, RoomTab);
get_op!(RoomTabs, "room/tabs", RoomTab);
create_op!(RoomTabs, "room/tabs", CreateRoomTab, RoomTab);
update_op!(RoomTabs, "room/tabs", UpdateRoomTab, RoomTab);
delete_op!(RoomTabs, "room/tabs");
