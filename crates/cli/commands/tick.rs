//! `therapy-timer tick`.

use super::Ctx;
use crate::args::TickArgs;
use crate::error::CliError;

pub fn run(_ctx: &Ctx, _args: &TickArgs) -> Result<(), CliError> {
    Err(CliError::Failure("not built yet".into()))
}
