//! `therapy-timer completions` and `therapy-timer man`.

use crate::error::CliError;

pub fn completions(_shell: clap_complete::Shell) -> Result<(), CliError> {
    Err(CliError::Failure("not built yet".into()))
}

pub fn man() -> Result<(), CliError> {
    Err(CliError::Failure("not built yet".into()))
}
