//! `therapy-timer schedule`.

use crate::args::ScheduleArgs;
use crate::error::CliError;

pub fn run(_args: &ScheduleArgs) -> Result<(), CliError> {
    Err(CliError::Failure("not built yet".into()))
}
