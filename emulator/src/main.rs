//! `wix-auth-emulator`: a local stand-in for the Wix Headless auth endpoints.

mod config;
mod error;
mod extract;
mod html;
mod passwords;
mod router;
mod routes;
mod server;
mod state;
mod store;
mod util;
mod wire;

use clap::Parser;

/// Exit status of every startup input error (clap's own errors use it too).
const USAGE_ERROR: u8 = 2;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // clap prints its own errors (naming the flag) and exits with 2.
    let config = match config::Config::try_from(config::Cli::parse()) {
        Ok(config) => config,
        Err(e) => return fail(&e),
    };
    match server::run(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => fail(&e.to_string()),
    }
}

/// One line on stderr, no backtrace, exit status 2.
fn fail(message: &str) -> std::process::ExitCode {
    eprintln!("wix-auth-emulator: {message}");
    std::process::ExitCode::from(USAGE_ERROR)
}
