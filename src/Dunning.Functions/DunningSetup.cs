using Azure.Communication.Email;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Dunning.Functions.Orchestration;
using Dunning.Functions.Storage;
using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Ports;
using Dunning.UseCases;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dunning.Functions;

/// <summary>
/// The app settings this host reads. Names are those infra/main.bicep sets (<c>__</c> nests a section):
/// <c>Dunning__Storage__ConnectionString</c> or <c>Dunning__Storage__AccountName</c> (identity-based),
/// <c>Dunning__Email__ConnectionString</c> or <c>Dunning__Email__Endpoint</c> (identity-based), <c>Dunning__Email__Sender</c>,
/// <c>Dunning__PolicyJson</c>, <c>Dunning__AdminKey</c>, <c>Dunning__Webhooks__StripeSecret</c>, <c>Dunning__Webhooks__GenericSecret</c>,
/// and <c>Dunning__ScanSchedule</c> (read by the timer trigger as <c>%Dunning:ScanSchedule%</c>).
/// </summary>
public sealed record DunningSettings(
    string? StorageConnectionString,
    string? StorageAccountName,
    string? EmailConnectionString,
    string? EmailEndpoint,
    string? EmailSender,
    string? PolicyJson,
    string TablePrefix,
    string DocumentsContainer)
{
    public const string Section = "Dunning";

    public static DunningSettings From(IConfiguration configuration)
    {
        var d = configuration.GetSection(Section);
        return new DunningSettings(
            Secret(d["Storage:ConnectionString"]),
            Secret(d["Storage:AccountName"]),
            Secret(d["Email:ConnectionString"]),
            Secret(d["Email:Endpoint"]),
            Secret(d["Email:Sender"]),
            Secret(d["PolicyJson"]),
            Secret(d["Storage:TablePrefix"]) ?? "Dunning",
            Secret(d["Storage:DocumentsContainer"]) ?? "dunning-documents");
    }

    /// <summary>
    /// A setting's value, or null when it is empty or still an unresolved Key Vault reference
    /// (<c>@Microsoft.KeyVault(...)</c>: the platform could not read the secret, so it is not configured).
    /// </summary>
    public static string? Secret(string? value) =>
        string.IsNullOrWhiteSpace(value) || value.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase)
            ? null
            : value;
}

public static class DunningSetup
{
    /// <summary>Registers the core's use cases and the Azure adapters of its ports.</summary>
    public static IServiceCollection AddDunning(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = DunningSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => settings.PolicyJson is { } json ? PolicyJson.Parse(json, "Dunning:PolicyJson") : DefaultPolicy.Value);
        services.AddSingleton(JurisdictionCatalog.Default);

        // Identity-based connections use the app's user-assigned identity: infra sets AZURE_CLIENT_ID, which
        // DefaultAzureCredential's managed-identity credential picks up.
        services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddSingleton(sp => CreateTableService(settings, sp.GetRequiredService<TokenCredential>));
        services.AddSingleton(sp => CreateBlobService(settings, sp.GetRequiredService<TokenCredential>));
        services.AddSingleton(sp => CreateEmailClient(settings, sp.GetRequiredService<TokenCredential>));

