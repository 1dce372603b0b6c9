using Dunning.Jurisdictions;
using Dunning.Local.Adapters;
using Dunning.Local.Mail;
using Dunning.Local.Runner;
using Dunning.Local.Storage;
using Dunning.Messages;
using Dunning.Ports;
using Dunning.Policies;
using Dunning.UseCases;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dunning.Local;

/// <summary>
/// The composition root of the local host: one data folder (SQLite file, outbox of .eml files, letters,
/// evidence bundles), the core's use cases wired to the local adapters, the runner and the clock. The CLI,
/// the web host and the tests all open the same thing.
/// </summary>
public sealed class LocalApp
{
    public static readonly TimeOnly DefaultScanAt = new(6, 0);

    private LocalApp(string dataFolder, DunningPolicy policy, TimeProvider clock, ILoggerFactory logs, TimeOnly scanAt, JurisdictionCatalog jurisdictions, MailSettings? mail)
    {
        DataFolder = Path.GetFullPath(dataFolder);
        // The business's own templates (<data>/templates/<lang>/<name>.liquid) in place of the shipped ones; a broken
        // one stops the app here, before anything is opened or written.
        Templates = TemplateCheck.LoadChecked(Path.Combine(DataFolder, TemplatesFolder));
        Directory.CreateDirectory(DataFolder);
        Policy = policy;
        Clock = clock;
        ScanAt = scanAt;
        Database = Database.Open(Path.Combine(DataFolder, Database.FileName));
        Ledger = new SqliteLedger(Database);
        Cases = new SqliteCaseStore(Database);
        Inbox = new SqliteWebhookInbox(Database);
        // A bounced email is told to its case through the workflows, which poke the runner.
        Workflows = new LocalWorkflows(Database, () => Runner!.Poke(), clock);
        OutboxFolder = Path.Combine(DataFolder, "outbox");
        var replyTo = policy.Business.ReplyTo;
        Mailer = mail is null ? new PickupMailer(OutboxFolder, clock, replyTo) : new MailOutbox(Database, mail, Workflows, clock, replyTo);
        Delivery = mail is null ? null : new SmtpDelivery(Database, mail, Workflows, clock, logs.CreateLogger<SmtpDelivery>());
        Documents = new FileDocumentStore(DataFolder);
        Contacts = new SqliteContactLedger(Database);
        Effects = new CaseEffects(Mailer, Documents, Cases, Contacts, Templates);
        Runner = new CaseRunner(Database, Effects, logs.CreateLogger<CaseRunner>());
        Scan = new DailyScan(Ledger, Cases, Workflows, policy, jurisdictions);
        Customers = new CustomerRequests(Ledger, Cases, Workflows, Contacts, clock);
        Commands = new CaseCommands(Cases, Workflows, clock, Customers);
        Webhooks = new PaymentWebhooks(Inbox, Cases, Ledger, Workflows);
        Runner.Payments = new ReceivedPayments(Inbox, Webhooks, logs.CreateLogger<ReceivedPayments>());
        Aging = new AgingQuery(Ledger, Cases);
        Reports = new CaseReports(Cases, clock);
        Calls = new CallTaskList(Cases);
        Import = new LedgerImport(Ledger, Cases, Workflows, clock);
        Driver = clock is SimulatedClock simulated
            ? new ClockDriver(Database, simulated, Scan, Runner, scanAt, logs.CreateLogger<ClockDriver>())
            : null;
    }

    /// <summary>The folder of the data folder where the business's own message templates override the shipped ones.</summary>
    public const string TemplatesFolder = "templates";

    public string DataFolder { get; }

    /// <summary>The message templates this app writes from: the shipped ones with the business's overrides.</summary>
    public MessageTemplates Templates { get; }

    public DunningPolicy Policy { get; }

    public TimeProvider Clock { get; }

    public TimeOnly ScanAt { get; }

    public Database Database { get; }

    public SqliteLedger Ledger { get; }

    public SqliteCaseStore Cases { get; }

    public SqliteContactLedger Contacts { get; }

    public CustomerRequests Customers { get; }

    public SqliteWebhookInbox Inbox { get; }

    /// <summary>The <c>.eml</c> outbox folder (no configuration), or the SMTP queue (<c>mail.json</c>).</summary>
    public IMailer Mailer { get; }

    /// <summary>Sends the SMTP queue; null when email goes to <c>.eml</c> files.</summary>
    public SmtpDelivery? Delivery { get; }

    public FileDocumentStore Documents { get; }

    public CaseEffects Effects { get; }

    public CaseRunner Runner { get; }

    public LocalWorkflows Workflows { get; }

    public DailyScan Scan { get; }

    public CaseCommands Commands { get; }

    public PaymentWebhooks Webhooks { get; }

    public AgingQuery Aging { get; }

    public CaseReports Reports { get; }

    public CallTaskList Calls { get; }

    public LedgerImport Import { get; }

    /// <summary>Moves the clock forward, when this app runs on a simulated one.</summary>
    public ClockDriver? Driver { get; }

    /// <summary>Where <c>.eml</c> files go when no SMTP server is configured.</summary>
    public string OutboxFolder { get; }

    public static LocalApp Open(
        string dataFolder,
        DunningPolicy? policy = null,
        TimeProvider? clock = null,
        ILoggerFactory? logs = null,
        TimeOnly? scanAt = null,
        JurisdictionCatalog? jurisdictions = null,
        MailSettings? mail = null) =>
        new(dataFolder, policy ?? DefaultPolicy.Value, clock ?? TimeProvider.System, logs ?? NullLoggerFactory.Instance, scanAt ?? DefaultScanAt, jurisdictions ?? JurisdictionCatalog.Default, mail);

    /// <summary>
    /// The clock a data folder runs on: the simulated time it was left at (after <c>demo</c>, <c>run --until</c> or
    /// <c>serve --simulated-clock</c>), else real time.
    /// </summary>
    public static TimeProvider ClockOf(string dataFolder)
    {
        var file = Path.Combine(Path.GetFullPath(dataFolder), Database.FileName);
        return File.Exists(file) && ClockDriver.StoredTime(Database.Open(file)) is { } at
            ? new SimulatedClock(at)
            : TimeProvider.System;
    }
}
