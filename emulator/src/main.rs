//! `wix-auth-emulator`: a local stand-in for the Wix Headless auth endpoints.

mod app;
mod config;
mod error;
mod extract;
mod html;
mod passwords;
mod routes;
mod store;
mod util;

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = config::Config::from(config::Cli::parse());
    match app::run(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wix-auth-emulator: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
