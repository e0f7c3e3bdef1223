//! `/attachment/actions`: what people submit through adaptive cards.

use spark_model::{AttachmentAction, CreateAttachmentAction};

use super::{create_op, get_op, service};

service!(
    /// Attachment actions (card submissions).
    AttachmentActions,
    "attachment/actions"
);
get_op!(AttachmentActions, "attachment/actions", AttachmentAction);
create_op!(
    AttachmentActions,
    "attachment/actions",
    CreateAttachmentAction,
    AttachmentAction
);
