//! `/v1/organizations`: the emulator's one organization (list, get); open to every caller.

use spark_model::Organization;

use super::{Ctx, Op, Reply, op};
use crate::errors::{Failure, Outcome};
use crate::paging::{self, Order};

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match op(ctx, rest, "GET", "GET")? {
        Op::List => {
            let state = ctx.state();
            let rows: Vec<(u64, Organization)> = state
                .admin
                .organizations
                .iter()
                .map(|(seq, organization)| (seq, organization.clone()))
                .collect();
            drop(state);
            paging::list(ctx, rows, Order::Ascending, 100)
        }
        Op::Get(id) => {
            let state = ctx.state();
            Reply::ok(
                state
                    .admin
                    .organizations
                    .get(id)
                    .ok_or_else(Failure::not_found)?,
            )
        }
        _ => Err(Failure::not_found()),
    }
}