        services.AddSingleton(sp => new DunningTables(sp.GetRequiredService<TableServiceClient>(), settings.TablePrefix));
        services.AddSingleton<ILedger, TableLedger>();
        services.AddSingleton<ICaseStore, TableCaseStore>();
        services.AddSingleton<ISignalNotes, TableSignalNotes>();
        services.AddSingleton<IWebhookInbox, TableWebhookInbox>();
        services.AddSingleton<IDocumentStore>(sp =>
            new BlobDocumentStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(settings.DocumentsContainer)));
        services.AddSingleton<IMailer>(sp => new AcsMailer(
            sp.GetRequiredService<EmailClient>(),
            sp.GetRequiredService<DunningTables>(),
            settings.EmailSender ?? throw new InvalidOperationException("Dunning:Email:Sender is not set: the MailFrom address of a domain linked to the Communication Services resource."),
            sp.GetRequiredService<DunningPolicy>().Business.ReplyTo));

        services.AddSingleton<IContactLedger, TableContactLedger>();
        services.AddSingleton<ISentEmails, SentEmailLog>();
        services.AddSingleton<CaseEffects>();
        services.AddSingleton<AgingQuery>();
        services.AddSingleton<CaseReports>();
        services.AddSingleton<DunningApp>();
        return services;
    }

    public static TableServiceClient CreateTableService(DunningSettings settings, Func<TokenCredential> credential) =>
        settings.StorageConnectionString is { } connection
            ? new TableServiceClient(connection)
            : new TableServiceClient(new Uri($"https://{StorageAccount(settings)}.table.core.windows.net"), credential());

    public static BlobServiceClient CreateBlobService(DunningSettings settings, Func<TokenCredential> credential) =>
        settings.StorageConnectionString is { } connection
            ? new BlobServiceClient(connection)
            : new BlobServiceClient(new Uri($"https://{StorageAccount(settings)}.blob.core.windows.net"), credential());

    public static EmailClient CreateEmailClient(DunningSettings settings, Func<TokenCredential> credential) =>
        settings.EmailConnectionString is { } connection ? new EmailClient(connection)
        : settings.EmailEndpoint is { } endpoint ? new EmailClient(new Uri(endpoint), credential())
        : throw new InvalidOperationException("Set Dunning:Email:ConnectionString, or Dunning:Email:Endpoint for an identity-based connection.");

    private static string StorageAccount(DunningSettings settings) =>
        settings.StorageAccountName
        ?? throw new InvalidOperationException("Set Dunning:Storage:ConnectionString, or Dunning:Storage:AccountName for an identity-based connection.");
}

/// <summary>
/// The core's use cases as this host composes them. Those that start or signal cases need a
/// <see cref="DurableTaskClient"/>, which Functions hands to each invocation through a [DurableClient]
/// binding, so they are built per invocation from it.
/// </summary>
public sealed class DunningApp(
    ILedger ledger,
    ICaseStore cases,
    ISignalNotes signalNotes,
    IWebhookInbox inbox,
    IContactLedger contacts,
    DunningPolicy policy,
    JurisdictionCatalog jurisdictions,
    TimeProvider time,
    AgingQuery aging,
    CaseReports reports,
    ISentEmails sentEmails,
    IConfiguration configuration)
{
    public ICaseStore Cases => cases;

    /// <summary>The signals cases refused after a 202, for their timelines.</summary>
    public ISignalNotes SignalNotes => signalNotes;

    public TimeProvider Time => time;

    public AgingQuery Aging => aging;

    public CaseReports Reports => reports;

    public CallTaskList Calls => new(cases);

    public ISentEmails SentEmails => sentEmails;

    public IConfiguration Configuration => configuration;

    /// <summary>
    /// The business profile's fields still holding the built-in placeholders ("business.name", ...): while any is left,
    /// this host starts no case and imports no invoice, as the local host's import, run and serve refuse to, so nobody is
    /// sent "Your Business Ltd" or a bank account that is not the business's.
    /// </summary>
    public IReadOnlyList<string> Placeholders { get; } = DefaultPolicy.PlaceholdersIn(policy.Business);

    public IWorkflows Workflows(DurableTaskClient client) => new DurableWorkflows(client, cases, signalNotes, time);

    public DailyScan Scan(DurableTaskClient client) => new(ledger, cases, Workflows(client), policy, jurisdictions);

    public CaseCommands Commands(DurableTaskClient client) => new(cases, Workflows(client), time, Customers(client));

    public CustomerRequests Customers(DurableTaskClient client) => new(ledger, cases, Workflows(client), contacts, time);

    public PaymentWebhooks Webhooks(DurableTaskClient client) => new(inbox, cases, ledger, Workflows(client));

    public LedgerImport Import(DurableTaskClient client) => new(ledger, cases, Workflows(client), time);
}
