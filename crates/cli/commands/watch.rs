//! `therapy-timer watch`.

use super::Ctx;
use crate::args::WatchArgs;
use crate::error::CliError;

pub fn run(_ctx: &Ctx, _args: &WatchArgs) -> Result<(), CliError> {
    Err(CliError::Failure("not built yet".into()))
}
