//! `/teams`: Teams.

use spark_model::{CreateTeam, ListTeams, Team, UpdateTeam};

use super::{create_op, delete_op, get_op, list_op, service, update_op};

service!(
    /// Teams.
    Teams,
    "teams"
);
list_op!(Teams, "teams", ListTeams, Team);
get_op!(Teams, "teams", Team);
create_op!(Teams, "teams", CreateTeam, Team);
update_op!(Teams, "teams", UpdateTeam, Team);
delete_op!(Teams, "teams");
