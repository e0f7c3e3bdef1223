//! `/webhooks`: Webhooks.

use spark_model::{CreateWebhook, ListWebhooks, UpdateWebhook, Webhook};

use super::{create_op, delete_op, get_op, list_op, service, update_op};

service!(
    /// Webhooks.
    Webhooks,
    "webhooks"
);
list_op!(Webhooks, "webhooks", ListWebhooks, Webhook);
get_op!(Webhooks, "webhooks", Webhook);
create_op!(Webhooks, "webhooks", CreateWebhook, Webhook);
update_op!(Webhooks, "webhooks", UpdateWebhook, Webhook);
delete_op!(Webhooks, "webhooks");
