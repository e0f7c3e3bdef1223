//! `/v1/licenses`: the organization's licenses (list, with `orgId`; get, with
//! `includeAssignedTo=user` for their holders); open to every caller. Consumed units are counted
//! from the people holding each license.

use spark_model::{License, LicenseUser, LicenseUserType};

use super::{Ctx, Op, Reply, op};
use crate::errors::{Failure, Outcome};
use crate::paging::{self, Order};

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match op(ctx, rest, "GET", "GET")? {
        Op::List => list(ctx),
        Op::Get(id) => get(ctx, id),
        _ => Err(Failure::not_found()),
    }
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let state = ctx.state();
    // The emulator has one organization: another's licenses are none.
    let ours = ctx.query.get("orgId").is_none_or(|org| org == state.org_id);
    let rows: Vec<(u64, License)> = state
        .admin
        .licenses
        .iter()
        .filter(|_| ours)
        .filter_map(|(seq, license)| {
            let view = state.admin.license_view(&state.people, &license.id)?;
            Some((seq, view))
        })
        .collect();
    drop(state);
    paging::list(ctx, rows, Order::Ascending, 100)
}

fn get(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let assigned_to = ctx.query.get("includeAssignedTo");
    if assigned_to.is_some_and(|to| to != "user") {
        return Err(Failure::bad_request(
            "Invalid value for includeAssignedTo: it must be `user`.",
        ));
    }
    let state = ctx.state();
    let mut license = state
        .admin
        .license_view(&state.people, id)
        .ok_or_else(Failure::not_found)?;
    if assigned_to.is_some() {
        let users = state
            .people
            .iter()
            .map(|(_, person)| person)
            .filter(|person| person.licenses.iter().flatten().any(|held| held == id))
            .map(|person| LicenseUser {
                id: person.id.clone(),
                user_type: Some(if person.org_id.as_deref() == Some(&state.org_id) {
                    LicenseUserType::Internal
                } else {
                    LicenseUserType::External
                }),
                display_name: person.display_name.clone(),
                email: person
                    .emails
                    .as_ref()
                    .and_then(|emails| emails.first().cloned()),
            })
            .collect();
        license.users = Some(users);
    }
    Reply::ok(&license)
}
