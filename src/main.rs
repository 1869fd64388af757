//! The `gateway` binary: wiring only.

// The mutation root's resolver future nests one async block per mutation field; with
// issue 23's mutations its layout went past the default 128 levels in release builds
// ("queries overflow the depth limit"), though debug builds compiled.
#![recursion_limit = "256"]

use std::{net::SocketAddr, process::ExitCode};

use clap::{Parser, Subcommand};
use gateway::{
    app::App,
    config::Config,
    db,
    domain::commons::organizations::NewOrganization,
    entities::user::Role,
    http, jobs,
    operator::{self, OperatorError},
    seed, telemetry,
};

/// A request builds and drops tens of thousands of small values (rows, fields, JSON);
/// glibc's allocator spent a third of the server's CPU on them under load (issue 9,
/// `docs/benchmarks.md`). mimalloc is made for that pattern.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "gateway",
    version,
    about = "GraphQL gateway for leasing, wallet and books"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default): migrations, demo data on a new database, HTTP.
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Load the demo data into a new database and exit; with `--bench`, the benchmark
    /// dataset instead (its own organization, next to whatever the database holds).
    Seed {
        /// Load the benchmark dataset: drivers with 2 contracts, a car each and 52 weekly
        /// invoices per contract.
        #[arg(long)]
        bench: bool,
        /// How many drivers the benchmark dataset has.
        #[arg(long, requires = "bench", default_value_t = seed::bench::DEFAULT_BENCH_CLIENTS)]
        clients: usize,
    },
    /// Print the GraphQL schema (SDL) to standard output.
    Schema,
    /// Run the auto-charge job once (for a scheduler or an operator) and print its report.
    AutoCharge,
    /// Organizations: the companies the gateway serves.
    Organization {
        #[command(subcommand)]
        command: OrganizationCommand,
    },
    /// Users: the first ADMIN of a new organization, and staff when no ADMIN can log in.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum OrganizationCommand {
    /// Create an organization; prints it as JSON. Exit code 2 when the input is refused.
    Create {
        /// The company's name.
        #[arg(long)]
        name: String,
        /// How logins and public requests name it: lowercase letters, digits, hyphens.
        #[arg(long)]
        slug: String,
        /// IANA time zone in which its dates are counted.
        #[arg(long, default_value = "America/Lima")]
        timezone: String,
        /// ISO 4217 currency of its amounts (one with cents).
        #[arg(long, default_value = "PEN")]
        currency: String,
        /// The language (en, es or pt) its people are answered in when a request does not
        /// say which (`Accept-Language`).
        #[arg(long, default_value = "es")]
        language: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff member; prints them as JSON with a one-time invitation token (shown
    /// only then), unless `--password-stdin` gives their password. Exit code 2 when the
    /// input is refused.
    Create {
        /// The organization's slug.
        #[arg(long)]
        organization: String,
        #[arg(long, value_enum, ignore_case = true)]
        role: StaffRole,
        /// National identity document: their login.
        #[arg(long)]
        document: String,
        #[arg(long)]
        first_name: String,
        #[arg(long)]
        last_name: String,
        #[arg(long)]
        email: Option<String>,
        /// Read the password from the first line of standard input instead of issuing
        /// an invitation.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum StaffRole {
    #[value(name = "ADMIN")]
    Admin,
    #[value(name = "COLLECTOR")]
    Collector,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Schema) = cli.command {
        print!("{}", gateway::graphql::sdl());
        return ExitCode::SUCCESS;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_json);
    let command = cli.command.unwrap_or(Command::Serve);
    let command = match command {
        Command::Organization { command } => return operator_command(config, command.into()).await,
        Command::User { command } => return operator_command(config, command.into()).await,
        other => other,
    };
    let result = match command {
        Command::Serve | Command::Schema => serve(config).await,
        Command::Migrate => migrate(config).await,
        Command::Seed { bench: false, .. } => seed_command(config).await,
        Command::Seed {
            bench: true,
            clients,
        } => seed_bench_command(config, clients).await,
        Command::AutoCharge => auto_charge(config).await,
        Command::Organization { .. } | Command::User { .. } => unreachable!("handled above"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            ExitCode::FAILURE
        }
    }
}

/// A bootstrap command of [`operator`].
enum OperatorCommand {
    CreateOrganization(NewOrganization),
    CreateUser(Box<operator::NewUser>, bool),
}

impl From<OrganizationCommand> for OperatorCommand {
    fn from(command: OrganizationCommand) -> Self {
        let OrganizationCommand::Create {
            name,
            slug,
            timezone,
            currency,
            language,
        } = command;
        OperatorCommand::CreateOrganization(NewOrganization {
            name,
            slug,
            timezone,
            currency,
            language,
        })
    }
}

impl From<UserCommand> for OperatorCommand {
    fn from(command: UserCommand) -> Self {
        let UserCommand::Create {
            organization,
            role,
            document,
            first_name,
            last_name,
            email,
            password_stdin,
        } = command;
        let role = match role {
            StaffRole::Admin => Role::Admin,
            StaffRole::Collector => Role::Collector,
        };
        let user = operator::NewUser {
            organization,
            role,
            document,
            first_name,
            last_name,
            email,
            password: None,
        };
        OperatorCommand::CreateUser(Box::new(user), password_stdin)
    }
}

async fn operator_command(config: Config, command: OperatorCommand) -> ExitCode {
    let result = match command {
        OperatorCommand::CreateOrganization(input) => {
            operator::create_organization(&config, &input).await
        }
        OperatorCommand::CreateUser(mut user, password_stdin) => {
            let password = if password_stdin {
                operator::read_password(std::io::stdin().lock()).map(Some)
            } else {
                Ok(None)
            };
            match password {
                Ok(password) => {
                    user.password = password;
                    operator::create_user(&config, *user).await
                }
                Err(err) => Err(err),
            }
        }
    };
    match result {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(err @ OperatorError::Invalid(_)) => {
            eprintln!("refused, nothing was created:\n{err}");
            ExitCode::from(err.exit_code())
        }
        Err(err) => {
            eprintln!("failed: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How long a stopping server waits for its WebSocket connections to close.
const WEBSOCKET_DRAIN: std::time::Duration = std::time::Duration::from_secs(10);

async fn serve(config: Config) -> Result<(), BoxError> {
    if config.jwt_secret_is_default {
        tracing::warn!(
            "JWT_SECRET is not set: using the built-in DEVELOPMENT secret. Anyone can forge tokens. Never run like this in production."
        );
    }
    let bind = config.bind;
    let app = App::start(config).await?;
    if let Some(period) = app.state.config.auto_charge_period {
        jobs::spawn_auto_charge(app.state.clone(), period);
    }
    match &app.state.config.smtp_url {
        Some(url) => {
            let smtp = gateway::domain::outbox::Smtp::new(url, &app.state.config.smtp_from)?;
            jobs::spawn_outbox_sender(app.state.clone(), smtp, app.state.config.outbox_period);
        }
        None => tracing::warn!(
            "SMTP_URL is not set: invoices sent by email wait in the outbox, which says so"
        ),
    }
    if let Some(period) = app.state.config.webhooks.period {
        let worker = gateway::webhooks::Worker::new(app.state.clone()).await?;
        worker.spawn(period);
    }
    let listener = tokio::net::TcpListener::bind(bind).await?;
    let url = format!("http://{}", listener.local_addr()?);
    tracing::info!("GraphQL endpoint {url}/graphql, playground {url}/playground");
    if !app.state.config.is_production() {
        tracing::info!(
            "demo credentials (organization {}):\n{}",
            seed::DEMO_ORGANIZATION_SLUG,
            seed::demo_credentials()
        );
    }
    let shutdown = app.state.shutdown.clone();
    let stop = shutdown.clone();
    // With the peer's address: failed logins are limited per client address.
    let service = http::router(app).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            tracing::info!("stopping: draining requests and closing subscriptions");
            stop.begin();
        })
        .await?;
    if !shutdown.drained(WEBSOCKET_DRAIN).await {
        tracing::warn!("some WebSocket connections did not close in time");
    }
    tracing::info!("stopped");
    Ok(())
}

async fn migrate(config: Config) -> Result<(), BoxError> {
    let connection = db::connect(&config, &Default::default()).await?;
    db::migrate(&connection).await?;
    tracing::info!("migrations applied");
    Ok(())
}

async fn seed_command(config: Config) -> Result<(), BoxError> {
    let connection = db::connect(&config, &Default::default()).await?;
    // Under the migrations' lock, like a starting replica's demo data: of a replica and
    // this command started together on a new database, one loads the demo.
    db::migrate_then(&connection, async || {
        seed::seed_demo(&connection, &config).await
    })
    .await?;
    tracing::info!("demo data loaded:\n{}", seed::demo_credentials());
    Ok(())
}

async fn seed_bench_command(config: Config, clients: usize) -> Result<(), BoxError> {
    let connection = db::connect(&config, &Default::default()).await?;
    db::migrate(&connection).await?;
    let started = std::time::Instant::now();
    let report = seed::bench::seed_bench(
        &connection,
        &config,
        seed::bench::BENCH_ORGANIZATION_SLUG,
        clients,
    )
    .await?;
    seed::bench::analyze(&connection).await?;
    tracing::info!(
        "bench data loaded in {:.1} s: {} clients, {} contracts, {} invoices\n{}",
        started.elapsed().as_secs_f64(),
        report.clients,
        report.contracts,
        report.invoices,
        seed::bench::bench_credentials()
    );
    Ok(())
}

async fn auto_charge(config: Config) -> Result<(), BoxError> {
    let connection = db::connect(&config, &Default::default()).await?;
    db::migrate(&connection).await?;
    // Drivers connected to any replica hear of what this run pays: its transactions
    // announce it (`domain::events`), so this process listens to nothing.
    let app = App::new(config, connection, Default::default()).await?;
    let report = jobs::auto_charge_once(&app.state).await?;
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {err}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!("cannot listen for SIGTERM: {err}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
