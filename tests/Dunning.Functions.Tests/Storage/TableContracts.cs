using Dunning.Functions.Storage;
using Dunning.Ports;
using Dunning.Tests.Ports;

namespace Dunning.Functions.Tests.Storage;

// The same port contracts the in-memory and SQLite adapters pass, on Azure Tables in Azurite.

public sealed class TableLedgerContract : LedgerContract
{
    protected override Task<ILedger> CreateAsync() => Task.FromResult<ILedger>(new TableLedger(Azurite.FreshTables()));
}

public sealed class TableCaseStoreContract : CaseStoreContract
{
    protected override Task<ICaseStore> CreateAsync() => Task.FromResult<ICaseStore>(new TableCaseStore(Azurite.FreshTables()));
}

public sealed class TableWebhookInboxContract : WebhookInboxContract
{
    protected override Task<IWebhookInbox> CreateAsync() => Task.FromResult<IWebhookInbox>(new TableWebhookInbox(Azurite.FreshTables()));
}

public sealed class TableContactLedgerContract : ContactLedgerContract
{
    protected override Task<IContactLedger> CreateAsync() => Task.FromResult<IContactLedger>(new TableContactLedger(Azurite.FreshTables()));
}

public sealed class TableSignalNotesContract : SignalNotesContract
{
    protected override Task<ISignalNotes> CreateAsync() => Task.FromResult<ISignalNotes>(new TableSignalNotes(Azurite.FreshTables()));
}
