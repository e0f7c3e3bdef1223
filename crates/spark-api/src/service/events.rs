//! `/events`: Compliance events (read only).

use spark_model::{Event, ListEvents};

use super::{get_op, list_op, service};

service!(
    /// Compliance events (read only).
    Events,
    "events"
);
list_op!(Events, "events", ListEvents, Event);
get_op!(Events, "events", Event);
