//! `therapy-timer doctor`.

use crate::args::DoctorArgs;
use crate::error::CliError;

pub fn run(_args: &DoctorArgs) -> Result<(), CliError> {
    Err(CliError::Failure("not built yet".into()))
}
