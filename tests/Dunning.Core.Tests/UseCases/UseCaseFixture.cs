using Dunning.Jurisdictions;
using Dunning.Policies;
using Dunning.Tests.Ports;
using Dunning.UseCases;

namespace Dunning.Tests.UseCases;

/// <summary>The use cases wired to the in-memory ports, on a clock the test moves.</summary>
public sealed class UseCaseFixture
{
    public UseCaseFixture(DateTimeOffset now)
    {
        Clock = new ManualClock(now);
        Workflows = new InMemoryWorkflows(Cases, Clock);
        Scan = new DailyScan(Ledger, Cases, Workflows, DefaultPolicy.Value, JurisdictionCatalog.Default);
        Customers = new CustomerRequests(Ledger, Cases, Workflows, Contacts, Clock);
        Commands = new CaseCommands(Cases, Workflows, Clock, Customers);
        Webhooks = new PaymentWebhooks(Inbox, Cases, Ledger, Workflows);
        Effects = new CaseEffects(Mailer, Documents, Cases, Contacts);
    }

    public ManualClock Clock { get; }

    public InMemoryLedger Ledger { get; } = new();

    public InMemoryCaseStore Cases { get; } = new();

    public InMemoryWebhookInbox Inbox { get; } = new();

    public InMemoryMailer Mailer { get; } = new();

    public InMemoryDocuments Documents { get; } = new();

    public InMemoryWorkflows Workflows { get; }

    public InMemoryContactLedger Contacts { get; } = new();

    public CustomerRequests Customers { get; }

    public DailyScan Scan { get; }

    public CaseCommands Commands { get; }

    public PaymentWebhooks Webhooks { get; }

    public CaseEffects Effects { get; }
}

public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
