//! Start-up: opens the database, binds the API and site hosts, announces them on stdout, and
//! serves until SIGINT/SIGTERM. Every failure before serving names the flag to change.

use std::future::IntoFuture;
use std::io::Write;
use std::sync::Arc;

use crate::config::Config;
use crate::router::{api_router, site_router};
use crate::state::App;
use crate::store::{self, Db};

/// A startup failure, worded for the person who typed the command (it names the flag).
#[derive(Debug)]
pub struct StartupError(pub String);

impl std::fmt::Display for StartupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartupError {}

async fn bind(host: &str, port: u16, flag: &str) -> Result<tokio::net::TcpListener, StartupError> {
    tokio::net::TcpListener::bind((host, port)).await.map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::AddrInUse { "the port is in use".to_owned() } else { e.to_string() };
        StartupError(format!("cannot listen on {host} port {port} ({flag} {port}): {why}"))
    })
}

/// `http://<name>:<port>` of a listener: the bind address, or `127.0.0.1` for a wildcard one.
fn listener_url(host: &str, port: u16) -> String {
    let name = match host {
        "0.0.0.0" => "127.0.0.1".to_owned(),
        "::" | "[::]" => "[::1]".to_owned(),
        h if h.contains(':') && !h.starts_with('[') => format!("[{h}]"),
        h => h.to_owned(),
    };
    format!("http://{name}:{port}")
}


/// Opens the database, binds both hosts, prints the address lines, and serves until
/// SIGINT/SIGTERM. Every failure before serving is a `StartupError` naming its flag.
pub async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let conn = store::open(&config.db)
        .map_err(|e| StartupError(format!("cannot open the database --db {}: {e}", config.db.display())))?;
    let api = bind(&config.host, config.port, "--port").await?;
    let site = bind(&config.host, config.site_port, "--site-port").await?;
    let api_port = api.local_addr()?.port();
    let site_port = site.local_addr()?.port();
    let api_base = config.public_url.clone().unwrap_or_else(|| listener_url(&config.host, api_port));
    let site_base = config.site_url.clone().unwrap_or_else(|| listener_url(&config.host, site_port));
    let mut out = std::io::stdout().lock();
    // Test harnesses parse these lines; keep their format (the first one above all).
    writeln!(out, "wix-auth-emulator listening on {}", listener_url(&config.host, api_port))?;
    writeln!(out, "client id: {}", config.client_ids.first().map_or("", String::as_str))?;
    writeln!(out, "site: {}", listener_url(&config.host, site_port))?;
    out.flush()?;
    drop(out);
    let app = Arc::new(App::new(config, Db::new(conn), (api_port, api_base), (site_port, site_base)));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let until_stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let api = axum::serve(api, api_router(app.clone())).with_graceful_shutdown(until_stopped(stopped.clone()));
    let site = axum::serve(site, site_router(app)).with_graceful_shutdown(until_stopped(stopped));
    tokio::try_join!(api.into_future(), site.into_future())?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
