//! `therapy-timer config`.

use super::Ctx;
use crate::args::ConfigArgs;
use crate::error::CliError;

pub fn run(_ctx: &Ctx, _args: &ConfigArgs) -> Result<(), CliError> {
    Err(CliError::Failure("not built yet".into()))
}
